import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../../../test/harness.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => s?.close());

type Totals = { distanceM: number; durationS: number; costFen: number; trips: number };
type Freq = { villageCode: string; minVisitsPerWeek: number; carrierDays: number[]; busDays: number[]; visitsPerWeek: number; met: boolean; mode: string };
type Plan = {
  id: string; scope: string; countyCode: string | null; status: string; villages: number; villagesMet: number; busVillages: number; totals: Totals; baseline: Totals;
  comparison: { distanceM: { before: number; after: number; percent: number } };
  days: Array<{ day: number; routes: Array<{ vehicleId: string; depotId: string; stops: Array<{ villageCode: string; arrival: string }> }> }>;
  bus: Array<{ villageCode: string; tripId: string; days: number[]; reason: string }>; frequency: Freq[]; routesWritten?: number;
};
type Page<T> = { items: T[]; total: number };
const json = async <T>(r: Response | Promise<Response>): Promise<T> => (await (await r).json()) as T;

/** POST /plans queues a job: poll it until it is done, then read the plan. */
async function runPlan(as: string, body: Record<string, unknown>): Promise<Plan> {
  const r = await s.api('/api/v1/plans', { method: 'POST', as, json: body });
  expect(r.status, await r.clone().text()).toBe(202);
  let job = (await r.json()) as { id: string; status: string; planId: string | null; error: string | null };
  const t0 = Date.now();
  while (job.status === 'queued' || job.status === 'running') {
    expect(Date.now() - t0).toBeLessThan(180_000);
    await new Promise((res) => setTimeout(res, 200));
    job = await json(s.api(`/api/v1/plan-jobs/${job.id}`, { as }));
  }
  expect(job.status, job.error ?? '').toBe('done');
  return json<Plan>(s.api(`/api/v1/plans/${job.planId}`, { as }));
}

