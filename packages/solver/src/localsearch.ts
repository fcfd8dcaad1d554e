import type { Model } from './model.ts';
import type { Rng } from './rng.ts';


/**
 * Granular local search in the spirit of HGS-CVRP / HGS-TW: RELOCATE (1 or 2 nodes, also
 * reversed), SWAP (1-1, 2-1, 2-2), 2-OPT, 2-OPT* (both variants) and SWAP* on pairs of routes with
 * overlapping polar sectors. Routes are doubly linked lists over typed arrays; every node keeps
 * the prefix (start depot → node) and suffix (node → last client) data of its route: distance,
 * load and the time-warp segment (duration, time warp, earliest/latest start, Vidal et al. 2013),
 * so inter-route moves are evaluated in O(1) by concatenation. Intra-route moves are O(1) without
 * time windows and walk the changed stretch otherwise.
 *
 * Ids: clients 0..nC-1, route r has start depot nC+2r and end depot nC+2r+1.
 */
export class LocalSearch {
  private readonly m: Model;
  private readonly rng: Rng;
  private readonly nC: number;
  private readonly nR: number;
  private readonly N: number;
  private readonly hasTime: boolean;
  private readonly symmetric: boolean;
  private readonly dist: Int32Array;

  // per id
  private readonly loc: Int32Array;
  private readonly q: Float64Array;
  private readonly sv: Float64Array;
  private readonly e: Float64Array;
  private readonly l: Float64Array;
  readonly next: Int32Array;
  readonly prev: Int32Array;
  readonly route: Int32Array;
  readonly pos: Int32Array;
  private readonly pC: Float64Array;
  private readonly pQ: Float64Array;
  private readonly pD: Float64Array;
  private readonly pTW: Float64Array;
  private readonly pE: Float64Array;
  private readonly pL: Float64Array;
  private readonly sC: Float64Array;
  private readonly sQ: Float64Array;
  private readonly sD: Float64Array;
  private readonly sTW: Float64Array;
  private readonly sE: Float64Array;
  private readonly sL: Float64Array;
  private readonly whenTested: Int32Array;

  // per route
  readonly rNb: Int32Array;
  private readonly rCost: Float64Array;
  /** Penalty part of rCost (cost − distance − fixed). */
  private readonly rPen: Float64Array;
  private readonly rLastLoc: Int32Array;
  private readonly rModified: Int32Array;
  private readonly rTime: Int32Array[];
  private readonly rCap: Float64Array;
  private readonly rFixed: Float64Array;
  private readonly rMaxDur: Float64Array;
  // polar sectors for SWAP*
  private readonly secStart: Float64Array;
  private readonly secEnd: Float64Array;
  private readonly rSwapTested: Int32Array;

  private readonly order: Int32Array;
  /** Neighbour lists in this search's own (occasionally reshuffled) order. */
  private readonly nbLists: Int32Array[];
  private readonly scratch: Int32Array;
  private readonly scratch2: Int32Array;

  pCap = 1;
  pTw = 1;
  /** Improvement threshold, relative to the magnitude of route costs (penalties can be large). */
  private eps = 1e-6;
  private nbMoves = 0;
  private searchCompleted = false;
  /** Moves applied in the last run (for statistics). */
  movesApplied = 0;

  // accumulator of the route being evaluated
  private T: Int32Array;
  private aC = 0;
  private aQ = 0;
  private aD = 0;
  private aTW = 0;
  private aE = 0;
  private aL = 0;
  private aLast = 0;
  private aNb = 0;

  // SWAP* scratch: best three insertion positions of each client in each route
  private readonly ins: Float64Array;
  private readonly insAt: Int32Array;

  constructor(m: Model, rng: Rng) {
    this.m = m;
    this.rng = rng;
    this.nC = m.nC;
    this.nR = m.nSlots;
    this.N = m.N;
    this.hasTime = m.hasTime;
    this.symmetric = m.symmetric;
    this.dist = m.dist;
    const nIds = m.nC + 2 * m.nSlots;
    this.loc = new Int32Array(nIds);
    this.q = new Float64Array(nIds);
    this.sv = new Float64Array(nIds);
    this.e = new Float64Array(nIds);
    this.l = new Float64Array(nIds);
    for (let c = 0; c < m.nC; c++) {
      const node = m.clientNode[c]!;
      this.loc[c] = node;
      this.q[c] = m.demand[node]!;
      this.sv[c] = m.service[node]!;
      this.e[c] = m.early[node]!;
      this.l[c] = m.late[node]!;
    }
    for (let r = 0; r < m.nSlots; r++) {
      for (const id of [m.nC + 2 * r, m.nC + 2 * r + 1]) {
        this.loc[id] = m.slotDepot[r]!;
        this.e[id] = m.slotEarly[r]!;
        this.l[id] = m.slotLate[r]!;
      }
    }
    this.next = new Int32Array(nIds);
    this.prev = new Int32Array(nIds);
    this.route = new Int32Array(nIds);
    this.pos = new Int32Array(nIds);
    this.pC = new Float64Array(nIds);
    this.pQ = new Float64Array(nIds);
    this.pD = new Float64Array(nIds);
    this.pTW = new Float64Array(nIds);
    this.pE = new Float64Array(nIds);
    this.pL = new Float64Array(nIds);
    this.sC = new Float64Array(nIds);
    this.sQ = new Float64Array(nIds);
    this.sD = new Float64Array(nIds);
    this.sTW = new Float64Array(nIds);
    this.sE = new Float64Array(nIds);
    this.sL = new Float64Array(nIds);
    this.whenTested = new Int32Array(nIds);
    this.rNb = new Int32Array(m.nSlots);
    this.rCost = new Float64Array(m.nSlots);
    this.rPen = new Float64Array(m.nSlots);
    this.rLastLoc = new Int32Array(m.nSlots);
    this.rModified = new Int32Array(m.nSlots);
    this.rTime = [];
    for (let r = 0; r < m.nSlots; r++) this.rTime.push(m.times[m.slotTime[r]!]!);
    this.rCap = m.slotCap;
    this.rFixed = m.slotFixed;
    this.rMaxDur = m.slotMaxDur;
    this.secStart = new Float64Array(m.nSlots);
    this.secEnd = new Float64Array(m.nSlots);
    this.rSwapTested = new Int32Array(m.nSlots);
    this.order = new Int32Array(m.nC);
    for (let i = 0; i < m.nC; i++) this.order[i] = i;
    this.nbLists = m.neighbours.map((nb) => nb.slice());
    this.scratch = new Int32Array(m.nC + 2);
    this.scratch2 = new Int32Array(m.nC + 2);
    this.T = m.times[0]!;
    const byType = new Map<number, number[]>();
    for (let r = 0; r < m.nSlots; r++) {
      const t = m.slotType[r]!;
      const list = byType.get(t) ?? [];
      list.push(r);
      byType.set(t, list);
    }
    this.typeSlots = [...byType.values()].map((l) => Int32Array.from(l));
    this.typeHint = new Int32Array(this.typeSlots.length);
    this.ins = new Float64Array(3 * m.nC);
    this.insAt = new Int32Array(3 * m.nC);
  }

