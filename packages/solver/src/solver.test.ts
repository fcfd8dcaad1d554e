import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSolution, readCvrplib, readSolomon, Rng, solve, solveParallel, type Problem, type VehicleType } from './index.ts';
import { compileModel } from './model.ts';
import { LocalSearch } from './localsearch.ts';
import { Splitter } from './split.ts';
import { createShared, islandExchange } from './island.ts';
import type { Individual } from './genetic.ts';
import { groupRoutesByAngle, subModel } from './decompose.ts';
import { evaluateRoutes } from './evaluate.ts';

interface GenOptions {
  n: number;
  seed: number;
  tw?: boolean;
  maxDuration?: boolean;
  depots?: number;
  hetero?: boolean;
}

/** Random Euclidean instance; time windows are built around a feasible reference schedule. */
function randomProblem(o: GenOptions): Problem {
  const rng = new Rng(o.seed);
  const nDep = o.depots ?? 1;
  const N = nDep + o.n;
  const xy: [number, number][] = [];
  for (let i = 0; i < N; i++) xy.push([rng.int(1000), rng.int(1000)]);
  const dist = new Int32Array(N * N);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) dist[i * N + j] = Math.round(Math.hypot(xy[i]![0] - xy[j]![0], xy[i]![1] - xy[j]![1]));
  const demand = Array.from({ length: N }, (_, i) => (i < nDep ? 0 : 1 + rng.int(20)));
  const horizon = 20_000;
  const twEarly: number[] = [];
  const twLate: number[] = [];
  const service: number[] = [];
  for (let i = 0; i < N; i++) {
    if (i < nDep) {
      twEarly.push(0);
      twLate.push(horizon);
      service.push(0);
    } else {
      const ret = dist[i * N + 0]! + dist[0 * N + i]!;
      const start = dist[0 * N + i]! + rng.int(Math.max(1, horizon - ret - 600));
      twEarly.push(o.tw ? start : 0);
      twLate.push(o.tw ? start + 300 + rng.int(1500) : horizon);
      service.push(o.tw ? 10 + rng.int(30) : 0);
    }
  }
  const depots = Array.from({ length: nDep }, (_, d) => d);
  const vehicleTypes: VehicleType[] = [];
  for (const d of depots) {
    vehicleTypes.push({ capacity: 60, count: o.n, depot: d, fixedCost: 100, ...(o.maxDuration ? { maxDuration: 4000 } : {}) });
    if (o.hetero) vehicleTypes.push({ capacity: 120, count: 2, depot: d, fixedCost: 400, speedFactor: 2 });
  }
  return {
    numNodes: N,
    depots,
    demand,
    distance: dist,
    ...(o.tw ? { twEarly, twLate, serviceTime: service } : {}),
    coords: xy,
    vehicleTypes,
  };
}

describe('solver feasibility on random instances (independent checker)', () => {
  const cases: [string, Omit<GenOptions, 'seed'>][] = [
    ['capacity', { n: 40 }],
    ['time windows', { n: 40, tw: true }],
    ['duration limit', { n: 30, maxDuration: true }],
    ['multi-depot', { n: 40, depots: 3 }],
    ['heterogeneous fleet', { n: 40, hetero: true }],
    ['everything', { n: 35, tw: true, depots: 2, hetero: true, maxDuration: true }],
  ];
  for (const [name, o] of cases) {
    it(name, () => {
      for (const seed of [1, 2]) {
        const p = randomProblem({ ...o, seed });
        const sol = solve(p, { seed, maxIterations: 150 });
        const chk = checkSolution(p, sol);
        expect(chk.errors).toEqual([]);
        expect(sol.feasible).toBe(true);
        expect(sol.unassigned).toEqual([]);
        expect(sol.distance).toBe(chk.distance);
        expect(sol.cost).toBe(chk.cost);
      }
    });
  }
});

