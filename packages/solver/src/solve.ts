import type { Problem, Solution, SolveOptions, Route } from './types.ts';
import { compileModel, type Model } from './model.ts';
import { Genetic, type GaParams, type Individual } from './genetic.ts';
import { evaluateRoutes } from './evaluate.ts';

export interface InternalOptions extends SolveOptions {
  params?: Partial<GaParams>;
  /** Parallel island hook (used by worker threads). */
  exchange?: (best: Individual | null) => Int32Array[] | null;
  exchangeEvery?: number;
}

const defaultClock = (): number => performance.now();

/**
 * Solves a VRP instance with the hybrid genetic search. Deterministic for a given seed when
 * `maxIterations` bounds the search (and no time limit is hit); with only a time limit, the
 * result depends on the machine speed.
 */
export function solve(problem: Problem, options: InternalOptions = {}): Solution {
  const clock = options.clock ?? defaultClock;
  const t0 = clock();
  const m = compileModel(problem, options.granularity ?? 20);
  return solveModel(problem, m, options, clock, t0);
}

export function solveModel(problem: Problem, m: Model, options: InternalOptions, clock: () => number, t0: number): Solution {
  const seed = options.seed ?? 1;
  const timeLimit = options.timeLimitMs ?? (options.maxIterations === undefined ? 10_000 : Infinity);
  if (m.nC === 0) {
    return toSolution(problem, m, [], { iterations: 0, restarts: 0, elapsedMs: clock() - t0, bestAtMs: 0, bestAtIteration: 0, threads: 1 });
  }
  const ga = new Genetic(m, seed, options.params);
  const res = ga.run({
    clock,
    deadline: t0 + timeLimit,
    maxIterations: options.maxIterations ?? Infinity,
    targetCost: options.targetCost ?? -Infinity,
    onImprovement: options.onImprovement,
    exchange: options.exchange,
    exchangeEvery: options.exchangeEvery,
  });
  const ind = res.best ?? res.bestInfeasible;
  const routes = ind ? ind.routes : [];
  return toSolution(problem, m, routes, {
    iterations: res.iterations,
    restarts: res.restarts,
    elapsedMs: clock() - t0,
    bestAtMs: res.bestAtMs,
    bestAtIteration: res.bestAtIteration,
    threads: 1,
    ...(ga.decompositions > 0 ? { decompositions: ga.decompositions, decompositionGains: ga.decompositionGains } : {}),
  });
}

export function toSolution(problem: Problem, m: Model, routes: Int32Array[], stats: Solution['stats']): Solution {
  const ev = evaluateRoutes(m, routes);
  const out: Route[] = [];
  const used = new Map<number, number>();
  routes.forEach((rt, s) => {
    if (rt.length === 0) return;
    const t = m.slotType[s]!;
    used.set(t, (used.get(t) ?? 0) + 1);
    out.push({ vehicleType: t, depot: m.slotDepot[s]!, visits: Array.from(rt, (c) => m.clientNode[c]!) });
  });
  let excessVehicles = 0;
  for (const [t, c] of used) excessVehicles += Math.max(0, c - (problem.vehicleTypes[t]!.count ?? Infinity));
  const feasible = ev.excessLoad === 0 && ev.timeWarp === 0 && excessVehicles === 0 && routes.length > 0 || m.nC === 0;
  return {
    routes: out,
    cost: ev.distance + ev.fixed,
    distance: ev.distance,
    feasible,
    unassigned: m.unassigned.slice(),
    violations: { excessLoad: ev.excessLoad, timeWarp: ev.timeWarp, excessVehicles },
    stats,
  };
}
