// Worker-thread entry of plan jobs. Plain JavaScript so Node can start it without a loader; it
// registers tsx, then imports the TypeScript planner (as packages/solver/src/worker.mjs does).
// Messages in: {jobId, request}; out: {jobId, kind: 'progress' | 'done' | 'failed', ...}.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { computePlan } = await import('./plan-compute.ts');
parentPort.on('message', async ({ jobId, request }) => {
  let last = -1;
  try {
    const result = await computePlan(request, (fraction, stage) => {
      // at most one progress message per percent
      const pct = Math.floor(fraction * 100);
      if (pct === last) return;
      last = pct;
      parentPort.postMessage({ jobId, kind: 'progress', fraction, stage });
    });
    parentPort.postMessage({ jobId, kind: 'done', result });
  } catch (err) {
    parentPort.postMessage({ jobId, kind: 'failed', error: err instanceof Error ? err.message : String(err) });
  }
});
parentPort.postMessage({ kind: 'ready' });