describe('route decomposition (large instances under a time limit)', () => {
  it('a sub-model prices a group of routes exactly as the whole model does', () => {
    const p = randomProblem({ n: 60, seed: 7 });
    const m = compileModel(p);
    const sol = solve(p, { seed: 1, maxIterations: 10 });
    const routes = sol.routes.map((r) => Int32Array.from(r.visits, (node) => m.clientNode.indexOf(node)));
    const groups = groupRoutesByAngle(m, routes, 20, 1);
    expect(groups.length).toBeGreaterThan(1);
    // every route in exactly one group
    expect(groups.flat().length).toBe(routes.length);
    for (const grp of groups) {
      const clients = grp.flatMap((rt) => Array.from(rt));
      const sub = subModel(m, clients, grp.length + 2);
      expect(sub.nC).toBe(clients.length);
      const local = grp.map((rt) => Int32Array.from(rt, (c) => clients.indexOf(c)));
      const whole = evaluateRoutes(m, grp);
      const part = evaluateRoutes(sub, local);
      expect(part.distance).toBe(whole.distance);
      expect(part.excessLoad).toBe(0);
      // neighbours stay inside the group
      for (const nb of sub.neighbours) for (const v of nb) expect(v).toBeLessThan(sub.nC);
    }
  });
  it('runs rounds on a time-limited solve and returns a complete feasible solution', () => {
    for (const o of [{ n: 60 }, { n: 50, tw: true }]) {
      const p = randomProblem({ ...o, seed: 5 });
      let t = 0;
      const sol = solve(p, { seed: 2, timeLimitMs: 2000, clock: () => (t += 1), params: { decomposeMinClients: 40, decomposeSize: 20, decomposeEvery: 0.15, decomposeShare: 0.15 } });
      const chk = checkSolution(p, sol);
      expect(chk.errors).toEqual([]);
      expect(sol.feasible).toBe(true);
      expect(sol.stats.decompositions).toBeGreaterThan(0);
      expect(sol.distance).toBe(chk.distance);
    }
  });
});

describe('local search bookkeeping', () => {
  it('keeps incremental route costs equal to a fresh evaluation after every search', () => {
    for (const o of [{ n: 60, tw: true }, { n: 60 }, { n: 50, tw: true, depots: 2, maxDuration: true }]) {
      const p = randomProblem({ ...o, seed: 5 });
      const m = compileModel(p);
      const rng = new Rng(9);
      const ls = new LocalSearch(m, rng);
      const split = new Splitter(m);
      for (let round = 0; round < 5; round++) {
        const giant = new Int32Array(m.nC).map((_, i) => i);
        rng.shuffle(giant);
        const b = split.split(giant, 10, 3, m.nSlots);
        const routes: Int32Array[] = [];
        for (let r = 0; r + 1 < b.length; r++) routes.push(giant.slice(b[r]!, b[r + 1]!));
        ls.load(routes);
        ls.run(10 * (round + 1), 3 * (round + 1));
        expect(ls.maxCostDrift()).toBeLessThan(1e-6);
        const out = ls.exportRoutes();
        const seen = new Set<number>();
        for (const r of out) for (const c of r) seen.add(c);
        expect(seen.size).toBe(m.nC);
      }
    }
  });
});

describe('island exchange', () => {
  it('publishes a better solution and hands it to the other island once', () => {
    const sab = createShared(4);
    const a = islandExchange(sab);
    const b = islandExchange(sab);
    const ind = (cost: number, giant: number[]): Individual => ({ cost, giant: Int32Array.from(giant) }) as unknown as Individual;
    expect(a(ind(100, [0, 1, 2, 3]))).toBeNull();
    expect(b(ind(120, [3, 2, 1, 0]))?.map((g) => Array.from(g))).toEqual([[0, 1, 2, 3]]);
    expect(b(ind(120, [3, 2, 1, 0]))).toBeNull();
    expect(b(ind(90, [1, 0, 2, 3]))).toBeNull();
    expect(a(ind(100, [0, 1, 2, 3]))?.map((g) => Array.from(g))).toEqual([[1, 0, 2, 3]]);
  });
});

describe('infeasibility is data', () => {
  it('reports clients no vehicle can serve as unassigned, and solves the rest', () => {
    const p = randomProblem({ n: 15, seed: 7 });
    const demand = Array.from(p.demand);
    demand[5] = 1000; // above every capacity
    const q: Problem = { ...p, demand };
    const sol = solve(q, { seed: 1, maxIterations: 50 });
    expect(sol.unassigned).toEqual([5]);
    expect(sol.feasible).toBe(true);
    expect(checkSolution(q, sol).errors).toEqual([]);
  });
  it('returns violations instead of throwing when the fleet is too small', () => {
    const p = randomProblem({ n: 20, seed: 3 });
    const q: Problem = { ...p, vehicleTypes: [{ capacity: 60, count: 1 }] };
    const sol = solve(q, { seed: 1, maxIterations: 30 });
    expect(sol.feasible).toBe(false);
    expect(sol.violations.excessLoad).toBeGreaterThan(0);
    expect(checkSolution(q, sol).feasible).toBe(false);
  });
});

describe('determinism', () => {
  it('same seed and iteration limit give the same solution', () => {
    const p = randomProblem({ n: 50, seed: 11, tw: true });
    const a = solve(p, { seed: 5, maxIterations: 120 });
    const b = solve(p, { seed: 5, maxIterations: 120 });
    expect(b.routes).toEqual(a.routes);
    expect(b.cost).toBe(a.cost);
    expect(b.stats.iterations).toBe(a.stats.iterations);
  });
  it('an injected clock drives the time limit', () => {
    const p = randomProblem({ n: 30, seed: 4 });
    let t = 0;
    const sol = solve(p, { seed: 1, timeLimitMs: 1000, clock: () => (t += 10) });
    expect(sol.feasible).toBe(true);
    expect(sol.stats.elapsedMs).toBeGreaterThanOrEqual(1000);
  });
});