  private startOf(r: number): number {
    return this.nC + 2 * r;
  }
  private endOf(r: number): number {
    return this.nC + 2 * r + 1;
  }

  /** Loads routes (client ids per slot; slots beyond routes.length are empty). */
  load(routes: ArrayLike<Int32Array>): void {
    for (let r = 0; r < this.nR; r++) {
      const s = this.startOf(r);
      const t = this.endOf(r);
      let last = s;
      const rt = r < routes.length ? routes[r] : undefined;
      if (rt) {
        for (let k = 0; k < rt.length; k++) {
          const c = rt[k]!;
          this.next[last] = c;
          this.prev[c] = last;
          last = c;
        }
      }
      this.next[last] = t;
      this.prev[t] = last;
      this.next[t] = s;
      this.prev[s] = t;
      this.updateRoute(r);
      this.rModified[r] = 0;
      this.rSwapTested[r] = -1;
    }
    this.whenTested.fill(-1);
    this.nbMoves = 0;
  }

  /**
   * Test hook: largest difference between the incrementally maintained route costs and a fresh
   * forward evaluation of every route (distance, load and time-warp segments from scratch).
   */
  maxCostDrift(): number {
    let worst = 0;
    for (let r = 0; r < this.nR; r++) {
      const N = this.N;
      const T = this.rTime[r]!;
      let C = 0;
      let Q = 0;
      let sD = 0;
      let sTW = 0;
      let sE = this.e[this.startOf(r)]!;
      let sL = this.l[this.startOf(r)]!;
      let last = this.startOf(r);
      let nb = 0;
      for (let x = this.next[last]!; ; x = this.next[x]!) {
        const k = this.loc[last]! * N + this.loc[x]!;
        C += this.dist[k]!;
        Q += this.q[x]!;
        const t = T[k]!;
        const delta = sD - sTW + t;
        const dWT = Math.max(this.e[x]! - delta - sL, 0);
        const dTW = Math.max(sE + delta - this.l[x]!, 0);
        sD += this.sv[x]! + t + dWT;
        sTW += dTW;
        sE = Math.max(this.e[x]! - delta, sE) - dWT;
        sL = Math.min(this.l[x]! - delta, sL) + dTW;
        last = x;
        if (x === this.endOf(r)) break;
        nb++;
      }
      const exact = this.costOf(r, C, Q, sD, sTW, nb);
      worst = Math.max(worst, Math.abs(exact - this.rCost[r]!));
    }
    return worst;
  }

  /** Writes the routes back (client ids per slot). */
  exportRoutes(): Int32Array[] {
    const out: Int32Array[] = [];
    for (let r = 0; r < this.nR; r++) {
      const arr = new Int32Array(this.rNb[r]!);
      let k = 0;
      for (let x = this.next[this.startOf(r)]!; x < this.nC; x = this.next[x]!) arr[k++] = x;
      out.push(arr);
    }
    return out;
  }

  private updateRoute(r: number): void {
    const start = this.startOf(r);
    const end = this.endOf(r);
    const N = this.N;
    const T = this.rTime[r]!;
    const D = this.dist;
    const hasTime = this.hasTime;
    let x = start;
    let p = 0;
    this.route[x] = r;
    this.pos[x] = 0;
    this.pC[x] = 0;
    this.pQ[x] = 0;
    this.pD[x] = 0;
    this.pTW[x] = 0;
    this.pE[x] = this.e[x]!;
    this.pL[x] = this.l[x]!;
    let lastClient = start;
    while (x !== end) {
      const y = this.next[x]!;
      p++;
      this.route[y] = r;
      this.pos[y] = p;
      const k = this.loc[x]! * N + this.loc[y]!;
      this.pC[y] = this.pC[x]! + D[k]!;
      this.pQ[y] = this.pQ[x]! + this.q[y]!;
      if (hasTime) {
        const t = T[k]!;
        const delta = this.pD[x]! - this.pTW[x]! + t;
        const dWT = Math.max(this.e[y]! - delta - this.pL[x]!, 0);
        const dTW = Math.max(this.pE[x]! + delta - this.l[y]!, 0);
        this.pD[y] = this.pD[x]! + this.sv[y]! + t + dWT;
        this.pTW[y] = this.pTW[x]! + dTW;
        this.pE[y] = Math.max(this.e[y]! - delta, this.pE[x]!) - dWT;
        this.pL[y] = Math.min(this.l[y]! - delta, this.pL[x]!) + dTW;
      }
      if (y !== end) lastClient = y;
      x = y;
    }
    this.rNb[r] = p - 1;
    this.rLastLoc[r] = this.loc[lastClient]!;
    // suffixes (node → last client), built backwards
    if (lastClient !== start) {
      let y = lastClient;
      this.sC[y] = 0;
      this.sQ[y] = this.q[y]!;
      this.sD[y] = this.sv[y]!;
      this.sTW[y] = 0;
      this.sE[y] = this.e[y]!;
      this.sL[y] = this.l[y]!;
      let z = this.prev[y]!;
      while (z !== start) {
        const k = this.loc[z]! * N + this.loc[y]!;
        this.sC[z] = this.sC[y]! + D[k]!;
        this.sQ[z] = this.sQ[y]! + this.q[z]!;
        if (hasTime) {
          // single(z) ⊕ suffix(y)
          const t = T[k]!;
          const delta = this.sv[z]! + t;
          const dWT = Math.max(this.sE[y]! - delta - this.l[z]!, 0);
          const dTW = Math.max(this.e[z]! + delta - this.sL[y]!, 0);
          this.sD[z] = this.sv[z]! + this.sD[y]! + t + dWT;
          this.sTW[z] = this.sTW[y]! + dTW;
          this.sE[z] = Math.max(this.sE[y]! - delta, this.e[z]!) - dWT;
          this.sL[z] = Math.min(this.sL[y]! - delta, this.l[z]!) + dTW;
        }
        y = z;
        z = this.prev[z]!;
      }
    }
    this.setCost(r);
    this.rModified[r] = this.nbMoves;
    if (this.m.angle && this.rNb[r]! > 0) this.updateSector(r);
  }

