/**
 * Bridges between the network registry's entities (@cuntong/domain/network) and the planner:
 * planner input from outlets, villages, routes and bus lines; the current routes evaluated with the
 * same distance and cost model (the "before" of a comparison); planned day routes folded back into
 * delivery routes (ordered stops with their weekdays) for accepting a plan.
 */
import { greatCircleM, routeMetrics } from '@cuntong/domain/network/geo.ts';
import { VEHICLE_SPECS, type BusLine, type DeliveryRoute, type LonLat, type Outlet, type Village, type Weekday } from '@cuntong/domain/network/types.ts';
import type { DistanceProvider } from './distance.ts';
import type { CostParams, DayRoute, PlanBusLine, PlanDepot, PlanInput, PlanOptions, PlanVehicle, PlanVillage, Totals } from './types.ts';

/** Default costs: ¥0.10/km e-bike, ¥0.40/km motorcycle, ¥1.20/km van; ¥30 per carrier hour. */
export const DEFAULT_COSTS: CostParams = { perKmFen: { e_bike: 10, motorcycle: 40, van: 120 }, perHourFen: 3000 };

/**
 * Simple demand model (until parcel history feeds it): expected inbound parcels per week — a
 * village committee 12 (4 a visit at 3 visits), a community 4 per required visit day (28 for a daily seat
 * community). At 1.5 kg a parcel an e-bike (60 kg) carries about ten committee drops.
 */
export function defaultParcelsPerWeek(v: Pick<Village, 'kind' | 'visitRule'>): number {
  return v.kind === 'community' ? 4 * Math.max(1, v.visitRule.minVisitsPerWeek) : 12;
}

export interface NetworkPlanSource {
  outlets: readonly Outlet[];
  villages: readonly Village[];
  routes: readonly DeliveryRoute[];
  busLines: readonly BusLine[];
}

/**
 * Planner input for a scope: the active routes are the vehicle templates (home outlet, vehicle,
 * working days, duration limit); each village is planned from the outlet whose routes serve it
 * most (a village on no route: the nearest outlet of its county that has routes).
 */
export function planInputFromNetwork(
  src: NetworkPlanSource,
  distance: DistanceProvider,
  opts: { costs?: CostParams; options?: PlanOptions; parcelsPerWeek?: (v: Village) => number } = {},
): { input: PlanInput; warnings: string[] } {
  const warnings: string[] = [];
  const routes = src.routes.filter((r) => r.active);
  const outletById = new Map(src.outlets.map((o) => [o.id, o]));
  const stopsAt = new Map<string, Map<string, number>>();
  for (const r of routes) {
    for (const s of r.stops) {
      const m = stopsAt.get(s.villageCode) ?? new Map<string, number>();
      m.set(r.outletId, (m.get(r.outletId) ?? 0) + s.days.length);
      stopsAt.set(s.villageCode, m);
    }
  }
  const depotIds = [...new Set(routes.map((r) => r.outletId))].filter((id) => outletById.has(id)).sort();
  const depots: PlanDepot[] = depotIds.map((id) => {
    const o = outletById.get(id) as Outlet;
    return { id, name: o.name, countyCode: o.countyCode, lon: o.lon, lat: o.lat };
  });
  const villages: PlanVillage[] = [];
  for (const v of src.villages) {
    const counts = stopsAt.get(v.code);
    let depotId: string | undefined;
    if (counts) depotId = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
    if (!depotId) {
      const near = depots.filter((d) => d.countyCode === v.countyCode).sort((a, b) => greatCircleM([a.lon, a.lat], [v.lon, v.lat]) - greatCircleM([b.lon, b.lat], [v.lon, v.lat]))[0];
      depotId = near?.id;
    }
    if (!depotId || !Number.isFinite(v.lon) || !Number.isFinite(v.lat)) {
      warnings.push(`village ${v.code}: no outlet with routes in its county or no coordinates; not planned`);
      continue;
    }
    villages.push({
      code: v.code, name: v.name, countyCode: v.countyCode, lon: v.lon, lat: v.lat, depotId,
      minVisitsPerWeek: v.visitRule.minVisitsPerWeek, allowedDays: [...v.visitRule.allowedDays], serviceS: v.visitRule.serviceS,
      parcelsPerWeek: (opts.parcelsPerWeek ?? defaultParcelsPerWeek)(v),
    });
  }
  const vehicles: PlanVehicle[] = routes.map((r) => ({
    id: r.id, code: r.code, name: r.name, depotId: r.outletId, vehicleType: r.vehicleType, capacityKg: r.capacityKg,
    speedKmh: VEHICLE_SPECS[r.vehicleType].speedKmh, workingDays: [...r.workingDays], maxDurationS: r.maxDurationS,
  }));
  const busLines: PlanBusLine[] = src.busLines.filter((l) => l.active).map((l) => ({ id: l.id, code: l.code, name: l.name, countyCode: l.countyCode, stops: l.stops.map((s) => ({ ...s })), trips: l.trips.map((t) => ({ ...t, days: [...t.days] })) }));
  return { input: { depots, villages, vehicles, busLines, costs: opts.costs ?? DEFAULT_COSTS, distance, ...(opts.options ? { options: opts.options } : {}) }, warnings };
}

