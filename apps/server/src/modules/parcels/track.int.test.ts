import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CompiledQuery, sql } from 'kysely';
import { EVENT_TYPES } from '@cuntong/domain/parcels/status.ts';
import { trackAnswers } from './parcels.repository.ts';
import { ParcelsService } from './parcels.service.ts';
import { type TestServer, testServer } from '../../../test/harness.ts';

// Public tracking's answer is built by the database and kept per parcel (parcel_public_track,
// migration 0070, rebuilt by triggers on every write that changes it) and sent as is; these tests
// hold it to the documented shape and to the bytes of the reference answer the service builds from
// the domain's projection (ParcelsService.track), after every kind of write.
let s: TestServer;
let svc: ParcelsService;
beforeAll(async () => {
  s = await testServer();
  svc = new ParcelsService(s.ctx.db, { region: '5227', clock: s.ctx.clock, pii: s.ctx.pii });
});
afterAll(async () => s?.close());

const HEJIANG = 'AG522732111-01'; // 合江代办所, 三都县 (522732)
let seq = 0;
const wb = () => `TK${Date.now().toString().slice(-6)}${String(++seq).padStart(5, '0')}`;
const at = (minute: number, ms = 0) => new Date(Date.parse('2026-11-20T01:00:00Z') + minute * 60_000 + ms).toISOString();
const ev = (parcelId: string, type: string, minute: number, extra: Record<string, unknown> = {}) => ({ eventId: randomUUID(), parcelId, type, eventTime: at(minute), ...extra });

async function newParcel(over: Record<string, unknown> = {}) {
  const waybillNo = wb();
  const r = await s.api('/partner/v1/manifests', {
    method: 'POST', as: 'zto',
    json: { outletCode: HEJIANG, parcels: [{ waybillNo, recipientName: '张小娟', recipientPhone: '13812345678', address: '贵州省黔南州三都县大河镇合江村二组', weightKg: 1.2, service: 'door', ...over }] },
  });
  expect(r.status).toBe(201);
  const id = ((await r.json()) as { parcels: Array<{ parcelId: string }> }).parcels[0]!.parcelId;
  return { id, waybillNo };
}
async function batch(events: Array<Record<string, unknown>>) {
  const r = await s.api('/api/v1/events/batch', { method: 'POST', as: 'hejiang', json: { events } });
  expect(r.status).toBe(200);
  const results = ((await r.json()) as { results: Array<{ result: string }> }).results;
  expect(results.map((x) => x.result)).toEqual(events.map(() => 'created'));
}