  private updateSector(r: number): void {
    const ang = this.m.angle!;
    // smallest arc covering all client angles: start from the first, extend greedily
    let first = true;
    let s = 0;
    let len = 0;
    for (let x = this.next[this.startOf(r)]!; x < this.nC; x = this.next[x]!) {
      const a = ang[x]!;
      if (first) {
        s = a;
        len = 0;
        first = false;
        continue;
      }
      let d = a - s;
      while (d < 0) d += 2 * Math.PI;
      while (d >= 2 * Math.PI) d -= 2 * Math.PI;
      if (d <= len) continue;
      // extend either forward (to a) or backward (start at a)
      const back = 2 * Math.PI - d; // extension needed if we move the start back to a
      if (d - len <= back) len = d;
      else {
        s = a;
        len += back;
      }
    }
    this.secStart[r] = s;
    this.secEnd[r] = len;
  }

  private sectorsOverlap(r1: number, r2: number): boolean {
    const a = this.secStart[r1]!;
    const la = this.secEnd[r1]!;
    const b = this.secStart[r2]!;
    const lb = this.secEnd[r2]!;
    let d = b - a;
    while (d < 0) d += 2 * Math.PI;
    if (d <= la) return true;
    let d2 = a - b;
    while (d2 < 0) d2 += 2 * Math.PI;
    return d2 <= lb;
  }

  private setCost(r: number): void {
    const end = this.endOf(r);
    const nb = this.rNb[r]!;
    const c = this.costOf(r, this.pC[end]!, this.pQ[end]!, this.pD[end]!, this.pTW[end]!, nb);
    this.rCost[r] = c;
    this.rPen[r] = nb === 0 ? 0 : c - this.pC[end]! - this.rFixed[r]!;
  }

  private d(a: number, b: number): number {
    return this.dist[this.loc[a]! * this.N + this.loc[b]!]!;
  }

  /** Lower bound test for an inter-route move: true when it cannot improve. */
  private hopeless(ru: number, rv: number, dd: number, removed: number, added: number): boolean {
    let b = dd - this.rPen[ru]! - this.rPen[rv]!;
    if (this.rNb[ru] === removed) b -= this.rFixed[ru]!;
    if (this.rNb[rv] === 0 && added > 0) b += this.rFixed[rv]!;
    return b > -this.eps;
  }

  private costOf(r: number, C: number, Q: number, Dur: number, TW: number, nb: number): number {
    if (nb === 0) return 0;
    let c = C + this.rFixed[r]!;
    const cap = this.rCap[r]!;
    if (Q > cap) c += this.pCap * (Q - cap);
    if (this.hasTime) {
      const md = this.rMaxDur[r]!;
      c += this.pTw * (TW + (Dur > md ? Dur - md : 0));
    }
    return c;
  }

  // ---------- accumulator ----------
  private accPrefix(id: number): void {
    this.T = this.rTime[this.route[id]!]!;
    this.aC = this.pC[id]!;
    this.aQ = this.pQ[id]!;
    this.aD = this.pD[id]!;
    this.aTW = this.pTW[id]!;
    this.aE = this.pE[id]!;
    this.aL = this.pL[id]!;
    this.aLast = this.loc[id]!;
    this.aNb = this.pos[id]!;
  }

  /** Starts an evaluation at the start depot of route r (uses r's travel times). */
  private accStart(r: number): void {
    this.accPrefix(this.startOf(r));
  }

  private accNode(id: number): void {
    const ln = this.loc[id]!;
    const k = this.aLast * this.N + ln;
    this.aC += this.dist[k]!;
    this.aQ += this.q[id]!;
    if (id < this.nC) this.aNb++;
    if (this.hasTime) {
      const t = this.T[k]!;
      const delta = this.aD - this.aTW + t;
      const ei = this.e[id]!;
      const li = this.l[id]!;
      const dWT = Math.max(ei - delta - this.aL, 0);
      const dTW = Math.max(this.aE + delta - li, 0);
      this.aD += this.sv[id]! + t + dWT;
      this.aTW += dTW;
      this.aE = Math.max(ei - delta, this.aE) - dWT;
      this.aL = Math.min(li - delta, this.aL) + dTW;
    }
    this.aLast = ln;
  }

