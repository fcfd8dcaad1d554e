import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../../../test/harness.ts';

const HEJIANG = 'AG522732111-01'; // 合江代办所, 三都县 522732
const VILLAGE = '522732111282'; // 合江村
type Json = Record<string, unknown>;
const json = async <T = Json>(r: Response | Promise<Response>): Promise<T> => (await (await r).json()) as T;
let seq = 0;
const wb = () => `ZS${Date.now().toString().slice(-6)}${String(++seq).padStart(5, '0')}`;
const parcel = (waybillNo: string, service: 'door' | 'station') => ({ waybillNo, recipientName: '张小娟', recipientPhone: '13812345678', address: '贵州省黔南州三都县大河镇合江村二组', weightKg: 1.2, service });
const proof = { kind: 'signature', ref: 'sig_001', recipientType: 'recipient' };
type Line = { id: string; kind: string; agreementId: string; unitFen: number; quantity: number; amountFen: number; parcels: Array<{ waybillNo: string }> };
type Stmt = { id: string; lines: Line[]; totalFen: number; contentHash: string; reissued?: boolean };

let s: TestServer;
const W: Record<string, string> = {};

async function newParcel(key: string, service: 'door' | 'station') {
  W[key] = wb();
  const r = await s.api('/partner/v1/manifests', { method: 'POST', as: 'zto', json: { outletCode: HEJIANG, parcels: [parcel(W[key]!, service)] } });
  expect(r.status).toBe(201);
  return (await json<{ parcels: Array<{ parcelId: string }> }>(r)).parcels[0]!.parcelId;
}
async function events(list: Json[]) {
  const resp = await s.api('/api/v1/events/batch', { method: 'POST', as: 'hejiang', json: { events: list } });
  const r = await json<{ results: Array<{ result: string; code?: string }> }>(resp);
  if (!r.results) throw new Error(JSON.stringify(r));
  expect(r.results.map((x) => x.code ?? x.result)).toEqual(list.map(() => 'created'));
}
const ev = (parcelId: string, type: string, time: string, extra: Json = {}) => ({ eventId: randomUUID(), parcelId, type, eventTime: time, ...extra });

beforeAll(async () => {
  s = await testServer();
  // The agreement changes mid-month: the old terms end on 14 November, new ones start on the 15th.
  await s.ctx.db.updateTable('agreements').set({ valid_to: '2026-11-14' }).where('partner_code', '=', 'ZTO').where('county_code', '=', '522732').execute();
  await s.ctx.db.insertInto('agreements').values({ id: 'agr_zto_sandu_2611', partner_code: 'ZTO', county_code: '522732', door_rate_fen: 210, station_rate_fen: 130, remote_surcharge_fen: 90, valid_from: '2026-11-15', valid_to: null, return_rate_fen: 100 }).execute();
  await s.ctx.db.updateTable('villages').set({ remote: true }).where('code', '=', VILLAGE).execute();
  const p1 = await newParcel('door_old', 'door');
  const p2 = await newParcel('door_new', 'door');
  const p3 = await newParcel('station', 'station');
  const p4 = await newParcel('returned', 'door');
  const p5 = await newParcel('lost', 'door');
  const p6 = await newParcel('october', 'door');
  const p7 = await newParcel('voided', 'door');
  await events([
    ev(p1, 'handed_over', '2026-11-09T01:00:00Z'), ev(p1, 'out_for_delivery', '2026-11-10T01:00:00Z'), ev(p1, 'delivered', '2026-11-10T05:00:00Z', { proof }),
    ev(p2, 'handed_over', '2026-11-19T01:00:00Z'), ev(p2, 'out_for_delivery', '2026-11-20T01:00:00Z'), ev(p2, 'delivered', '2026-11-20T05:00:00Z', { proof }),
    ev(p3, 'handed_over', '2026-11-11T01:00:00Z'), ev(p3, 'out_for_delivery', '2026-11-12T01:00:00Z'), ev(p3, 'delivered_to_station', '2026-11-12T05:00:00Z'),
    ev(p4, 'handed_over', '2026-11-05T01:00:00Z'), ev(p4, 'returned_to_partner', '2026-11-21T01:00:00Z', { reason: 'refused' }),
    ev(p5, 'handed_over', '2026-11-05T01:00:00Z'), ev(p5, 'exception', '2026-11-22T01:00:00Z', { reason: 'loss' }),
    ev(p6, 'handed_over', '2026-10-29T01:00:00Z'), ev(p6, 'out_for_delivery', '2026-10-30T01:00:00Z'), ev(p6, 'delivered', '2026-10-31T15:00:00Z', { proof }), // 23:00 local, October
  ]);
  const d7 = ev(p7, 'delivered', '2026-11-25T05:00:00Z', { proof });
  await events([ev(p7, 'handed_over', '2026-11-24T01:00:00Z'), ev(p7, 'out_for_delivery', '2026-11-25T01:00:00Z'), d7]);
  await events([{ eventId: randomUUID(), parcelId: p7, type: 'void', eventTime: '2026-11-25T06:00:00Z', voids: d7.eventId }]);
});
afterAll(async () => s?.close());

