/**
 * The weekly planner (periodic VRP with bus co-transport). Pure: no I/O, no hidden clock or
 * randomness (seeded; the clock is injected and only read when a time limit is given).
 *
 * Per outlet:
 *   1. feasible days of each village = its allowed days ∩ the days the outlet's carriers work;
 *   2. initial visit-day patterns: evenly spread rotations (Mon/Wed/Fri, Tue/Thu/Sat, …), villages
 *      swept by bearing from the outlet into as many sectors as there are rotations, so each day's
 *      carrier covers a compact part of the area instead of the whole loop;
 *   3. each day: a VRP (cheapest insertion + relocate/2-opt) with that day's vehicles (capacity,
 *      duration limit, service times, mountain speed);
 *   4. local search over patterns: a village moves to another pattern when the removal savings
 *      on the days it leaves exceed the cheapest insertion costs on the days it joins.
 * Then, over the whole scope:
 *   5. bus co-transport: a village with a bus stop and trips on at least its minimum number of
 *      allowed days is served by bus when the weekly fee (parcels × fee per parcel) is below the
 *      carrier cost its visits add (removal savings), trip capacities respected (greedy, best
 *      saving first); villages whose carrier days cannot meet the rule take the bus when one exists;
 *   6. each distinct (outlet, day) problem is polished by @cuntong/solver (HGS) and the result kept
 *      when it is cheaper and within limits;
 *   7. the frequency report re-derives every village's visit days from the final routes and bus
 *      services and checks the rule.
 */
import { greatCircleM, seededRandom, bearingDeg } from '@cuntong/domain/network/geo.ts';
import { DEFAULT_DETOUR_FACTOR, type LonLat, type Weekday } from '@cuntong/domain/network/types.ts';
import { solve, type Problem } from '@cuntong/solver';
import { buildDay, bestInsertion, cloneDay, dayFeasible, evalSeq, improveDay, removalSaving, removeNode, stateCost, type DayState, type DayVehicle, type Env } from './dayvrp.ts';
import { candidatePatterns, daysLabel, feasibleDays } from './patterns.ts';
import type { BusService, BusTripLoad, DayRoute, FrequencyRow, PlanBusLine, PlanDepot, PlanInput, PlanVehicle, PlanVillage, Suggestion, WeeklyPlan } from './types.ts';

interface VillageCtx {
  v: PlanVillage;
  node: number;
  feasible: Weekday[];
  candidates: Weekday[][];
  pattern: Weekday[];
  /** The rule cannot be met by carriers alone (too few working days). */
  short: boolean;
  bus?: BusService;
  /** Why a bus on the village's line was not used. */
  busNote?: string;
}

interface DepotCtx {
  depot: PlanDepot;
  env: Env;
  vehicles: PlanVehicle[];
  villages: VillageCtx[];
  days: Map<Weekday, DayState>;
  workingDays: Set<Weekday>;
}