  /** Appends the suffix id → last client of id's route (nothing if id is an end depot), then the end depot of r. */
  private accTail(id: number, r: number): void {
    if (id < this.nC) {
      const k = this.aLast * this.N + this.loc[id]!;
      this.aC += this.dist[k]! + this.sC[id]!;
      this.aQ += this.sQ[id]!;
      const ri = this.route[id]!;
      this.aNb += this.rNb[ri]! - this.pos[id]! + 1;
      if (this.hasTime) {
        const t = this.T[k]!;
        const delta = this.aD - this.aTW + t;
        const dWT = Math.max(this.sE[id]! - delta - this.aL, 0);
        const dTW = Math.max(this.aE + delta - this.sL[id]!, 0);
        this.aD += this.sD[id]! + t + dWT;
        this.aTW += this.sTW[id]! + dTW;
        this.aE = Math.max(this.sE[id]! - delta, this.aE) - dWT;
        this.aL = Math.min(this.sL[id]! - delta, this.aL) + dTW;
      }
      this.aLast = this.rLastLoc[ri]!;
    }
    this.accNode(this.endOf(r));
  }

  /** Appends clients a..b (forward, same route, pos[a] ≤ pos[b]). */
  private accPath(a: number, b: number): void {
    if (!this.hasTime) {
      this.aC += this.dist[this.aLast * this.N + this.loc[a]!]! + this.pC[b]! - this.pC[a]!;
      this.aQ += this.pQ[b]! - this.pQ[a]! + this.q[a]!;
      this.aNb += this.pos[b]! - this.pos[a]! + 1;
      this.aLast = this.loc[b]!;
      return;
    }
    let x = a;
    for (;;) {
      this.accNode(x);
      if (x === b) break;
      x = this.next[x]!;
    }
  }

  /** Appends clients b, prev(b), …, a (pos[a] ≤ pos[b], same route). */
  private accRev(a: number, b: number): void {
    if (!this.hasTime && this.symmetric) {
      this.aC += this.dist[this.aLast * this.N + this.loc[b]!]! + this.pC[b]! - this.pC[a]!;
      this.aQ += this.pQ[b]! - this.pQ[a]! + this.q[a]!;
      this.aNb += this.pos[b]! - this.pos[a]! + 1;
      this.aLast = this.loc[a]!;
      return;
    }
    let x = b;
    for (;;) {
      this.accNode(x);
      if (x === a) break;
      x = this.prev[x]!;
    }
  }

  private accCost(r: number): number {
    return this.costOf(r, this.aC, this.aQ, this.aD, this.aTW, this.aNb);
  }

  // ---------- list surgery ----------
  private insertAfter(u: number, v: number): void {
    const pu = this.prev[u]!;
    const nu = this.next[u]!;
    this.next[pu] = nu;
    this.prev[nu] = pu;
    const nv = this.next[v]!;
    this.next[v] = u;
    this.prev[u] = v;
    this.next[u] = nv;
    this.prev[nv] = u;
  }

  private swapNodes(u: number, v: number): void {
    if (this.next[u] === v) {
      this.insertAfter(u, v);
      return;
    }
    if (this.next[v] === u) {
      this.insertAfter(v, u);
      return;
    }
    const pu = this.prev[u]!;
    const pv = this.prev[v]!;
    this.insertAfter(u, pv);
    this.insertAfter(v, pu);
  }

  /** Links from → buf[0..len) → to. */
  private relink(from: number, buf: Int32Array, len: number, to: number): void {
    let last = from;
    for (let k = 0; k < len; k++) {
      const x = buf[k]!;
      this.next[last] = x;
      this.prev[x] = last;
      last = x;
    }
    this.next[last] = to;
    this.prev[to] = last;
  }

  private collect(a: number, endExcl: number, buf: Int32Array): number {
    let k = 0;
    for (let x = a; x !== endExcl; x = this.next[x]!) buf[k++] = x;
    return k;
  }

  private applied(r1: number, r2: number): void {
    this.nbMoves++;
    this.movesApplied++;
    this.searchCompleted = false;
    this.updateRoute(r1);
    if (r2 !== r1) this.updateRoute(r2);
  }

  // ---------- the search ----------
  /** Optional stop test (the time limit), checked every 64 clients; the search then ends early. */
  stop: (() => boolean) | null = null;

  run(pCap: number, pTw: number, maxMoves = Infinity): void {
    this.pCap = pCap;
    this.pTw = pTw;
    for (let r = 0; r < this.nR; r++) {
      this.setCost(r);
    }
    let total = 0;
    for (let r = 0; r < this.nR; r++) total += this.rCost[r]!;
    this.eps = 1e-6 + 1e-9 * total;
    // guard against cycling through rounding: a generous cap on moves per run
    const moveCap = Math.min(maxMoves, 200 * this.nC + 10_000);
    this.movesApplied = 0;
    this.searchCompleted = false;
    const nC = this.nC;
    this.rng.shuffle(this.order);
    for (let i = 0; i < nC; i++) {
      const nb = this.nbLists[i]!;
      if (nb.length > 1 && this.rng.int(nb.length) === 0) this.rng.shuffle(nb);
    }
    let stopped = false;
    for (let loopID = 0; !this.searchCompleted; loopID++) {
      if (loopID > 1) this.searchCompleted = true;
      if (this.movesApplied > moveCap) break;
      for (let oi = 0; oi < nC; oi++) {
        if ((oi & 63) === 63 && this.stop !== null && this.stop()) {
          this.searchCompleted = true;
          stopped = true;
          break;
        }
        const u = this.order[oi]!;
        const lastTested = this.whenTested[u]!;
        this.whenTested[u] = this.nbMoves;
        const nbs = this.nbLists[u]!;
        const nbLen = nbs.length;
        for (let k = 0; k < nbLen; k++) {
          const v = nbs[k]!;
          if (loopID > 0 && Math.max(this.rModified[this.route[u]!]!, this.rModified[this.route[v]!]!) <= lastTested) continue;
          if (this.tryMoves(u, v)) continue;
          const pv = this.prev[v]!;
          if (pv >= nC) {
            // v is first in its route: also try with its start depot
            if (this.tryDepotMoves(u, pv)) continue;
          }
        }
        if (loopID > 0) {
          if (this.m.homogeneous) {
            const er = this.findEmptyRoute();
            if (er >= 0) this.tryDepotMoves(u, this.startOf(er));
          } else {
            // one empty vehicle of each type (and depot)
            for (let t = 0; t < this.typeSlots.length; t++) {
              const er = this.findEmptyOfType(t);
              if (er >= 0 && this.tryDepotMoves(u, this.startOf(er))) break;
            }
          }
        }
      }
      if (this.m.angle && !stopped) this.swapStarPass();
    }
  }