/** Optimum of a small CVRP by enumeration: every solution is a permutation cut into consecutive routes. */
function bruteForceCvrp(p: Problem): number {
  const N = p.numNodes;
  const D = p.distance as Int32Array;
  const cap = p.vehicleTypes[0]!.capacity;
  const clients = Array.from({ length: N - 1 }, (_, i) => i + 1);
  let best = Infinity;
  const perm: number[] = [];
  const used = new Array<boolean>(N).fill(false);
  const evalPerm = (): void => {
    const n = perm.length;
    const f = new Array<number>(n + 1).fill(Infinity);
    f[0] = 0;
    for (let i = 0; i < n; i++) {
      let load = 0;
      let d = 0;
      for (let j = i; j < n; j++) {
        load += p.demand[perm[j]!]!;
        if (load > cap) break;
        d += j === i ? D[perm[j]!]! : D[perm[j - 1]! * N + perm[j]!]!;
        const c = f[i]! + d + D[perm[j]! * N]!;
        if (c < f[j + 1]!) f[j + 1] = c;
      }
    }
    if (f[n]! < best) best = f[n]!;
  };
  const rec = (): void => {
    if (perm.length === clients.length) return evalPerm();
    for (const c of clients) {
      if (used[c]) continue;
      used[c] = true;
      perm.push(c);
      rec();
      perm.pop();
      used[c] = false;
    }
  };
  rec();
  return best;
}

describe('optimality on tiny instances', () => {
  it('reaches the brute-force optimum with 8 clients', () => {
    for (const seed of [21, 22, 23]) {
      const p0 = randomProblem({ n: 8, seed });
      const p: Problem = { ...p0, vehicleTypes: [{ capacity: 45 }] };
      const opt = bruteForceCvrp(p);
      const sol = solve(p, { seed: 1, maxIterations: 300 });
      expect(checkSolution(p, sol).feasible).toBe(true);
      expect(sol.cost).toBe(opt);
    }
  });
});

describe('instance readers', () => {
  const inst = (p: string): string => readFileSync(new URL(`../../../bench/instances/${p}`, import.meta.url), 'utf8');
  it('reads CVRPLIB X-n101-k25 and prices its best-known solution at 27591', () => {
    const x = readCvrplib(inst('cvrp/X-n101-k25.vrp'));
    expect(x.name).toBe('X-n101-k25');
    expect(x.problem.numNodes).toBe(101);
    expect(x.capacity).toBe(206);
    expect(x.problem.depots).toEqual([0]);
    expect(x.nodeIds[0]).toBe(1);
    // .sol numbers customers 1..100, i.e. file nodes 2..101 = node indices 1..100
    const routes = inst('cvrp/X-n101-k25.sol')
      .split('\n')
      .filter((l) => l.startsWith('Route'))
      .map((l) => l.split(':')[1]!.trim().split(/\s+/).map(Number));
    expect(routes.length).toBe(26);
    expect(x.routeCost(routes)).toBe(27591);
    const sol = { routes: routes.map((visits) => ({ vehicleType: 0, depot: 0, visits })), unassigned: [] };
    const chk = checkSolution(x.problem, sol);
    expect(chk.errors).toEqual([]);
    expect(chk.distance).toBe(27591);
  });
  it('reads Solomon C101', () => {
    const s = readSolomon(inst('vrptw/C101.txt'));
    expect(s.name).toBe('C101');
    expect(s.problem.numNodes).toBe(101);
    expect(s.capacity).toBe(200);
    expect(s.vehicles).toBe(25);
    expect(s.nodeIds[0]).toBe(0);
    expect(s.problem.twLate?.[0]).toBe(1236 * 10_000);
    expect(s.routeCost([[1]])).toBeCloseTo(2 * Math.hypot(5, 18), 9);
  });
});

describe('solveParallel', () => {
  it('runs two worker threads and returns a feasible solution', async () => {
    const p = randomProblem({ n: 30, seed: 9, tw: true });
    const sol = await solveParallel(p, { seed: 1, maxIterations: 50, threads: 2 });
    expect(sol.stats.threads).toBe(2);
    expect(sol.feasible).toBe(true);
    expect(checkSolution(p, sol).errors).toEqual([]);
  }, 120_000);
  it('exchanges elites between islands under a time limit', async () => {
    const p = randomProblem({ n: 40, seed: 12 });
    const sol = await solveParallel(p, { seed: 3, timeLimitMs: 1500, threads: 2 });
    expect(sol.feasible).toBe(true);
    expect(checkSolution(p, sol).errors).toEqual([]);
  }, 120_000);
});
