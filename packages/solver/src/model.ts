import type { Problem } from './types.ts';

/**
 * The compiled instance used by the search: flat integer matrices, per-client data, one slot per
 * available vehicle, granular neighbour lists. Clients are renumbered 0..nC-1 internally.
 */
export interface Model {
  /** Matrix dimension (problem nodes). */
  N: number;
  /** Number of served clients. */
  nC: number;
  /** Problem node of internal client k. */
  clientNode: Int32Array;
  /** Flat N×N distance matrix. */
  dist: Int32Array;
  /** Travel-time matrices, one per distinct speed factor. */
  times: Int32Array[];
  /** Per problem node. */
  demand: Float64Array;
  service: Float64Array;
  early: Float64Array;
  late: Float64Array;
  /** Per vehicle slot. */
  slotType: Int32Array;
  slotDepot: Int32Array;
  slotCap: Float64Array;
  slotFixed: Float64Array;
  slotMaxDur: Float64Array;
  slotEarly: Float64Array;
  slotLate: Float64Array;
  slotTime: Int32Array;
  nSlots: number;
  /** True when time windows, service times or duration limits matter. */
  hasTime: boolean;
  symmetric: boolean;
  /** Granular neighbours of each internal client (internal ids). */
  neighbours: Int32Array[];
  /** Polar angle of each client around its nearest depot's reference point, or null. */
  angle: Float64Array | null;
  /** Problem nodes that cannot be served by any vehicle alone. */
  unassigned: number[];
  maxDist: number;
  maxDemand: number;
  totalDemand: number;
  /** Same fleet everywhere: one type (or identical types) and one depot. */
  homogeneous: boolean;
  typeCounts: Int32Array;
}

type MatrixInput = Problem['distance'];

function toMatrix(input: MatrixInput, N: number, what: string): Int32Array {
  const out = new Int32Array(N * N);
  if (typeof input === 'function') {
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) out[i * N + j] = Math.round(input(i, j));
    return out;
  }
  const first = (input as ArrayLike<unknown>)[0];
  if (typeof first === 'number' || first === undefined) {
    const flat = input as ArrayLike<number>;
    if (flat.length !== N * N) throw new RangeError(`${what}: expected ${N * N} entries, got ${flat.length}`);
    for (let k = 0; k < N * N; k++) out[k] = Math.round(flat[k] as number);
    return out;
  }
  const rows = input as ArrayLike<ArrayLike<number>>;
  if (rows.length !== N) throw new RangeError(`${what}: expected ${N} rows, got ${rows.length}`);
  for (let i = 0; i < N; i++) {
    const row = rows[i] as ArrayLike<number>;
    if (row.length !== N) throw new RangeError(`${what}: row ${i} has ${row.length} entries, expected ${N}`);
    for (let j = 0; j < N; j++) out[i * N + j] = Math.round(row[j] as number);
  }
  return out;
}

function arr(x: ArrayLike<number> | undefined, N: number, dflt: number): Float64Array {
  const out = new Float64Array(N).fill(dflt);
  if (x) for (let i = 0; i < N; i++) out[i] = x[i] ?? dflt;
  return out;
}