  /** Routes at or beyond this slot index stay empty (fleet reduction). */
  fleetLimit = Infinity;

  private emptyHint = 0;
  private typeSlots: Int32Array[] = [];
  private typeHint: Int32Array = new Int32Array(0);

  private findEmptyOfType(t: number): number {
    const slots = this.typeSlots[t]!;
    const h = this.typeHint[t]!;
    const lim = this.fleetLimit;
    if (h < slots.length && slots[h]! < lim && this.rNb[slots[h]!] === 0) return slots[h]!;
    for (let k = 0; k < slots.length; k++) {
      const r = slots[k]!;
      if (r >= lim) break;
      if (this.rNb[r] === 0) {
        this.typeHint[t] = k;
        return r;
      }
    }
    return -1;
  }

  private findEmptyRoute(): number {
    const lim = Math.min(this.nR, this.fleetLimit);
    const h = this.emptyHint;
    if (h < lim && this.rNb[h] === 0) return h;
    for (let r = 0; r < lim; r++)
      if (this.rNb[r] === 0) {
        this.emptyHint = r;
        return r;
      }
    return -1;
  }

  // distances shared by the moves of one (u, v) pair, set by prep()
  private cPuU = 0;
  private cUX = 0;
  private cRemU = 0;
  private cVY = 0;
  private cUY = 0;
  private cVU = 0;

  private prep(u: number, v: number): void {
    const N = this.N;
    const D = this.dist;
    const lu = this.loc[u]!;
    const lpu = this.loc[this.prev[u]!]!;
    const lx = this.loc[this.next[u]!]!;
    const lv = this.loc[v]!;
    const ly = this.loc[this.next[v]!]!;
    this.cPuU = D[lpu * N + lu]!;
    this.cUX = D[lu * N + lx]!;
    this.cRemU = D[lpu * N + lx]! - this.cPuU - this.cUX;
    this.cVY = D[lv * N + ly]!;
    this.cUY = D[lu * N + ly]!;
    this.cVU = D[lv * N + lu]!;
  }

  private tryMoves(u: number, v: number): boolean {
    this.prep(u, v);
    if (this.move1(u, v)) return true;
    if (this.move2(u, v, false)) return true;
    if (this.move2(u, v, true)) return true;
    if (this.move4(u, v)) return true;
    if (this.move5(u, v)) return true;
    if (this.move6(u, v)) return true;
    if (this.route[u] === this.route[v]) {
      if (this.move7(u, v)) return true;
    } else {
      if (this.move8(u, v)) return true;
      if (this.move9(u, v)) return true;
    }
    return false;
  }

  private tryDepotMoves(u: number, depot: number): boolean {
    this.prep(u, depot);
    if (this.move1(u, depot)) return true;
    if (this.move2(u, depot, false)) return true;
    if (this.move2(u, depot, true)) return true;
    if (this.route[u] !== this.route[depot]) {
      if (this.move8(u, depot)) return true;
      if (this.move9(u, depot)) return true;
    }
    return false;
  }

  /** RELOCATE u after v. */
  private move1(u: number, v: number): boolean {
    const pu = this.prev[u]!;
    if (v === u || v === pu) return false;
    const x = this.next[u]!;
    const y = this.next[v]!;
    const ru = this.route[u]!;
    const rv = this.route[v]!;
    const dd = this.cRemU + this.cVU + this.cUY - this.cVY;
    if (ru !== rv) {
      if (this.hopeless(ru, rv, dd, 1, 1)) return false;
      this.accPrefix(pu);
      this.accTail(x, ru);
      const cu = this.accCost(ru);
      this.accPrefix(v);
      this.accNode(u);
      this.accTail(y, rv);
      const cv = this.accCost(rv);
      if (cu + cv - this.rCost[ru]! - this.rCost[rv]! > -this.eps) return false;
      this.insertAfter(u, v);
      this.applied(ru, rv);
      return true;
    }
    if (!this.hasTime) {
      if (dd > -this.eps) return false;
    } else if (dd - this.rPen[ru]! > -this.eps) return false;
    else if (this.pos[u]! < this.pos[v]!) {
      this.accPrefix(pu);
      this.accPath(x, v);
      this.accNode(u);
      this.accTail(y, ru);
    } else {
      this.accPrefix(v);
      this.accNode(u);
      this.accPath(y, pu);
      this.accTail(x, ru);
    }
    if (this.hasTime && this.accCost(ru) - this.rCost[ru]! > -this.eps) return false;
    this.insertAfter(u, v);
    this.applied(ru, ru);
    return true;
  }

  /** RELOCATE (u, x) after v, or (x, u) when reversed. */
  private move2(u: number, v: number, reversed: boolean): boolean {
    const x = this.next[u]!;
    if (x >= this.nC) return false;
    const pu = this.prev[u]!;
    if (v === u || v === x || v === pu) return false;
    const x2 = this.next[x]!;
    const y = this.next[v]!;
    const ru = this.route[u]!;
    const rv = this.route[v]!;
    const a = reversed ? x : u;
    const b = reversed ? u : x;
    let dd = this.d(pu, x2) - this.cPuU - this.d(x, x2) + this.d(v, a) + this.d(b, y) - this.cVY;
    if (reversed) dd += this.d(x, u) - this.cUX;
    if (ru !== rv) {
      if (this.hopeless(ru, rv, dd, 2, 2)) return false;
      this.accPrefix(pu);
      this.accTail(x2, ru);
      const cu = this.accCost(ru);
      this.accPrefix(v);
      this.accNode(a);
      this.accNode(b);
      this.accTail(y, rv);
      const cv = this.accCost(rv);
      if (cu + cv - this.rCost[ru]! - this.rCost[rv]! > -this.eps) return false;
    } else if (!this.hasTime) {
      if (dd > -this.eps) return false;
    } else {
      if (dd - this.rPen[ru]! > -this.eps) return false;
      if (this.pos[u]! < this.pos[v]!) {
        this.accPrefix(pu);
        this.accPath(x2, v);
        this.accNode(a);
        this.accNode(b);
        this.accTail(y, ru);
      } else {
        this.accPrefix(v);
        this.accNode(a);
        this.accNode(b);
        this.accPath(y, pu);
        this.accTail(x2, ru);
      }
      if (this.accCost(ru) - this.rCost[ru]! > -this.eps) return false;
    }
    if (reversed) {
      this.insertAfter(x, v);
      this.insertAfter(u, x);
    } else {
      this.insertAfter(u, v);
      this.insertAfter(x, u);
    }
    this.applied(ru, rv);
    return true;
  }

