import type { Model } from './model.ts';

export interface Evaluation {
  distance: number;
  fixed: number;
  excessLoad: number;
  timeWarp: number;
  nRoutes: number;
}

/** Exact evaluation of routes (client ids per vehicle slot) with time-warp segments. */
export function evaluateRoutes(m: Model, routes: ArrayLike<Int32Array>): Evaluation {
  const N = m.N;
  let distance = 0;
  let fixed = 0;
  let excessLoad = 0;
  let timeWarp = 0;
  let nRoutes = 0;
  for (let r = 0; r < routes.length; r++) {
    const rt = routes[r]!;
    if (rt.length === 0) continue;
    nRoutes++;
    fixed += m.slotFixed[r]!;
    const T = m.times[m.slotTime[r]!]!;
    const dep = m.slotDepot[r]!;
    let last = dep;
    let load = 0;
    let sD = 0;
    let sTW = 0;
    let sE = m.slotEarly[r]!;
    let sL = m.slotLate[r]!;
    const step = (node: number, e2: number, l2: number, s2: number): void => {
      const k = last * N + node;
      distance += m.dist[k]!;
      const t = T[k]!;
      const delta = sD - sTW + t;
      const dWT = Math.max(e2 - delta - sL, 0);
      const dTW = Math.max(sE + delta - l2, 0);
      sD = sD + s2 + t + dWT;
      sTW += dTW;
      sE = Math.max(e2 - delta, sE) - dWT;
      sL = Math.min(l2 - delta, sL) + dTW;
      last = node;
    };
    for (let k = 0; k < rt.length; k++) {
      const node = m.clientNode[rt[k]!]!;
      load += m.demand[node]!;
      step(node, m.early[node]!, m.late[node]!, m.service[node]!);
    }
    step(dep, m.slotEarly[r]!, m.slotLate[r]!, 0);
    if (load > m.slotCap[r]!) excessLoad += load - m.slotCap[r]!;
    if (m.hasTime) timeWarp += sTW + Math.max(0, sD - m.slotMaxDur[r]!);
  }
  return { distance, fixed, excessLoad, timeWarp, nRoutes };
}
