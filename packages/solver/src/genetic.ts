import type { Model } from './model.ts';
import { Rng } from './rng.ts';
import { Splitter } from './split.ts';
import { LocalSearch } from './localsearch.ts';
import { evaluateRoutes } from './evaluate.ts';
import { groupRoutesByAngle, subModel } from './decompose.ts';

export interface GaParams {
  mu: number;
  lambda: number;
  nbElite: number;
  nbClose: number;
  targetFeasible: number;
  nbIterNoImprovement: number;
  repairProbability: number;
  /** Minimise vehicles first by solving with one vehicle fewer than the best solution (homogeneous fleets with a fixed cost). */
  routeMinimisation: boolean;
  /** Share of the time budget after which vehicle reduction stops. */
  reductionTimeShare: number;
  /** Route-based decomposition (time-limited runs, homogeneous fleets) from this many clients on. */
  decomposeMinClients: number;
  /** Clients per sub-instance. */
  decomposeSize: number;
  /** Share of the budget between two decomposition rounds, and share spent in one round. */
  decomposeEvery: number;
  decomposeShare: number;
  /** Population sizes of the sub-instances' searches. */
  decomposeMu: number;
  decomposeLambda: number;
  /** Share of the remaining budget the initial population may take. */
  initTimeShare: number;
}

export const DEFAULT_PARAMS: GaParams = {
  mu: 25,
  lambda: 40,
  nbElite: 4,
  nbClose: 5,
  targetFeasible: 0.3,
  nbIterNoImprovement: 20000,
  repairProbability: 0.5,
  routeMinimisation: true,
  reductionTimeShare: 0.6,
  decomposeMinClients: 450,
  decomposeSize: 120,
  decomposeEvery: 0.05,
  decomposeShare: 0.15,
  decomposeMu: 12,
  decomposeLambda: 20,
  initTimeShare: 0.3,
};

export interface Individual {
  routes: Int32Array[];
  giant: Int32Array;
  succ: Int32Array;
  pred: Int32Array;
  /** distance + fixed costs */
  cost: number;
  distance: number;
  excessLoad: number;
  timeWarp: number;
  nRoutes: number;
  feasible: boolean;
  penCost: number;
  fitness: number;
  /** Other members of the subpopulation sorted by broken-pairs distance. */
  prox: { d: number; ind: Individual }[];
}

export interface GaBudget {
  clock: () => number;
  deadline: number;
  maxIterations: number;
  targetCost: number;
  onImprovement?: (cost: number, atMs: number) => void;
  /** Optional hook (islands): called every `exchangeEvery` iterations with the best feasible solution; may return giant tours to educate and insert. */
  exchange?: (best: Individual | null) => Int32Array[] | null;
  exchangeEvery?: number;
}

export interface GaResult {
  best: Individual | null;
  bestInfeasible: Individual | null;
  iterations: number;
  restarts: number;
  bestAtMs: number;
  bestAtIteration: number;
}

/** Hybrid genetic search (Vidal et al. 2012, 2022): OX + Split + granular local search, biased fitness. */
export class Genetic {
  private readonly m: Model;
  private readonly rng: Rng;
  private readonly P: GaParams;
  private readonly splitter: Splitter;
  private readonly ls: LocalSearch;
  private feasiblePop: Individual[] = [];
  private infeasiblePop: Individual[] = [];
  pCap: number;
  pTw: number;
  private loadHist: number[] = [];
  private timeHist: number[] = [];
  private readonly slotOrder: Int32Array;
  /** Number of usable vehicle slots (lowered during vehicle reduction). */
  private fleetLimit: number;
  best: Individual | null = null;
  bestInfeasible: Individual | null = null;
  /** Decomposition rounds run, and rounds in which some group improved. */
  decompositions = 0;
  decompositionGains = 0;

  constructor(m: Model, seed: number, params: Partial<GaParams> = {}) {
    this.m = m;
    this.rng = new Rng(seed);
    this.P = { ...DEFAULT_PARAMS, ...params };
    this.splitter = new Splitter(m);
    this.ls = new LocalSearch(m, this.rng);
    this.pCap = Math.max(0.1, Math.min(1000, m.maxDist / m.maxDemand));
    this.pTw = 100;
    // slots by decreasing capacity (for assigning split routes in heterogeneous fleets)
    const so = Array.from({ length: m.nSlots }, (_, i) => i);
    so.sort((a, b) => m.slotCap[b]! - m.slotCap[a]! || a - b);
    this.slotOrder = Int32Array.from(so);
    this.fleetLimit = m.nSlots;
  }

