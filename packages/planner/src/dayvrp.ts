/**
 * One outlet's day: a small VRP over the villages visited that day, with the vehicles working that
 * day. A fast cheapest-insertion construction and relocate / 2-opt improvement (exact deltas on a
 * money objective: km × per-km cost + hours × per-hour cost), plus the removal and insertion
 * estimates the pattern local search uses. The heavy solver (@cuntong/solver) polishes afterwards.
 */

export interface DayVehicle {
  /** Index into the outlet's vehicle list. */
  ref: number;
  capacityKg: number;
  /** Metres per second on mountain roads. */
  speedMs: number;
  maxDurationS: number;
  perKmFen: number;
}

export interface NodeInfo {
  demandKg: number;
  serviceS: number;
}

export interface Env {
  /** Matrix size (node 0 = the outlet). */
  n: number;
  dist: Float64Array;
  nodes: NodeInfo[];
  perHourFen: number;
}

export interface DayRouteState {
  /** Index into the day's vehicles. */
  v: number;
  seq: number[];
}

export interface DayState {
  vehicles: DayVehicle[];
  routes: DayRouteState[];
}

const EPS = 1e-6;

export function d(env: Env, i: number, j: number): number {
  return env.dist[i * env.n + j] ?? 0;
}

export interface RouteEval {
  distanceM: number;
  durationS: number;
  loadKg: number;
  costFen: number;
  feasible: boolean;
}

export function evalSeq(env: Env, veh: DayVehicle, seq: readonly number[]): RouteEval {
  if (seq.length === 0) return { distanceM: 0, durationS: 0, loadKg: 0, costFen: 0, feasible: true };
  let dist = 0;
  let service = 0;
  let load = 0;
  let prev = 0;
  for (const c of seq) {
    dist += d(env, prev, c);
    const info = env.nodes[c];
    service += info?.serviceS ?? 0;
    load += info?.demandKg ?? 0;
    prev = c;
  }
  dist += d(env, prev, 0);
  const durationS = dist / veh.speedMs + service;
  const costFen = (dist / 1000) * veh.perKmFen + (durationS / 3600) * env.perHourFen;
  return { distanceM: dist, durationS, loadKg: load, costFen, feasible: load <= veh.capacityKg + EPS && durationS <= veh.maxDurationS + EPS };
}

/** Total working time of a vehicle over its trips of the day. */
export function vehicleDurationS(env: Env, s: DayState, v: number): number {
  let t = 0;
  for (const r of s.routes) if (r.v === v) t += evalSeq(env, s.vehicles[v] as DayVehicle, r.seq).durationS;
  return t;
}

/**
 * Money cost of the day plus a large penalty per unit of violation (load above capacity on a
 * trip, working time above the vehicle's daily limit over its trips): keeps the search inside limits.
 */
export function stateCost(env: Env, s: DayState): number {
  let c = 0;
  const dur = new Map<number, number>();
  for (const r of s.routes) {
    const veh = s.vehicles[r.v] as DayVehicle;
    const e = evalSeq(env, veh, r.seq);
    c += e.costFen + Math.max(0, e.loadKg - veh.capacityKg) * 1000;
    dur.set(r.v, (dur.get(r.v) ?? 0) + e.durationS);
  }
  for (const [v, t] of dur) c += Math.max(0, t - (s.vehicles[v] as DayVehicle).maxDurationS) * 10;
  return c;
}

/** The day is within every capacity and duration limit. */
export function dayFeasible(env: Env, s: DayState): boolean {
  const dur = new Map<number, number>();
  for (const r of s.routes) {
    const veh = s.vehicles[r.v] as DayVehicle;
    const e = evalSeq(env, veh, r.seq);
    if (e.loadKg > veh.capacityKg + EPS) return false;
    dur.set(r.v, (dur.get(r.v) ?? 0) + e.durationS);
  }
  for (const [v, t] of dur) if (t > (s.vehicles[v] as DayVehicle).maxDurationS + EPS) return false;
  return true;
}

export interface Insertion {
  delta: number;
  feasible: boolean;
  apply: () => void;
}

/**
 * Cheapest insertion of `node` into the day: into an existing trip, or as a new trip of a vehicle
 * (an unused one, or a used one with time left: carriers may come back to reload).
 */
