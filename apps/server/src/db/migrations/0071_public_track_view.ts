import type { Kysely } from 'kysely';
import { runScript } from '../script.ts';

// The public answer's SQL moves into a view, parcel_public_answer (one row per parcel), and the
// refresh of 0070 reads it in two shapes. One parcel (an event appended, a status set: the common
// case, twice per event) is `parcel_id = ids[1]`: the planner knows it is one row, so the cached
// plan is index probes and is not planned again per call. As `= ANY (ids)` with one id, PostgreSQL
// re-planned the statement on every call (a custom plan beat its generic plan, which assumes ten
// ids), 1–1.5 ms of planning for 0.2 ms of work: the two refreshes of a single event cost 2 ms. Many
// parcels (a manifest, a sync batch, a rename, a rebuild) keep `= ANY (ids)`, where planning per
// call is small beside the work. The filter reaches the parcels scan inside the view (it is on the
// view's grouping and window partition key).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
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

    CREATE OR REPLACE FUNCTION parcel_public_track_refresh(ids text[]) RETURNS void LANGUAGE plpgsql AS $$
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
  `);
}
