import { granularNeighbours, type Model } from './model.ts';

/**
 * Route-based decomposition for large instances (Santini, Schneider, Vidal & Vigo 2023,
 * "Decomposition strategies for vehicle routing heuristics"): the routes of a good solution are
 * grouped by the polar angle of their barycentres, each group of about `size` clients becomes a
 * small instance solved on its own, and the improved groups are put back together. Small instances
 * converge in far fewer seconds than the whole one, which is where short runs on 500–1000 clients
 * lose most.
 */

/**
 * A sub-model over some clients of `m` (internal ids of `m`), sharing `m`'s matrices. Only for
 * homogeneous fleets (one depot, one vehicle type): the sub-model gets `nSlots` vehicles.
 */
export function subModel(m: Model, clients: ArrayLike<number>, nSlots: number, granularity = 20): Model {
  const nC = clients.length;
  const clientNode = new Int32Array(nC);
  for (let a = 0; a < nC; a++) clientNode[a] = m.clientNode[clients[a]!]!;
  const slots = Math.max(1, Math.min(nSlots, m.nSlots));
  const cut = <T extends Int32Array | Float64Array>(x: T): T => x.slice(0, slots) as T;
  let maxDemand = 1;
  let totalDemand = 0;
  for (let a = 0; a < nC; a++) {
    const q = m.demand[clientNode[a]!]!;
    maxDemand = Math.max(maxDemand, q);
    totalDemand += q;
  }
  let angle: Float64Array | null = null;
  if (m.angle) {
    angle = new Float64Array(nC);
    for (let a = 0; a < nC; a++) angle[a] = m.angle[clients[a]!]!;
  }
  const typeCounts = new Int32Array(m.typeCounts.length);
  typeCounts[m.slotType[0]!] = slots;
  return {
    ...m,
    nC,
    clientNode,
    slotType: cut(m.slotType),
    slotDepot: cut(m.slotDepot),
    slotCap: cut(m.slotCap),
    slotFixed: cut(m.slotFixed),
    slotMaxDur: cut(m.slotMaxDur),
    slotEarly: cut(m.slotEarly),
    slotLate: cut(m.slotLate),
    slotTime: cut(m.slotTime),
    nSlots: slots,
    neighbours: granularNeighbours(clientNode, m.N, m.dist, m.times[0]!, m.early, m.late, m.service, m.hasTime, granularity),
    angle,
    unassigned: [],
    maxDemand,
    totalDemand,
    typeCounts,
  };
}

/**
 * Groups the non-empty routes into consecutive runs by the polar angle of their barycentres
 * (starting at route `offset` of that order), each with at least `size` clients (the last group
 * takes what is left; a remainder smaller than half a group joins the previous one).
 */
export function groupRoutesByAngle(m: Model, routes: readonly Int32Array[], size: number, offset: number): Int32Array[][] {
  const ang = m.angle;
  const idx: number[] = [];
  const key: number[] = [];
  for (let r = 0; r < routes.length; r++) {
    const rt = routes[r]!;
    if (rt.length === 0) continue;
    let sx = 0;
    let sy = 0;
    for (const c of rt) {
      if (ang) {
        sx += Math.cos(ang[c]!);
        sy += Math.sin(ang[c]!);
      }
    }
    idx.push(r);
    key[r] = ang ? Math.atan2(sy, sx) : r;
  }
  idx.sort((a, b) => key[a]! - key[b]! || a - b);
  const n = idx.length;
  const groups: Int32Array[][] = [];
  let cur: Int32Array[] = [];
  let count = 0;
  for (let k = 0; k < n; k++) {
    const rt = routes[idx[(k + offset) % n]!]!;
    cur.push(rt);
    count += rt.length;
    if (count >= size) {
      groups.push(cur);
      cur = [];
      count = 0;
    }
  }
  if (cur.length > 0) {
    if (groups.length > 0 && count < size / 2) groups[groups.length - 1]!.push(...cur);
    else groups.push(cur);
  }
  return groups;
}
