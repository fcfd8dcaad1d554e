import type { Kysely } from 'kysely';
import type { PiiCipher } from '../adapters/crypto.ts';
import type { DB } from '../db/schema.ts';
import { ParcelsService } from '../modules/parcels/parcels.service.ts';
import { DbSmsProvider, type SmsProvider } from '../modules/stations/sms.ts';
import { stationOptionsFromEnv } from '../modules/stations/stations.routes.ts';
import { StationsService } from '../modules/stations/stations.service.ts';
import { Periodic } from './periodic.ts';

/**
 * Station jobs: reminders and returns of uncollected parcels, and sending queued notifications
 * through the SMS provider. `runOnce()` for tests (injected clock); `start()`/`stop()` for servers.
 */
export class StationsWorker {
  readonly service: StationsService;
  private readonly sms: SmsProvider;
  private readonly timer: Periodic;

  constructor(db: Kysely<DB>, opts: { clock: () => Date; pii: PiiCipher; region: string; sms?: SmsProvider; env?: NodeJS.ProcessEnv; onError?: (err: unknown) => void }) {
    const parcels = new ParcelsService(db, { region: opts.region, clock: opts.clock, pii: opts.pii });
    this.service = new StationsService(db, parcels, { clock: opts.clock, pii: opts.pii, ...stationOptionsFromEnv(opts.env ?? process.env) });
    this.sms = opts.sms ?? new DbSmsProvider(opts.pii);
    this.timer = new Periodic(() => this.runOnce(), opts.onError);
  }

  async runOnce() {
    const hold = await this.service.sweep();
    const sent = await this.service.dispatch(this.sms);
    return { ...hold, sent };
  }

  start(intervalMs = 5000): void {
    this.timer.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.timer.stop();
  }
}