describe(`settlement (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('prices each delivery at the agreement in force on its date; returns and deductions are their own lines; each line lists its parcels', async () => {
    const st = await json<Stmt>(s.api('/api/v1/settlement/statement?partner=ZTO&county=522732&month=2026-11', { as: 'admin' }));
    const line = (kind: string, agr?: string) => st.lines.filter((l) => l.kind === kind && (!agr || l.agreementId === agr));
    expect(line('door', 'agr_zto_sandu_2611').flatMap((l) => l.parcels.map((p) => p.waybillNo))).toEqual([W.door_new]);
    expect(line('door').find((l) => l.agreementId !== 'agr_zto_sandu_2611')!.parcels.map((p) => p.waybillNo)).toEqual([W.door_old]);
    expect(line('station')[0]!.parcels.map((p) => p.waybillNo)).toEqual([W.station]);
    expect(line('remote_surcharge').flatMap((l) => l.parcels.map((p) => p.waybillNo)).sort()).toEqual([W.door_new, W.door_old, W.station].sort());
    expect(line('return')[0]).toMatchObject({ unitFen: 100, quantity: 1 });
    expect(line('deduction_loss')[0]!.amountFen).toBeLessThan(0);
    const all = st.lines.flatMap((l) => l.parcels.map((p) => p.waybillNo));
    expect(all).not.toContain(W.october);
    expect(all).not.toContain(W.voided);
    expect(st.totalFen).toBe(st.lines.reduce((a, l) => a + l.amountFen, 0));
  });

  it('reconciles with an independent SQL query: delivered parcels times their rates', async () => {
    const st = await json<Stmt>(s.api('/api/v1/settlement/statement?partner=ZTO&county=522732&month=2026-11', { as: 'admin' }));
    const fromLines = st.lines.filter((l) => ['door', 'station', 'remote_surcharge'].includes(l.kind)).reduce((a, l) => a + l.amountFen, 0);
    const r = await sql<{ total: string | number; n: string | number }>`
      WITH d AS (
        SELECT p.id, e.type, (e.event_time AT TIME ZONE 'UTC' + interval '8 hours')::date AS day, coalesce(v.remote, false) AS remote
        FROM parcels p JOIN parcel_events e ON e.parcel_id = p.id LEFT JOIN villages v ON v.code = p.village_code
        WHERE p.partner_code = 'ZTO' AND p.county_code = '522732' AND e.type IN ('delivered', 'delivered_to_station')
          AND e.event_id NOT IN (SELECT payload->>'voids' FROM parcel_events WHERE type = 'void')
      )
      SELECT coalesce(sum(CASE WHEN d.type = 'delivered' THEN a.door_rate_fen ELSE a.station_rate_fen END + CASE WHEN d.remote THEN a.remote_surcharge_fen ELSE 0 END), 0) AS total, count(*) AS n
      FROM d JOIN agreements a ON a.partner_code = 'ZTO' AND a.county_code = '522732' AND a.active AND a.valid_from <= d.day AND (a.valid_to IS NULL OR a.valid_to >= d.day)
      WHERE to_char(d.day, 'YYYY-MM') = '2026-11'`.execute(s.ctx.db);
    expect(Number(r.rows[0]!.n)).toBe(3);
    expect(fromLines).toBe(Number(r.rows[0]!.total));
  });

  it('is reproducible: recomputed and re-issued, the same statement', async () => {
    const a = await json<Stmt>(s.api('/api/v1/settlement/statement?partner=ZTO&county=522732&month=2026-11', { as: 'sandu' }));
    const b = await json<Stmt>(s.api('/api/v1/settlement/statement?partner=ZTO&county=522732&month=2026-11', { as: 'admin' }));
    expect(b).toEqual(a);
    const i1 = await s.api('/api/v1/settlement/statements', { method: 'POST', as: 'admin', json: { partnerCode: 'ZTO', countyCode: '522732', month: '2026-11' } });
    expect(i1.status).toBe(201);
    const i2 = await s.api('/api/v1/settlement/statements', { method: 'POST', as: 'admin', json: { partnerCode: 'ZTO', countyCode: '522732', month: '2026-11' } });
    expect(i2.status).toBe(200);
    const [x, y] = [await json<Stmt>(i1), await json<Stmt>(i2)];
    expect(y.id).toBe(x.id);
    expect(x.contentHash).toBe(a.contentHash);
    // Out of scope: another county's manager.
    expect((await s.api('/api/v1/settlement/statement?partner=ZTO&county=522732&month=2026-11', { as: 'duyun' })).status).toBe(403);
  });

  it('exports CSV and Excel with one row per parcel of each line', async () => {
    const csv = await s.api('/api/v1/settlement/statement?partner=ZTO&county=522732&month=2026-11&format=csv', { as: 'admin' });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text).toContain(W.door_old!);
    expect(text.trim().split('\n').length).toBeGreaterThanOrEqual(8);
    const xlsx = await s.api('/api/v1/settlement/statement?partner=ZTO&county=522732&month=2026-11&format=xlsx', { as: 'admin' });
    const buf = Buffer.from(await xlsx.arrayBuffer());
    expect(buf.subarray(0, 2).toString()).toBe('PK');
  });

  it('tracks a partner’s dispute of a line to its resolution; other partners see nothing', async () => {
    const list = await json<{ items: Array<{ id: string }> }>(s.api('/partner/v1/statements?month=2026-11', { as: 'zto' }));
    const id = list.items[0]!.id;
    expect((await s.api(`/partner/v1/statements/${id}`, { as: 'yto' })).status).toBe(404);
    expect((await json<{ items: unknown[] }>(s.api('/partner/v1/statements', { as: 'yto' }))).items).toHaveLength(0);
    const st = await json<Stmt>(s.api(`/partner/v1/statements/${id}`, { as: 'zto' }));
    const loss = st.lines.find((l) => l.kind === 'deduction_loss')!;
    const d = await s.api(`/partner/v1/statements/${id}/disputes`, { method: 'POST', as: 'zto', json: { lineId: loss.id, reason: '该件已于11月23日找回并妥投', waybillNos: [W.lost] } });
    expect(d.status).toBe(201);
    const dispute = await json<{ id: string; status: string }>(d);
    expect(dispute.status).toBe('open');
    expect((await s.api(`/partner/v1/statements/${id}/disputes`, { method: 'POST', as: 'zto', json: { lineId: loss.id, reason: 'not on line', waybillNos: [W.door_old] } })).status).toBe(422);
    const open = await json<{ items: Array<{ id: string }> }>(s.api('/api/v1/settlement/disputes?status=open', { as: 'admin' }));
    expect(open.items.map((x) => x.id)).toContain(dispute.id);
    const res = await s.api(`/api/v1/settlement/disputes/${dispute.id}/resolve`, { method: 'POST', as: 'sandu', json: { status: 'accepted', resolution: '核实找回，退还扣款', adjustmentFen: -loss.amountFen } });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: 'accepted', adjustmentFen: -loss.amountFen });
    expect((await s.api(`/api/v1/settlement/disputes/${dispute.id}/resolve`, { method: 'POST', as: 'sandu', json: { status: 'rejected', resolution: 'again' } })).status).toBe(409);
    const after = await json<{ disputes: Array<{ id: string; status: string }> }>(s.api(`/partner/v1/statements/${id}`, { as: 'zto' }));
    expect(after.disputes).toMatchObject([{ id: dispute.id, status: 'accepted' }]);
  });

  it('exposes the agreement’s settlement terms (return rate, deductions) in the agreements API, read and write, validated', async () => {
    type Agr = { id: string; validFrom: string; returnRateFen: number; lossDeductionFen: number; damageDeductionFen: number; lateDeductionFen: number };
    const zto = await json<{ items: Agr[] }>(s.api('/api/v1/agreements?partner=ZTO&county=522732', { as: 'sandu' }));
    expect(zto.items.find((a) => a.id === 'agr_zto_sandu_2611')).toMatchObject({ returnRateFen: 100, lossDeductionFen: 2000, damageDeductionFen: 1000, lateDeductionFen: 20 });
    const yto = (await json<{ items: Agr[] }>(s.api('/api/v1/agreements?partner=YTO&county=522732', { as: 'admin' }))).items[0]!;
    expect((await s.api(`/api/v1/agreements/${yto.id}/end`, { method: 'POST', as: 'admin', json: { validTo: '2026-12-31' } })).status).toBe(200);
    const base = { partnerCode: 'YTO', countyCode: '522732', doorRateFen: 150, stationRateFen: 90, remoteSurchargeFen: 40, validFrom: '2027-01-01', promiseHours: 72 };
    for (const bad of [{ lossDeductionFen: -1 }, { returnRateFen: 'a lot' }, { lateDeductionFen: 1.5 }, { damageDeductionFen: 100001 }]) {
      const r = await s.api('/api/v1/agreements', { method: 'POST', as: 'admin', json: { ...base, ...bad } });
      expect(r.status, JSON.stringify(bad)).toBe(422);
      expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
      const body = await json<{ errors: Array<{ path: string }> }>(r);
      expect(body.errors.map((e) => e.path).join(' ')).toContain(Object.keys(bad)[0]!);
    }
    const created = await s.api('/api/v1/agreements', { method: 'POST', as: 'admin', json: { ...base, returnRateFen: 75, lossDeductionFen: 3000, damageDeductionFen: 1500, lateDeductionFen: 0 } });
    expect(created.status).toBe(201);
    expect(await json<Agr>(created)).toMatchObject({ validFrom: '2027-01-01', returnRateFen: 75, lossDeductionFen: 3000, damageDeductionFen: 1500, lateDeductionFen: 0 });
    const listed = (await json<{ items: Agr[] }>(s.api('/api/v1/agreements?partner=YTO&county=522732', { as: 'admin' }))).items.find((a) => a.validFrom === '2027-01-01');
    expect(listed).toMatchObject({ returnRateFen: 75, lossDeductionFen: 3000, damageDeductionFen: 1500, lateDeductionFen: 0 });
    const row = await s.ctx.db.selectFrom('agreements').select(['return_rate_fen', 'late_deduction_fen']).where('partner_code', '=', 'YTO').where('county_code', '=', '522732').where('valid_from', '=', '2027-01-01').executeTakeFirstOrThrow();
    expect(row).toEqual({ return_rate_fen: 75, late_deduction_fen: 0 });
    // Left out, the terms are the defaults (and the answer says so).
    const ended = (await json<{ items: Agr[] }>(s.api('/api/v1/agreements?partner=JT&county=522732', { as: 'admin' }))).items[0]!;
    expect((await s.api(`/api/v1/agreements/${ended.id}/end`, { method: 'POST', as: 'admin', json: { validTo: '2026-12-31' } })).status).toBe(200);
    const plain = await json<Agr>(s.api('/api/v1/agreements', { method: 'POST', as: 'admin', json: { ...base, partnerCode: 'JT' } }));
    expect(plain).toMatchObject({ returnRateFen: 0, lossDeductionFen: 2000, damageDeductionFen: 1000, lateDeductionFen: 20 });
  });

  it('gives a station keeper its monthly commission statement, and only its own', async () => {
    const station = (await s.ctx.db.selectFrom('users').select('outlet_id').where('username', '=', 'jijia').executeTakeFirstOrThrow()).outlet_id!;
    const c = await s.api(`/api/v1/settlement/commissions?station=${station}&month=2026-11`, { as: 'jijia' });
    expect(c.status).toBe(200);
    const body = await json<{ quantity: number; amountFen: number; unitFen: number }>(c);
    expect(body.amountFen).toBe(body.quantity * body.unitFen);
    expect((await s.api(`/api/v1/settlement/commissions?station=${station}&month=2026-11`, { as: 'hejiang' })).status).toBe(404);
  });
});
