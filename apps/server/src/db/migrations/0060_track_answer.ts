import type { Kysely } from 'kysely';
import { runScript } from '../script.ts';

// Public tracking's answers, built by PostgreSQL as compact JSON texts that the route sends
// as the body as is: no rows to parse into objects in Node, no re-serialising, no name cache. The
// bytes equal JSON.stringify of the answer the service builds from the events (ParcelsService.track,
// which stays the reference; track.int.test.ts compares the two): keys in the schema's order,
// strings escaped by to_json, times as ISO-8601 UTC with milliseconds, events ordered as the domain's
// compareEvents (manifest first, then time to the millisecond, then the type's rank in EVENT_TYPES,
// then the id), voids and voided events left out, place = the village for events in the village, else
// the outlet; NULL for an unknown waybill. It takes an array of waybills and answers each with its
// ordinal (the route batches the lookups that arrive together): as one set-based query a lookup in a
// batch of 16 cost the database half of what a call per waybill did. PL/pgSQL keeps the plan per
// connection (a four-table join planned per request cost more than running it). One index scan of
// the parcel's events: the voided ids come from a window aggregate over the same rows.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE FUNCTION parcel_track_answers(ws text[]) RETURNS TABLE (i bigint, answer text) LANGUAGE plpgsql STABLE AS $$
    BEGIN
      RETURN QUERY
      SELECT x.i, '{"waybillNo":' || to_json(p.waybill_no)::text
          || ',"partner":' || to_json(COALESCE(pt.name, p.partner_code))::text
          || ',"status":' || to_json(p.status)::text
          || ',"recipientName":' || to_json(COALESCE(p.recipient_name_masked, ''))::text
          || ',"recipientPhone":' || to_json(COALESCE(p.phone_masked, ''))::text
          || ',"destination":' || COALESCE(to_json(v.short_name)::text, 'null')
          || ',"events":[' || COALESCE((
            SELECT string_agg(
                '{"type":' || to_json(y.type)::text
                || ',"eventTime":"' || to_char(y.t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
                || '","place":' || COALESCE(to_json(CASE WHEN v.short_name IS NOT NULL
                    AND y.type IN ('out_for_delivery', 'delivered', 'delivered_to_station', 'picked_up', 'delivery_failed', 'unloaded_at_stop')
                    THEN v.short_name ELSE o.name END)::text, 'null')
                || '}', ','
                ORDER BY y.type <> 'manifest_received', y.t,
                  array_position(ARRAY['manifest_received', 'handed_over', 'sorted', 'loaded_on_bus', 'unloaded_at_stop', 'out_for_delivery', 'delivery_failed',
                    'delivered_to_station', 'delivered', 'picked_up', 'returned_to_partner', 'exception', 'void']::text[], y.type),
                  y.event_id COLLATE "C")
            FROM (
              SELECT e.event_id, e.type, date_trunc('milliseconds', e.event_time) AS t,
                array_agg(e.payload->>'voids') FILTER (WHERE e.type = 'void' AND e.payload->>'voids' IS NOT NULL) OVER () AS voided
              FROM parcel_events e
              WHERE e.parcel_id = p.id
            ) y
            WHERE y.type <> 'void' AND (y.voided IS NULL OR y.event_id <> ALL (y.voided))
          ), '') || ']}'
        FROM unnest(ws) WITH ORDINALITY AS x(w, i)
        LEFT JOIN LATERAL (SELECT q.id, q.waybill_no, q.partner_code, q.status, q.recipient_name_masked, q.phone_masked, q.outlet_id, q.village_code
          FROM parcels q WHERE q.waybill_no = x.w ORDER BY q.created_at DESC LIMIT 1) p ON true
        LEFT JOIN outlets o ON o.id = p.outlet_id
        LEFT JOIN partners pt ON pt.code = p.partner_code
        LEFT JOIN divisions v ON v.code = p.village_code;
    END $$;
  `);
}