  /** SWAP u and v. */
  private move4(u: number, v: number): boolean {
    if (u === v || v >= this.nC) return false;
    const ru = this.route[u]!;
    const rv = this.route[v]!;
    if (ru !== rv) {
      const pu = this.prev[u]!;
      const x = this.next[u]!;
      const pv = this.prev[v]!;
      const dd = this.d(pu, v) + this.d(v, x) - this.cPuU - this.cUX + this.d(pv, u) + this.cUY - this.d(pv, v) - this.cVY;
      if (this.hopeless(ru, rv, dd, -1, 0)) return false;
      this.accPrefix(this.prev[u]!);
      this.accNode(v);
      this.accTail(this.next[u]!, ru);
      const cu = this.accCost(ru);
      this.accPrefix(this.prev[v]!);
      this.accNode(u);
      this.accTail(this.next[v]!, rv);
      const cv = this.accCost(rv);
      if (cu + cv - this.rCost[ru]! - this.rCost[rv]! > -this.eps) return false;
    } else {
      const a = this.pos[u]! < this.pos[v]! ? u : v;
      const b = a === u ? v : u;
      this.accPrefix(this.prev[a]!);
      this.accNode(b);
      if (this.next[a] !== b) this.accPath(this.next[a]!, this.prev[b]!);
      this.accNode(a);
      this.accTail(this.next[b]!, ru);
      if (this.accCost(ru) - this.rCost[ru]! > -this.eps) return false;
    }
    this.swapNodes(u, v);
    this.applied(ru, rv);
    return true;
  }

  /** SWAP (u, x) with v. */
  private move5(u: number, v: number): boolean {
    const x = this.next[u]!;
    if (x >= this.nC || v >= this.nC || v === u || v === x) return false;
    const pu = this.prev[u]!;
    const x2 = this.next[x]!;
    const pv = this.prev[v]!;
    const y = this.next[v]!;
    const ru = this.route[u]!;
    const rv = this.route[v]!;
    if (ru !== rv) {
      const dd = this.d(pu, v) + this.d(v, x2) - this.cPuU - this.d(x, x2) + this.d(pv, u) + this.d(x, y) - this.d(pv, v) - this.cVY;
      if (this.hopeless(ru, rv, dd, -1, 0)) return false;
      this.accPrefix(pu);
      this.accNode(v);
      this.accTail(x2, ru);
      const cu = this.accCost(ru);
      this.accPrefix(pv);
      this.accNode(u);
      this.accNode(x);
      this.accTail(y, rv);
      const cv = this.accCost(rv);
      if (cu + cv - this.rCost[ru]! - this.rCost[rv]! > -this.eps) return false;
    } else {
      if (this.pos[v]! < this.pos[u]!) {
        this.accPrefix(pv);
        this.accNode(u);
        this.accNode(x);
        if (v !== pu) this.accPath(y, pu);
        this.accNode(v);
        this.accTail(x2, ru);
      } else {
        this.accPrefix(pu);
        this.accNode(v);
        if (v !== x2) this.accPath(x2, pv);
        this.accNode(u);
        this.accNode(x);
        this.accTail(y, ru);
      }
      if (this.accCost(ru) - this.rCost[ru]! > -this.eps) return false;
    }
    this.swapNodes(u, v);
    this.insertAfter(x, u);
    this.applied(ru, rv);
    return true;
  }

  /** SWAP (u, x) with (v, y). */
  private move6(u: number, v: number): boolean {
    const x = this.next[u]!;
    if (x >= this.nC || v >= this.nC) return false;
    const y = this.next[v]!;
    if (y >= this.nC) return false;
    if (v === u || v === x || y === u) return false;
    const pu = this.prev[u]!;
    const x2 = this.next[x]!;
    const pv = this.prev[v]!;
    const y2 = this.next[y]!;
    const ru = this.route[u]!;
    const rv = this.route[v]!;
    if (ru !== rv) {
      const dd = this.d(pu, v) + this.d(y, x2) - this.cPuU - this.d(x, x2) + this.d(pv, u) + this.d(x, y2) - this.d(pv, v) - this.d(y, y2);
      if (this.hopeless(ru, rv, dd, -1, 0)) return false;
      this.accPrefix(pu);
      this.accNode(v);
      this.accNode(y);
      this.accTail(x2, ru);
      const cu = this.accCost(ru);
      this.accPrefix(pv);
      this.accNode(u);
      this.accNode(x);
      this.accTail(y2, rv);
      const cv = this.accCost(rv);
      if (cu + cv - this.rCost[ru]! - this.rCost[rv]! > -this.eps) return false;
    } else {
      if (this.pos[v]! < this.pos[u]!) {
        this.accPrefix(pv);
        this.accNode(u);
        this.accNode(x);
        if (y !== pu) this.accPath(y2, pu);
        this.accNode(v);
        this.accNode(y);
        this.accTail(x2, ru);
      } else {
        this.accPrefix(pu);
        this.accNode(v);
        this.accNode(y);
        if (v !== x2) this.accPath(x2, pv);
        this.accNode(u);
        this.accNode(x);
        this.accTail(y2, ru);
      }
      if (this.accCost(ru) - this.rCost[ru]! > -this.eps) return false;
    }
    this.swapNodes(u, v);
    this.swapNodes(x, y);
    this.applied(ru, rv);
    return true;
  }

