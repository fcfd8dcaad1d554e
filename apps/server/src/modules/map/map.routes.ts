import { Type } from '@fastify/type-provider-typebox';
import { errorResponses } from '@cuntong/contracts/common.ts';
import { canReadCounty, countyScope } from '@cuntong/domain/access.ts';
import { DomainError } from '@cuntong/domain/errors.ts';
import { principal, staffOnly } from '../../http/auth.ts';
import type { App, AppContext } from '../../http/context.ts';
import * as net from '../network/network.repository.ts';

type Feature = { type: 'Feature'; geometry: { type: 'Point'; coordinates: number[] } | { type: 'LineString'; coordinates: number[][] }; properties: Record<string, unknown> };
const ALL = { limit: 100_000, offset: 0 };
const round = (x: number) => Math.round(x * 1e5) / 1e5;

/**
 * The network as GeoJSON for the console map: villages (with visits per week against their rule),
 * outlets by kind, routes and bus lines as lines, and county labels (so the map reads with no tiles).
 */
export default function mapRoutes(app: App, ctx: AppContext) {
  app.get('/api/v1/map/network', {
    preValidation: staffOnly,
    schema: { tags: ['map'], summary: 'The network as a GeoJSON FeatureCollection', querystring: Type.Object({ county: Type.Optional(Type.String({ pattern: '^\\d{6}$' })) }), response: { 200: Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Any()) }), ...errorResponses(401, 403, 422) } },
  }, async (req) => {
    const p = principal(req);
    if (req.query.county && !canReadCounty(p, req.query.county)) throw new DomainError('forbidden', 'scope.county', `you may not read county ${req.query.county}`);
    const countyCode = req.query.county ?? countyScope(p);
    const [villages, outlets, routes, lines] = await Promise.all([
      net.listVillages(ctx.db, { countyCode, ...ALL }),
      net.listOutlets(ctx.db, { countyCode, active: true, ...ALL }),
      net.listRoutes(ctx.db, { countyCode, active: true, ...ALL }),
      net.listBusLines(ctx.db, { countyCode, active: true, ...ALL }),
    ]);
    const features: Feature[] = [];
    const pos = new Map<string, [number, number]>();
    for (const v of villages.items) {
      if (v.lon === null || v.lat === null) continue;
      pos.set(v.code, [v.lon, v.lat]);
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [round(v.lon), round(v.lat)] }, properties: { type: 'village', code: v.code, name: v.shortName, kind: v.kind, countyCode: v.countyCode, townCode: v.townCode, visitsPerWeek: v.plannedVisitsPerWeek, minVisitsPerWeek: v.visitRule.minVisitsPerWeek, approximate: v.coordinatesApproximate } });
    }
    const outletPos = new Map<string, [number, number]>();
    for (const o of outlets.items) {
      outletPos.set(o.id, [o.lon, o.lat]);
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [round(o.lon), round(o.lat)] }, properties: { type: 'outlet', id: o.id, code: o.code, name: o.name, kind: o.kind, countyCode: o.countyCode, services: o.services, openingHours: o.openingHours } });
    }
    for (const r of routes.items) {
      const home = outletPos.get(r.outletId);
      const stops = r.stops.map((s) => pos.get(s.villageCode)).filter((x): x is [number, number] => !!x);
      if (!home || stops.length === 0) continue;
      features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: [home, ...stops, home].map(([x, y]) => [round(x), round(y)]) }, properties: { type: 'route', id: r.id, code: r.code, name: r.name, countyCode: r.countyCode, vehicleType: r.vehicleType, lengthM: r.lengthM, stops: r.stops.length, workingDays: r.workingDays } });
    }
    for (const l of lines.items) {
      features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: l.stops.map((s) => [round(s.lon), round(s.lat)]) }, properties: { type: 'bus_line', id: l.id, code: l.code, name: l.name, operator: l.operator, countyCode: l.countyCode, trips: l.trips.length } });
    }
    // County labels at the mean of their villages (the county seat outlet would do as well).
    const byCounty = new Map<string, { n: number; x: number; y: number }>();
    for (const v of villages.items) {
      if (v.lon === null || v.lat === null) continue;
      const a = byCounty.get(v.countyCode) ?? { n: 0, x: 0, y: 0 };
      a.n++; a.x += v.lon; a.y += v.lat;
      byCounty.set(v.countyCode, a);
    }
    const names = new Map((await ctx.db.selectFrom('divisions').select(['code', 'short_name', 'name']).where('level', '=', 'county').execute()).map((d) => [d.code, d.name]));
    for (const [code, a] of byCounty) {
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [round(a.x / a.n), round(a.y / a.n)] }, properties: { type: 'county', code, name: names.get(code) ?? code } });
    }
    return { type: 'FeatureCollection' as const, features };
  });
}