export function bestInsertion(env: Env, s: DayState, node: number): Insertion | undefined {
  let best: Insertion | undefined;
  const consider = (delta: number, feasible: boolean, apply: () => void) => {
    if (!best || (feasible && !best.feasible) || (feasible === best.feasible && delta < best.delta - EPS)) best = { delta, feasible, apply };
  };
  const info = env.nodes[node];
  const vehDur = new Map<number, number>();
  for (const r of s.routes) vehDur.set(r.v, (vehDur.get(r.v) ?? 0) + evalSeq(env, s.vehicles[r.v] as DayVehicle, r.seq).durationS);
  for (const r of s.routes) {
    const veh = s.vehicles[r.v] as DayVehicle;
    const before = evalSeq(env, veh, r.seq);
    const loadOk = before.loadKg + (info?.demandKg ?? 0) <= veh.capacityKg + EPS;
    const used = vehDur.get(r.v) ?? 0;
    for (let pos = 0; pos <= r.seq.length; pos++) {
      const a = pos === 0 ? 0 : (r.seq[pos - 1] as number);
      const b = pos === r.seq.length ? 0 : (r.seq[pos] as number);
      const addM = d(env, a, node) + d(env, node, b) - d(env, a, b);
      const addS = addM / veh.speedMs + (info?.serviceS ?? 0);
      const delta = (addM / 1000) * veh.perKmFen + (addS / 3600) * env.perHourFen;
      const feasible = loadOk && used + addS <= veh.maxDurationS + EPS;
      consider(delta, feasible, () => r.seq.splice(pos, 0, node));
    }
  }
  // new trips: unused vehicles first (ties keep the first), then used ones with time left
  const order = s.vehicles.map((_, v) => v).sort((a, b) => Number(vehDur.has(a)) - Number(vehDur.has(b)) || a - b);
  for (const v of order) {
    const veh = s.vehicles[v] as DayVehicle;
    const e = evalSeq(env, veh, [node]);
    const feasible = e.loadKg <= veh.capacityKg + EPS && (vehDur.get(v) ?? 0) + e.durationS <= veh.maxDurationS + EPS;
    consider(e.costFen, feasible, () => s.routes.push({ v, seq: [node] }));
  }
  return best;
}

/** Cost saved by taking `node` out of the day (0 when it is not there). */
export function removalSaving(env: Env, s: DayState, node: number): number {
  if (!s.routes.some((r) => r.seq.includes(node))) return 0;
  const before = stateCost(env, s);
  const copy = cloneDay(s);
  removeNode(copy, node);
  return before - stateCost(env, copy);
}

export function removeNode(s: DayState, node: number): boolean {
  for (const r of s.routes) {
    const i = r.seq.indexOf(node);
    if (i >= 0) {
      r.seq.splice(i, 1);
      s.routes = s.routes.filter((x) => x.seq.length > 0);
      return true;
    }
  }
  return false;
}

/** Builds a day by cheapest insertion, farthest village first, then improves it. */
export function buildDay(env: Env, vehicles: DayVehicle[], clients: readonly number[]): DayState {
  const s: DayState = { vehicles, routes: [] };
  const order = [...clients].sort((a, b) => d(env, 0, b) - d(env, 0, a) || a - b);
  for (const c of order) {
    const ins = bestInsertion(env, s, c);
    if (ins) ins.apply();
  }
  improveDay(env, s);
  return s;
}

/** Relocate (any route, any position) and 2-opt inside routes until no move improves. */
export function improveDay(env: Env, s: DayState, maxPasses = 50): void {
  for (let pass = 0; pass < maxPasses; pass++) {
    let improved = false;
    for (const r of s.routes) if (twoOpt(env, r)) improved = true;
    // relocate
    const nodes = s.routes.flatMap((r) => r.seq);
    for (const node of nodes) {
      const from = s.routes.find((r) => r.seq.includes(node));
      if (!from) continue;
      const costBefore = stateCost(env, s);
      const snapshot = s.routes.map((r) => ({ v: r.v, seq: [...r.seq] }));
      removeNode(s, node);
      const ins = bestInsertion(env, s, node);
      ins?.apply();
      if (stateCost(env, s) < costBefore - 1e-3) improved = true;
      else s.routes = snapshot;
    }
    if (!improved) break;
  }
}

function twoOpt(env: Env, r: DayRouteState): boolean {
  const n = r.seq.length;
  if (n < 3) return false;
  let any = false;
  let improved = true;
  let guard = 0;
  const at = (k: number): number => (k < 0 || k >= n ? 0 : (r.seq[k] as number));
  while (improved && guard++ < 200) {
    improved = false;
    for (let i = 0; i < n - 1; i++) {
      for (let j = i + 1; j < n; j++) {
        const delta = d(env, at(i - 1), at(j)) + d(env, at(i), at(j + 1)) - d(env, at(i - 1), at(i)) - d(env, at(j), at(j + 1));
        if (delta < -1e-6) {
          const seg = r.seq.slice(i, j + 1).reverse();
          r.seq.splice(i, seg.length, ...seg);
          improved = true;
          any = true;
        }
      }
    }
  }
  return any;
}

/** Deep copy of a day. */
export function cloneDay(s: DayState): DayState {
  return { vehicles: s.vehicles, routes: s.routes.map((r) => ({ v: r.v, seq: [...r.seq] })) };
}