describe(`public tracking answer (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('serves the documented shape, byte for byte the reference answer, for a parcel with several events and a voided one', async () => {
    const { id, waybillNo } = await newParcel();
    const failed = ev(id, 'delivery_failed', 6, { reason: 'recipient_absent' });
    // Sent out of order; loaded_on_bus and unloaded_at_stop share a time (the type's rank orders them).
    await batch([ev(id, 'unloaded_at_stop', 3), ev(id, 'sorted', 2), ev(id, 'handed_over', 1), ev(id, 'loaded_on_bus', 3), ev(id, 'out_for_delivery', 5), failed]);
    await batch([{ eventId: randomUUID(), parcelId: id, type: 'void', eventTime: at(7), voids: failed.eventId, note: 'scanned by mistake' }]);

    const r = await s.api(`/api/v1/track/${waybillNo}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await r.text();
    const partner = (await s.ctx.db.selectFrom('partners').select('name').where('code', '=', 'ZTO').executeTakeFirstOrThrow()).name;
    const manifestTime = (await sql<{ t: Date }>`SELECT event_time AS t FROM parcel_events WHERE parcel_id = ${id} AND type = 'manifest_received'`.execute(s.ctx.db)).rows[0]!.t;
    const expected = {
      waybillNo, partner, status: 'out_for_delivery', recipientName: '张*娟', recipientPhone: '138******78', destination: '合江村',
      events: [
        { type: 'manifest_received', eventTime: new Date(manifestTime).toISOString(), place: '合江代办所' },
        { type: 'handed_over', eventTime: at(1), place: '合江代办所' },
        { type: 'sorted', eventTime: at(2), place: '合江代办所' },
        { type: 'loaded_on_bus', eventTime: at(3), place: '合江代办所' },
        { type: 'unloaded_at_stop', eventTime: at(3), place: '合江村' },
        { type: 'out_for_delivery', eventTime: at(5), place: '合江村' },
      ],
    };
    // Compact JSON with the schema's key order: exactly what the route's serialiser would write.
    expect(text).toBe(JSON.stringify(expected));
    expect(text).toBe(JSON.stringify(await svc.track(waybillNo)));
    expect(text).not.toContain(id);
    expect(text).not.toContain('13812345678');
  });

  it('matches the reference for a parcel without a village, names that need escaping and times inside one millisecond', async () => {
    const { id, waybillNo } = await newParcel({ address: '三都县大河镇老寨子', recipientName: '"小\\' }); // masked: "*\ (both escaped in JSON)
    await batch([ev(id, 'handed_over', 1)]);
    // Microseconds in the stored time: the answer keeps milliseconds, as the domain's ordering does.
    await sql`INSERT INTO parcel_events (event_id, parcel_id, type, event_time, recorded_at, actor_id, body_hash, payload)
      VALUES (${randomUUID()}, ${id}, 'exception', ${at(2)}::timestamptz + interval '123 microseconds', now(), NULL, '-', '{"reason": "address"}'::jsonb)`.execute(s.ctx.db);
    const text = await (await s.api(`/api/v1/track/${waybillNo}`)).text();
    const body = JSON.parse(text) as { destination: string | null; recipientName: string; events: Array<{ type: string; eventTime: string; place: string | null }> };
    expect(body.destination).toBeNull();
    expect(body.recipientName).toBe('"*\\');
    expect(body.events.map((e) => [e.type, e.place])).toEqual([['manifest_received', '合江代办所'], ['handed_over', '合江代办所'], ['exception', '合江代办所']]);
    expect(body.events[2]!.eventTime).toBe(at(2));
    expect(text).toBe(JSON.stringify(await svc.track(waybillNo)));
  });

  it('orders events by the same type ranks as the domain (a new event type needs a new parcel_public_answer view)', async () => {
    const src = (await sql<{ src: string }>`SELECT pg_get_viewdef('parcel_public_answer'::regclass) AS src`.execute(s.ctx.db)).rows[0]!.src;
    const ranks = /ARRAY\[('manifest_received'[^\]]*)\]/.exec(src)?.[1]; // the ranks array (the first one lists the village events)
    expect(ranks?.split(',').map((x) => x.trim().replace(/::text$/, '').replace(/^'|'$/g, ''))).toEqual([...EVENT_TYPES]);
  });

  it('gives each of many simultaneous lookups its own answer (they share one statement)', async () => {
    const parcels = [await newParcel(), await newParcel({ recipientName: '李四' }), await newParcel({ address: '三都县大河镇老寨子' })];
    const track = trackAnswers(s.ctx.db, { maxBatch: 4, maxInFlight: 1 });
    const asked = [...parcels.map((p) => p.waybillNo), 'NOPE-TRACK-0001', 'nul\u0000waybill', parcels[1]!.waybillNo, parcels[0]!.waybillNo];
    const answers = await Promise.all(asked.map((w) => track(w)));
    const expected = await Promise.all(asked.map(async (w) => (w.startsWith('TK') ? JSON.stringify(await svc.track(w)) : undefined)));
    expect(answers).toEqual(expected);
    expect(answers.filter((a) => a !== undefined)).toHaveLength(5);
  });

  it('bounds the statements out at a time: lookups that arrive meanwhile wait and go together', async () => {
    const parcels = [await newParcel(), await newParcel()];
    let out = 0;
    let most = 0;
    const sizes: number[] = [];
    // The repository's database handle, counting the statements in flight.
    const db = { executeQuery: async (q: Parameters<typeof s.ctx.db.executeQuery>[0]) => {
      out++;
      most = Math.max(most, out);
      sizes.push(((q as CompiledQuery).parameters[0] as string[]).length);
      try { return await s.ctx.db.executeQuery(q); } finally { out--; }
    } } as unknown as typeof s.ctx.db;
    const track = trackAnswers(db, { maxBatch: 8, maxInFlight: 2 });
    const first = await Promise.all(Array.from({ length: 50 }, (_, i) => track(parcels[i % 2]!.waybillNo)));
    expect(most).toBe(2);
    expect(sizes).toEqual([8, 8, 8, 8, 8, 8, 2]);
    expect(new Set(first)).toEqual(new Set(await Promise.all(parcels.map(async (p) => JSON.stringify(await svc.track(p.waybillNo))))));
    // A lone lookup goes out alone, at once.
    sizes.length = 0;
    expect(await track(parcels[0]!.waybillNo)).toBe(first[0]);
    expect(sizes).toEqual([1]);
  });

  it('follows the writes that change the answer without a new event: village assigned, purge, outlet and partner renamed', async () => {
    const track = async (w: string) => (await s.api(`/api/v1/track/${w}`)).text();
    // A fresh service each time: the reference keeps place names in a cache of its own.
    const reference = async (w: string) => JSON.stringify(await new ParcelsService(s.ctx.db, { region: '5227', clock: s.ctx.clock, pii: s.ctx.pii }).track(w));

    // The exception queue: a clerk assigns the village; the destination and the village's places follow.
    const queued = await newParcel({ address: '三都县大河镇老寨子' });
    await batch([ev(queued.id, 'handed_over', 1)]);
    expect(JSON.parse(await track(queued.waybillNo)).destination).toBeNull();
    const assign = await s.api(`/api/v1/parcels/${queued.id}/village`, { method: 'POST', as: 'admin', json: { villageCode: '522732111282' } });
    expect(assign.status).toBe(200);
    await batch([ev(queued.id, 'out_for_delivery', 2)]);
    expect(JSON.parse(await track(queued.waybillNo))).toMatchObject({ destination: '合江村', events: [{ place: '合江代办所' }, { place: '合江代办所' }, { place: '合江村' }] });
    expect(await track(queued.waybillNo)).toBe(await reference(queued.waybillNo));

    // Delivered, then purged: even the masked name and phone leave the kept answer.
    const closed = await newParcel();
    const now = Date.now();
    await batch([
      { eventId: randomUUID(), parcelId: closed.id, type: 'handed_over', eventTime: new Date(now - 3 * 3_600_000).toISOString() },
      { eventId: randomUUID(), parcelId: closed.id, type: 'out_for_delivery', eventTime: new Date(now - 3_600_000).toISOString() },
      { eventId: randomUUID(), parcelId: closed.id, type: 'delivered', eventTime: new Date(now - 60_000).toISOString(), proof: { kind: 'signature', ref: 'sig_track', recipientType: 'recipient' } },
    ]);
    expect(JSON.parse(await track(closed.waybillNo))).toMatchObject({ status: 'delivered', recipientName: '张*娟', recipientPhone: '138******78' });
    expect((await s.api('/api/v1/parcels/purge', { method: 'POST', as: 'admin', json: { retentionDays: 0 } })).status).toBe(200);
    const purged = await track(closed.waybillNo);
    expect(JSON.parse(purged)).toMatchObject({ status: 'delivered', recipientName: '', recipientPhone: '' });
    expect(purged).toBe(await reference(closed.waybillNo));

    // Renames reach every kept answer that shows the name.
    const outlet = await s.ctx.db.selectFrom('outlets').select(['id', 'name']).where('code', '=', HEJIANG).executeTakeFirstOrThrow();
    const partner = await s.ctx.db.selectFrom('partners').select('name').where('code', '=', 'ZTO').executeTakeFirstOrThrow();
    try {
      expect((await s.api(`/api/v1/outlets/${outlet.id}`, { method: 'PATCH', as: 'admin', json: { name: '合江邮政代办所' } })).status).toBe(200);
      expect((await s.api('/api/v1/partners/ZTO', { method: 'PATCH', as: 'admin', json: { name: '中通快递（黔南）' } })).status).toBe(200);
      const renamed = JSON.parse(await track(queued.waybillNo)) as { partner: string; events: Array<{ place: string }> };
      expect(renamed.partner).toBe('中通快递（黔南）');
      expect(renamed.events.map((e) => e.place)).toEqual(['合江邮政代办所', '合江邮政代办所', '合江村']);
      expect(await track(queued.waybillNo)).toBe(await reference(queued.waybillNo));
      expect(await track(closed.waybillNo)).toBe(await reference(closed.waybillNo));
      // A village's short name (divisions are changed by data loads, not by the API).
      await sql`UPDATE divisions SET short_name = '合江新村' WHERE code = '522732111282'`.execute(s.ctx.db);
      expect(JSON.parse(await track(queued.waybillNo))).toMatchObject({ destination: '合江新村' });
      expect(await track(queued.waybillNo)).toBe(await reference(queued.waybillNo));
    } finally {
      await sql`UPDATE divisions SET short_name = '合江村' WHERE code = '522732111282'`.execute(s.ctx.db);
      await s.api(`/api/v1/outlets/${outlet.id}`, { method: 'PATCH', as: 'admin', json: { name: outlet.name } });
      await s.api('/api/v1/partners/ZTO', { method: 'PATCH', as: 'admin', json: { name: partner.name } });
    }
    const back = JSON.parse(await track(queued.waybillNo)) as { partner: string; events: Array<{ place: string }> };
    expect([back.partner, back.events[0]!.place]).toEqual([partner.name, outlet.name]);
  });

  it('answers with the newest parcel when two partners use the same waybill number', async () => {
    const { waybillNo } = await newParcel();
    await new Promise((r) => setTimeout(r, 5)); // created_at decides
    const r = await s.api('/partner/v1/manifests', {
      method: 'POST', as: 'yto',
      json: { outletCode: HEJIANG, parcels: [{ waybillNo, recipientName: '王小明', recipientPhone: '13998765432', address: '贵州省黔南州三都县大河镇合江村二组', weightKg: 2, service: 'door' }] },
    });
    expect(r.status).toBe(201);
    const text = await (await s.api(`/api/v1/track/${waybillNo}`)).text();
    expect(JSON.parse(text)).toMatchObject({ recipientName: '王*明', recipientPhone: '139******32' });
    expect(text).toBe(JSON.stringify(await svc.track(waybillNo)));
  });

  it('keeps an answer for every parcel, each equal to a rebuild from the events (the projection is rebuildable)', async () => {
    // A manifest of many parcels is one statement: one refresh for all of them.
    const many = Array.from({ length: 40 }, (_, i) => ({ waybillNo: wb(), recipientName: `赵${i}明`, recipientPhone: `1370000${String(i).padStart(4, '0')}`, address: '贵州省黔南州三都县大河镇合江村三组', weightKg: 1, service: 'door' }));
    expect((await s.api('/partner/v1/manifests', { method: 'POST', as: 'zto', json: { outletCode: HEJIANG, parcels: many } })).status).toBe(201);
    const kept = async () => (await sql<{ parcel_id: string; answer: string }>`SELECT parcel_id, answer FROM parcel_public_track ORDER BY parcel_id COLLATE "C"`.execute(s.ctx.db)).rows;
    const counts = (await sql<{ parcels: number; orders: number }>`SELECT (SELECT count(*)::int FROM parcels) AS parcels, (SELECT count(*)::int FROM outbound_orders) AS orders`.execute(s.ctx.db)).rows[0]!;
    const before = await kept();
    expect(before).toHaveLength(counts.parcels + counts.orders); // inbound parcels and outbound orders (0071)
    const sample = await svc.track(many[7]!.waybillNo);
    expect(before.find((x) => x.answer.includes(many[7]!.waybillNo))?.answer).toBe(JSON.stringify(sample));
    await s.ctx.db.transaction().execute(async (tx) => {
      await sql`DELETE FROM parcel_public_track`.execute(tx);
      await sql`SELECT parcel_public_track_refresh(ARRAY(SELECT id FROM parcels))`.execute(tx);
      await sql`SELECT outbound_public_track_refresh(ARRAY(SELECT id FROM outbound_orders))`.execute(tx);
    });
    expect(await kept()).toEqual(before);
  });

  it('keeps the answer\'s schema in OpenAPI', async () => {
    const doc = (await (await s.api('/openapi.json')).json()) as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }> } }> };
    const schema = doc.paths['/api/v1/track/{waybillNo}']!.get.responses['200']!.content['application/json']!.schema;
    expect(Object.keys(schema.properties)).toEqual(['waybillNo', 'partner', 'status', 'recipientName', 'recipientPhone', 'destination', 'events']);
  });

  it('answers an unknown waybill with a 404 problem', async () => {
    const r = await s.api('/api/v1/track/NOPE-TRACK-0000');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(((await r.json()) as { code: string }).code).toBe('parcel.not_found');
  });
});
