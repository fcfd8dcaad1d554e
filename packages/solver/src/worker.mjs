// Worker-thread entry of solveParallel. Plain JavaScript so Node can start it without a loader;
// it registers tsx, then imports the TypeScript solver.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { solve } = await import('./solve.ts');
const { islandExchange } = await import('./island.ts');
const { problem, options, deadline, shared } = workerData;
const clock = () => performance.timeOrigin + performance.now();
const opts = { ...options, clock };
if (deadline !== null) opts.timeLimitMs = Math.max(1, deadline - clock());
if (shared) {
  opts.exchange = islandExchange(shared);
  opts.exchangeEvery = options.exchangeEvery ?? 100;
}
const solution = solve(problem, opts);
parentPort.postMessage(solution);
