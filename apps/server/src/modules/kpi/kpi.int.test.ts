import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile } from '@cuntong/domain/kpi.ts';
import { type TestServer, testServer } from '../../../test/harness.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => s?.close());

type Summary = { figures: Array<{ key: string; value: number | null; formula: { zh: string } }>; byCounty: Array<Record<string, unknown>>; trend: Array<{ date: string; parcelsIn: number; delivered: number }> };
const val = (s: Summary, k: string) => s.figures.find((f) => f.key === k)?.value;

describe(`KPIs and the map (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('computes network KPIs for the prefecture, checked against an independent query', async () => {
    const r = (await (await s.api('/api/v1/kpi/summary?from=2026-11-01&to=2026-11-30', { as: 'admin' })).json()) as Summary;
    expect(val(r, 'villages')).toBe(1195);
    expect(val(r, 'directMailRate')).toBe(1);
    expect(val(r, 'frequencyCompliance')).toBe(1);
    expect(val(r, 'parcelsIn')).toBe(0);
    expect(val(r, 'stationPickupRate')).toBeNull(); // nothing placed at stations: no rate, never an invented zero
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

describe('parcel KPIs from the event log', () => {
  const at = (h: number) => new Date(Date.parse('2026-11-10T00:00:00Z') + h * 3_600_000).toISOString();
  const proof = { kind: 'signature', ref: 'sig_1', recipientType: 'recipient' };
  it('counts handovers, deliveries, station pickups and hours, ignoring voided events; checked against an independent computation', async () => {
    const waybills = Array.from({ length: 6 }, (_, i) => `KPI${Date.now().toString().slice(-6)}${i}`);
    const m = await s.api('/partner/v1/manifests', { method: 'POST', as: 'zto', json: { outletCode: 'AG522732111-01', parcels: waybills.map((w, i) => ({ waybillNo: w, recipientName: '张小娟', recipientPhone: '13812345678', address: '贵州省黔南州三都县大河镇合江村二组', weightKg: 1, service: i >= 4 ? 'station' : 'door' })) } });
    expect(m.status, await m.clone().text()).toBeLessThan(300);
    const ids = ((await m.json()) as { parcels: Array<{ parcelId: string }> }).parcels.map((p) => p.parcelId);
    const ev = (id: string, type: string, h: number, extra: Record<string, unknown> = {}) => ({ eventId: randomUUID(), parcelId: id, type, eventTime: at(h), ...extra });
    const wrongDelivery = ev(ids[3]!, 'delivered', 30, { proof });
    const events = [
      ...ids.map((id) => ev(id, 'handed_over', 0)),
      ev(ids[0]!, 'out_for_delivery', 2), ev(ids[0]!, 'delivered', 10, { proof }), // 10 h
      ev(ids[1]!, 'out_for_delivery', 2), ev(ids[1]!, 'delivered', 20, { proof }), // 20 h
      ev(ids[2]!, 'out_for_delivery', 2), ev(ids[2]!, 'exception', 3, { reason: 'damage' }),
      ev(ids[3]!, 'out_for_delivery', 2), wrongDelivery,
      ev(ids[4]!, 'delivered_to_station', 5), ev(ids[4]!, 'picked_up', 40, { proof: { kind: 'pickup_code', ref: 'pc', recipientType: 'recipient' } }), // 40 h
      ev(ids[5]!, 'delivered_to_station', 6),
    ];
    const b = await s.api('/api/v1/events/batch', { method: 'POST', as: 'hejiang', json: { events } });
    expect(b.status, await b.clone().text()).toBe(200);
    const results = ((await b.json()) as { results: Array<{ result: string; reason?: string }> }).results;
    expect(results.filter((r) => r.result !== 'created'), JSON.stringify(results)).toEqual([]);
    // The delivery of parcel 3 was scanned by mistake: voided, it no longer counts.
    const v = await s.api(`/api/v1/parcels/${ids[3]}/events`, { method: 'POST', as: 'hejiang', json: { eventId: randomUUID(), type: 'void', eventTime: at(31), voids: wrongDelivery.eventId } });
    expect(v.status).toBe(201);

    const k = (await (await s.api('/api/v1/kpi/summary?county=522732&from=2026-11-01&to=2026-11-30', { as: 'sandu' })).json()) as Summary;
    expect(val(k, 'parcelsIn')).toBe(6);
    expect(val(k, 'delivered')).toBe(3); // two at the door, one picked up; the voided one not
    expect(val(k, 'exceptions')).toBe(1);
    expect(val(k, 'atStations')).toBe(1);
    expect(val(k, 'stationPickupRate')).toBe(0.5);
    expect(val(k, 'deliveryHoursAvg')).toBeCloseTo((10 + 20 + 40) / 3, 6);
    // p90 of [10, 20, 40] with linear interpolation: 20 + 0.8 × 20 = 36
    expect(val(k, 'deliveryHoursP90')).toBeCloseTo(percentile([10, 20, 40], 90)!, 6);
    expect(val(k, 'deliveryHoursP90')).toBeCloseTo(36, 6);
    const day = k.trend.find((t) => t.date === '2026-11-10')!;
    expect(day.parcelsIn).toBe(6);
    // The prefecture view includes the same parcels; another county's manager does not see them.
    const all = (await (await s.api('/api/v1/kpi/summary?from=2026-11-01&to=2026-11-30', { as: 'admin' })).json()) as Summary;
    expect(val(all, 'parcelsIn')).toBeGreaterThanOrEqual(6);
    const duyun = (await (await s.api('/api/v1/kpi/summary?from=2026-11-01&to=2026-11-30', { as: 'duyun' })).json()) as Summary;
    expect(val(duyun, 'parcelsIn')).toBe(0);
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
