/**
 * GeoJSON of a plan for maps: one LineString per day route (outlet → stops → outlet, straight
 * segments), one Point per planned stop, one Point per bus-served village. Optionally one day.
 */
import type { Weekday } from '@cuntong/domain/network/types.ts';
import type { PlanDepot, PlanVillage, WeeklyPlan } from './types.ts';

export interface Feature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] } | { type: 'LineString'; coordinates: Array<[number, number]> };
  properties: Record<string, string | number | boolean | null | number[]>;
}
export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

export function planGeoJson(
  plan: Pick<WeeklyPlan, 'routes' | 'bus'>,
  places: { depots: ReadonlyArray<Pick<PlanDepot, 'id' | 'lon' | 'lat'>>; villages: ReadonlyArray<Pick<PlanVillage, 'code' | 'lon' | 'lat'> & { name?: string }> },
  day?: Weekday,
): FeatureCollection {
  const depot = new Map(places.depots.map((d) => [d.id, d]));
  const village = new Map(places.villages.map((v) => [v.code, v]));
  const features: Feature[] = [];
  for (const r of plan.routes) {
    if (day !== undefined && r.day !== day) continue;
    const o = depot.get(r.depotId);
    if (!o) continue;
    const coords: Array<[number, number]> = [[o.lon, o.lat]];
    for (const s of r.stops) {
      const v = village.get(s.villageCode);
      if (v) coords.push([v.lon, v.lat]);
    }
    coords.push([o.lon, o.lat]);
    features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: coords }, properties: { kind: 'route', day: r.day, vehicleId: r.vehicleId, vehicleCode: r.vehicleCode, depotId: r.depotId, vehicleType: r.vehicleType, distanceM: r.distanceM, durationS: r.durationS, stops: r.stops.length } });
    r.stops.forEach((s, i) => {
      const v = village.get(s.villageCode);
      if (!v) return;
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [v.lon, v.lat] }, properties: { kind: 'stop', day: r.day, vehicleCode: r.vehicleCode, seq: i + 1, villageCode: s.villageCode, name: v.name ?? null, arrival: s.arrival, parcels: s.parcels } });
    });
  }
  for (const b of plan.bus) {
    if (day !== undefined && !b.days.includes(day)) continue;
    const v = village.get(b.villageCode);
    if (!v) continue;
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [v.lon, v.lat] }, properties: { kind: 'bus_stop', villageCode: b.villageCode, name: v.name ?? null, lineCode: b.lineCode, tripId: b.tripId, arrival: b.arrival, days: b.days } });
  }
  return { type: 'FeatureCollection', features };
}