  /** 2-OPT inside a route: reverse x..v. */
  private move7(u: number, v: number): boolean {
    if (v >= this.nC || this.pos[u]! >= this.pos[v]!) return false;
    const x = this.next[u]!;
    if (x === v) return false;
    const y = this.next[v]!;
    const ru = this.route[u]!;
    if (this.symmetric) {
      const dd = this.d(u, v) + this.d(x, y) - this.cUX - this.cVY;
      if (!this.hasTime) {
        if (dd > -this.eps) return false;
      } else if (dd - this.rPen[ru]! > -this.eps) return false;
    }
    this.accPrefix(u);
    this.accRev(x, v);
    this.accTail(y, ru);
    if (this.accCost(ru) - this.rCost[ru]! > -this.eps) return false;
    const len = this.collect(x, y, this.scratch);
    for (let i = 0; i < len >> 1; i++) {
      const t = this.scratch[i]!;
      this.scratch[i] = this.scratch[len - 1 - i]!;
      this.scratch[len - 1 - i] = t;
    }
    this.relink(u, this.scratch, len, y);
    this.applied(ru, ru);
    return true;
  }

  /** 2-OPT*: (u, x), (v, y) → (u, y), (v, x). */
  private move8(u: number, v: number): boolean {
    const x = this.next[u]!;
    const y = this.next[v]!;
    const ru = this.route[u]!;
    const rv = this.route[v]!;
    if (this.m.slotDepot[ru] === this.m.slotDepot[rv]) {
      const dd = this.cUY + this.d(v, x) - this.cUX - this.cVY;
      const nbV = this.pos[v]! + this.rNb[ru]! - this.pos[u]!;
      let b = dd - this.rPen[ru]! - this.rPen[rv]!;
      if (nbV === 0 && this.rNb[rv]! > 0) b -= this.rFixed[rv]!;
      if (nbV > 0 && this.rNb[rv] === 0) b += this.rFixed[rv]!;
      if (b > -this.eps) return false;
    }
    this.accPrefix(u);
    this.accTail(y, ru);
    const cu = this.accCost(ru);
    this.accPrefix(v);
    this.accTail(x, rv);
    const cv = this.accCost(rv);
    if (cu + cv - this.rCost[ru]! - this.rCost[rv]! > -this.eps) return false;
    const endU = this.endOf(ru);
    const endV = this.endOf(rv);
    const lenX = this.collect(x, endU, this.scratch);
    const lenY = this.collect(y, endV, this.scratch2);
    this.relink(u, this.scratch2, lenY, endU);
    this.relink(v, this.scratch, lenX, endV);
    this.applied(ru, rv);
    return true;
  }

  /** 2-OPT* reversed: (u, x), (v, y) → (u, v), (x, y): u's route ends with v…first(v) reversed. */
  private move9(u: number, v: number): boolean {
    if (this.hasTime) return false; // reversals rarely pay with time windows
    const x = this.next[u]!;
    const y = this.next[v]!;
    const ru = this.route[u]!;
    const rv = this.route[v]!;
    const startV = this.startOf(rv);
    const endU = this.endOf(ru);
    if (this.symmetric && this.m.slotDepot[ru] === this.m.slotDepot[rv]) {
      const dd = this.d(u, v) + this.d(x, y) - this.cUX - this.cVY;
      let b = dd - this.rPen[ru]! - this.rPen[rv]!;
      const nbV = this.rNb[rv]! - this.pos[v]! + this.rNb[ru]! - this.pos[u]!;
      if (nbV === 0 && this.rNb[rv]! > 0) b -= this.rFixed[rv]!;
      if (nbV > 0 && this.rNb[rv] === 0) b += this.rFixed[rv]!;
      if (b > -this.eps) return false;
    }
    this.accPrefix(u);
    if (v < this.nC) this.accRev(this.next[startV]!, v);
    this.accNode(endU);
    const cu = this.accCost(ru);
    this.accStart(rv);
    if (x < this.nC) this.accRev(x, this.prev[endU]!);
    this.accTail(y, rv);
    const cv = this.accCost(rv);
    if (cu + cv - this.rCost[ru]! - this.rCost[rv]! > -this.eps) return false;
    const lenV = v < this.nC ? this.collect(this.next[startV]!, y, this.scratch2) : 0;
    const lenX = x < this.nC ? this.collect(x, endU, this.scratch) : 0;
    this.scratch2.subarray(0, lenV).reverse();
    this.scratch.subarray(0, lenX).reverse();
    this.relink(u, this.scratch2, lenV, endU);
    this.relink(startV, this.scratch, lenX, y);
    this.applied(ru, rv);
    return true;
  }

  // ---------- SWAP* (Vidal 2022), only without time windows ----------
  private swapStarPass(): void {
    if (this.hasTime) return;
    for (let r1 = 0; r1 < this.nR; r1++) {
      if (this.rNb[r1] === 0) continue;
      for (let r2 = r1 + 1; r2 < this.nR; r2++) {
        if (this.rNb[r2] === 0) continue;
        const mod = Math.max(this.rModified[r1]!, this.rModified[r2]!);
        if (mod <= this.rSwapTested[r1]! && mod <= this.rSwapTested[r2]!) continue;
        if (!this.sectorsOverlap(r1, r2)) continue;
        this.swapStar(r1, r2);
      }
    }
    for (let r = 0; r < this.nR; r++) this.rSwapTested[r] = this.nbMoves;
  }