export function compileModel(problem: Problem, granularity = 20): Model {
  const N = problem.numNodes;
  if (!Number.isInteger(N) || N < 1) throw new RangeError('numNodes must be a positive integer');
  if (problem.depots.length === 0) throw new RangeError('at least one depot is required');
  if (problem.vehicleTypes.length === 0) throw new RangeError('at least one vehicle type is required');
  const dist = toMatrix(problem.distance, N, 'distance');
  const baseTime = problem.duration ? toMatrix(problem.duration, N, 'duration') : dist;
  const demand = arr(problem.demand, N, 0);
  const service = arr(problem.serviceTime, N, 0);
  const INF = 1e15;
  const early = arr(problem.twEarly, N, 0);
  const late = arr(problem.twLate, N, INF);
  const isDepot = new Uint8Array(N);
  for (const d of problem.depots) isDepot[d] = 1;

  // time matrices per distinct speed factor
  const speedIdx = new Map<number, number>();
  const times: Int32Array[] = [];
  const typeTime: number[] = [];
  for (const vt of problem.vehicleTypes) {
    const sf = vt.speedFactor ?? 1;
    let idx = speedIdx.get(sf);
    if (idx === undefined) {
      idx = times.length;
      speedIdx.set(sf, idx);
      if (sf === 1) times.push(baseTime);
      else {
        const m = new Int32Array(N * N);
        for (let k = 0; k < N * N; k++) m[k] = Math.round((baseTime[k] as number) / sf);
        times.push(m);
      }
    }
    typeTime.push(idx);
  }

  let hasTime = false;
  for (let i = 0; i < N; i++) {
    if (service[i] !== 0) hasTime = true;
    if (!isDepot[i] && (early[i] !== 0 || (late[i] as number) < INF)) hasTime = true;
  }
  for (const vt of problem.vehicleTypes) if (vt.maxDuration !== undefined && Number.isFinite(vt.maxDuration)) hasTime = true;

  // clients that no vehicle can serve alone
  const unassigned: number[] = [];
  const clients: number[] = [];
  for (let i = 0; i < N; i++) {
    if (isDepot[i]) continue;
    let ok = false;
    for (let t = 0; t < problem.vehicleTypes.length && !ok; t++) {
      const vt = problem.vehicleTypes[t]!;
      if ((vt.count ?? 1) <= 0) continue;
      if ((demand[i] as number) > vt.capacity) continue;
      const dep = vt.depot ?? problem.depots[0]!;
      const T = times[typeTime[t]!]!;
      const e0 = Math.max(vt.twEarly ?? -INF, early[dep] as number);
      const l0 = Math.min(vt.twLate ?? INF, late[dep] as number);
      const arrive = Math.max(e0 + (T[dep * N + i] as number), early[i] as number);
      if (arrive > (late[i] as number)) continue;
      const back = arrive + (service[i] as number) + (T[i * N + dep] as number);
      if (back > l0) continue;
      if (vt.maxDuration !== undefined && (T[dep * N + i] as number) + (service[i] as number) + (T[i * N + dep] as number) > vt.maxDuration) continue;
      ok = true;
    }
    if (ok) clients.push(i);
    else unassigned.push(i);
  }
  const nC = clients.length;
  const clientNode = Int32Array.from(clients);

  // vehicle slots
  const slotType: number[] = [];
  const typeCounts = new Int32Array(problem.vehicleTypes.length);
  problem.vehicleTypes.forEach((vt, t) => {
    const c = Math.min(vt.count ?? Math.max(1, nC), Math.max(1, nC));
    typeCounts[t] = vt.count ?? Math.max(1, nC);
    for (let k = 0; k < c; k++) slotType.push(t);
  });
  const nSlots = slotType.length;
  const slotDepot = new Int32Array(nSlots);
  const slotCap = new Float64Array(nSlots);
  const slotFixed = new Float64Array(nSlots);
  const slotMaxDur = new Float64Array(nSlots);
  const slotEarly = new Float64Array(nSlots);
  const slotLate = new Float64Array(nSlots);
  const slotTime = new Int32Array(nSlots);
  for (let s = 0; s < nSlots; s++) {
    const t = slotType[s]!;
    const vt = problem.vehicleTypes[t]!;
    const dep = vt.depot ?? problem.depots[0]!;
    if (!isDepot[dep]) throw new RangeError(`vehicle type ${t}: depot ${dep} is not in problem.depots`);
    slotDepot[s] = dep;
    slotCap[s] = vt.capacity;
    slotFixed[s] = vt.fixedCost ?? 0;
    slotMaxDur[s] = vt.maxDuration ?? INF;
    slotEarly[s] = Math.max(vt.twEarly ?? -INF, early[dep] as number);
    slotLate[s] = Math.min(vt.twLate ?? INF, late[dep] as number);
    slotTime[s] = typeTime[t]!;
  }
  const vts = problem.vehicleTypes;
  const v0 = vts[0]!;
  const homogeneous = vts.every(
    (vt) =>
      vt.capacity === v0.capacity &&
      (vt.fixedCost ?? 0) === (v0.fixedCost ?? 0) &&
      (vt.depot ?? problem.depots[0]) === (v0.depot ?? problem.depots[0]) &&
      (vt.maxDuration ?? INF) === (v0.maxDuration ?? INF) &&
      (vt.speedFactor ?? 1) === (v0.speedFactor ?? 1) &&
      (vt.twEarly ?? -INF) === (v0.twEarly ?? -INF) &&
      (vt.twLate ?? INF) === (v0.twLate ?? INF),
  );

  let symmetric = true;
  for (let i = 0; i < N && symmetric; i++)
    for (let j = i + 1; j < N; j++)
      if (dist[i * N + j] !== dist[j * N + i] || baseTime[i * N + j] !== baseTime[j * N + i]) {
        symmetric = false;
        break;
      }
  let maxDist = 1;
  for (let k = 0; k < N * N; k++) if ((dist[k] as number) > maxDist) maxDist = dist[k] as number;
  let maxDemand = 1;
  let totalDemand = 0;
  for (const c of clients) {
    maxDemand = Math.max(maxDemand, demand[c] as number);
    totalDemand += demand[c] as number;
  }

  const neighbours = granularNeighbours(clients, N, dist, times[0]!, early, late, service, hasTime, granularity);

  let angle: Float64Array | null = null;
  if (problem.coords) {
    angle = new Float64Array(nC);
    const dep = problem.depots[0]!;
    const d = problem.coords[dep]!;
    for (let a = 0; a < nC; a++) {
      const c = problem.coords[clients[a]!]!;
      angle[a] = Math.atan2(c[1] - d[1], c[0] - d[0]);
    }
  }

  return {
    N,
    nC,
    clientNode,
    dist,
    times,
    demand,
    service,
    early,
    late,
    slotType: Int32Array.from(slotType),
    slotDepot,
    slotCap,
    slotFixed,
    slotMaxDur,
    slotEarly,
    slotLate,
    slotTime,
    nSlots,
    hasTime,
    symmetric,
    neighbours,
    angle,
    unassigned,
    maxDist,
    maxDemand,
    totalDemand,
    homogeneous,
    typeCounts,
  };
}

