import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { type TestServer, testServer } from '../../../test/harness.ts';
import { markPublished, takeOutbox } from '../webhooks/webhooks.repository.ts';
import { WebhooksService } from '../webhooks/webhooks.service.ts';

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

/** Runs the webhook relay until the outbox is drained: it numbers status changes for the feed. */
async function relay() {
  const svc = new WebhooksService(s.ctx.db, { clock: () => new Date(), pii: s.ctx.pii, allowLoopback: () => false });
  while ((await svc.relay()) > 0);
}
type FeedPage = { items: Array<{ id: string; cursor: number; waybillNo: string; status: string }>; nextCursor: number };
async function readFeed(as: string, after: number, limit = 1000) {
  return json<FeedPage>(s.api(`/partner/v1/events?after=${after}&limit=${limit}`, { as }));
}
/** An outbox status change as the parcel service writes it (only what the feed reads). */
function changeRow(id: number | null, waybillNo: string, tag: string) {
  const payload = JSON.stringify({ waybillNo, partnerCode: 'ZTO', previousStatus: 'at_outlet', status: 'out_for_delivery', eventType: 'out_for_delivery', eventTime: new Date().toISOString() });
  const cols = sql`message_id, topic, partner_code, parcel_id, dedupe_key, payload, created_at`;
  const vals = sql`${`msg_${tag}`}, 'parcel.status_changed', 'ZTO', NULL, ${`feedtest:${tag}`}, ${payload}::jsonb, now()`;
  return id === null ? sql`INSERT INTO outbox (${cols}) VALUES (${vals})` : sql`INSERT INTO outbox (id, ${cols}) VALUES (${id}, ${vals})`;
}

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
    await relay();
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

  it('never skips a change committed after a reader paged past a higher id (late commit)', async () => {
    await relay();
    const start = (await readFeed('zto', 0)).nextCursor;
    // Transaction A takes an outbox id (its insert) and commits late; B takes the next id and
    // commits first. Written as it looks to readers: A's id reserved, B committed, then A's row.
    const reserved = Number((await sql<{ id: string | number }>`SELECT nextval(pg_get_serial_sequence('outbox', 'id')) AS id`.execute(s.ctx.db)).rows[0]!.id);
    await changeRow(null, 'ZTLATE000002', 'b').execute(s.ctx.db);
    await relay();
    const first = await readFeed('zto', start);
    expect(first.items.map((i) => i.waybillNo)).toEqual(['ZTLATE000002']);
    // The id order would now put the cursor past A's id for good.
    const bId = Number((await sql<{ id: string | number }>`SELECT id FROM outbox WHERE message_id = 'msg_b'`.execute(s.ctx.db)).rows[0]!.id);
    expect(bId).toBeGreaterThan(reserved);
    await changeRow(reserved, 'ZTLATE000001', 'a').execute(s.ctx.db);
    await relay();
    const next = await readFeed('zto', first.nextCursor);
    expect(next.items.map((i) => i.waybillNo)).toEqual(['ZTLATE000001']);
    expect(next.items[0]!.cursor).toBeGreaterThan(first.nextCursor);
  });

  it.runIf(process.env.TEST_DB === 'postgres')('two real transactions interleaved on PostgreSQL: the feed serves the late one after the early one', async () => {
    await relay();
    const start = (await readFeed('zto', 0)).nextCursor;
    let releaseA!: () => void;
    const gate = new Promise<void>((r) => (releaseA = r));
    let aInserted!: () => void;
    const inserted = new Promise<void>((r) => (aInserted = r));
    // A: a transaction on its own pool connection that inserts (allocating an id) and waits.
    const a = s.ctx.db.transaction().execute(async (tx) => {
      await changeRow(null, 'ZTPGTX000001', 'pga').execute(tx);
      aInserted();
      await gate;
    });
    await inserted;
    // B: inserts after A (a higher id) and commits first; the relay and a reader run meanwhile.
    await changeRow(null, 'ZTPGTX000002', 'pgb').execute(s.ctx.db);
    await relay();
    const seen: string[] = [];
    let after = start;
    const page1 = await readFeed('zto', after);
    seen.push(...page1.items.map((i) => i.waybillNo));
    after = page1.nextCursor;
    expect(seen).toEqual(['ZTPGTX000002']);
    releaseA();
    await a;
    await relay();
    const page2 = await readFeed('zto', after);
    seen.push(...page2.items.map((i) => i.waybillNo));
    expect(seen).toEqual(['ZTPGTX000002', 'ZTPGTX000001']);
    // Paging by outbox id (the old feed) would have lost A: its id is below B's.
    const ids = (await sql<{ message_id: string; id: string | number }>`SELECT message_id, id FROM outbox WHERE message_id IN ('msg_pga', 'msg_pgb')`.execute(s.ctx.db)).rows;
    const idOf = (m: string) => Number(ids.find((r) => r.message_id === m)!.id);
    expect(idOf('msg_pga')).toBeLessThan(idOf('msg_pgb'));
  });

  it.runIf(process.env.TEST_DB === 'postgres')('relays run one at a time: a second relay waits until the first has committed its feed numbers', async () => {
    await relay();
    const start = (await readFeed('zto', 0)).nextCursor;
    await changeRow(null, 'ZTRELAY00001', 'relay_a').execute(s.ctx.db);
    await changeRow(null, 'ZTRELAY00002', 'relay_b').execute(s.ctx.db);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let numbered!: () => void;
    const first = new Promise<void>((r) => (numbered = r));
    // Relay 1 numbers the first row and is slow to commit.
    const slow = s.ctx.db.transaction().execute(async (tx) => {
      const rows = await takeOutbox(tx, 1);
      await markPublished(tx, rows.map((r) => r.id), new Date());
      numbered();
      await gate;
    });
    await first;
    // Relay 2 meanwhile: without the relay lock it would take the second row (SKIP LOCKED),
    // number it higher and commit first, and a reader would page past the first row's number.
    const other = new WebhooksService(s.ctx.db, { clock: () => new Date(), pii: s.ctx.pii, allowLoopback: () => false }).relay();
    await new Promise((r) => setTimeout(r, 300));
    const during = await readFeed('zto', start);
    expect(during.items.map((i) => i.waybillNo)).toEqual([]);
    release();
    await slow;
    await other;
    const after = await readFeed('zto', during.nextCursor);
    expect(after.items.map((i) => i.waybillNo)).toEqual(['ZTRELAY00001', 'ZTRELAY00002']);
  });

  it('stress: writers holding transactions open, two relays and a reader at once: the reader gets every change exactly once', async () => {
    await relay();
    let cursor = (await readFeed('zto', 0)).nextCursor;
    const svc = () => new WebhooksService(s.ctx.db, { clock: () => new Date(), pii: s.ctx.pii, allowLoopback: () => false });
    const written: string[] = [];
    const seen: string[] = [];
    let writing = true;
    const writer = async (k: number) => {
      for (let i = 0; i < 15; i++) {
        const w = `ZTSTRESS${k}${String(i).padStart(4, '0')}`;
        // Hold the transaction open a little after the insert, so commits come out of id order.
        await s.ctx.db.transaction().execute(async (tx) => {
          await changeRow(null, w, `stress${k}_${i}`).execute(tx);
          await sql`SELECT pg_sleep(${((k * 7 + i * 3) % 5) / 1000})`.execute(tx);
        });
        written.push(w);
      }
    };
    const relayLoop = async () => {
      while (writing) await svc().relay(7);
    };
    const reader = async () => {
      while (writing) {
        const page = await readFeed('zto', cursor, 5);
        seen.push(...page.items.map((i) => i.waybillNo).filter((w) => w.startsWith('ZTSTRESS')));
        cursor = page.nextCursor;
      }
    };
    const loops = [relayLoop(), relayLoop(), reader()];
    await Promise.all([writer(1), writer(2), writer(3), writer(4)]);
    writing = false;
    await Promise.all(loops);
    await relay();
    for (;;) {
      const page = await readFeed('zto', cursor);
      if (page.items.length === 0) break;
      seen.push(...page.items.map((i) => i.waybillNo).filter((w) => w.startsWith('ZTSTRESS')));
      cursor = page.nextCursor;
    }
    expect(written.length).toBe(60);
    expect([...seen].sort()).toEqual([...written].sort());
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
