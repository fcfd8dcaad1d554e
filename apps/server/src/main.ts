import type { Kysely } from 'kysely';
import { type Config, loadConfig } from './config.ts';
import { connect } from './db/connect.ts';
import type { DB } from './db/schema.ts';
import { bootstrap, type BootstrapReport } from './bootstrap.ts';
import { buildApp } from './http/app.ts';
import type { App, AppContext } from './http/context.ts';
import { AuthService } from './modules/auth/auth.service.ts';
import { piiCipherFromEnv } from './adapters/crypto.ts';
import { WebhookWorker } from './jobs/webhooks.worker.ts';
import { StationsWorker } from './jobs/stations.worker.ts';
import { PurgeWorker } from './jobs/purge.worker.ts';

export interface StartOptions extends Partial<Config> {
  /** Directory of the built console; undefined serves the API only. */
  webDist?: string;
  /** PGlite only: start from a data-dir tarball (tests clone a seeded template). */
  loadDataDir?: Blob;
}

export interface RunningServer {
  url: string;
  app: App;
  ctx: AppContext;
  report: BootstrapReport;
  /** The webhook relay/delivery worker, when running (WEBHOOK_WORKER=off, or under vitest, disables it). */
  webhookWorker: WebhookWorker | null;
  /** Station reminders/returns and SMS sending, when running (same switch as the webhook worker). */
  stationsWorker: StationsWorker | null;
  /** The personal-data retention purge (PII_RETENTION_DAYS), when running (same switch). */
  purgeWorker: PurgeWorker | null;
  close(): Promise<void>;
}

/** Composition root: config → database → services → HTTP. Used by `npm start`, tests and the CLI. */
export async function createContext(config: Config, loadDataDir?: Blob): Promise<{ ctx: AppContext; report: BootstrapReport; close: () => Promise<void> }> {
  const database = await connect({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, schema: config.databaseSchema, loadDataDir });
  try {
    const clock = () => new Date();
    const report = await bootstrap(database.db, config, clock);
    const ctx: AppContext = {
      config,
      db: database.db as Kysely<DB>,
      engine: database.engine,
      clock,
      auth: new AuthService(database.db, { sessionTtlS: config.sessionTtlS, clock }),
      pii: piiCipherFromEnv(process.env),
    };
    return { ctx, report, close: () => database.close() };
  } catch (err) {
    await database.close();
    throw err;
  }
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const { webDist, loadDataDir, ...overrides } = opts;
  const config = loadConfig(process.env, overrides);
  const { ctx, report, close } = await createContext(config, loadDataDir);
  let app: App;
  try {
    app = await buildApp(ctx, { webDist, logger: config.logLevel === 'silent' ? false : { level: config.logLevel } });
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await close();
    throw err;
  }
  // Tests drive their own worker with an injected clock (WebhookWorker.runOnce); servers run it on a timer.
  const workerMode = process.env.WEBHOOK_WORKER ?? (process.env.VITEST ? 'off' : 'on');
  const webhookWorker = workerMode === 'off' ? null : new WebhookWorker(ctx.db, { clock: ctx.clock, pii: ctx.pii, onError: (err) => app.log.error({ err }, 'webhook worker pass failed') });
  webhookWorker?.start(Number(process.env.WEBHOOK_WORKER_INTERVAL_MS ?? 1000) || 1000);
  const stationsWorker = workerMode === 'off' ? null : new StationsWorker(ctx.db, { clock: ctx.clock, pii: ctx.pii, region: ctx.config.region, onError: (err) => app.log.error({ err }, 'stations worker pass failed') });
  stationsWorker?.start(Number(process.env.STATIONS_WORKER_INTERVAL_MS ?? 5000) || 5000);
  const purgeWorker = workerMode === 'off' ? null : new PurgeWorker(ctx.db, { clock: ctx.clock, pii: ctx.pii, region: ctx.config.region, onError: (err) => app.log.error({ err }, 'personal-data purge failed') });
  purgeWorker?.start(Number(process.env.PII_PURGE_INTERVAL_MS ?? 3_600_000) || 3_600_000);
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return {
    url: `http://${host}:${port}`,
    app,
    ctx,
    report,
    webhookWorker,
    stationsWorker,
    purgeWorker,
    async close() {
      await webhookWorker?.stop();
      await stationsWorker?.stop();
      await purgeWorker?.stop();
      await app.close();
      await close();
    },
  };
}