/**
 * Granular neighbours of each client (indices into `clients`): the closest clients by distance, with
 * time windows penalised by waiting (0.2) and time warp (1.0) as in Vidal et al. (2013).
 */
export function granularNeighbours(
  clients: ArrayLike<number>,
  N: number,
  dist: Int32Array,
  T0: Int32Array,
  early: Float64Array,
  late: Float64Array,
  service: Float64Array,
  hasTime: boolean,
  granularity: number,
): Int32Array[] {
  const nC = clients.length;
  const G = Math.min(granularity, nC - 1);
  const neighbours: Int32Array[] = [];
  const topD = new Float64Array(Math.max(1, G));
  const topI = new Int32Array(Math.max(1, G));
  for (let a = 0; a < nC; a++) {
    const i = clients[a]!;
    let cnt = 0;
    for (let b = 0; b < nC; b++) {
      if (b === a) continue;
      const j = clients[b]!;
      let p = dist[i * N + j] as number;
      if (hasTime) {
        const t = T0[i * N + j] as number;
        const wait = Math.max((early[j] as number) - (t + (service[i] as number) + (late[i] as number)), 0);
        const tw = Math.max((early[i] as number) + (service[i] as number) + t - (late[j] as number), 0);
        p += 0.2 * wait + 1.0 * tw;
        const t2 = T0[j * N + i] as number;
        const wait2 = Math.max((early[i] as number) - (t2 + (service[j] as number) + (late[j] as number)), 0);
        const tw2 = Math.max((early[j] as number) + (service[j] as number) + t2 - (late[i] as number), 0);
        p = Math.min(p, (dist[j * N + i] as number) + 0.2 * wait2 + tw2);
      }
      // keep the G smallest (ties: lower index first) by insertion
      if (cnt < G) cnt++;
      else if (p >= (topD[G - 1] as number)) continue;
      let k = cnt - 1;
      while (k > 0 && (topD[k - 1] as number) > p) {
        topD[k] = topD[k - 1] as number;
        topI[k] = topI[k - 1] as number;
        k--;
      }
      topD[k] = p;
      topI[k] = b;
    }
    neighbours.push(topI.slice(0, cnt));
  }
  return neighbours;
}