describe(`weekly plans over the API (${process.env.TEST_DB ?? 'pglite'})`, () => {
  let plan: Plan;
  it('a county manager plans their county: every village meets its rule, compared with the current routes', async () => {
    plan = await runPlan('sandu', { timeLimitS: 30, solverIterations: 5, seed: 3 });
    expect(plan).toMatchObject({ scope: 'county', countyCode: '522732', status: 'draft' });
    expect(plan.villages).toBeGreaterThan(50);
    expect(plan.villagesMet).toBe(plan.villages);
    expect(plan.frequency.every((f) => f.met && f.visitsPerWeek >= f.minVisitsPerWeek)).toBe(true);
    expect(plan.days.map((d) => d.day)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(plan.comparison.distanceM.before).toBe(plan.baseline.distanceM);
    expect(plan.totals.distanceM).toBeLessThan(plan.baseline.distanceM);
    const stops = plan.days.flatMap((d) => d.routes.flatMap((x) => x.stops));
    expect(stops.every((x) => x.villageCode.startsWith('522732') && /^\d\d:\d\d$/.test(x.arrival))).toBe(true);
    for (const b of plan.bus) expect(b.reason).toMatch(/bus|carriers/);
  });

  it('lists and reads plans within scope only (others get 404, or 403 for a county filter)', async () => {
    expect((await json<Page<{ id: string }>>(s.api('/api/v1/plans', { as: 'sandu' }))).items.map((x) => x.id)).toContain(plan.id);
    expect((await json<Page<{ id: string }>>(s.api('/api/v1/plans', { as: 'duyun' }))).items.map((x) => x.id)).not.toContain(plan.id);
    expect((await s.api(`/api/v1/plans/${plan.id}`, { as: 'duyun' })).status).toBe(404);
    expect((await s.api(`/api/v1/plans/${plan.id}/geojson`, { as: 'duyun' })).status).toBe(404);
    expect((await s.api('/api/v1/plans?county=522732', { as: 'duyun' })).status).toBe(403);
    expect((await s.api(`/api/v1/plans/${plan.id}`, { as: 'admin' })).status).toBe(200);
    expect((await s.api(`/api/v1/plans/${plan.id}`, { as: 'hejiang' })).status).toBe(200); // a clerk of 三都 reads
    expect((await s.api('/api/v1/plans/pln_nope', { as: 'sandu' })).status).toBe(404);
  });

  it('refuses planning outside one’s county (403) and to clerks and partners (403)', async () => {
    expect((await s.api('/api/v1/plans', { method: 'POST', as: 'sandu', json: { county: '522701' } })).status).toBe(403);
    expect((await s.api('/api/v1/plans', { method: 'POST', as: 'hejiang', json: {} })).status).toBe(403);
    expect((await s.api('/api/v1/plans', { method: 'POST', as: 'zto', json: {} })).status).toBe(403);
    expect((await s.api('/api/v1/plans', { method: 'POST', as: 'sandu', json: { timeLimitS: 999 } })).status).toBe(422);
  });

  it('serves GeoJSON for one day', async () => {
    const r = await s.api(`/api/v1/plans/${plan.id}/geojson?day=2`, { as: 'sandu' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/geo\+json/);
    const fc = (await r.json()) as { type: string; features: Array<{ geometry: { type: string }; properties: { kind: string; day?: number } }> };
    expect(fc.type).toBe('FeatureCollection');
    const lines = fc.features.filter((f) => f.geometry.type === 'LineString');
    expect(lines.length).toBe(plan.days[1]!.routes.length);
    expect(lines.every((f) => f.properties.day === 2)).toBe(true);
  });

  it('accepting writes the planned routes into the network in one transaction, audited; a second accept is 409', async () => {
    expect((await s.api(`/api/v1/plans/${plan.id}/accept`, { method: 'POST', as: 'duyun' })).status).toBe(404);
    expect((await s.api(`/api/v1/plans/${plan.id}/accept`, { method: 'POST', as: 'hejiang' })).status).toBe(403);
    const r = await s.api(`/api/v1/plans/${plan.id}/accept`, { method: 'POST', as: 'sandu' });
    expect(r.status).toBe(200);
    const accepted = (await r.json()) as Plan;
    expect(accepted.status).toBe('accepted');
    expect(accepted.routesWritten).toBeGreaterThan(0);
    // the network's routes now carry the planned carrier days of every village
    const routes = await json<Page<{ id: string; active: boolean; stops: Array<{ villageCode: string; days: number[] }> }>>(s.api('/api/v1/routes?county=522732&limit=1000', { as: 'sandu' }));
    const days = new Map<string, Set<number>>();
    for (const rt of routes.items) if (rt.active) for (const st of rt.stops) for (const d of st.days) days.set(st.villageCode, (days.get(st.villageCode) ?? new Set()).add(d));
    for (const f of plan.frequency) expect([...(days.get(f.villageCode) ?? [])].sort(), f.villageCode).toEqual([...f.carrierDays].sort());
    // bus services count as visits: after accepting, no village of the county is below its rule
    expect(plan.bus.length).toBeGreaterThan(0);
    const below = await json<Page<{ code: string }>>(s.api('/api/v1/villages?county=522732&belowRule=true&limit=1000', { as: 'sandu' }));
    expect(below.items).toEqual([]);
    const busVillage = plan.bus[0]!.villageCode;
    const v = await json<Page<{ plannedVisitsPerWeek: number; visitRule: { minVisitsPerWeek: number } }>>(s.api(`/api/v1/villages?q=${busVillage}`, { as: 'sandu' }));
    const f = plan.frequency.find((x) => x.villageCode === busVillage)!;
    expect(v.items[0]!.plannedVisitsPerWeek).toBe(new Set([...f.carrierDays, ...f.busDays]).size);
    const kpi = await json<{ figures: Array<{ key: string; value: number }> }>(s.api('/api/v1/kpi/summary', { as: 'sandu' }));
    expect(kpi.figures.find((x) => x.key === 'frequencyCompliance')!.value).toBe(1);
    const audit = await s.ctx.db.selectFrom('audit_log').select(['action', 'object_id']).where('action', '=', 'plan.accept').execute();
    expect(audit).toEqual([{ action: 'plan.accept', object_id: plan.id }]);
    expect((await s.api(`/api/v1/plans/${plan.id}/accept`, { method: 'POST', as: 'sandu' })).status).toBe(409);
    expect((await json<Page<{ id: string }>>(s.api('/api/v1/plans?status=accepted', { as: 'sandu' }))).items.map((x) => x.id)).toEqual([plan.id]);
  });

  it('previews the dispatch of the parcels waiting at an outlet: runs in plan order, bags, the rest with its next service day', async () => {
    const day = plan.days.find((d) => d.routes.length > 0)!;
    const route = day.routes[0]!;
    const outlet = route.depotId;
    const village = route.stops[0]!.villageCode;
    const db = s.ctx.db;
    await db.insertInto('manifests').values({ id: 'man_plantest', partner_code: 'ZTO', outlet_id: outlet, county_code: '522732', source: 'api', parcel_count: 4, accepted: 4, duplicates: 0 }).execute();
    const parcel = (n: number, villageCode: string | null, status = 'at_outlet') => ({
      id: `pcl_plantest${n}`, partner_code: 'ZTO', waybill_no: `ZT9000000${n}`, manifest_id: 'man_plantest', outlet_id: outlet, county_code: '522732',
      village_code: villageCode, address_status: villageCode ? 'resolved' : 'unresolved', address_candidates: '[]', weight_g: 1500, pieces: 1, cod_fen: 0, service: 'door', status, status_at: new Date(),
    });
    await db.insertInto('parcels').values([parcel(1, village), parcel(2, village, 'sorted'), parcel(3, null), parcel(4, village, 'delivered')]).execute();
    type D = { parcels: number; unaddressed: Array<{ waybillNo: string }>; runs: Array<{ vehicleId: string; loadKg: number; stops: Array<{ villageCode: string; parcels: Array<{ waybillNo: string }> }> }>; deferred: Array<{ waybillNo: string; reason: string; nextDay: number | null }> };
    const r = await json<D>(s.api(`/api/v1/plans/${plan.id}/dispatch?outlet=${outlet}&day=${day.day}`, { as: 'sandu' }));
    expect(r.parcels).toBe(3);
    expect(r.unaddressed.map((x) => x.waybillNo)).toEqual(['ZT90000003']);
    const stop = r.runs.flatMap((x) => x.stops).find((x) => x.villageCode === village)!;
    expect(stop.parcels.map((x) => x.waybillNo)).toEqual(['ZT90000001', 'ZT90000002']);
    expect(r.deferred).toEqual([]);
    const late = await json<D>(s.api(`/api/v1/plans/${plan.id}/dispatch?outlet=${outlet}&day=${day.day}&now=23:00`, { as: 'sandu' }));
    expect(late.deferred.map((x) => x.reason)).toEqual(['the runs visiting the village today have left', 'the runs visiting the village today have left']);
    expect(late.deferred[0]!.nextDay).not.toBeNull();
    expect((await s.api(`/api/v1/plans/${plan.id}/dispatch?outlet=${outlet}&day=${day.day}`, { as: 'duyun' })).status).toBe(404);
    expect((await s.api(`/api/v1/plans/${plan.id}/dispatch?outlet=out_nope&day=1`, { as: 'sandu' })).status).toBe(404);
  });

  it('an administrator plans the whole region; county managers do not see region plans', async () => {
    const region = await runPlan('admin', { solverIterations: 0, timeLimitS: 30 });
    expect(region).toMatchObject({ scope: 'region', countyCode: null });
    expect(region.villagesMet).toBe(region.villages);
    expect(region.villages).toBeGreaterThan(1400);
    expect((await s.api(`/api/v1/plans/${region.id}`, { as: 'sandu' })).status).toBe(404);
    expect((await s.api(`/api/v1/plans/${region.id}/accept`, { method: 'POST', as: 'sandu' })).status).toBe(404);
  });
});
