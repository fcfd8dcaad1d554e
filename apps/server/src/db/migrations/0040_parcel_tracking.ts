import type { Kysely } from 'kysely';
import { runScript } from '../script.ts';

// Public tracking is the hottest public read. Sent as a plain statement, PostgreSQL parses and plans
// it on every request, which cost more than running it (≈ 2× the throughput once the plan is kept).
// A PL/pgSQL function keeps its plan per connection; the query is the same one the repository
// documents (parcels.repository.ts, trackingView): the newest parcel with the waybill and its events
// (id, type, time, voided id) as one JSON array in log order. The index on waybill_no serves it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE FUNCTION parcel_tracking(w text)
      RETURNS TABLE (waybill_no text, partner_code text, status text, recipient_name_masked text, phone_masked text, outlet_id text, village_code text, events json)
      LANGUAGE plpgsql STABLE AS $$
    BEGIN
      RETURN QUERY
        SELECT p.waybill_no, p.partner_code, p.status, p.recipient_name_masked, p.phone_masked, p.outlet_id, p.village_code,
          COALESCE((SELECT json_agg(json_build_array(e.event_id, e.type, e.event_time, e.payload->>'voids') ORDER BY e.seq)
                    FROM parcel_events e WHERE e.parcel_id = p.id), '[]'::json)
        FROM parcels p
        WHERE p.waybill_no = w
        ORDER BY p.created_at DESC
        LIMIT 1;
    END $$;
  `);
}
