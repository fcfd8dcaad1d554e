import type { Kysely } from 'kysely';
import type { Principal } from '@cuntong/domain/access.ts';
import type { DB } from '../db/schema.ts';
import type { PlanSettings } from '../modules/planning/plan-compute.ts';
import { PlanThread } from '../modules/planning/plan-thread.ts';
import type { PlanningService } from '../modules/planning/planning.service.ts';
import * as repo from '../modules/planning/planning.repository.ts';

export interface PlanJobWorkerOptions {
  clock: () => Date;
  /** Poll interval when idle (a new job also wakes the worker at once through `kick`). */
  intervalMs?: number;
  /** A running job older than this is taken again (its server died); plans take ≤ 60 s. */
  staleS?: number;
  onError?: (err: unknown) => void;
}

/**
 * Plan jobs (table `plan_jobs`): claims queued jobs one at a time and computes each in a worker
 * thread (`PlanThread`), so the HTTP event loop stays free while a region plan takes up to a minute.
 * Only the loading of the scope and the saving of the plan run on the main thread.
 */
export class PlanJobWorker {
  private readonly thread = new PlanThread();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(private readonly db: Kysely<DB>, private readonly service: PlanningService, private readonly opts: PlanJobWorkerOptions) {}

  /** Runs every queued job, then returns. */
  async drain(): Promise<number> {
    let n = 0;
    for (;;) {
      const job = await repo.claimJob(this.db, this.opts.clock(), this.opts.staleS ?? 600);
      if (!job) return n;
      n++;
      try {
        await this.service.runJob({ ...job, principal: job.principal as unknown as Principal, params: job.params as unknown as PlanSettings }, (req, onProgress) => this.thread.compute(job.id, req, onProgress));
      } catch (err) {
        // stopped mid-plan (the server shuts down): the job goes back to the queue for the next start
        if (this.stopped) await repo.requeueJob(this.db, job.id);
        else {
          await repo.finishJob(this.db, job.id, { status: 'failed', error: err instanceof Error ? err.message : String(err), at: this.opts.clock() });
          this.opts.onError?.(err);
        }
      }
      if (this.stopped) return n;
    }
  }

  /** Wake up now (a job was queued). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.drain()
      .then(() => undefined, (err) => this.opts.onError?.(err))
      .finally(() => {
        this.running = null;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else {
          // the poll never keeps a process alive by itself (tools that build the app and exit)
          this.timer = setTimeout(() => this.kick(), this.opts.intervalMs ?? 5000);
          this.timer.unref();
        }
      });
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.thread.close();
    await this.running;
  }
}