const hhmm = (s: number): string => {
  const m = Math.round(s / 60);
  return `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};
const parseHhmm = (t: string): number => {
  const [h, m] = t.split(':').map(Number);
  return ((h ?? 0) * 60 + (m ?? 0)) * 60;
};

export async function planWeek(input: PlanInput): Promise<WeeklyPlan> {
  const o = input.options ?? {};
  const seed = o.seed ?? 1;
  const clock = o.clock ?? (() => 0);
  const t0 = clock();
  const deadline = o.timeLimitMs === undefined ? Infinity : t0 + o.timeLimitMs;
  const timeLeft = () => deadline - clock();
  const solverIterations = o.solverIterations ?? 60;
  const kgPerParcel = o.kgPerParcel ?? 1.5;
  const shiftStartS = o.shiftStartS ?? 8 * 3600;
  const warnings: string[] = [];
  const rnd = seededRandom(seed);
  let patternMoves = 0;
  let timedOut = false;

  // ---- group by outlet -------------------------------------------------------------------------
  const depotById = new Map(input.depots.map((d) => [d.id, d]));
  const vehiclesByDepot = new Map<string, PlanVehicle[]>();
  for (const v of [...input.vehicles].sort((a, b) => cmp(a.code, b.code))) {
    if (!depotById.has(v.depotId)) {
      warnings.push(`vehicle ${v.code}: unknown outlet ${v.depotId}, ignored`);
      continue;
    }
    vehiclesByDepot.set(v.depotId, [...(vehiclesByDepot.get(v.depotId) ?? []), v]);
  }
  const villagesByDepot = new Map<string, PlanVillage[]>();
  for (const v of [...input.villages].sort((a, b) => cmp(a.code, b.code))) villagesByDepot.set(v.depotId, [...(villagesByDepot.get(v.depotId) ?? []), v]);

  const ctxs: DepotCtx[] = [];
  const unplanned: PlanVillage[] = [];
  const progress = o.onProgress ?? (() => {});
  const depotIds = [...villagesByDepot.keys()].sort(cmp);
  let depotDone = 0;
  for (const depotId of depotIds) {
    progress((0.3 * depotDone++) / Math.max(1, depotIds.length), 'distances');
    const depot = depotById.get(depotId);
    const vs = villagesByDepot.get(depotId) ?? [];
    const vehicles = vehiclesByDepot.get(depotId) ?? [];
    if (!depot || vehicles.length === 0) {
      warnings.push(`outlet ${depotId}: ${vs.length} villages but no ${depot ? 'vehicle' : 'such outlet'}`);
      unplanned.push(...vs);
      continue;
    }
    const points: LonLat[] = [[depot.lon, depot.lat], ...vs.map((v): LonLat => [v.lon, v.lat])];
    const m = await input.distance.matrix(points);
    const workingDays = new Set<Weekday>(vehicles.flatMap((v) => v.workingDays));
    const villages: VillageCtx[] = vs.map((v, i) => {
      const feas = feasibleDays(v.allowedDays, workingDays);
      const short = feas.length < v.minVisitsPerWeek;
      const candidates = short ? [feas] : candidatePatterns(v.minVisitsPerWeek, feas);
      return { v, node: i + 1, feasible: feas, candidates, pattern: candidates[0] ?? [], short };
    });
    const env: Env = {
      n: m.n,
      dist: m.distanceM,
      perHourFen: input.costs.perHourFen,
      nodes: [{ demandKg: 0, serviceS: 0 }, ...villages.map((c) => ({ demandKg: (c.v.parcelsPerWeek / Math.max(1, c.pattern.length)) * kgPerParcel, serviceS: c.v.serviceS }))],
    };
    const ctx: DepotCtx = { depot, env, vehicles, villages, days: new Map(), workingDays };
    initialPatterns(ctx);
    ctxs.push(ctx);
  }

  const dayVehicles = (ctx: DepotCtx, day: Weekday): DayVehicle[] =>
    ctx.vehicles
      .map((v, ref) => ({ v, ref }))
      .filter(({ v }) => v.workingDays.includes(day))
      .map(({ v, ref }) => ({ ref, capacityKg: v.capacityKg, speedMs: (v.speedKmh * 1000) / 3600, maxDurationS: v.maxDurationS, perKmFen: input.costs.perKmFen[v.vehicleType] }));
  const clientsOn = (ctx: DepotCtx, day: Weekday): number[] => ctx.villages.filter((c) => !c.bus && c.pattern.includes(day)).map((c) => c.node);
  const rebuild = (ctx: DepotCtx, day: Weekday) => {
    ctx.days.set(day, buildDay(ctx.env, dayVehicles(ctx, day), clientsOn(ctx, day)));
  };

  // ---- days and the pattern local search ----------------------------------------------------------
  progress(0.3, 'patterns');
  for (const ctx of ctxs) {
    for (const day of [...ctx.workingDays].sort()) rebuild(ctx, day);
    patternSearch(ctx, o.patternPasses ?? 4);
  }

  /** Passes of pattern moves (villages by carrier with more than one rotation), days re-improved after each. */
  function patternSearch(ctx: DepotCtx, passes: number): void {
    const movable = ctx.villages.filter((c) => !c.bus && c.candidates.length > 1);
    for (let pass = 0; pass < passes && movable.length > 0; pass++) {
      if (timeLeft() <= 0) {
        timedOut = true;
        break;
      }
      let moved = 0;
      for (const c of shuffle(movable, rnd)) {
        const best = bestPatternMove(ctx, c);
        if (best) {
          applyPattern(ctx, c, best);
          moved++;
        }
      }
      patternMoves += moved;
      if (moved === 0) break;
      for (const day of ctx.workingDays) improveDay(ctx.env, ctx.days.get(day) as DayState, 5);
    }
  }

  function bestPatternMove(ctx: DepotCtx, c: VillageCtx): Weekday[] | undefined {
    let best: Weekday[] | undefined;
    let bestDelta = -1; // fen: only clear improvements
    const savingOf = new Map<Weekday, number>();
    for (const day of c.pattern) savingOf.set(day, removalSaving(ctx.env, ctx.days.get(day) as DayState, c.node));
    for (const p of c.candidates) {
      if (sameDays(p, c.pattern)) continue;
      let delta = 0;
      let ok = true;
      for (const day of c.pattern) if (!p.includes(day)) delta -= savingOf.get(day) ?? 0;
      for (const day of p) {
        if (c.pattern.includes(day)) continue;
        const ins = bestInsertion(ctx.env, ctx.days.get(day) as DayState, c.node);
        if (!ins || !ins.feasible) {
          ok = false;
          break;
        }
        delta += ins.delta;
      }
      if (ok && delta < bestDelta) {
        bestDelta = delta;
        best = p;
      }
    }
    return best;
  }

  function applyPattern(ctx: DepotCtx, c: VillageCtx, p: Weekday[]): void {
    for (const day of c.pattern) if (!p.includes(day)) removeNode(ctx.days.get(day) as DayState, c.node);
    for (const day of p) {
      if (c.pattern.includes(day)) continue;
      bestInsertion(ctx.env, ctx.days.get(day) as DayState, c.node)?.apply();
    }
    c.pattern = p;
  }

  // ---- bus co-transport ---------------------------------------------------------------------------
  progress(0.45, 'bus');
  const busServices: BusService[] = [];
  const tripLoad = new Map<string, number>(); // `${tripId}|${day}` → parcels
  const tripVillages = new Map<string, string[]>();
  if (o.useBus ?? true) {
    const lineOptions = busOptionsByVillage(input.busLines, o.busSpeedKmh ?? 30);
    interface Cand { ctx: DepotCtx; c: VillageCtx; saving: number }
    const cands: Cand[] = [];
    for (const ctx of ctxs) {
      for (const c of ctx.villages) {
        if (!lineOptions.has(c.v.code)) continue;
        let saving = 0;
        for (const day of c.pattern) saving += removalSaving(ctx.env, ctx.days.get(day) as DayState, c.node);
        cands.push({ ctx, c, saving });
      }
    }
    // Villages that cannot meet their rule by carrier first, then the largest net savings.
    const net = (x: Cand) => x.saving - x.c.v.parcelsPerWeek * Math.min(...(lineOptions.get(x.c.v.code) ?? []).flatMap((l) => l.trip.feePerParcelFen));
    cands.sort((a, b) => Number(b.c.short) - Number(a.c.short) || net(b) - net(a) || cmp(a.c.v.code, b.c.v.code));
    for (const { ctx, c } of cands) {
      // fresh: earlier bus choices may have changed this village's routes
      let saving = 0;
      for (const day of c.pattern) saving += removalSaving(ctx.env, ctx.days.get(day) as DayState, c.node);
      const options = [...(lineOptions.get(c.v.code) ?? [])].sort((a, b) => a.trip.feePerParcelFen - b.trip.feePerParcelFen || cmp(a.trip.id, b.trip.id));
      for (const opt of options) {
        const fee = Math.round(c.v.parcelsPerWeek * opt.trip.feePerParcelFen);
        if (!c.short && fee >= saving) {
          c.busNote ??= `carrier kept: bus ${opt.line.code} would cost ¥${(fee / 100).toFixed(2)}/week, its visits add ¥${(saving / 100).toFixed(2)} of carrier cost`;
          break; // options sorted by fee: none cheaper
        }
        let days = opt.trip.days.filter((day) => c.v.allowedDays.includes(day));
        if (days.length < c.v.minVisitsPerWeek) {
          c.busNote ??= `carrier kept: bus ${opt.line.code} ${opt.trip.departure} runs on ${days.length} allowed days, fewer than ${c.v.minVisitsPerWeek}`;
          continue;
        }
        const perVisit = (n: number) => Math.ceil(c.v.parcelsPerWeek / n);
        // drop days whose trip is full while the rule can still be met
        let ppv = perVisit(days.length);
        days = days.filter((day) => (tripLoad.get(`${opt.trip.id}|${day}`) ?? 0) + ppv <= opt.trip.capacityParcels);
        ppv = perVisit(Math.max(1, days.length));
        if (days.length < c.v.minVisitsPerWeek || days.some((day) => (tripLoad.get(`${opt.trip.id}|${day}`) ?? 0) + ppv > opt.trip.capacityParcels)) {
          c.busNote ??= `carrier kept: bus ${opt.line.code} ${opt.trip.departure} has no room for ${ppv} parcels on enough days (capacity ${opt.trip.capacityParcels})`;
          continue;
        }
        for (const day of days) {
          const k = `${opt.trip.id}|${day}`;
          tripLoad.set(k, (tripLoad.get(k) ?? 0) + ppv);
          tripVillages.set(k, [...(tripVillages.get(k) ?? []), c.v.code]);
        }
        const svc: BusService = {
          villageCode: c.v.code,
          lineId: opt.line.id,
          lineCode: opt.line.code,
          tripId: opt.trip.id,
          days,
          arrival: hhmm(parseHhmm(opt.trip.departure) + opt.offsetS),
          parcelsPerVisit: ppv,
          weeklyFeeFen: fee,
          carrierCostSavedFen: Math.round(saving),
          reason: c.short
            ? `carriers work on ${c.feasible.length} of the needed ${c.v.minVisitsPerWeek} days; bus ${opt.line.code} runs ${daysLabel(days)}`
            : `bus ${opt.line.code} ${opt.trip.departure} ${daysLabel(days)}: ¥${(fee / 100).toFixed(2)}/week for ${c.v.parcelsPerWeek} parcels < ¥${(saving / 100).toFixed(2)} of carrier detours saved`,
        };
        c.bus = svc;
        delete c.busNote;
        busServices.push(svc);
        for (const day of c.pattern) removeNode(ctx.days.get(day) as DayState, c.node);
        break;
      }
    }
    for (const ctx of ctxs) {
      if (!ctx.villages.some((c) => c.bus)) continue;
      for (const day of ctx.workingDays) improveDay(ctx.env, ctx.days.get(day) as DayState, 10);
      patternSearch(ctx, 2); // the bus took villages off some days: patterns may rebalance
    }
  }

  // ---- solver polish ---------------------------------------------------------------------------------
  let problems = 0;
  let solverCalls = 0;
  let solverImproved = 0;
  if (solverIterations > 0) {
    let ctxDone = 0;
    for (const ctx of ctxs) {
      progress(0.55 + (0.4 * ctxDone++) / Math.max(1, ctxs.length), 'solver');
      const done = new Map<string, DayState>();
      for (const day of [...ctx.workingDays].sort()) {
        const s = ctx.days.get(day) as DayState;
        const clients = s.routes.flatMap((r) => r.seq).sort((a, b) => a - b);
        if (clients.length < 3) continue;
        const key = `${clients.join(',')}|${s.vehicles.map((v) => v.ref).join(',')}`;
        const prev = done.get(key);
        if (prev) {
          ctx.days.set(day, cloneDay(prev));
          continue;
        }
        problems++;
        if (timeLeft() <= 0) {
          timedOut = true;
          done.set(key, s);
          continue;
        }
        solverCalls++;
        const polished = polish(ctx.env, s, clients, seed, solverIterations, Number.isFinite(deadline) ? Math.max(50, timeLeft() / 4) : undefined, clock);
        if (polished && stateCost(ctx.env, polished) < stateCost(ctx.env, s) - 1e-3) {
          solverImproved++;
          ctx.days.set(day, polished);
          done.set(key, polished);
        } else done.set(key, s);
      }
    }
  }
  if (timedOut) warnings.push('time limit reached: some days kept the construction heuristic without solver polish');

  // ---- output ----------------------------------------------------------------------------------------
  progress(0.97, 'report');
  const routes: DayRoute[] = [];
  const carrierDays = new Map<string, Set<Weekday>>();
  for (const ctx of ctxs) {
    for (const day of [...ctx.workingDays].sort()) {
      const s = ctx.days.get(day) as DayState;
      const clockOf = new Map<number, number>(); // vehicle → time it is back at the outlet
      const tripsOf = new Map<number, number>();
      const totalOf = new Map<number, number>();
      for (const r of s.routes) totalOf.set(r.v, (totalOf.get(r.v) ?? 0) + evalSeq(ctx.env, s.vehicles[r.v] as DayVehicle, r.seq).durationS);
      for (const r of [...s.routes].sort((a, b) => a.v - b.v)) {
        if (r.seq.length === 0) continue;
        const dv = s.vehicles[r.v] as DayVehicle;
        const veh = ctx.vehicles[dv.ref] as PlanVehicle;
        const e = evalSeq(ctx.env, dv, r.seq);
        const start = clockOf.get(r.v) ?? shiftStartS;
        const trip = (tripsOf.get(r.v) ?? 0) + 1;
        tripsOf.set(r.v, trip);
        let t = start;
        let prev = 0;
        const stops = r.seq.map((node) => {
          const c = ctx.villages[node - 1] as VillageCtx;
          const leg = ctx.env.dist[prev * ctx.env.n + node] ?? 0;
          t += leg / dv.speedMs;
          const stop = { villageCode: c.v.code, arrivalS: Math.round(t), arrival: hhmm(t), legM: Math.round(leg), parcels: round1(c.v.parcelsPerWeek / Math.max(1, c.pattern.length)) };
          t += c.v.serviceS;
          prev = node;
          const set = carrierDays.get(c.v.code) ?? new Set<Weekday>();
          set.add(day);
          carrierDays.set(c.v.code, set);
          return stop;
        });
        clockOf.set(r.v, start + e.durationS);
        const overLoad = e.loadKg > dv.capacityKg + 1e-6;
        const overTime = (totalOf.get(r.v) ?? 0) > dv.maxDurationS + 1e-6;
        routes.push({
          day, vehicleId: veh.id, vehicleCode: veh.code, trip, depotId: ctx.depot.id, vehicleType: veh.vehicleType, stops,
          distanceM: Math.round(e.distanceM), durationS: Math.round(e.durationS), returnS: Math.round(start + e.durationS), loadKg: round1(e.loadKg), costFen: Math.round(e.costFen), overLimit: overLoad || overTime,
        });
        if (overLoad || overTime) warnings.push(`${veh.code} day ${day}${trip > 1 ? ` trip ${trip}` : ''}: over its ${overLoad ? 'capacity' : 'daily duration limit'}`);
      }
    }
  }
  routes.sort((a, b) => a.day - b.day || cmp(a.depotId, b.depotId) || cmp(a.vehicleCode, b.vehicleCode) || a.trip - b.trip);

  const frequency: FrequencyRow[] = [];
  const busByVillage = new Map(busServices.map((b) => [b.villageCode, b]));
  for (const ctx of ctxs) {
    for (const c of ctx.villages) {
      const row = frequencyRow(c.v, ctx.depot.id, c.pattern, [...(carrierDays.get(c.v.code) ?? [])], busByVillage.get(c.v.code)?.days ?? [], c.short && !c.bus ? `only ${c.feasible.length} allowed working days at the outlet and no usable bus` : undefined);
      if (c.busNote) row.busNote = c.busNote;
      frequency.push(row);
    }
  }
  for (const v of unplanned) frequency.push(frequencyRow(v, v.depotId, [], [], [], 'no vehicle at its outlet'));
  frequency.sort((a, b) => cmp(a.villageCode, b.villageCode));

  const busLoads: BusTripLoad[] = [];
  const lineByTrip = new Map<string, { line: PlanBusLine; cap: number }>();
  for (const l of input.busLines) for (const t of l.trips) lineByTrip.set(t.id, { line: l, cap: t.capacityParcels });
  for (const [k, parcels] of [...tripLoad.entries()].sort((a, b) => cmp(a[0], b[0]))) {
    const [tripId, dayS] = k.split('|');
    const info = lineByTrip.get(tripId ?? '');
    busLoads.push({ tripId: tripId ?? '', lineCode: info?.line.code ?? '', day: Number(dayS) as Weekday, parcels, capacityParcels: info?.cap ?? 0, villages: tripVillages.get(k) ?? [] });
  }

  const carrierCostFen = routes.reduce((a, r) => a + r.costFen, 0);
  const busFeeFen = busServices.reduce((a, b) => a + b.weeklyFeeFen, 0);
  return {
    routes,
    bus: busServices.sort((a, b) => cmp(a.villageCode, b.villageCode)),
    busLoads,
    frequency,
    totals: {
      distanceM: routes.reduce((a, r) => a + r.distanceM, 0),
      durationS: routes.reduce((a, r) => a + r.durationS, 0),
      carrierCostFen,
      busFeeFen,
      costFen: carrierCostFen + busFeeFen,
      trips: routes.length,
    },
    suggestions: crossOutletSuggestions(ctxs, input),
    warnings,
    stats: { depots: ctxs.length, problems, solverCalls, solverImproved, patternMoves, elapsedMs: Math.round(clock() - t0), timedOut },
  };
}

function frequencyRow(v: PlanVillage, depotId: string, pattern: Weekday[], carrier: Weekday[], bus: Weekday[], reason?: string): FrequencyRow {
  const allowed = new Set(v.allowedDays);
  const days = new Set([...carrier, ...bus].filter((d) => allowed.has(d)));
  const met = days.size >= v.minVisitsPerWeek;
  const row: FrequencyRow = {
    villageCode: v.code, depotId, minVisitsPerWeek: v.minVisitsPerWeek, allowedDays: [...v.allowedDays].sort(), pattern,
    carrierDays: [...carrier].sort(), busDays: [...bus].sort(), visitsPerWeek: days.size,
    mode: bus.length > 0 ? 'bus' : carrier.length > 0 ? 'carrier' : 'none', met,
  };
  if (!met) row.reason = reason ?? 'not enough visit days';
  return row;
}

/** Sector sweep: villages sorted by bearing (from the widest gap) get the rotations in contiguous blocks. */
function initialPatterns(ctx: DepotCtx): void {
  const groups = new Map<string, VillageCtx[]>();
  for (const c of ctx.villages) {
    const key = c.candidates.map((p) => p.join('')).join('|');
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const origin: LonLat = [ctx.depot.lon, ctx.depot.lat];
  for (const key of [...groups.keys()].sort()) {
    const list = groups.get(key) ?? [];
    const k = list[0]?.candidates.length ?? 1;
    if (k <= 1) continue;
    const withB = list.map((c) => ({ c, b: bearingDeg(origin, [c.v.lon, c.v.lat]) })).sort((a, b) => a.b - b.b || cmp(a.c.v.code, b.c.v.code));
    let gapAt = 0;
    let gap = -1;
    withB.forEach((x, i) => {
      const next = withB[(i + 1) % withB.length];
      const g = next ? (next.b - x.b + 360) % 360 || (withB.length === 1 ? 360 : 0) : 0;
      if (g > gap) {
        gap = g;
        gapAt = (i + 1) % withB.length;
      }
    });
    const sorted = [...withB.slice(gapAt), ...withB.slice(0, gapAt)];
    sorted.forEach((x, i) => {
      const sector = Math.min(k - 1, Math.floor((i * k) / sorted.length));
      x.c.pattern = x.c.candidates[sector] ?? x.c.pattern;
    });
  }
}

interface BusOption {
  line: PlanBusLine;
  trip: PlanBusLine['trips'][number];
  /** Seconds from the line's first stop to the village stop. */
  offsetS: number;
}

/** Villages reachable by a bus trip: a stop at the village after a loading stop at an outlet. */
function busOptionsByVillage(lines: readonly PlanBusLine[], speedKmh: number): Map<string, BusOption[]> {
  const out = new Map<string, BusOption[]>();
  for (const line of [...lines].sort((a, b) => cmp(a.code, b.code))) {
    const stops = [...line.stops].sort((a, b) => a.seq - b.seq);
    let loaded = false;
    let along = 0;
    stops.forEach((s, i) => {
      const prev = stops[i - 1];
      if (prev) along += greatCircleM([prev.lon, prev.lat], [s.lon, s.lat]) * DEFAULT_DETOUR_FACTOR;
      if (s.villageCode && loaded) {
        const offsetS = along / ((speedKmh * 1000) / 3600);
        for (const trip of line.trips) out.set(s.villageCode, [...(out.get(s.villageCode) ?? []), { line, trip, offsetS }]);
      }
      if (s.outletId) loaded = true;
    });
  }
  return out;
}

/** Polishes one (outlet, day) with @cuntong/solver; undefined when the solver's answer is unusable. */
function polish(env: Env, s: DayState, clients: number[], seed: number, maxIterations: number, timeLimitMs: number | undefined, clock: () => number): DayState | undefined {
  const nodes = [0, ...clients];
  const N = nodes.length;
  const dist = new Array<number>(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) dist[i * N + j] = Math.round(env.dist[(nodes[i] as number) * env.n + (nodes[j] as number)] ?? 0);
  const problem: Problem = {
    numNodes: N,
    depots: [0],
    demand: nodes.map((x) => Math.ceil(env.nodes[x]?.demandKg ?? 0)),
    serviceTime: nodes.map((x) => env.nodes[x]?.serviceS ?? 0),
    distance: dist,
    vehicleTypes: s.vehicles.map((v) => ({ capacity: Math.floor(v.capacityKg), count: 1, maxDuration: Math.floor(v.maxDurationS), speedFactor: v.speedMs })),
  };
  const sol = solve(problem, { seed, maxIterations, ...(timeLimitMs !== undefined ? { timeLimitMs, clock } : {}) });
  if (!sol.feasible || sol.unassigned.length > 0) return undefined;
  const out: DayState = { vehicles: s.vehicles, routes: sol.routes.map((r) => ({ v: r.vehicleType, seq: r.visits.map((x) => nodes[x] as number) })) };
  improveDay(env, out, 3);
  return dayFeasible(env, out) ? out : undefined;
}

/** Villages much nearer another outlet of the same county (estimate: round-trip distance difference). */
function crossOutletSuggestions(ctxs: DepotCtx[], input: PlanInput): Suggestion[] {
  const out: Suggestion[] = [];
  const perKm = input.costs.perKmFen.e_bike;
  for (const ctx of ctxs) {
    const others = ctxs.filter((x) => x !== ctx && x.depot.countyCode === ctx.depot.countyCode);
    for (const c of ctx.villages) {
      if (c.bus) continue;
      const p: LonLat = [c.v.lon, c.v.lat];
      const own = greatCircleM([ctx.depot.lon, ctx.depot.lat], p) * DEFAULT_DETOUR_FACTOR;
      let best: DepotCtx | undefined;
      let bestD = own;
      for (const x of others) {
        const dd = greatCircleM([x.depot.lon, x.depot.lat], p) * DEFAULT_DETOUR_FACTOR;
        if (dd < bestD) {
          bestD = dd;
          best = x;
        }
      }
      if (!best || own - bestD < 3000 || bestD > own * 0.6) continue;
      const saving = Math.round(((2 * (own - bestD)) / 1000) * perKm * c.pattern.length);
      out.push({ kind: 'move_village', villageCode: c.v.code, fromDepotId: ctx.depot.id, toDepotId: best.depot.id, estimatedSavingFen: saving, reason: `${(bestD / 1000).toFixed(1)} km from ${best.depot.name ?? best.depot.id} against ${(own / 1000).toFixed(1)} km from its own outlet` });
    }
  }
  return out.sort((a, b) => b.estimatedSavingFen - a.estimatedSavingFen || cmp(a.villageCode, b.villageCode)).slice(0, 100);
}

function shuffle<T>(list: readonly T[], rnd: () => number): T[] {
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const x = a[i] as T;
    a[i] = a[j] as T;
    a[j] = x;
  }
  return a;
}

function sameDays(a: readonly Weekday[], b: readonly Weekday[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

