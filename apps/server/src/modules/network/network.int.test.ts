import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../../../test/harness.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => s?.close());

type Page<T> = { items: T[]; total: number };
type Outlet = { id: string; code: string; name: string; kind: string; countyCode: string; services: string[]; active: boolean };
type Village = { code: string; kind: string; countyCode: string; plannedVisitsPerWeek: number; visitRule: { minVisitsPerWeek: number }; stationOutletId?: string };
const json = async <T>(r: Response | Promise<Response>): Promise<T> => (await (await r).json()) as T;

function upload(path: string, as: string, name: string, content: Buffer | string, type = 'text/csv') {
  const fd = new FormData();
  fd.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)], { type }), name);
  return s.api(path, { method: 'POST', as, body: fd });
}

const OUTLET_HEADER = '编码,名称,类型,行政区划代码,经度,纬度,营业时间,格口数,联系人,联系电话,服务';

describe(`the Qiannan demo network (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('has a postal office in every town and the convenience-service counts of the story', async () => {
    const all = await json<Page<Outlet>>(s.api('/api/v1/outlets?limit=1000&kind=postal_office', { as: 'admin' }));
    expect(all.total).toBe(109);
    expect((await json<Page<Outlet>>(s.api('/api/v1/outlets?service=court_filing&limit=1', { as: 'admin' }))).total).toBe(274);
    expect((await json<Page<Outlet>>(s.api('/api/v1/outlets?service=tax&limit=1', { as: 'admin' }))).total).toBe(98);
    expect((await json<Page<Outlet>>(s.api('/api/v1/outlets?service=police&limit=1', { as: 'admin' }))).total).toBe(26);
    expect((await json<Page<Outlet>>(s.api('/api/v1/outlets?kind=village_station&limit=1', { as: 'admin' }))).total).toBe(1195);
  });
  it('visits every village committee at least 3 times a week, and none is below its rule', async () => {
    const vs = await json<Page<Village>>(s.api('/api/v1/villages?limit=1000&offset=0', { as: 'admin' }));
    const vs2 = await json<Page<Village>>(s.api('/api/v1/villages?limit=1000&offset=1000', { as: 'admin' }));
    const all = [...vs.items, ...vs2.items];
    expect(all).toHaveLength(1464);
    const committees = all.filter((v) => v.kind === 'village');
    expect(committees).toHaveLength(1195);
    expect(committees.every((v) => v.plannedVisitsPerWeek >= 3 && v.stationOutletId)).toBe(true);
    expect((await json<Page<Village>>(s.api('/api/v1/villages?belowRule=true', { as: 'admin' }))).total).toBe(0);
  });
  it('has the Hejiang agency office route 尧吕村 → 合江村 → 巴佑村 → 小河村, about 20 km', async () => {
    const ag = await json<Page<Outlet>>(s.api(`/api/v1/outlets?q=${encodeURIComponent('合江代办所')}`, { as: 'sandu' }));
    expect(ag.items[0]).toMatchObject({ kind: 'agency_office', countyCode: '522732' });
    const routes = await json<Page<{ stops: Array<{ villageCode: string }>; lengthM: number }>>(s.api(`/api/v1/routes?outlet=${ag.items[0]!.id}`, { as: 'sandu' }));
    const r = routes.items[0]!;
    expect(r.stops.map((x) => x.villageCode)).toEqual(['522732111285', '522732111282', '522732111283', '522732111284']);
    expect(r.lengthM).toBeGreaterThan(17_000);
    expect(r.lengthM).toBeLessThan(23_000);
  });
  it('has agreements with the main express companies in every county', async () => {
    const a = await json<Page<{ partnerCode: string; countyCode: string }>>(s.api('/api/v1/agreements?limit=1000', { as: 'admin' }));
    for (const p of ['ZTO', 'YTO', 'STO', 'YUNDA', 'JT', 'JD', 'SF', 'EMS']) expect(new Set(a.items.filter((x) => x.partnerCode === p).map((x) => x.countyCode)).size).toBe(12);
    const lines = await json<Page<{ countyCode: string; stops: Array<{ villageCode?: string }>; trips: unknown[] }>>(s.api('/api/v1/bus-lines?limit=1000', { as: 'admin' }));
    expect(new Set(lines.items.map((l) => l.countyCode)).size).toBe(12);
    expect(lines.items.every((l) => l.trips.length > 0 && l.stops.some((x) => x.villageCode))).toBe(true);
  });
});

describe('scope: a county manager stays in their county', () => {
  it('lists only their county and is refused another one', async () => {
    const mine = await json<Page<Outlet>>(s.api('/api/v1/outlets?limit=1000', { as: 'sandu' }));
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((o) => o.countyCode === '522732')).toBe(true);
    for (const path of ['/api/v1/outlets?county=522701', '/api/v1/villages?county=522701', '/api/v1/routes?county=522701', '/api/v1/bus-lines?county=522701', '/api/v1/carriers?county=522701', '/api/v1/agreements?county=522701', '/api/v1/outlets/export?county=522701']) {
      expect((await s.api(path, { as: 'sandu' })).status, path).toBe(403);
    }
  });
  it('cannot read, change or deactivate an outlet of another county (404 / 403), and nothing changes', async () => {
    const duyun = await json<Page<Outlet>>(s.api('/api/v1/outlets?limit=1', { as: 'duyun' }));
    const o = duyun.items[0]!;
    expect((await s.api(`/api/v1/outlets/${o.id}`, { as: 'sandu' })).status).toBe(404);
    expect((await s.api(`/api/v1/outlets/${o.id}`, { method: 'PATCH', as: 'sandu', json: { name: '被改了' } })).status).toBe(404);
    expect((await s.api(`/api/v1/outlets/${o.id}/deactivate`, { method: 'POST', as: 'sandu' })).status).toBe(404);
    const after = await json<Outlet>(s.api(`/api/v1/outlets/${o.id}`, { as: 'duyun' }));
    expect(after).toMatchObject({ name: o.name, active: true });
  });
  it('cannot create an outlet in another county (403) but can in its own (201)', async () => {
    const body = { code: 'TEST-SD-01', name: '测试网点', kind: 'express_station', divisionCode: '522732111', lon: 107.87, lat: 25.98, openingHours: '08:00-18:00', services: ['pickup_station'] };
    expect((await s.api('/api/v1/outlets', { method: 'POST', as: 'sandu', json: { ...body, code: 'TEST-DY-01', divisionCode: '522701111' } })).status).toBe(403);
    const ok = await s.api('/api/v1/outlets', { method: 'POST', as: 'sandu', json: body });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as Outlet).countyCode).toBe('522732');
    expect((await s.api('/api/v1/outlets', { method: 'POST', as: 'sandu', json: body })).status).toBe(409);
  });
  it('keeps clerks from master data and partners out of the management API', async () => {
    expect((await s.api('/api/v1/outlets', { method: 'POST', as: 'hejiang', json: {} })).status).toBe(403);
    expect((await s.api('/api/v1/outlets', { as: 'zto' })).status).toBe(403);
    expect((await s.api('/api/v1/villages', { as: 'zto' })).status).toBe(403);
    const clerk = await json<Page<Outlet>>(s.api('/api/v1/outlets?limit=1000', { as: 'hejiang' }));
    expect(clerk.items.every((o) => o.countyCode === '522732')).toBe(true);
  });
});

describe('validation', () => {
  it('reports every bad field of an outlet with its path', async () => {
    const r = await s.api('/api/v1/outlets', { method: 'POST', as: 'admin', json: { code: 'BAD-01', name: 'x', kind: 'express_station', divisionCode: '522799999', lon: 107.5, lat: 26.2, openingHours: '25:00-26:00', services: ['pickup_station'] } });
    expect(r.status).toBe(422);
    const paths = ((await r.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/divisionCode', '/openingHours']));
    const r2 = await s.api('/api/v1/outlets', { method: 'POST', as: 'admin', json: { code: 'BAD-02', name: 'x', kind: 'palace', divisionCode: '522701111', lon: 500, lat: 26.2, openingHours: '08:00-18:00', services: ['teleport'] } });
    expect(r2.status).toBe(422);
    const paths2 = ((await r2.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path).join(' ');
    expect(paths2).toMatch(/body\/kind/);
    expect(paths2).toMatch(/body\/lon/);
  });
  it('ends an agreement and then takes a new one for the following period; deactivates a partner', async () => {
    const list = await json<Page<{ id: string; validFrom: string; validTo?: string }>>(s.api('/api/v1/agreements?partner=YTO&county=522701', { as: 'admin' }));
    const a = list.items[0]!;
    expect((await s.api(`/api/v1/agreements/${a.id}/end`, { method: 'POST', as: 'duyun', json: { validTo: '2026-12-31' } })).status).toBe(403);
    expect((await s.api(`/api/v1/agreements/${a.id}/end`, { method: 'POST', as: 'admin', json: { validTo: '2025-01-01' } })).status).toBe(422);
    const ended = await s.api(`/api/v1/agreements/${a.id}/end`, { method: 'POST', as: 'admin', json: { validTo: '2026-12-31' } });
    expect(((await ended.json()) as { validTo: string }).validTo).toBe('2026-12-31');
    const next = await s.api('/api/v1/agreements', { method: 'POST', as: 'admin', json: { partnerCode: 'YTO', countyCode: '522701', doorRateFen: 130, stationRateFen: 90, remoteSurchargeFen: 50, validFrom: '2027-01-01', promiseHours: 72 } });
    expect(next.status).toBe(201);
    const p = await s.api('/api/v1/partners/STO', { method: 'PATCH', as: 'admin', json: { active: false } });
    expect(((await p.json()) as { active: boolean }).active).toBe(false);
    expect((await s.api('/api/v1/partners/NOPE', { method: 'PATCH', as: 'admin', json: { active: false } })).status).toBe(404);
  });
  it('refuses an overlapping agreement (409) and a county manager setting rates (403)', async () => {
    const a = { partnerCode: 'ZTO', countyCode: '522732', doorRateFen: 120, stationRateFen: 80, remoteSurchargeFen: 50, validFrom: '2026-06-01', promiseHours: 72 };
    expect((await s.api('/api/v1/agreements', { method: 'POST', as: 'sandu', json: a })).status).toBe(403);
    expect((await s.api('/api/v1/agreements', { method: 'POST', as: 'admin', json: a })).status).toBe(409);
  });
  it('creates a route with computed length, and refuses a village of another county', async () => {
    const ag = (await json<Page<Outlet>>(s.api(`/api/v1/outlets?q=${encodeURIComponent('合江代办所')}`, { as: 'sandu' }))).items[0]!;
    const bad = await s.api('/api/v1/routes', { method: 'POST', as: 'sandu', json: { code: 'R-T-1', name: 't', outletId: ag.id, vehicleType: 'e_bike', workingDays: [1, 3, 5], stops: [{ villageCode: '522701111212', days: [1] }] } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: Array<{ path: string }> }).errors[0]!.path).toBe('/stops/0/villageCode');
    const ok = await s.api('/api/v1/routes', { method: 'POST', as: 'sandu', json: { code: 'R-T-1', name: '测试投递段', outletId: ag.id, vehicleType: 'e_bike', workingDays: [1, 3, 5], stops: [{ villageCode: '522732111282', days: [1, 3, 5] }, { villageCode: '522732111285', days: [1, 3, 5] }] } });
    expect(ok.status).toBe(201);
    const r = (await ok.json()) as { lengthM: number; durationS: number; stops: unknown[] };
    expect(r.lengthM).toBeGreaterThan(1000);
    expect(r.durationS).toBeGreaterThan(0);
  });
});

describe('imports: all-or-nothing with a per-row report', () => {
  const count = async () => (await json<Page<Outlet>>(s.api('/api/v1/outlets?limit=1', { as: 'admin' }))).total;
  const good = (code: string) => `${code},测试驿站${code},快递驿站,522732111,107.88,25.99,08:00-18:00,30,张三,13800001111,pickup_station`;

  it('rejects a file with one bad row entirely, naming the row and field', async () => {
    const before = await count();
    const csv = [OUTLET_HEADER, good('IMP-A1'), `IMP-A2,坏的,快递驿站,522732111,181,25.99,08:00-18:00,30,,,pickup_station`, good('IMP-A3')].join('\n');
    const r = await upload('/api/v1/outlets/import', 'admin', 'outlets.csv', csv);
    expect(r.status).toBe(422);
    const p = (await r.json()) as { errors: Array<{ row: number; path: string }> };
    expect(p.errors).toContainEqual(expect.objectContaining({ row: 3, path: expect.stringMatching(/lon/) }));
    expect(await count()).toBe(before);
  });
  it('with mode=valid writes the good rows and returns the bad ones', async () => {
    const before = await count();
    const csv = [OUTLET_HEADER, good('IMP-B1'), `IMP-B2,坏的,宫殿,522732111,107.8,25.99,08:00-18:00,30,,,pickup_station`, good('IMP-B3')].join('\n');
    const r = await upload('/api/v1/outlets/import?mode=valid', 'admin', 'outlets.csv', csv);
    expect(r.status).toBe(200);
    const rep = (await r.json()) as { imported: number; rejected: Array<{ row: number }> };
    expect(rep.imported).toBe(2);
    expect(rep.rejected.map((x) => x.row)).toEqual([3]);
    expect(await count()).toBe(before + 2);
  });
  it('reports wrong columns, bad division codes and duplicate keys', async () => {
    const wrongCols = await upload('/api/v1/outlets/import', 'admin', 'o.csv', 'foo,bar\n1,2');
    expect(wrongCols.status).toBe(422);
    expect(JSON.stringify(await wrongCols.json())).toMatch(/foo|missing|缺/);
    const badCode = await upload('/api/v1/outlets/import', 'admin', 'o.csv', [OUTLET_HEADER, good('IMP-C1').replace('522732111', '522799999')].join('\n'));
    expect(badCode.status).toBe(422);
    expect(((await badCode.json()) as { errors: Array<{ row: number; path: string }> }).errors[0]).toMatchObject({ row: 2 });
    const dup = await upload('/api/v1/outlets/import', 'admin', 'o.csv', [OUTLET_HEADER, good('IMP-D1'), good('IMP-D1')].join('\n'));
    expect(dup.status).toBe(422);
    expect(JSON.stringify(await dup.json())).toMatch(/duplicate/);
  });
  it('refuses an .xlsx that is not a workbook, and a 50 MB file, writing nothing', async () => {
    const before = await count();
    const fake = await upload('/api/v1/outlets/import', 'admin', 'outlets.xlsx', Buffer.from('this is not a zip at all'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(fake.status).toBe(422);
    expect(((await fake.json()) as { code: string }).code).toBe('import.not_a_workbook');
    const corruptZip = await upload('/api/v1/outlets/import', 'admin', 'outlets.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(1000, 7)]), 'application/octet-stream');
    expect(corruptZip.status).toBe(422);
    const big = Buffer.alloc(50 * 1024 * 1024, 0x41);
    const r = await upload('/api/v1/outlets/import', 'admin', 'big.csv', big);
    expect(r.status).toBe(413);
    expect(await count()).toBe(before);
  });
  it('imports an Excel file, and a county manager only inside their county', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('网点');
    ws.addRow(OUTLET_HEADER.split(','));
    ws.addRow(good('IMP-X1').split(','));
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const ok = await upload('/api/v1/outlets/import', 'sandu', 'o.xlsx', buf, 'application/octet-stream');
    expect(ok.status).toBe(200);
    const other = [OUTLET_HEADER, good('IMP-X2').replace('522732111', '522701111').replace('107.88,25.99', '107.52,26.26')].join('\n');
    const refused = await upload('/api/v1/outlets/import', 'sandu', 'o.csv', other);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toMatch(/outside your county/);
  });
  it('exports what it imports: an export re-imports unchanged', async () => {
    const exp = await s.api('/api/v1/outlets/export?format=xlsx&county=522732', { as: 'sandu' });
    expect(exp.status).toBe(200);
    const buf = Buffer.from(await exp.arrayBuffer());
    const before = await json<Page<Outlet>>(s.api('/api/v1/outlets?limit=1000&county=522732', { as: 'sandu' }));
    const re = await upload('/api/v1/outlets/import', 'sandu', 'back.xlsx', buf, 'application/octet-stream');
    expect(re.status).toBe(200);
    expect(((await re.json()) as { imported: number }).imported).toBe(before.total);
    const after = await json<Page<Outlet>>(s.api('/api/v1/outlets?limit=1000&county=522732', { as: 'sandu' }));
    expect(after.items).toEqual(before.items);
    const csv = await s.api('/api/v1/routes/export?format=csv&county=522732', { as: 'sandu' });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const back = await upload('/api/v1/routes/import', 'sandu', 'routes.csv', Buffer.from(await csv.arrayBuffer()));
    expect(back.status).toBe(200);
  });
  it('imports village coordinates', async () => {
    const r = await upload('/api/v1/villages/import', 'duyun', 'v.csv', '行政区划代码,经度,纬度\n522701111212,107.61,26.21\n');
    const body = await r.text();
    expect(r.status, body).toBe(200);
    const v = await json<Page<{ lon: number; lat: number; coordinatesApproximate: boolean }>>(s.api('/api/v1/villages?q=522701111212', { as: 'duyun' }));
    expect(v.items[0]).toMatchObject({ lon: 107.61, lat: 26.21 });
  });
});

describe('carriers, vehicles and bus lines', () => {
  it('adds a carrier and a vehicle at an outlet of the county, refuses another county', async () => {
    const ag = (await json<Page<Outlet>>(s.api(`/api/v1/outlets?q=${encodeURIComponent('合江代办所')}`, { as: 'sandu' }))).items[0]!;
    const v = await s.api('/api/v1/vehicles', { method: 'POST', as: 'sandu', json: { code: 'EB-TEST-1', type: 'e_bike', outletId: ag.id } });
    expect(v.status).toBe(201);
    const veh = (await v.json()) as { id: string; capacityKg: number };
    expect(veh.capacityKg).toBeGreaterThan(0);
    const c = await s.api('/api/v1/carriers', { method: 'POST', as: 'sandu', json: { name: '韦小宝', phone: '13812345678', outletId: ag.id, vehicleId: veh.id } });
    expect(c.status).toBe(201);
    const car = (await c.json()) as { id: string };
    expect((await s.api(`/api/v1/carriers/${car.id}`, { method: 'PATCH', as: 'duyun', json: { active: false } })).status).toBe(404);
    const off = await s.api(`/api/v1/carriers/${car.id}`, { method: 'PATCH', as: 'sandu', json: { active: false } });
    expect(((await off.json()) as { active: boolean }).active).toBe(false);
    expect((await s.api('/api/v1/carriers', { method: 'POST', as: 'sandu', json: { name: 'x', phone: '123', outletId: ag.id } })).status).toBe(422);
  });
  it('creates and retires a bus line with validation', async () => {
    type Stop = { name: string; lon: number; lat: number; villageCode?: string; outletId?: string };
    const line: { code: string; name: string; operator: string; countyCode: string; stops: Stop[]; trips: unknown[] } = {
      code: 'B-TEST-1', name: '测试班线', operator: '三都客运', countyCode: '522732',
      stops: [{ name: '三都客运站', lon: 107.87, lat: 25.98 }, { name: '合江村', villageCode: '522732111282', lon: 107.9, lat: 25.9 }],
      trips: [{ departure: '07:30', days: [1, 2, 3, 4, 5], capacityParcels: 30, feePerParcelFen: 80 }],
    };
    const bad = await s.api('/api/v1/bus-lines', { method: 'POST', as: 'sandu', json: line });
    expect(bad.status).toBe(422); // the first stop is tied to neither a village nor an outlet
    expect(JSON.stringify(await bad.json())).toMatch(/stops/);
    const ag = (await json<Page<Outlet>>(s.api(`/api/v1/outlets?q=${encodeURIComponent('合江代办所')}`, { as: 'sandu' }))).items[0]!;
    line.stops[0] = { ...line.stops[0]!, outletId: ag.id };
    const ok = await s.api('/api/v1/bus-lines', { method: 'POST', as: 'sandu', json: line });
    expect(ok.status).toBe(201);
    const { id } = (await ok.json()) as { id: string };
    expect((await s.api('/api/v1/bus-lines', { method: 'POST', as: 'duyun', json: { ...line, code: 'B-TEST-2' } })).status).toBe(403);
    const retired = await s.api(`/api/v1/bus-lines/${id}`, { method: 'PUT', as: 'sandu', json: { ...line, active: false } });
    expect(retired.status).toBe(200);
    expect(((await retired.json()) as { active: boolean }).active).toBe(false);
  });
});
