import { Worker } from 'node:worker_threads';
import type { Problem, Solution, SolveOptions } from './types.ts';
import { solve } from './solve.ts';
import { createShared } from './island.ts';

/** Clones a problem into structured-clone-safe data (functions become flat matrices). */
export function materialise(problem: Problem): Problem {
  const n = problem.numNodes;
  const flat = (m: Problem['distance']): Float64Array | ArrayLike<number> | ArrayLike<ArrayLike<number>> => {
    if (typeof m !== 'function') return m;
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = m(i, j);
    return out;
  };
  return {
    ...problem,
    distance: flat(problem.distance),
    ...(problem.duration !== undefined ? { duration: flat(problem.duration) } : {}),
  };
}

/** Better of two solutions: feasible first, then cost. */
export function better(a: Solution, b: Solution): boolean {
  if (a.feasible !== b.feasible) return a.feasible;
  if (!a.feasible) {
    const va = a.violations.excessLoad + a.violations.timeWarp;
    const vb = b.violations.excessLoad + b.violations.timeWarp;
    if (va !== vb) return va < vb;
  }
  return a.cost < b.cost;
}

/**
 * Runs `threads` searches (seeds seed, seed+1, …) in worker threads and returns the best. Under a
 * time limit they are islands: every 100 iterations each publishes its best solution to a shared
 * buffer or adopts a better one published by another. With maxIterations they stay independent. Each worker loads the TypeScript sources through tsx. With threads ≤ 1 it runs in-process.
 * Callbacks (clock, onImprovement) stay in this thread: workers use the shared wall clock
 * (performance.timeOrigin + performance.now()) against a common deadline.
 */
export async function solveParallel(problem: Problem, options: SolveOptions = {}): Promise<Solution> {
  const threads = Math.max(1, Math.floor(options.threads ?? 1));
  if (threads <= 1) return solve(problem, options);
  const wall = (): number => performance.timeOrigin + performance.now();
  const start = wall();
  const deadline = options.timeLimitMs !== undefined ? start + options.timeLimitMs : options.maxIterations === undefined ? start + 10_000 : null;
  const data = materialise(problem);
  const { clock: _c, onImprovement: _o, ...plain } = options;
  void _c;
  void _o;
  const seed = options.seed ?? 1;
  // islands: workers share their best solution through a SharedArrayBuffer (not with maxIterations,
  // whose result must not depend on thread timing)
  const shared = options.maxIterations === undefined ? createShared(problem.numNodes) : null;
  const runs = Array.from({ length: threads }, (_, k) =>
    new Promise<Solution>((resolve, reject) => {
      const w = new Worker(new URL('./worker.mjs', import.meta.url), {
        workerData: { problem: data, options: { ...plain, seed: seed + k, threads: 1 }, deadline, shared },
      });
      w.once('message', (s: Solution) => {
        resolve(s);
        void w.terminate();
      });
      w.once('error', reject);
      w.once('exit', (code) => {
        if (code !== 0) reject(new Error(`solver worker exited with code ${code}`));
      });
    }),
  );
  const sols = await Promise.all(runs);
  let best = sols[0]!;
  for (const s of sols) if (better(s, best)) best = s;
  return {
    ...best,
    stats: {
      ...best.stats,
      iterations: sols.reduce((t, s) => t + s.stats.iterations, 0),
      elapsedMs: wall() - start,
      threads,
    },
  };
}
