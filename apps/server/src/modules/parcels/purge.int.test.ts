import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PurgeWorker, retentionDaysFromEnv } from '../../jobs/purge.worker.ts';
import { type TestServer, testServer } from '../../../test/harness.ts';

const HEJIANG = 'AG522732111-01'; // 合江代办所, 三都县 522732
type Json = Record<string, unknown>;
const json = async <T = Json>(r: Response | Promise<Response>): Promise<T> => (await (await r).json()) as T;
let seq = 0;
const wb = () => `ZP${Date.now().toString().slice(-6)}${String(++seq).padStart(5, '0')}`;
const DAY = 86_400_000;
const proof = { kind: 'signature', ref: 'sig_purge', recipientType: 'recipient' };

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => s?.close());

async function newParcel(): Promise<{ id: string; waybillNo: string }> {
  const waybillNo = wb();
  const r = await s.api('/partner/v1/manifests', { method: 'POST', as: 'zto', json: { outletCode: HEJIANG, parcels: [{ waybillNo, recipientName: '张小娟', recipientPhone: '13812345678', address: '贵州省黔南州三都县大河镇合江村二组', weightKg: 1.2, service: 'door' }] } });
  expect(r.status).toBe(201);
  return { id: (await json<{ parcels: Array<{ parcelId: string }> }>(r)).parcels[0]!.parcelId, waybillNo };
}
/** Handed over, out for delivery and delivered (door, signed) at `at`. */
async function deliver(parcelId: string, at: number) {
  const events = [['handed_over', at - 3 * 3_600_000], ['out_for_delivery', at - 3_600_000], ['delivered', at]].map(([type, t]) => ({ eventId: randomUUID(), parcelId, type, eventTime: new Date(t as number).toISOString(), ...(type === 'delivered' ? { proof } : {}) }));
  const r = await json<{ results: Array<{ result: string; code?: string }> }>(s.api('/api/v1/events/batch', { method: 'POST', as: 'hejiang', json: { events } }));
  expect(r.results.map((x) => x.code ?? x.result)).toEqual(['created', 'created', 'created']);
}
const row = (id: string) => s.ctx.db.selectFrom('parcels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe(`scheduled personal-data purge (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('reads PII_RETENTION_DAYS (default 90)', () => {
    expect(retentionDaysFromEnv({})).toBe(90);
    expect(retentionDaysFromEnv({ PII_RETENTION_DAYS: '30' })).toBe(30);
    expect(retentionDaysFromEnv({ PII_RETENTION_DAYS: '0' })).toBe(0);
    expect(retentionDaysFromEnv({ PII_RETENTION_DAYS: 'soon' })).toBe(90);
  });

  it('anonymises parcels closed longer ago than the retention, leaves the others, and statements do not change', async () => {
    const now = Date.now();
    const oldAt = now - 50 * DAY; // closed 50 days ago: past a 30-day retention
    const old = await newParcel();
    await deliver(old.id, oldAt);
    const recent = await newParcel();
    await deliver(recent.id, now - 2 * DAY);
    const open = await newParcel();
    const month = new Date(oldAt).toISOString().slice(0, 7);
    const statementUrl = `/api/v1/settlement/statement?partner=ZTO&county=522732&month=${month}`;
    type Stmt = { totalFen: number; contentHash: string; lines: Array<{ kind: string; quantity: number; amountFen: number; parcels: Array<{ waybillNo: string }> }> };
    const before = await json<Stmt>(s.api(statementUrl, { as: 'admin' }));
    expect(before.lines.some((l) => l.parcels.some((p) => p.waybillNo === old.waybillNo))).toBe(true);
    const issued = await json<{ id: string; contentHash: string }>(s.api('/api/v1/settlement/statements', { method: 'POST', as: 'admin', json: { partnerCode: 'ZTO', countyCode: '522732', month } }));
    const untouched = { recent: await row(recent.id), open: await row(open.id) };

    // The scheduled worker (30-day retention), on its timer: the first pass comes after firstDelayMs.
    const worker = new PurgeWorker(s.ctx.db, { clock: () => new Date(), pii: s.ctx.pii, region: s.ctx.config.region, retentionDays: 30 });
    worker.start(60_000, 10);
    try {
      for (let i = 0; i < 100 && (await row(old.id)).purged_at === null; i++) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await worker.stop();
    }

    const o = await row(old.id);
    expect(o.purged_at).not.toBeNull();
    expect([o.recipient_name_enc, o.recipient_name_masked, o.phone_enc, o.phone_hmac, o.phone_masked, o.address_enc, o.address_masked]).toEqual([null, null, null, null, null, null, null]);
    // What statements rest on stays: village, service, weight, status and times.
    expect(o).toMatchObject({ status: 'delivered', service: 'door', weight_g: 1200 });
    expect(o.village_code).not.toBeNull();
    expect((await s.api(`/api/v1/parcels/${old.id}/reveal`, { method: 'POST', as: 'admin', json: { reason: 'purge check' } })).status).toBe(404);
    expect(await row(recent.id)).toEqual(untouched.recent);
    expect(await row(open.id)).toEqual(untouched.open);

    const after = await json<Stmt>(s.api(statementUrl, { as: 'admin' }));
    expect(after.contentHash).toBe(before.contentHash);
    expect(after.totalFen).toBe(before.totalFen);
    expect(after.lines).toEqual(before.lines);
    const again = await json<{ id: string; contentHash: string }>(s.api('/api/v1/settlement/statements', { method: 'POST', as: 'admin', json: { partnerCode: 'ZTO', countyCode: '522732', month } }));
    expect(again).toMatchObject({ id: issued.id, contentHash: issued.contentHash });

    // A second pass finds nothing more; the passes are audited as the system.
    expect((await worker.runOnce()).purged).toBe(0);
    const audit = await s.ctx.db.selectFrom('audit_log').select(['actor_id', 'detail']).where('action', '=', 'parcel.purge').orderBy('seq').execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(audit.every((a) => a.actor_id === 'system')).toBe(true);
  });
});
