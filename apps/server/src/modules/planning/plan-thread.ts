import { Worker } from 'node:worker_threads';
import type { ComputeRequest, ComputeResult } from './plan-compute.ts';

type Pending = { resolve: (r: ComputeResult) => void; reject: (e: Error) => void; onProgress: (fraction: number, stage: string) => void };

/**
 * One long-lived worker thread that computes plans one at a time (its distance matrices stay
 * cached between plans). Started on first use; a crash fails the plans in flight and the next
 * call starts a new thread.
 */
export class PlanThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<string, Pending>();

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./plan.thread.mjs', import.meta.url));
    w.unref();
    w.on('message', (m: { jobId?: string; kind: string; fraction?: number; stage?: string; result?: ComputeResult; error?: string }) => {
      const p = m.jobId ? this.pending.get(m.jobId) : undefined;
      if (!p) return;
      if (m.kind === 'progress') p.onProgress(m.fraction ?? 0, m.stage ?? '');
      else if (m.kind === 'done') { this.pending.delete(m.jobId!); p.resolve(m.result!); }
      else if (m.kind === 'failed') { this.pending.delete(m.jobId!); p.reject(new Error(m.error ?? 'plan failed')); }
    });
    const fail = (err: Error) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.worker = null;
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`plan thread exited with code ${code}`)));
    this.worker = w;
    return w;
  }

  compute(jobId: string, request: ComputeRequest, onProgress: (fraction: number, stage: string) => void): Promise<ComputeResult> {
    const w = this.ensure();
    return new Promise((resolve, reject) => {
      this.pending.set(jobId, { resolve, reject, onProgress });
      w.postMessage({ jobId, request });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