  /** Best three insertion positions of every client of `from` into route `into` (cost, after-node). */
  private preprocessInsertions(from: number, into: number): void {
    const D = this.dist;
    const N = this.N;
    const startI = this.startOf(into);
    for (let u = this.next[this.startOf(from)]!; u < this.nC; u = this.next[u]!) {
      const b = 3 * u;
      this.ins[b] = Infinity;
      this.ins[b + 1] = Infinity;
      this.ins[b + 2] = Infinity;
      this.insAt[b] = -1;
      this.insAt[b + 1] = -1;
      this.insAt[b + 2] = -1;
      const lu = this.loc[u]!;
      let p = startI;
      for (;;) {
        const nx = this.next[p]!;
        const lp = this.loc[p]!;
        const ln = this.loc[nx]!;
        const c = D[lp * N + lu]! + D[lu * N + ln]! - D[lp * N + ln]!;
        if (c < this.ins[b + 2]!) {
          if (c < this.ins[b + 1]!) {
            this.ins[b + 2] = this.ins[b + 1]!;
            this.insAt[b + 2] = this.insAt[b + 1]!;
            if (c < this.ins[b]!) {
              this.ins[b + 1] = this.ins[b]!;
              this.insAt[b + 1] = this.insAt[b]!;
              this.ins[b] = c;
              this.insAt[b] = p;
            } else {
              this.ins[b + 1] = c;
              this.insAt[b + 1] = p;
            }
          } else {
            this.ins[b + 2] = c;
            this.insAt[b + 2] = p;
          }
        }
        if (nx >= this.nC) break;
        p = nx;
      }
    }
  }

  /** Cheapest position to insert u into the route of v once v is removed: returns cost, sets swapAfter. */
  private swapAfter = -1;
  private bestInsertWithout(u: number, v: number): number {
    const D = this.dist;
    const N = this.N;
    const b = 3 * u;
    let best = Infinity;
    this.swapAfter = -1;
    for (let k = 0; k < 3; k++) {
      const p = this.insAt[b + k]!;
      if (p < 0) break;
      if (p !== v && this.next[p] !== v) {
        best = this.ins[b + k]!;
        this.swapAfter = p;
        break;
      }
    }
    // in place of v
    const pv = this.prev[v]!;
    const nv = this.next[v]!;
    const lu = this.loc[u]!;
    const c = D[this.loc[pv]! * N + lu]! + D[lu * N + this.loc[nv]!]! - D[this.loc[pv]! * N + this.loc[nv]!]!;
    if (c < best) {
      best = c;
      this.swapAfter = pv;
    }
    return best;
  }

  private swapStar(r1: number, r2: number): void {
    this.preprocessInsertions(r1, r2);
    this.preprocessInsertions(r2, r1);
    const D = this.dist;
    const N = this.N;
    let bestDelta = -this.eps;
    let bu = -1;
    let bv = -1;
    let bpu = -1;
    let bpv = -1;
    const cap1 = this.rCap[r1]!;
    const cap2 = this.rCap[r2]!;
    const load1 = this.pQ[this.endOf(r1)]!;
    const load2 = this.pQ[this.endOf(r2)]!;
    const pen = (load: number, cap: number): number => (load > cap ? this.pCap * (load - cap) : 0);
    const base = pen(load1, cap1) + pen(load2, cap2);
    for (let u = this.next[this.startOf(r1)]!; u < this.nC; u = this.next[u]!) {
      const lu = this.loc[u]!;
      const pu = this.loc[this.prev[u]!]!;
      const nu = this.loc[this.next[u]!]!;
      const remU = D[pu * N + nu]! - D[pu * N + lu]! - D[lu * N + nu]!;
      for (let v = this.next[this.startOf(r2)]!; v < this.nC; v = this.next[v]!) {
        const dq = this.q[v]! - this.q[u]!;
        const penDelta = pen(load1 + dq, cap1) + pen(load2 - dq, cap2) - base;
        const lv = this.loc[v]!;
        const pvv = this.loc[this.prev[v]!]!;
        const nvv = this.loc[this.next[v]!]!;
        const remV = D[pvv * N + nvv]! - D[pvv * N + lv]! - D[lv * N + nvv]!;
        if (penDelta + remU + remV >= bestDelta) continue; // insertion costs are ≥ … only with triangle inequality; cheap filter
        const insU = this.bestInsertWithout(u, v);
        const au = this.swapAfter;
        const insV = this.bestInsertWithout(v, u);
        const av = this.swapAfter;
        const delta = penDelta + remU + remV + insU + insV;
        if (delta < bestDelta) {
          bestDelta = delta;
          bu = u;
          bv = v;
          bpu = au;
          bpv = av;
        }
      }
    }
    if (bu < 0) return;
    // exact check of the chosen move (positions may be adjacent to the removed nodes)
    const before = this.rCost[r1]! + this.rCost[r2]!;
    const saveNext1 = this.next[bu]!;
    const saveNext2 = this.next[bv]!;
    const savePrev1 = this.prev[bu]!;
    const savePrev2 = this.prev[bv]!;
    const mod1 = this.rModified[r1]!;
    const mod2 = this.rModified[r2]!;
    // u goes after bpu (in r2; bpu may be prev(v) → then after prev(v) which stays), v after bpv
    const targetU = bpu === bv ? this.prev[bv]! : bpu;
    const targetV = bpv === bu ? this.prev[bu]! : bpv;
    this.insertAfter(bu, targetU);
    this.insertAfter(bv, targetV);
    this.updateRoute(r1);
    this.updateRoute(r2);
    if (this.rCost[r1]! + this.rCost[r2]! < before - this.eps) {
      this.nbMoves++;
      this.movesApplied++;
      this.searchCompleted = false;
      this.rModified[r1] = this.nbMoves;
      this.rModified[r2] = this.nbMoves;
      return;
    }
    // undo
    this.insertAfter(bv, savePrev2);
    this.insertAfter(bu, savePrev1);
    void saveNext1;
    void saveNext2;
    this.updateRoute(r1);
    this.updateRoute(r2);
    this.rModified[r1] = mod1;
    this.rModified[r2] = mod2;
  }
}
