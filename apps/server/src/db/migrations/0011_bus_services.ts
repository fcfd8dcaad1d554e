import type { Kysely } from 'kysely';
import { runScript } from '../script.ts';

// Villages served by a bus trip (交邮合作) instead of a carrier's visit, as an accepted plan decides.
// They count towards a village's visits per week like route stops do.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE TABLE village_bus_services (
      village_code text NOT NULL REFERENCES villages(code),
      trip_id text NOT NULL REFERENCES bus_trips(id) ON DELETE CASCADE,
      line_id text NOT NULL REFERENCES bus_lines(id) ON DELETE CASCADE,
      days smallint[] NOT NULL,
      plan_id text,
      PRIMARY KEY (village_code, trip_id)
    );
  `);
}
