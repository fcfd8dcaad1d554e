import type { Problem, Solution } from './types.ts';

export interface CheckResult {
  /** True when every constraint holds and every servable client is visited once. */
  feasible: boolean;
  errors: string[];
  distance: number;
  /** distance + fixed costs of the used vehicles. */
  cost: number;
}

/**
 * Independent feasibility checker: a plain forward simulation of each route, written apart from
 * the solver's time-warp arithmetic. Departure from the depot may be delayed (the latest feasible
 * departure gives the shortest duration).
 */
export function checkSolution(problem: Problem, solution: Pick<Solution, 'routes' | 'unassigned'>): CheckResult {
  const n = problem.numNodes;
  const errors: string[] = [];
  const get = (m: Problem['distance'], i: number, j: number): number => {
    if (typeof m === 'function') return Math.round(m(i, j));
    const first = (m as ArrayLike<unknown>)[0];
    if (typeof first === 'number') return Math.round((m as ArrayLike<number>)[i * n + j]!);
    return Math.round((m as ArrayLike<ArrayLike<number>>)[i]![j]!);
  };
  const dur = problem.duration ?? problem.distance;
  const isDepot = new Set(problem.depots);
  const seen = new Int32Array(n);
  const used = new Map<number, number>();
  let distance = 0;
  let fixed = 0;
  for (const [ri, r] of solution.routes.entries()) {
    const vt = problem.vehicleTypes[r.vehicleType];
    if (!vt) {
      errors.push(`route ${ri}: unknown vehicle type ${r.vehicleType}`);
      continue;
    }
    const dep = vt.depot ?? problem.depots[0]!;
    if (r.depot !== dep) errors.push(`route ${ri}: depot ${r.depot} but type ${r.vehicleType} starts at ${dep}`);
    if (r.visits.length === 0) continue;
    used.set(r.vehicleType, (used.get(r.vehicleType) ?? 0) + 1);
    fixed += vt.fixedCost ?? 0;
    const sf = vt.speedFactor ?? 1;
    const T = (i: number, j: number): number => (sf === 1 ? get(dur, i, j) : Math.round(get(dur, i, j) / sf));
    let load = 0;
    let last = dep;
    for (const v of r.visits) {
      if (v < 0 || v >= n || isDepot.has(v)) errors.push(`route ${ri}: bad visit ${v}`);
      else seen[v]! += 1;
      load += problem.demand[v] ?? 0;
      distance += get(problem.distance, last, v);
      last = v;
    }
    distance += get(problem.distance, last, dep);
    if (load > vt.capacity) errors.push(`route ${ri}: load ${load} > capacity ${vt.capacity}`);
    const e = (i: number): number => problem.twEarly?.[i] ?? 0;
    const l = (i: number): number => problem.twLate?.[i] ?? Infinity;
    const s = (i: number): number => (isDepot.has(i) ? 0 : (problem.serviceTime?.[i] ?? 0));
    const depEarly = Math.max(e(dep), vt.twEarly ?? -Infinity);
    const depLate = Math.min(l(dep), vt.twLate ?? Infinity);
    const simulate = (t0: number): { ok: boolean; back: number } => {
      let t = t0;
      let at = dep;
      for (const v of r.visits) {
        t += T(at, v);
        if (t < e(v)) t = e(v);
        if (t > l(v)) return { ok: false, back: t };
        t += s(v);
        at = v;
      }
      t += T(at, dep);
      return { ok: t <= depLate, back: t };
    };
    // candidate departures: earliest, and each one that reaches a window end with no waiting
    const cands = [depEarly];
    let acc = 0;
    let at = dep;
    for (const v of r.visits) {
      acc += T(at, v);
      cands.push(l(v) - acc);
      acc += s(v);
      at = v;
    }
    acc += T(at, dep);
    cands.push(depLate - acc);
    let bestT0 = -Infinity;
    let back = 0;
    for (const c of cands) {
      if (!Number.isFinite(c) || c < depEarly || c <= bestT0) continue;
      const res = simulate(c);
      if (res.ok) {
        bestT0 = c;
        back = res.back;
      }
    }
    if (bestT0 === -Infinity) {
      const res = simulate(depEarly);
      if (!res.ok) errors.push(`route ${ri}: time windows violated`);
      else bestT0 = depEarly, back = res.back;
    }
    if (bestT0 !== -Infinity && vt.maxDuration !== undefined && back - bestT0 > vt.maxDuration)
      errors.push(`route ${ri}: duration ${back - bestT0} > ${vt.maxDuration}`);
  }
  for (const [t, c] of used) {
    const cnt = problem.vehicleTypes[t]!.count;
    if (cnt !== undefined && c > cnt) errors.push(`vehicle type ${t}: ${c} used > ${cnt} available`);
  }
  const unassigned = new Set(solution.unassigned);
  for (let i = 0; i < n; i++) {
    if (isDepot.has(i)) continue;
    const k = seen[i]!;
    if (unassigned.has(i)) {
      if (k !== 0) errors.push(`client ${i} both unassigned and visited`);
    } else if (k !== 1) errors.push(`client ${i} visited ${k} times`);
  }
  return { feasible: errors.length === 0, errors, distance, cost: distance + fixed };
}
