import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../../../test/harness.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => s?.close());

type Summary = { figures: Array<{ key: string; value: number | null; formula: { zh: string } }>; byCounty: Array<Record<string, unknown>>; trend: unknown[] };
const val = (s: Summary, k: string) => s.figures.find((f) => f.key === k)?.value;

describe(`KPIs and the map (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('computes network KPIs for the prefecture, checked against an independent query', async () => {
    const r = (await (await s.api('/api/v1/kpi/summary?from=2026-11-01&to=2026-11-30', { as: 'admin' })).json()) as Summary;
    expect(val(r, 'villages')).toBe(1195);
    expect(val(r, 'directMailRate')).toBe(1);
    expect(val(r, 'frequencyCompliance')).toBe(1);
    expect(val(r, 'parcelsIn')).toBeNull(); // not recorded yet: never an invented zero
    expect(r.byCounty).toHaveLength(12);
    expect(r.trend).toHaveLength(30);
    expect(r.figures.every((f) => f.formula.zh.length > 0)).toBe(true);
    // Break one village's rule: compliance drops by exactly one unit in 1,464.
    await sql`update villages set min_visits_per_week = 7 where code = '522732111285'`.execute(s.ctx.db);
    const r2 = (await (await s.api('/api/v1/kpi/summary', { as: 'admin' })).json()) as Summary;
    const independent = await sql<{ ok: number; n: number }>`
      select count(*) filter (where coalesce((select count(distinct d) from route_stops rs join delivery_routes r on r.id = rs.route_id and r.active, unnest(rs.days) d where rs.village_code = v.code), 0) >= v.min_visits_per_week) as ok, count(*) as n from villages v`.execute(s.ctx.db);
    expect(val(r2, 'frequencyCompliance')).toBeCloseTo(Number(independent.rows[0]!.ok) / Number(independent.rows[0]!.n), 10);
    expect(val(r2, 'frequencyCompliance')).toBeCloseTo(1463 / 1464, 10);
    await sql`update villages set min_visits_per_week = 3 where code = '522732111285'`.execute(s.ctx.db);
  });
  it('scopes a county manager to their county', async () => {
    const r = (await (await s.api('/api/v1/kpi/summary', { as: 'sandu' })).json()) as Summary & { scope: { countyCode: string } };
    expect(r.scope.countyCode).toBe('522732');
    expect(r.byCounty.map((c) => c.countyCode)).toEqual(['522732']);
    expect((await s.api('/api/v1/kpi/summary?county=522701', { as: 'sandu' })).status).toBe(403);
    expect((await s.api('/api/v1/kpi/summary?from=2026-12-01&to=2026-11-01', { as: 'admin' })).status).toBe(422);
  });
  it('exports the KPIs to Excel', async () => {
    const r = await s.api('/api/v1/kpi/summary.xlsx', { as: 'admin' });
    expect(r.status).toBe(200);
    const buf = Buffer.from(await r.arrayBuffer());
    expect(buf.subarray(0, 2).toString()).toBe('PK');
  });
  it('serves the map as GeoJSON with villages, outlets, routes, bus lines and county labels', async () => {
    const fc = (await (await s.api('/api/v1/map/network?county=522732', { as: 'sandu' })).json()) as { features: Array<{ properties: { type: string; countyCode?: string } }> };
    const types = new Set(fc.features.map((f) => f.properties.type));
    expect([...types].sort()).toEqual(['bus_line', 'county', 'outlet', 'route', 'village']);
    expect(fc.features.filter((f) => f.properties.countyCode).every((f) => f.properties.countyCode === '522732')).toBe(true);
    expect((await s.api('/api/v1/map/network?county=522701', { as: 'sandu' })).status).toBe(403);
  });
});

describe('compression', () => {
  it('compresses large JSON answers for clients that accept it', async () => {
    const r = await s.api('/api/v1/map/network', { as: 'admin', headers: { 'accept-encoding': 'br, gzip' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-encoding')).toMatch(/br|gzip/);
    const fc = (await r.json()) as { features: unknown[] };
    expect(fc.features.length).toBeGreaterThan(1000);
  });
});