  private setFleetLimit(k: number): void {
    this.fleetLimit = Math.max(1, Math.min(k, this.m.nSlots));
    this.ls.fleetLimit = this.fleetLimit;
  }

  private makeIndividual(routes: Int32Array[]): Individual {
    const m = this.m;
    const ev = evaluateRoutes(m, routes);
    const nC = m.nC;
    const succ = new Int32Array(nC).fill(-1);
    const pred = new Int32Array(nC).fill(-1);
    // giant tour: routes sorted by polar angle of their barycentre when coordinates exist
    const idx: number[] = [];
    for (let r = 0; r < routes.length; r++) if (routes[r]!.length > 0) idx.push(r);
    if (m.angle) {
      const ang = m.angle;
      const key = new Map<number, number>();
      for (const r of idx) {
        let sx = 0;
        let sy = 0;
        for (const c of routes[r]!) {
          sx += Math.cos(ang[c]!);
          sy += Math.sin(ang[c]!);
        }
        key.set(r, Math.atan2(sy, sx));
      }
      idx.sort((a, b) => key.get(a)! - key.get(b)! || a - b);
    }
    const giant = new Int32Array(nC);
    let k = 0;
    for (const r of idx) {
      const rt = routes[r]!;
      for (let i = 0; i < rt.length; i++) {
        const c = rt[i]!;
        giant[k++] = c;
        if (i > 0) pred[c] = rt[i - 1]!;
        if (i + 1 < rt.length) succ[c] = rt[i + 1]!;
      }
    }
    const ind: Individual = {
      routes,
      giant,
      succ,
      pred,
      cost: ev.distance + ev.fixed,
      distance: ev.distance,
      excessLoad: ev.excessLoad,
      timeWarp: ev.timeWarp,
      nRoutes: ev.nRoutes,
      feasible: ev.excessLoad === 0 && ev.timeWarp === 0,
      penCost: 0,
      fitness: 0,
      prox: [],
    };
    ind.penCost = this.penalised(ind, 1);
    return ind;
  }

  private penalised(ind: Individual, factor: number): number {
    return ind.cost + factor * (this.pCap * ind.excessLoad + this.pTw * ind.timeWarp);
  }

  /** Split a giant tour and assign routes to vehicle slots. */
  private splitToRoutes(giant: Int32Array): Int32Array[] {
    const m = this.m;
    const b = this.splitter.split(giant, this.pCap, this.pTw, this.fleetLimit);
    const routes: Int32Array[] = [];
    for (let r = 0; r + 1 < b.length; r++) routes.push(giant.slice(b[r]!, b[r + 1]!));
    const out: Int32Array[] = Array.from({ length: m.nSlots }, () => new Int32Array(0));
    if (m.homogeneous) {
      for (let r = 0; r < routes.length; r++) out[r] = routes[r]!;
      return out;
    }
    const loads = routes.map((rt) => rt.reduce((s, c) => s + m.demand[m.clientNode[c]!]!, 0));
    const ord = routes.map((_, i) => i).sort((a, c) => loads[c]! - loads[a]! || a - c);
    ord.forEach((ri, k) => {
      out[this.slotOrder[k]!] = routes[ri]!;
    });
    return out;
  }

  private educate(routes: Int32Array[], factor = 1): Int32Array[] {
    this.ls.load(routes);
    this.ls.run(this.pCap * factor, this.pTw * factor);
    return this.ls.exportRoutes();
  }

  private randomGiant(): Int32Array {
    const g = new Int32Array(this.m.nC);
    for (let i = 0; i < g.length; i++) g[i] = i;
    this.rng.shuffle(g);
    return g;
  }

