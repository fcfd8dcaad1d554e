import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import * as m0001 from './migrations/0001_core.ts';
import * as m0002 from './migrations/0002_network.ts';
import * as m0003 from './migrations/0003_parcels.ts';
import * as m0011 from './migrations/0011_bus_services.ts';
import * as m0012 from './migrations/0012_kpi_indexes.ts';
import * as m0010 from './migrations/0010_planning.ts';
import * as m0020 from './migrations/0020_outbound.ts';
import * as m0030 from './migrations/0030_partners_stations.ts';
import * as m0031 from './migrations/0031_stations.ts';
import * as m0032 from './migrations/0032_settlement.ts';
import * as m0033 from './migrations/0033_outbox_feed.ts';
import * as m0040 from './migrations/0040_parcel_tracking.ts';
import * as m0050 from './migrations/0050_dispatch.ts';
import * as m0060 from './migrations/0060_track_answer.ts';
import * as m0070 from './migrations/0070_public_track.ts';
import * as m0071 from './migrations/0071_outbound_public_track.ts';

// One ordered list of migrations for both engines. Add new ones here (names sort in order).
const MIGRATIONS: Record<string, Migration> = {
  '0001_core': m0001,
  '0002_network': m0002,
  '0003_parcels': m0003,
  '0010_planning': m0010,
  '0011_bus_services': m0011,
  '0012_kpi_indexes': m0012,
  '0020_outbound': m0020,
  '0030_partners_stations': m0030,
  '0031_stations': m0031,
  '0032_settlement': m0032,
  '0033_outbox_feed': m0033,
  '0040_parcel_tracking': m0040,
  '0050_dispatch': m0050,
  '0060_track_answer': m0060,
  '0070_public_track': m0070,
  '0071_outbound_public_track': m0071,
};

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  // Name the schema of the migration tables: without it Kysely counts a kysely_migration table of
  // *any* schema as ours, which breaks when several test schemas share one PostgreSQL database.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrationTableSchema = rows[0]?.schema ?? undefined;
  const migrator = new Migrator({ db, provider: new StaticProvider(), ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
