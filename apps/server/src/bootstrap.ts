import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { DB } from './db/schema.ts';
import { migrateToLatest } from './db/migrate.ts';
import { loadRegionExtract } from './modules/divisions/reference.ts';
import { loadDivisions } from './modules/divisions/divisions.repository.ts';
import { loadVillagesFromDivisions } from './modules/network/villages.repository.ts';
import { seedDemo, DEMO_LOGINS } from './seed/demo.ts';
import { ensureAdmin } from './seed/admin.ts';
import { piiCipherFromEnv } from './adapters/crypto.ts';
import { demoMonthEnabled, seedDemoMonth } from './modules/settlement/demo-month.ts';

export interface BootstrapReport {
  migrations: string[];
  divisionsLoaded: number;
  demoSeeded: boolean;
  /** Demo logins (demo data only) or the generated admin password (first start without demo). */
  logins: Array<{ username: string; password: string; role: string }>;
}

/** Brings a database up to date: migrations, the region's divisions, and demo data on an empty one. */
export async function bootstrap(db: Kysely<DB>, config: Config, clock: () => Date): Promise<BootstrapReport> {
  const migrations = await migrateToLatest(db as Kysely<unknown>);
  let divisionsLoaded = 0;
  const anyDivision = await db.selectFrom('divisions').select('code').limit(1).executeTakeFirst();
  if (!anyDivision) {
    const ex = loadRegionExtract(config.region);
    await db.transaction().execute(async (tx) => {
      divisionsLoaded = await loadDivisions(tx, ex);
      await loadVillagesFromDivisions(tx, ex);
    });
  }
  const anyUser = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  let demoSeeded = false;
  let logins: BootstrapReport['logins'] = [];
  if (!anyUser) {
    if (config.seedDemo) {
      await seedDemo(db, config, clock);
      // A month of parcel histories for statements and commissions (docs/settlement.md).
      if (demoMonthEnabled(process.env)) await seedDemoMonth(db, piiCipherFromEnv(process.env, () => undefined));
      demoSeeded = true;
      logins = DEMO_LOGINS;
    } else {
      const pw = await ensureAdmin(db);
      if (pw) logins = [{ username: 'admin', password: pw, role: 'admin' }];
    }
  } else if (config.seedDemo) {
    const demo = await db.selectFrom('users').select('username').where('username', '=', 'admin').executeTakeFirst();
    if (demo) logins = DEMO_LOGINS;
  }
  return { migrations, divisionsLoaded, demoSeeded, logins };
}
