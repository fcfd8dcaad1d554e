import type { Model } from './model.ts';

/**
 * Bellman Split of a giant tour into routes (Prins 2004; Vidal 2016 for the linear variant).
 * Routes are evaluated with the penalised cost of a reference vehicle (slot 0): distance + fixed
 * cost + capacity and time-warp penalties, so the split is exact for homogeneous fleets and a
 * good start for heterogeneous ones (local search then moves clients between vehicles).
 * Route extension stops once the load passes 1.5 × capacity, so the work is O(n · route length).
 */
export class Splitter {
  private readonly m: Model;
  private readonly p: Float64Array;
  private readonly pred: Int32Array;
  private pk: Float64Array;
  private predk: Int32Array;
  private readonly rc: Float64Array;

  constructor(m: Model) {
    this.m = m;
    this.p = new Float64Array(m.nC + 1);
    this.pred = new Int32Array(m.nC + 1);
    this.rc = new Float64Array(m.nC + 1);
    this.pk = new Float64Array(0);
    this.predk = new Int32Array(0);
  }

  /** Cost of the route giant[i..j] for the reference vehicle, or Infinity past the load cut. */
  /** Writes the cost of routes giant[i..j] into rc[j] for j = i..(returned last j). */
  private scan(giant: Int32Array, i: number, pCap: number, pTw: number, relax: number): number {
    const rc = this.rc;
    const m = this.m;
    const N = m.N;
    const dep = m.slotDepot[0]!;
    const cap = m.slotCap[0]!;
    const fixed = m.slotFixed[0]!;
    const maxDur = m.slotMaxDur[0]!;
    const T = m.times[m.slotTime[0]!]!;
    const D = m.dist;
    const hasTime = m.hasTime;
    let load = 0;
    let dist = 0;
    // time-warp segment of depot..current
    let sD = 0;
    let sTW = 0;
    let sE = m.slotEarly[0]!;
    let sL = m.slotLate[0]!;
    let last = dep;
    for (let j = i; j < giant.length; j++) {
      const node = m.clientNode[giant[j]!]!;
      load += m.demand[node]!;
      dist += D[last * N + node]!;
      if (hasTime) {
        const t = T[last * N + node]!;
        const delta = sD - sTW + t;
        const e2 = m.early[node]!;
        const l2 = m.late[node]!;
        const dWT = Math.max(e2 - delta - sL, 0);
        const dTW = Math.max(sE + delta - l2, 0);
        sD = sD + m.service[node]! + t + dWT;
        sTW = sTW + dTW;
        sE = Math.max(e2 - delta, sE) - dWT;
        sL = Math.min(l2 - delta, sL) + dTW;
      }
      last = node;
      let cost = dist + D[node * N + dep]! + fixed;
      if (load > cap) cost += pCap * (load - cap);
      if (hasTime) {
        const t = T[node * N + dep]!;
        const delta = sD - sTW + t;
        const dWT = Math.max(m.slotEarly[0]! - delta - sL, 0);
        const dTW = Math.max(sE + delta - m.slotLate[0]!, 0);
        const dur = sD + t + dWT;
        const tw = sTW + dTW + Math.max(0, dur - maxDur);
        cost += pTw * tw;
      }
      rc[j] = cost;
      if (load > relax * cap && j > i) return j;
    }
    return giant.length - 1;
  }

  /** Splits `giant` into at most maxRoutes routes. Returns route boundaries (start indices, length = routes + 1). */
  split(giant: Int32Array, pCap: number, pTw: number, maxRoutes: number): number[] {
    const n = giant.length;
    const p = this.p;
    const pred = this.pred;
    p.fill(Infinity);
    p[0] = 0;
    for (let i = 0; i < n; i++) {
      const base = p[i]!;
      if (base === Infinity) continue;
      const last = this.scan(giant, i, pCap, pTw, 1.5);
      for (let j = i; j <= last; j++) {
        const c = base + this.rc[j]!;
        if (c < p[j + 1]!) {
          p[j + 1] = c;
          pred[j + 1] = i;
        }
      }
    }
    const bounds: number[] = [];
    let k = n;
    while (k > 0) {
      bounds.push(k);
      k = pred[k]!;
    }
    bounds.push(0);
    bounds.reverse();
    if (bounds.length - 1 <= maxRoutes || p[n] === Infinity) return bounds;
    return this.splitLimited(giant, pCap, pTw, maxRoutes);
  }

  /** Bellman split with at most K routes (layered). */
  private splitLimited(giant: Int32Array, pCap: number, pTw: number, K: number): number[] {
    const n = giant.length;
    const W = n + 1;
    if (this.pk.length < (K + 1) * W) {
      this.pk = new Float64Array((K + 1) * W);
      this.predk = new Int32Array((K + 1) * W);
    }
    const pk = this.pk;
    const predk = this.predk;
    pk.fill(Infinity, 0, (K + 1) * W);
    pk[0] = 0;
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < n; i++) {
        const base = pk[k * W + i]!;
        if (base === Infinity) continue;
        // the last allowed route takes everything that is left
        const last = this.scan(giant, i, pCap, pTw, k === K - 1 ? Infinity : 1.5);
        for (let j = i; j <= last; j++) {
          const idx = (k + 1) * W + j + 1;
          const c = base + this.rc[j]!;
          if (c < pk[idx]!) {
            pk[idx] = c;
            predk[idx] = i;
          }
        }
      }
    }
    let bestK = 1;
    for (let k = 1; k <= K; k++) if (pk[k * W + n]! < pk[bestK * W + n]!) bestK = k;
    const bounds: number[] = [];
    let j = n;
    for (let k = bestK; k > 0; k--) {
      bounds.push(j);
      j = predk[k * W + j]!;
    }
    bounds.push(0);
    bounds.reverse();
    return bounds;
  }
}
