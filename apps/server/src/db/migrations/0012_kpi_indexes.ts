import type { Kysely } from 'kysely';
import { runScript } from '../script.ts';

// KPIs skip voided events with a lookup by the voided id; without this index each lookup scans.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE INDEX parcel_events_voids_idx ON parcel_events ((payload->>'voids')) WHERE type = 'void';
    CREATE INDEX parcel_events_type_time_idx ON parcel_events (type, event_time);
  `);
}
