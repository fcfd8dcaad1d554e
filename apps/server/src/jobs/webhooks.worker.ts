import type { Kysely } from 'kysely';
import type { PiiCipher } from '../adapters/crypto.ts';
import type { DB } from '../db/schema.ts';
import { WebhooksService } from '../modules/webhooks/webhooks.service.ts';
import { httpSender, type Sender } from '../modules/webhooks/webhooks.sender.ts';
import { Periodic } from './periodic.ts';

export interface WebhookWorkerOptions {
  clock: () => Date;
  pii: PiiCipher;
  /** Jitter source (tests pass a seeded one). */
  random?: () => number;
  allowLoopback?: () => boolean;
  /** Replaces the HTTP client (tests); the default checks addresses at connect time (SSRF). */
  sender?: Sender;
  timeoutMs?: number;
  concurrency?: number;
  onError?: (err: unknown) => void;
}

/**
 * The webhook relay and delivery worker. `runOnce()` does one full pass (outbox → queue, then every
 * due delivery) and is what tests call with an injected clock; `start()` runs passes on a timer for
 * the server, and `stop()` waits for the pass in flight.
 */
export class WebhookWorker {
  readonly service: WebhooksService;
  private readonly send: Sender;
  private readonly random: () => number;
  private readonly timer: Periodic;

  constructor(db: Kysely<DB>, private readonly opts: WebhookWorkerOptions) {
    const allowLoopback = opts.allowLoopback ?? (() => process.env.WEBHOOK_ALLOW_LOOPBACK === '1');
    this.service = new WebhooksService(db, { clock: opts.clock, pii: opts.pii, allowLoopback });
    this.send = opts.sender ?? httpSender({ allowLoopback, timeoutMs: opts.timeoutMs ?? 15_000 });
    this.random = opts.random ?? Math.random;
    this.timer = new Periodic(() => this.runOnce(), opts.onError);
  }

  /** One pass: relay everything pending in the outbox, then send every due delivery. */
  async runOnce(): Promise<{ relayed: number; attempted: number }> {
    let relayed = 0;
    for (let n = await this.service.relay(); n > 0; n = await this.service.relay()) relayed += n;
    let attempted = 0;
    for (let n = await this.pass(); n > 0; n = await this.pass()) attempted += n;
    return { relayed, attempted };
  }

  private pass() {
    return this.service.deliverDue(this.send, { random: this.random, concurrency: this.opts.concurrency ?? 8 });
  }

  start(intervalMs = 1000): void {
    this.timer.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.timer.stop();
  }
}
