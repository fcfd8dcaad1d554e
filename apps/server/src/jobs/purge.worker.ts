import type { Kysely } from 'kysely';
import type { Principal } from '@cuntong/domain/access.ts';
import type { PiiCipher } from '../adapters/crypto.ts';
import type { DB } from '../db/schema.ts';
import { ParcelsService } from '../modules/parcels/parcels.service.ts';
import { Periodic } from './periodic.ts';

/** The purge runs as the system (its audit rows say so). */
const SYSTEM: Principal = { id: 'system', username: 'system', displayName: '系统', role: 'admin', via: 'session' };

/** PII_RETENTION_DAYS (default 90): days after a parcel is closed that its personal data is kept. */
export function retentionDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.PII_RETENTION_DAYS ?? 90);
  return Number.isInteger(n) && n >= 0 ? n : 90;
}

/**
 * Scheduled retention purge (PIPL Art. 19): recipient name, phone and address of parcels closed
 * more than the retention ago are removed (ParcelsService.purge: one transaction, audited);
 * statements keep what they rest on (village, service, weight, times). `runOnce()` for tests
 * (injected clock); `start()`/`stop()` for servers.
 */
export class PurgeWorker {
  readonly parcels: ParcelsService;
  private readonly retentionDays: number;
  private readonly timer: Periodic;

  constructor(db: Kysely<DB>, private readonly opts: { clock: () => Date; pii: PiiCipher; region: string; retentionDays?: number; onError?: (err: unknown) => void }) {
    this.parcels = new ParcelsService(db, { region: opts.region, clock: opts.clock, pii: opts.pii });
    this.retentionDays = opts.retentionDays ?? retentionDaysFromEnv();
    this.timer = new Periodic(() => this.runOnce(), opts.onError);
  }

  runOnce(): Promise<{ purged: number; closedBefore: string }> {
    return this.parcels.purge(SYSTEM, this.retentionDays);
  }

  /** First pass shortly after start, then every intervalMs (default hourly: a day's closures are few). */
  start(intervalMs = 3_600_000, firstDelayMs = 30_000): void {
    this.timer.start(intervalMs, firstDelayMs);
  }

  stop(): Promise<void> {
    return this.timer.stop();
  }
}
