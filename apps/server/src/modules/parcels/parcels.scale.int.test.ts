import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../../../test/harness.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => s?.close());

const ADDRESSES = ['贵州省黔南州三都县大河镇合江村二组', '三都县大河镇巴佑村3组', '三都大河尧吕村', '三都县大河镇小河村五组12号', '合江村', '三都县大河镇老寨子'];

describe(`a full manifest (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('takes 10,000 parcels in one request, and the same request again as 10,000 duplicates', async () => {
    const stamp = Date.now().toString(36).toUpperCase();
    const parcels = Array.from({ length: 10_000 }, (_, i) => ({
      waybillNo: `ZT${stamp}${String(i).padStart(6, '0')}`,
      recipientName: i % 2 ? '张小娟' : '欧阳娜娜',
      recipientPhone: `138${String(10_000_000 + i).slice(-8)}`,
      address: ADDRESSES[i % ADDRESSES.length]!,
      weightKg: 0.5 + (i % 10) / 10,
      service: i % 3 ? 'door' : 'station',
    }));
    const t0 = performance.now();
    const r = await s.api('/partner/v1/manifests', { method: 'POST', as: 'zto', headers: { 'idempotency-key': `big-${stamp}` }, json: { outletCode: 'AG522732111-01', parcels } });
    const ms = performance.now() - t0;
    expect(r.status).toBe(201);
    const body = (await r.json()) as { accepted: number; duplicates: number; addressExceptions: number };
    expect(body).toMatchObject({ accepted: 10_000, duplicates: 0 });
    expect(body.addressExceptions).toBeGreaterThan(0); // 合江村 (low confidence), 老寨子 (unresolved), …
    expect(body.addressExceptions).toBeLessThan(10_000);
    const t1 = performance.now();
    const replay = await s.api('/partner/v1/manifests', { method: 'POST', as: 'zto', headers: { 'idempotency-key': `big-${stamp}` }, json: { outletCode: 'AG522732111-01', parcels } });
    const replayMs = performance.now() - t1;
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const t2 = performance.now();
    const again = await s.api('/partner/v1/manifests', { method: 'POST', as: 'zto', json: { outletCode: 'AG522732111-01', parcels } });
    const againMs = performance.now() - t2;
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 10_000 });
    console.log(`[${s.engine}] manifest of 10,000 parcels: ${ms.toFixed(0)} ms (${(10_000 / (ms / 1000)).toFixed(0)} parcels/s); idempotent replay ${replayMs.toFixed(0)} ms; resent without key (all duplicates) ${againMs.toFixed(0)} ms`);
    const n = await s.ctx.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('payload', 'is not', null).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBeGreaterThanOrEqual(10_000);
  });

  it('refuses more than 10,000 parcels', async () => {
    const parcels = Array.from({ length: 10_001 }, (_, i) => ({ waybillNo: `ZTX${String(i).padStart(8, '0')}`, recipientName: '李四', recipientPhone: '13900000000', address: '合江村', weightKg: 1, service: 'door' }));
    const r = await s.api('/partner/v1/manifests', { method: 'POST', as: 'zto', json: { outletCode: 'AG522732111-01', parcels } });
    expect(r.status).toBe(413);
  });
});