export interface BaselineDay {
  routeId: string;
  day: Weekday;
  distanceM: number;
  durationS: number;
  costFen: number;
}

/**
 * The current routes under the planner's model: each working day, the route visits the stops
 * whose days include that day, in the route's order; distance from the same provider, time at the
 * vehicle's mountain speed plus service, cost with the same parameters.
 */
export async function evaluateCurrentRoutes(src: NetworkPlanSource, distance: DistanceProvider, costs: CostParams = DEFAULT_COSTS): Promise<{ totals: Totals; days: BaselineDay[] }> {
  const outletById = new Map(src.outlets.map((o) => [o.id, o]));
  const villageByCode = new Map(src.villages.map((v) => [v.code, v]));
  const days: BaselineDay[] = [];
  for (const r of src.routes) {
    if (!r.active) continue;
    const o = outletById.get(r.outletId);
    if (!o) continue;
    const stops = r.stops.filter((s) => villageByCode.has(s.villageCode));
    const points: LonLat[] = [[o.lon, o.lat], ...stops.map((s): LonLat => {
      const v = villageByCode.get(s.villageCode) as Village;
      return [v.lon, v.lat];
    })];
    const m = await distance.matrix(points);
    const speedMs = (VEHICLE_SPECS[r.vehicleType].speedKmh * 1000) / 3600;
    for (const day of r.workingDays) {
      let prev = 0;
      let dist = 0;
      let service = 0;
      stops.forEach((s, i) => {
        if (!s.days.includes(day)) return;
        dist += m.distanceM[prev * m.n + i + 1] ?? 0;
        service += villageByCode.get(s.villageCode)?.visitRule.serviceS ?? 0;
        prev = i + 1;
      });
      if (prev === 0) continue;
      dist += m.distanceM[prev * m.n] ?? 0;
      const durationS = dist / speedMs + service;
      days.push({ routeId: r.id, day, distanceM: Math.round(dist), durationS: Math.round(durationS), costFen: Math.round((dist / 1000) * costs.perKmFen[r.vehicleType] + (durationS / 3600) * costs.perHourFen) });
    }
  }
  const carrierCostFen = days.reduce((a, d) => a + d.costFen, 0);
  return {
    days,
    totals: { distanceM: days.reduce((a, d) => a + d.distanceM, 0), durationS: days.reduce((a, d) => a + d.durationS, 0), carrierCostFen, busFeeFen: 0, costFen: carrierCostFen, trips: days.length },
  };
}

/**
 * Folds a plan's day routes back into delivery routes (the registry keeps one ordered stop list
 * per route with the weekdays of each stop). The stop order merges the day sequences: the longest
 * day first, then every other stop inserted right after its predecessor of its own day. A template
 * without stops in the plan is kept inactive. Length and duration follow the registry's definition
 * (routeMetrics: the loop over all stops).
 */
export function deliveryRoutesFromPlan(templates: readonly DeliveryRoute[], dayRoutes: readonly DayRoute[], outlets: readonly Outlet[], villages: readonly Village[]): DeliveryRoute[] {
  const outletById = new Map(outlets.map((o) => [o.id, o]));
  const villageByCode = new Map(villages.map((v) => [v.code, v]));
  return templates.map((t) => {
    const mine = dayRoutes.filter((r) => r.vehicleId === t.id).sort((a, b) => b.stops.length - a.stops.length || a.day - b.day);
    const order: string[] = [];
    const days = new Map<string, Set<Weekday>>();
    for (const r of mine) {
      let prevIdx = -1;
      for (const s of r.stops) {
        let idx = order.indexOf(s.villageCode);
        if (idx < 0) {
          order.splice(prevIdx + 1, 0, s.villageCode);
          idx = prevIdx + 1;
        }
        prevIdx = idx;
        const set = days.get(s.villageCode) ?? new Set<Weekday>();
        set.add(r.day);
        days.set(s.villageCode, set);
      }
    }
    const stops = order.map((code, i) => ({ seq: i + 1, villageCode: code, days: [...(days.get(code) ?? [])].sort((a, b) => a - b) }));
    const o = outletById.get(t.outletId);
    const pts = order.map((c): LonLat => {
      const v = villageByCode.get(c);
      return [v?.lon ?? 0, v?.lat ?? 0];
    });
    const m = o && stops.length ? routeMetrics([o.lon, o.lat], pts, t.vehicleType, order.map((c) => villageByCode.get(c)?.visitRule.serviceS ?? 0)) : { lengthM: 0, durationS: 0 };
    return { ...t, stops, lengthM: m.lengthM, durationS: m.durationS, active: stops.length > 0 };
  });
}
