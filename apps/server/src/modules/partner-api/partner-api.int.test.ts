import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../../../test/harness.ts';

const HEJIANG = 'AG522732111-01'; // 合江代办所, 三都县
type Json = Record<string, unknown>;
const json = async <T = Json>(r: Response | Promise<Response>): Promise<T> => (await (await r).json()) as T;
let seq = 0;
const wb = (prefix: string) => `${prefix}${Date.now().toString().slice(-6)}${String(++seq).padStart(5, '0')}`;
const parcel = (waybillNo: string) => ({ waybillNo, recipientName: '张小娟', recipientPhone: '13812345678', address: '贵州省黔南州三都县大河镇合江村二组', weightKg: 1.2, service: 'door' });
type Page<T> = { items: T[]; total: number };
type P = { waybillNo: string; status: string; internalStatus: string };

let s: TestServer;
const zto: string[] = [];
const yto: string[] = [];
beforeAll(async () => {
  s = await testServer();
  for (let i = 0; i < 3; i++) zto.push(wb('ZT'));
  for (let i = 0; i < 4; i++) yto.push(wb('YT'));
  expect((await s.api('/partner/v1/manifests', { method: 'POST', as: 'zto', json: { outletCode: HEJIANG, parcels: zto.map(parcel) } })).status).toBe(201);
  expect((await s.api('/partner/v1/manifests', { method: 'POST', as: 'yto', json: { outletCode: HEJIANG, parcels: yto.map(parcel) } })).status).toBe(201);
  // ZTO hands two over (the third is missing); YTO hands all over.
  expect((await s.api('/api/v1/handovers', { method: 'POST', as: 'hejiang', json: { partnerCode: 'ZTO', outletCode: HEJIANG, scans: zto.slice(0, 2).map((w) => ({ waybillNo: w })), postSigner: '合江', partnerSigner: '中通' } })).status).toBe(201);
  expect((await s.api('/api/v1/handovers', { method: 'POST', as: 'hejiang', json: { partnerCode: 'YTO', outletCode: HEJIANG, scans: yto.map((w) => ({ waybillNo: w })), postSigner: '合江', partnerSigner: '圆通' } })).status).toBe(201);
});
afterAll(async () => s?.close());

describe(`partner API (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('lists and counts only the caller’s parcels, statuses in its vocabulary', async () => {
    const dbCount = async (code: string) => Number((await s.ctx.db.selectFrom('parcels').select((eb) => eb.fn.countAll<number>().as('n')).where('partner_code', '=', code).executeTakeFirstOrThrow()).n);
    const mine = await json<Page<P>>(s.api('/partner/v1/parcels?limit=1000', { as: 'zto' }));
    expect(mine.total).toBe(await dbCount('ZTO'));
    expect(mine.items.some((p) => yto.includes(p.waybillNo))).toBe(false);
    expect(zto.every((w) => mine.items.some((p) => p.waybillNo === w))).toBe(true);
    const counts = await json<{ total: number; byStatus: Record<string, number> }>(s.api('/partner/v1/parcel-counts', { as: 'zto' }));
    expect(counts.total).toBe(await dbCount('ZTO'));
    expect(counts.byStatus.ARRIVED_AT_OUTLET).toBeGreaterThanOrEqual(2);
    // Filtering by a status never reaches other partners' parcels either.
    const ytoOutlet = await json<Page<P>>(s.api('/partner/v1/parcels?status=ARRIVED_AT_OUTLET&limit=1000', { as: 'yto' }));
    expect(ytoOutlet.items.every((p) => p.waybillNo.startsWith('YT') && p.status === 'ARRIVED_AT_OUTLET')).toBe(true);
    expect(ytoOutlet.total).toBe(yto.length);
    // Its own vocabulary is used once set.
    expect((await s.api('/partner/v1/status-mapping', { method: 'PUT', as: 'yto', json: { mapping: { at_outlet: 'YT_IN' } } })).status).toBe(200);
    const renamed = await json<Page<P>>(s.api('/partner/v1/parcels?status=YT_IN&limit=1000', { as: 'yto' }));
    expect(renamed.total).toBe(yto.length);
    expect(renamed.items.every((p) => p.status === 'YT_IN' && p.internalStatus === 'at_outlet')).toBe(true);
    expect((await s.api('/partner/v1/status-mapping', { method: 'PUT', as: 'yto', json: { mapping: { nonsense: 'X' } } })).status).toBe(422);
  });

  it('answers 404 for another partner’s waybill, the same as for one that does not exist', async () => {
    for (const path of [`/partner/v1/parcels/${yto[0]}`, `/partner/v1/parcels/${yto[0]}/status-history`]) {
      const other = await s.api(path, { as: 'zto' });
      const none = await s.api(path.replace(yto[0]!, 'YT000000000000'), { as: 'zto' });
      expect(other.status).toBe(404);
      expect(none.status).toBe(404);
      const [a, b] = [await json<{ code: string; detail: string }>(other), await json<{ code: string; detail: string }>(none)];
      expect(a.code).toBe(b.code);
    }
    const h = await json<{ waybillNo: string; changes: Array<{ status: string }> }>(s.api(`/partner/v1/parcels/${zto[0]}/status-history`, { as: 'zto' }));
    expect(h.changes.map((c) => c.status)).toEqual(['ACCEPTED', 'ARRIVED_AT_OUTLET']);
    expect((await s.api('/partner/v1/parcels', { as: 'hejiang' })).status).toBe(403);
  });

  it('gives a pull feed of the caller’s status changes by cursor', async () => {
    let after = 0;
    const seen: Array<{ waybillNo: string; status: string }> = [];
    for (;;) {
      const page = await json<{ items: Array<{ waybillNo: string; status: string }>; nextCursor: number }>(s.api(`/partner/v1/events?after=${after}&limit=2`, { as: 'zto' }));
      if (page.items.length === 0) break;
      seen.push(...page.items);
      after = page.nextCursor;
    }
    expect(seen.every((x) => x.waybillNo.startsWith('ZT'))).toBe(true);
    for (const w of zto) expect(seen.filter((x) => x.waybillNo === w).map((x) => x.status)[0]).toBe('ACCEPTED');
    expect(seen.filter((x) => x.waybillNo === zto[2]).map((x) => x.status)).toEqual(['ACCEPTED', 'EXCEPTION']); // missing at handover
  });

  it('lists the caller’s handover reconciliations only, with the detail behind each', async () => {
    const z = await json<Page<{ id: string; counts: Record<string, number> }>>(s.api('/partner/v1/handovers', { as: 'zto' }));
    const y = await json<Page<{ id: string; counts: Record<string, number> }>>(s.api('/partner/v1/handovers', { as: 'yto' }));
    expect(z.items[0]!.counts).toMatchObject({ received: 2, missing: 1 });
    expect(y.items[0]!.counts).toMatchObject({ received: 4, missing: 0 });
    expect(z.items.some((h) => y.items.some((x) => x.id === h.id))).toBe(false);
    expect((await s.api(`/partner/v1/handovers/${y.items[0]!.id}`, { as: 'zto' })).status).toBe(404);
    expect((await s.api(`/partner/v1/handovers/${z.items[0]!.id}`, { as: 'zto' })).status).toBe(200);
  });
});
