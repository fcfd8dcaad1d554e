import type { Kysely } from 'kysely';
import { runScript } from '../script.ts';

// Public tracking's answer is kept per parcel (parcel_public_track), as a projection of the events
// like the status: a lookup is one index probe returning one text, instead of aggregating the events
// and joining three tables on every request (the hottest public read; bench:track). The text is the
// same bytes 0060 built per request — compact JSON equal to JSON.stringify of ParcelsService.track's
// answer, which stays the reference (track.int.test.ts compares them after every kind of write).
//
// The view parcel_public_answer is the answer of every parcel, built from its events; a filter on its
// parcel_id reaches the parcels scan inside it (the view's grouping and window partition key).
// parcel_public_track_refresh(ids) writes the view's rows for some parcels (the projection is
// rebuildable; bulk loads that skip triggers call it themselves). One parcel — an event appended, a
// status set: the common case — is `parcel_id = ids[1]`, so the planner knows it is one row and the
// cached plan is index probes; as `= ANY (ids)` PostgreSQL planned it again on every call (a custom
// plan beat its generic plan, which assumes ten ids), 1–1.5 ms of planning for 0.2 ms of work. Many
// parcels (a manifest, a sync batch, a rename, a rebuild) keep `= ANY (ids)`, where planning per call
// is small beside the work.
//
// Triggers keep it, so no write path can forget it: events appended (a statement trigger with a
// transition table: a manifest's 1,000 manifest_received events are one refresh); a parcel's shown
// fields changed (status, masked name and phone after a purge, village assigned from the exception
// queue, outlet, partner: a row trigger on those columns whose WHEN clause is checked without calling
// the function, so other updates cost nothing — a statement trigger would have to join the old and new
// transition tables of every updated row, which took seconds for a 10,000-row update on PGlite); and
// a rename of an outlet, partner or village (other updates of those rows stop at comparing names).
//
// Keyed by (waybill_no, parcel_id): one index serves the upsert and the lookup (the newest parcel of
// a waybill wins, as before). An unchanged answer is not rewritten (no dead tuple per status-less
// event).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE TABLE parcel_public_track (
      waybill_no text NOT NULL,
      parcel_id text NOT NULL,
      created_at timestamptz NOT NULL,
      answer text NOT NULL,
      PRIMARY KEY (waybill_no, parcel_id)
    );

    CREATE VIEW parcel_public_answer AS
      SELECT x.id AS parcel_id, x.waybill_no, x.created_at, '{"waybillNo":' || to_json(x.waybill_no)::text
          || ',"partner":' || to_json(x.partner_name)::text
          || ',"status":' || to_json(x.status)::text
          || ',"recipientName":' || to_json(COALESCE(x.recipient_name_masked, ''))::text
          || ',"recipientPhone":' || to_json(COALESCE(x.phone_masked, ''))::text
          || ',"destination":' || COALESCE(x.village_j, 'null')
          || ',"events":[' || COALESCE(string_agg(
            '{"type":' || to_json(x.type)::text
            || ',"eventTime":"' || to_char(x.t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
            || '","place":' || CASE WHEN x.village_j IS NOT NULL
                AND x.type IN ('out_for_delivery', 'delivered', 'delivered_to_station', 'picked_up', 'delivery_failed', 'unloaded_at_stop')
                THEN x.village_j ELSE x.outlet_j END
            || '}', ','
            ORDER BY x.type <> 'manifest_received', x.t,
              array_position(ARRAY['manifest_received', 'handed_over', 'sorted', 'loaded_on_bus', 'unloaded_at_stop', 'out_for_delivery', 'delivery_failed',
                'delivered_to_station', 'delivered', 'picked_up', 'returned_to_partner', 'exception', 'void']::text[], x.type),
              x.event_id COLLATE "C")
            FILTER (WHERE x.type <> 'void' AND (x.voided IS NULL OR x.event_id <> ALL (x.voided))), '') || ']}' AS answer
      FROM (
        SELECT p.id, p.waybill_no, p.created_at, p.status, p.recipient_name_masked, p.phone_masked, COALESCE(pt.name, p.partner_code) AS partner_name,
          COALESCE(to_json(o.name)::text, 'null') AS outlet_j, to_json(v.short_name)::text AS village_j,
          e.event_id, e.type, date_trunc('milliseconds', e.event_time) AS t,
          array_agg(e.payload->>'voids') FILTER (WHERE e.type = 'void' AND e.payload->>'voids' IS NOT NULL) OVER (PARTITION BY p.id) AS voided
        FROM parcels p
        LEFT JOIN outlets o ON o.id = p.outlet_id
        LEFT JOIN partners pt ON pt.code = p.partner_code
        LEFT JOIN divisions v ON v.code = p.village_code
        LEFT JOIN parcel_events e ON e.parcel_id = p.id
      ) x
      GROUP BY x.id, x.waybill_no, x.created_at, x.status, x.recipient_name_masked, x.phone_masked, x.partner_name, x.outlet_j, x.village_j;

    CREATE FUNCTION parcel_public_track_refresh(ids text[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF cardinality(ids) = 1 THEN
        INSERT INTO parcel_public_track (waybill_no, parcel_id, created_at, answer)
        SELECT a.waybill_no, a.parcel_id, a.created_at, a.answer FROM parcel_public_answer a WHERE a.parcel_id = ids[1]
        ON CONFLICT (waybill_no, parcel_id) DO UPDATE SET answer = EXCLUDED.answer, created_at = EXCLUDED.created_at
          WHERE parcel_public_track.answer IS DISTINCT FROM EXCLUDED.answer OR parcel_public_track.created_at IS DISTINCT FROM EXCLUDED.created_at;
      ELSIF cardinality(ids) > 1 THEN
        INSERT INTO parcel_public_track (waybill_no, parcel_id, created_at, answer)
        SELECT a.waybill_no, a.parcel_id, a.created_at, a.answer FROM parcel_public_answer a WHERE a.parcel_id = ANY (ids)
        ON CONFLICT (waybill_no, parcel_id) DO UPDATE SET answer = EXCLUDED.answer, created_at = EXCLUDED.created_at
          WHERE parcel_public_track.answer IS DISTINCT FROM EXCLUDED.answer OR parcel_public_track.created_at IS DISTINCT FROM EXCLUDED.created_at;
      END IF;
    END $$;

    CREATE FUNCTION parcel_public_track_on_events() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM parcel_public_track_refresh(ARRAY(SELECT DISTINCT parcel_id FROM new_events));
      RETURN NULL;
    END $$;
    CREATE TRIGGER parcel_events_public_track AFTER INSERT ON parcel_events
      REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION parcel_public_track_on_events();

    CREATE FUNCTION parcel_public_track_on_parcel() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.waybill_no IS DISTINCT FROM OLD.waybill_no THEN
        DELETE FROM parcel_public_track WHERE waybill_no = OLD.waybill_no AND parcel_id = OLD.id;
      END IF;
      PERFORM parcel_public_track_refresh(ARRAY[NEW.id]);
      RETURN NULL;
    END $$;
    CREATE TRIGGER parcels_public_track
      AFTER UPDATE OF status, recipient_name_masked, phone_masked, village_code, outlet_id, partner_code, waybill_no, created_at ON parcels
      FOR EACH ROW WHEN ((OLD.status, OLD.recipient_name_masked, OLD.phone_masked, OLD.village_code, OLD.outlet_id, OLD.partner_code, OLD.waybill_no, OLD.created_at)
        IS DISTINCT FROM (NEW.status, NEW.recipient_name_masked, NEW.phone_masked, NEW.village_code, NEW.outlet_id, NEW.partner_code, NEW.waybill_no, NEW.created_at))
      EXECUTE FUNCTION parcel_public_track_on_parcel();

    CREATE FUNCTION parcel_public_track_on_outlets() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE changed text[];
    BEGIN
      changed := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name);
      IF cardinality(changed) > 0 THEN
        PERFORM parcel_public_track_refresh(ARRAY(SELECT p.id FROM parcels p WHERE p.outlet_id = ANY (changed)));
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER outlets_public_track AFTER UPDATE ON outlets
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION parcel_public_track_on_outlets();

    CREATE FUNCTION parcel_public_track_on_partners() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE changed text[];
    BEGIN
      changed := ARRAY(SELECT n.code FROM new_rows n JOIN old_rows o ON o.code = n.code WHERE n.name IS DISTINCT FROM o.name);
      IF cardinality(changed) > 0 THEN
        PERFORM parcel_public_track_refresh(ARRAY(SELECT p.id FROM parcels p WHERE p.partner_code = ANY (changed)));
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER partners_public_track AFTER UPDATE ON partners
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION parcel_public_track_on_partners();

    CREATE FUNCTION parcel_public_track_on_divisions() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE changed text[];
    BEGIN
      changed := ARRAY(SELECT n.code FROM new_rows n JOIN old_rows o ON o.code = n.code WHERE n.short_name IS DISTINCT FROM o.short_name);
      IF cardinality(changed) > 0 THEN
        PERFORM parcel_public_track_refresh(ARRAY(SELECT p.id FROM parcels p WHERE p.village_code = ANY (changed)));
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER divisions_public_track AFTER UPDATE ON divisions
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION parcel_public_track_on_divisions();

    -- The lookup keeps its signature (the route batches waybills into one array): now one probe each.
    CREATE OR REPLACE FUNCTION parcel_track_answers(ws text[]) RETURNS TABLE (i bigint, answer text) LANGUAGE plpgsql STABLE AS $$
    BEGIN
      RETURN QUERY
      SELECT x.i, (SELECT t.answer FROM parcel_public_track t WHERE t.waybill_no = x.w ORDER BY t.created_at DESC LIMIT 1)
      FROM unnest(ws) WITH ORDINALITY AS x(w, i);
    END $$;

    -- Existing parcels, 10,000 at a time (an index probe per id; one giant array would not be).
    DO $$
    DECLARE chunk text[];
    BEGIN
      FOR chunk IN SELECT array_agg(id) FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) / 10000 AS g FROM parcels) x GROUP BY g LOOP
        PERFORM parcel_public_track_refresh(chunk);
      END LOOP;
    END $$;
  `);
}
