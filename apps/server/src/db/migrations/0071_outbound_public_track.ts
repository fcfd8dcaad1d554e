import type { Kysely } from 'kysely';
import { runScript } from '../script.ts';

// Public tracking covers outbound parcels too (黔货出山: the farm products the post collects in the
// villages and hands to the trunk network): their waybill numbers are ours, and the buyer who got
// one from the shop can look it up on the same page. The answer has the same shape and is kept in
// the same table (parcel_public_track, 0070; parcel_id holds the order id), so the lookup does not
// change: partner 中国邮政, the order's status (its 'handed_over' reads handed_to_trunk, as inbound
// parcels already use handed_over for the partner's handover to us), masked name and phone as stored
// at order time, the destination county as shown on the label, and the events (collected, bagged,
// bag_sealed, handed_to_trunk, cancelled) at the origin county. An order that is created but not yet
// collected answers with no events. Kept by triggers like 0070's: orders inserted (a 10,000-row
// import is one refresh), events appended, a county renamed (statement triggers), and an order's
// shown fields changed (a row trigger, as for parcels).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE VIEW outbound_public_answer AS
      SELECT x.id AS order_id, x.waybill_no, x.created_at, '{"waybillNo":' || to_json(x.waybill_no)::text
          || ',"partner":"中国邮政"'
          || ',"status":' || to_json(CASE x.status WHEN 'handed_over' THEN 'handed_to_trunk' ELSE x.status END)::text
          || ',"recipientName":' || to_json(x.recipient_name_masked)::text
          || ',"recipientPhone":' || to_json(x.phone_masked)::text
          || ',"destination":' || to_json(x.destination)::text
          || ',"events":[' || COALESCE(string_agg(
            '{"type":' || to_json(x.type)::text
            || ',"eventTime":"' || to_char(x.t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
            || '","place":' || x.place_j || '}', ','
            ORDER BY x.t, array_position(ARRAY['collected', 'bagged', 'bag_sealed', 'handed_to_trunk', 'cancelled']::text[], x.type), x.event_id COLLATE "C")
            FILTER (WHERE x.type IS NOT NULL), '') || ']}' AS answer
      FROM (
        SELECT o.id, o.waybill_no, o.created_at, o.status, o.recipient_name_masked, o.phone_masked, o.destination,
          COALESCE(to_json(c.short_name)::text, 'null') AS place_j, e.event_id, e.type, date_trunc('milliseconds', e.event_time) AS t
        FROM outbound_orders o
        LEFT JOIN divisions c ON c.code = o.county_code
        LEFT JOIN outbound_events e ON e.order_id = o.id
      ) x
      GROUP BY x.id, x.waybill_no, x.created_at, x.status, x.recipient_name_masked, x.phone_masked, x.destination, x.place_j;

    -- One order by = ids[1] (a cached plan), many by = ANY (see 0070).
    CREATE FUNCTION outbound_public_track_refresh(ids text[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF cardinality(ids) = 1 THEN
        INSERT INTO parcel_public_track (waybill_no, parcel_id, created_at, answer)
        SELECT a.waybill_no, a.order_id, a.created_at, a.answer FROM outbound_public_answer a WHERE a.order_id = ids[1]
        ON CONFLICT (waybill_no, parcel_id) DO UPDATE SET answer = EXCLUDED.answer, created_at = EXCLUDED.created_at
          WHERE parcel_public_track.answer IS DISTINCT FROM EXCLUDED.answer OR parcel_public_track.created_at IS DISTINCT FROM EXCLUDED.created_at;
      ELSIF cardinality(ids) > 1 THEN
        INSERT INTO parcel_public_track (waybill_no, parcel_id, created_at, answer)
        SELECT a.waybill_no, a.order_id, a.created_at, a.answer FROM outbound_public_answer a WHERE a.order_id = ANY (ids)
        ON CONFLICT (waybill_no, parcel_id) DO UPDATE SET answer = EXCLUDED.answer, created_at = EXCLUDED.created_at
          WHERE parcel_public_track.answer IS DISTINCT FROM EXCLUDED.answer OR parcel_public_track.created_at IS DISTINCT FROM EXCLUDED.created_at;
      END IF;
    END $$;

    CREATE FUNCTION outbound_public_track_on_orders_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM outbound_public_track_refresh(ARRAY(SELECT id FROM new_orders));
      RETURN NULL;
    END $$;
    CREATE TRIGGER outbound_orders_public_track_insert AFTER INSERT ON outbound_orders
      REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION outbound_public_track_on_orders_insert();

    -- Updates: a row trigger that fires only for the columns the answer shows and only when one of
    -- them changed (the WHEN clause is checked without calling the function). A statement trigger
    -- comparing the old and new transition tables had to join them, and a label run's
    -- labels_printed update of 10,000 orders (nothing shown changed) took seconds on PGlite.
    CREATE FUNCTION outbound_public_track_on_order() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.waybill_no IS DISTINCT FROM OLD.waybill_no THEN
        DELETE FROM parcel_public_track WHERE waybill_no = OLD.waybill_no AND parcel_id = OLD.id;
      END IF;
      PERFORM outbound_public_track_refresh(ARRAY[NEW.id]);
      RETURN NULL;
    END $$;
    CREATE TRIGGER outbound_orders_public_track_update
      AFTER UPDATE OF status, recipient_name_masked, phone_masked, destination, county_code, waybill_no, created_at ON outbound_orders
      FOR EACH ROW WHEN ((OLD.status, OLD.recipient_name_masked, OLD.phone_masked, OLD.destination, OLD.county_code, OLD.waybill_no, OLD.created_at)
        IS DISTINCT FROM (NEW.status, NEW.recipient_name_masked, NEW.phone_masked, NEW.destination, NEW.county_code, NEW.waybill_no, NEW.created_at))
      EXECUTE FUNCTION outbound_public_track_on_order();

    CREATE FUNCTION outbound_public_track_on_events() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM outbound_public_track_refresh(ARRAY(SELECT DISTINCT order_id FROM new_events));
      RETURN NULL;
    END $$;
    CREATE TRIGGER outbound_events_public_track AFTER INSERT ON outbound_events
      REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION outbound_public_track_on_events();

    CREATE FUNCTION outbound_public_track_on_divisions() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE changed text[];
    BEGIN
      changed := ARRAY(SELECT n.code FROM new_rows n JOIN old_rows o ON o.code = n.code WHERE n.short_name IS DISTINCT FROM o.short_name);
      IF cardinality(changed) > 0 THEN
        PERFORM outbound_public_track_refresh(ARRAY(SELECT o.id FROM outbound_orders o WHERE o.county_code = ANY (changed)));
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER divisions_outbound_public_track AFTER UPDATE ON divisions
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outbound_public_track_on_divisions();

    DO $$
    DECLARE chunk text[];
    BEGIN
      FOR chunk IN SELECT array_agg(id) FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) / 10000 AS g FROM outbound_orders) x GROUP BY g LOOP
        PERFORM outbound_public_track_refresh(chunk);
      END LOOP;
    END $$;
  `);
}