  /** Sweep order around the depot from a random start angle, lightly perturbed. */
  private sweepGiant(): Int32Array {
    const ang = this.m.angle!;
    const n = this.m.nC;
    const t0 = this.rng.float() * 2 * Math.PI - Math.PI;
    const key = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let a = ang[i]! - t0;
      if (a < 0) a += 2 * Math.PI;
      key[i] = a + (this.rng.float() - 0.5) * 0.1;
    }
    const ord = Array.from({ length: n }, (_, i) => i).sort((a, b) => key[a]! - key[b]! || a - b);
    return Int32Array.from(ord);
  }

  private crossoverOX(a: Individual, b: Individual): Int32Array {
    const n = this.m.nC;
    const child = new Int32Array(n);
    if (n < 2) return a.giant.slice();
    const used = new Uint8Array(n);
    const start = this.rng.int(n);
    let end = this.rng.int(n);
    while (end === start) end = this.rng.int(n);
    let j = start;
    while (j % n !== (end + 1) % n) {
      const c = a.giant[j % n]!;
      child[j % n] = c;
      used[c] = 1;
      j++;
    }
    for (let i = 1; i <= n; i++) {
      const c = b.giant[(end + i) % n]!;
      if (used[c]) continue;
      child[j % n] = c;
      j++;
    }
    return child;
  }

  private brokenPairs(a: Individual, b: Individual): number {
    const n = this.m.nC;
    let d = 0;
    for (let j = 0; j < n; j++) {
      const sa = a.succ[j]!;
      if (sa !== b.succ[j] && sa !== b.pred[j]) d++;
      if (a.pred[j] === -1 && b.pred[j] !== -1 && b.succ[j] !== -1) d++;
    }
    return n > 0 ? d / n : 0;
  }

  private avgClose(ind: Individual): number {
    const k = Math.min(this.P.nbClose, ind.prox.length);
    if (k === 0) return 0;
    let s = 0;
    for (let i = 0; i < k; i++) s += ind.prox[i]!.d;
    return s / k;
  }

  private addToPop(ind: Individual): void {
    const pop = ind.feasible ? this.feasiblePop : this.infeasiblePop;
    for (const o of pop) {
      const d = this.brokenPairs(ind, o);
      insertSorted(o.prox, d, ind);
      insertSorted(ind.prox, d, o);
    }
    pop.push(ind);
    if (ind.feasible) {
      if (!this.best || ind.cost < this.best.cost - 1e-9) this.best = ind;
    } else if (!this.bestInfeasible || ind.penCost < this.bestInfeasible.penCost) this.bestInfeasible = ind;
    if (pop.length > this.P.mu + this.P.lambda) {
      while (pop.length > this.P.mu) this.removeWorst(pop);
    }
  }

  private updateFitness(pop: Individual[]): void {
    const n = pop.length;
    if (n === 1) {
      pop[0]!.fitness = 0;
      return;
    }
    for (const ind of pop) ind.penCost = this.penalised(ind, 1);
    const byCost = pop.map((_, i) => i).sort((a, b) => pop[a]!.penCost - pop[b]!.penCost || a - b);
    const rankCost = new Float64Array(n);
    byCost.forEach((i, r) => (rankCost[i] = r / (n - 1)));
    const div = pop.map((ind) => this.avgClose(ind));
    const byDiv = pop.map((_, i) => i).sort((a, b) => div[b]! - div[a]! || a - b);
    const nbElite = Math.min(this.P.nbElite, n);
    byDiv.forEach((i, r) => {
      pop[i]!.fitness = rankCost[i]! + (1 - nbElite / n) * (r / (n - 1));
    });
  }

  private removeWorst(pop: Individual[]): void {
    this.updateFitness(pop);
    let worst = -1;
    let worstClone = false;
    let worstFit = -Infinity;
    for (let i = 0; i < pop.length; i++) {
      const ind = pop[i]!;
      const clone = ind.prox.length > 0 && ind.prox[0]!.d < 1e-9;
      if ((clone && !worstClone) || (clone === worstClone && ind.fitness > worstFit)) {
        worst = i;
        worstClone = clone;
        worstFit = ind.fitness;
      }
    }
    if (worst < 0) worst = pop.length - 1;
    const gone = pop[worst]!;
    pop.splice(worst, 1);
    for (const o of pop) {
      const k = o.prox.findIndex((p) => p.ind === gone);
      if (k >= 0) o.prox.splice(k, 1);
    }
  }

  private tournament(): Individual {
    const fs = this.feasiblePop.length;
    const total = fs + this.infeasiblePop.length;
    const pick = (): Individual => {
      const k = this.rng.int(total);
      return k < fs ? this.feasiblePop[k]! : this.infeasiblePop[k - fs]!;
    };
    const a = pick();
    const b = pick();
    return a.fitness < b.fitness ? a : b;
  }

  private managePenalties(): void {
    const adjust = (hist: number[], p: number): number => {
      if (hist.length === 0) return p;
      const frac = hist.reduce((s, x) => s + x, 0) / hist.length;
      const t = this.P.targetFeasible;
      if (frac < t - 0.05) return Math.min(p * 1.2, 1e6);
      if (frac > t + 0.05) return Math.max(p * 0.85, 0.01);
      return p;
    };
    this.pCap = adjust(this.loadHist, this.pCap);
    if (this.m.hasTime) this.pTw = adjust(this.timeHist, this.pTw);
    this.loadHist = [];
    this.timeHist = [];
    for (const pop of [this.infeasiblePop]) this.updateFitness(pop);
  }

  private record(ind: Individual): void {
    this.loadHist.push(ind.excessLoad === 0 ? 1 : 0);
    this.timeHist.push(ind.timeWarp === 0 ? 1 : 0);
  }

  /** Educates, records, inserts and repairs a new solution. */
  private handle(routes: Int32Array[]): void {
    const ind = this.makeIndividual(this.educate(routes));
    this.record(ind);
    this.addToPop(ind);
    if (!ind.feasible && this.rng.float() < this.P.repairProbability) {
      const rep = this.makeIndividual(this.educate(ind.routes.map((r) => r.slice()), 10));
      if (rep.feasible) this.addToPop(rep);
    }
  }

  /**
   * One decomposition round on the best solution: each group of routes (by barycentre angle) is
   * solved as its own instance, starting from its current routes, within `ms` in all; the groups
   * that improved replace theirs and the whole is educated and added to the population.
   */
  private decompose(budget: GaBudget, ms: number): void {
    const m = this.m;
    const best = this.best!;
    const groups = groupRoutesByAngle(m, best.routes, this.P.decomposeSize, this.rng.int(Math.max(1, best.nRoutes)));
    if (groups.length < 2) return;
    this.decompositions++;
    const end = Math.min(budget.deadline, budget.clock() + ms);
    const local = new Int32Array(m.nC);
    const out: Int32Array[] = [];
    let improved = false;
    for (let g = 0; g < groups.length; g++) {
      const grp = groups[g]!;
      const now = budget.clock();
      const slice = (end - now) / (groups.length - g);
      if (slice < 20) {
        out.push(...grp);
        continue;
      }
      const clients: number[] = [];
      for (const rt of grp) for (const c of rt) clients.push(c);
      clients.forEach((c, k) => (local[c] = k));
      const sub = subModel(m, clients, grp.length + 2);
      const start: Int32Array[] = Array.from({ length: sub.nSlots }, (_, r) => (r < grp.length ? Int32Array.from(grp[r]!, (c) => local[c]!) : new Int32Array(0)));
      const before = evaluateRoutes(sub, start);
      const ga = new Genetic(sub, this.rng.nextU32(), { ...this.P, mu: this.P.decomposeMu, lambda: this.P.decomposeLambda, decomposeMinClients: Infinity, routeMinimisation: false });
      ga.inject(start);
      const res = ga.run({ clock: budget.clock, deadline: now + slice, maxIterations: Infinity, targetCost: -Infinity });
      const b = res.best;
      if (b && b.cost < before.distance + before.fixed - 1e-9) {
        for (const rt of b.routes) if (rt.length > 0) out.push(Int32Array.from(rt, (c) => clients[c]!));
        improved = true;
      } else out.push(...grp);
    }
    if (!improved || out.length > m.nSlots) return;
    this.decompositionGains++;
    while (out.length < m.nSlots) out.push(new Int32Array(0));
    this.handle(out);
  }

  /** Injects given routes (e.g. an elite received from another thread). */
  inject(routes: Int32Array[]): void {
    const ind = this.makeIndividual(routes.map((r) => r.slice()));
    this.addToPop(ind);
  }

  run(budget: GaBudget): GaResult {
    const t0 = budget.clock();
    const P = this.P;
    let it = 0;
    let restarts = 0;
    let bestAtMs = 0;
    let bestAtIteration = 0;
    let lastImprove = 0;
    let bestCost = Infinity;
    const timeUp = (): boolean => budget.clock() >= budget.deadline;
    if (Number.isFinite(budget.deadline)) this.ls.stop = timeUp;

    const noteBest = (): void => {
      if (this.best && this.best.cost < bestCost - 1e-9) {
        bestCost = this.best.cost;
        bestAtMs = budget.clock() - t0;
        bestAtIteration = it;
        lastImprove = it;
        budget.onImprovement?.(bestCost, bestAtMs);
      }
    };
    const init = (): void => {
      // with a short budget on a large instance, stop building the initial population early
      const now = budget.clock();
      const initDeadline = now + P.initTimeShare * (budget.deadline - now);
      for (let k = 0; k < 4 * P.mu; k++) {
        if (k > 0 && (timeUp() || (k >= 4 && budget.clock() >= initDeadline))) break;
        const sweep = this.m.angle !== null && k % 2 === 1;
        this.handle(this.splitToRoutes(sweep ? this.sweepGiant() : this.randomGiant()));
        if (k % 100 === 99) this.managePenalties();
        noteBest();
      }
      this.updateFitness(this.feasiblePop);
      this.updateFitness(this.infeasiblePop);
    };
    init();
    let bestEver = this.best;
    const m = this.m;
    let reducing = P.routeMinimisation && m.homogeneous && m.slotFixed[0]! > 0 && m.nC > 1;
    let reduceStart = 0;
    let reduceStartMs = 0;
    const reduceUntil = t0 + P.reductionTimeShare * (budget.deadline - t0);
    const reduceMaxIt = P.reductionTimeShare * budget.maxIterations;
    // one attempt at k − 1 vehicles gets at most this share of the budget
    const attemptMs = 0.25 * (budget.deadline - t0);
    const attemptIt = Math.min(P.nbIterNoImprovement / 2, 0.25 * budget.maxIterations);
    let saved: { f: Individual[]; i: Individual[]; pCap: number; pTw: number } | null = null;
    const restartWith = (limit: number): void => {
      this.setFleetLimit(limit);
      this.feasiblePop = [];
      this.infeasiblePop = [];
      const keep = this.best;
      if (keep) {
        this.handle(this.splitToRoutes(keep.giant));
        this.best = keep;
      }
      init();
      lastImprove = it;
    };
    const startAttempt = (limit: number): void => {
      saved = { f: this.feasiblePop, i: this.infeasiblePop, pCap: this.pCap, pTw: this.pTw };
      reduceStart = it;
      reduceStartMs = budget.clock();
      restartWith(limit);
    };
    if (reducing && this.best) startAttempt(this.best.nRoutes - 1);
    const decomposing = Number.isFinite(budget.deadline) && m.homogeneous && m.nC >= P.decomposeMinClients;
    let nextDecomposition = budget.clock() + P.decomposeEvery * (budget.deadline - t0);
        while (it < budget.maxIterations && !timeUp() && bestCost > budget.targetCost) {
      it++;
      if (reducing) {
        const b = this.best;
        const now = budget.clock();
        const stop =
          now >= reduceUntil || it >= reduceMaxIt || (b !== null && b.nRoutes > this.fleetLimit && (it - reduceStart > attemptIt || now - reduceStartMs > attemptMs));
        if (b && b.nRoutes <= this.fleetLimit && !stop) {
          startAttempt(b.nRoutes - 1);
        } else if (stop && b) {
          // back to the best fleet size, with the population that found it
          reducing = false;
          this.setFleetLimit(b.nRoutes);
          const sv = saved as { f: Individual[]; i: Individual[]; pCap: number; pTw: number } | null;
          if (sv && b.nRoutes <= this.fleetLimit) {
            this.feasiblePop = sv.f;
            this.infeasiblePop = sv.i;
            this.pCap = sv.pCap;
            this.pTw = sv.pTw;
            if (!this.feasiblePop.includes(b)) this.addToPop(b);
            this.updateFitness(this.feasiblePop);
            this.updateFitness(this.infeasiblePop);
            lastImprove = it;
          } else restartWith(b.nRoutes);
        }
      }
      const a = this.tournament();
      const b = this.tournament();
      const child = this.crossoverOX(a, b);
      this.handle(this.splitToRoutes(child));
      noteBest();
      if (decomposing && !reducing && this.best && budget.clock() >= nextDecomposition) {
        this.decompose(budget, P.decomposeShare * (budget.deadline - t0));
        noteBest();
        nextDecomposition = budget.clock() + P.decomposeEvery * (budget.deadline - t0);
      }
      if (it % 100 === 0) {
        this.managePenalties();
        this.updateFitness(this.feasiblePop);
      } else if (it % 10 === 0) {
        this.updateFitness(this.feasiblePop);
        this.updateFitness(this.infeasiblePop);
      }
      if (budget.exchange && budget.exchangeEvery && it % budget.exchangeEvery === 0) {
        const got = budget.exchange(this.best);
        if (got) for (const g of got) this.handle(this.splitToRoutes(g));
        noteBest();
      }
      if (it - lastImprove > P.nbIterNoImprovement) {
        if (this.best && (!bestEver || this.best.cost < bestEver.cost)) bestEver = this.best;
        this.feasiblePop = [];
        this.infeasiblePop = [];
        this.best = null;
        restarts++;
        lastImprove = it;
        init();
        const nb = this.best as Individual | null;
        if (bestEver && (!nb || bestEver.cost <= nb.cost)) this.best = bestEver;
      }
    }
    if (bestEver && (!this.best || bestEver.cost < this.best.cost)) this.best = bestEver;
    return { best: this.best, bestInfeasible: this.bestInfeasible, iterations: it, restarts, bestAtMs, bestAtIteration };
  }
}

function insertSorted(list: { d: number; ind: Individual }[], d: number, ind: Individual): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.d <= d) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, { d, ind });
}
