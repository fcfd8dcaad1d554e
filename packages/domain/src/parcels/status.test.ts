import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAppend, deliveryRuleError, type EventType, type ParcelEvent, project } from './status.ts';
import { manifestRowsToInputs, normalizePhone, validateManifestParcel } from './manifest.ts';

const T0 = Date.parse('2026-11-02T00:00:00Z');
const ev = (eventId: string, type: EventType, minute: number, extra: Partial<ParcelEvent> = {}): ParcelEvent => ({ eventId, type, eventTime: new Date(T0 + minute * 60_000).toISOString(), ...extra });
const proof = { kind: 'signature' as const, ref: 'sig_1', recipientType: 'recipient' as const };

/** A random valid lifecycle: manifest → handover → [sort] → [bus] → (out → failed)* → end. */
const lifecycle = fc
  .record({
    sorted: fc.boolean(),
    bus: fc.boolean(),
    failures: fc.integer({ min: 0, max: 3 }),
    end: fc.constantFrom('door', 'station', 'return', 'open'),
    gaps: fc.array(fc.integer({ min: 0, max: 90 }), { minLength: 20, maxLength: 20 }),
    id: fc.uuid(),
  })
  .map(({ sorted, bus, failures, end, gaps, id }) => {
    const types: EventType[] = ['manifest_received', 'handed_over'];
    if (sorted) types.push('sorted');
    if (bus) types.push('loaded_on_bus', 'unloaded_at_stop');
    for (let i = 0; i < failures; i++) types.push('out_for_delivery', 'delivery_failed');
    if (end === 'door') types.push('out_for_delivery', 'delivered');
    if (end === 'station') types.push('out_for_delivery', 'delivered_to_station', 'picked_up');
    if (end === 'return') types.push('returned_to_partner');
    let t = 0;
    return types.map((type, i) => {
      t += 1 + (gaps[i] ?? 0); // strictly increasing times
      return ev(`${id}-${i}`, type, t, type === 'delivered' || type === 'picked_up' ? { proof } : type === 'delivery_failed' ? { reason: 'recipient_absent' } : {});
    });
  });

describe('parcel status projection', () => {
  it('duplicated and shuffled deliveries give the status of in-order ingestion, and nothing is rejected', () => {
    fc.assert(
      fc.property(lifecycle, fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 20, maxLength: 20 }), fc.infiniteStream(fc.nat()), (events, copies, rnd) => {
        const inOrder = project(events);
        expect(inOrder.rejected).toEqual([]);
        // Each event 1–3 times, shuffled.
        // The manifest event is written by intake, so it always comes first; the rest is shuffled.
        const stream = events.flatMap((e, i) => Array.from({ length: copies[i] ?? 1 }, () => ({ ...e })));
        const it = rnd[Symbol.iterator]();
        for (let i = stream.length - 1; i > 1; i--) {
          const j = 1 + ((it.next().value as number) % i);
          [stream[i], stream[j]] = [stream[j]!, stream[i]!];
        }
        // Ingest one at a time as the server does: dedupe by id, then checkAppend.
        const stored: ParcelEvent[] = [];
        const seen = new Set<string>();
        for (const e of stream) {
          if (seen.has(e.eventId)) continue;
          const rej = checkAppend(stored, e);
          expect(rej).toBeNull();
          stored.push(e);
          seen.add(e.eventId);
        }
        expect(stored).toHaveLength(events.length);
        const got = project(stored);
        expect(got.status).toBe(inOrder.status);
        expect(got.history).toEqual(inOrder.history);
        expect(got.closedAt).toBe(inOrder.closedAt);
      }),
      { numRuns: 300 },
    );
  });

  it('never goes back from a terminal status in the history', () => {
    fc.assert(
      fc.property(lifecycle, (events) => {
        const h = project(events).history.map((x) => x.status);
        const first = h.findIndex((s) => s === 'delivered' || s === 'picked_up' || s === 'returned');
        if (first >= 0) expect(h.slice(first).every((s) => s === h[first])).toBe(true);
      }),
    );
  });

  it('rejects impossible transitions with a reason', () => {
    const base = [ev('m', 'manifest_received', 0), ev('h', 'handed_over', 10), ev('o', 'out_for_delivery', 20), ev('d', 'delivered', 30, { proof })];
    expect(project(base).status).toBe('delivered');
    expect(checkAppend(base, ev('x', 'out_for_delivery', 40))).toMatchObject({ code: 'event.after_terminal' });
    expect(checkAppend(base, ev('x', 'handed_over', 25))).toMatchObject({ code: 'event.impossible_transition' });
    const atStation = [...base.slice(0, 3), ev('s', 'delivered_to_station', 30)];
    expect(checkAppend(atStation, ev('x', 'loaded_on_bus', 40))).toMatchObject({ code: 'event.impossible_transition' });
    expect(checkAppend(atStation, ev('x', 'delivered', 40, { proof }))).toMatchObject({ code: 'event.impossible_transition' });
    expect(checkAppend([], ev('x', 'handed_over', 5))).toMatchObject({ code: 'event.before_manifest' });
    expect(checkAppend(base, ev('x', 'manifest_received', 5))).toMatchObject({ code: 'event.duplicate_manifest' });
    // An earlier-dated terminal event that would make a stored later event impossible.
    const open = base.slice(0, 3).concat(ev('f', 'delivery_failed', 30, { reason: 'refused' }), ev('o2', 'out_for_delivery', 50));
    expect(checkAppend(open, ev('x', 'returned_to_partner', 40))).toMatchObject({ code: 'event.conflicts_later' });
  });

  it('accepts late, earlier-dated events from offline devices (gaps are tolerated)', () => {
    const stored = [ev('m', 'manifest_received', 0), ev('h', 'handed_over', 10), ev('d', 'delivered', 30, { proof })];
    expect(checkAppend(stored, ev('o', 'out_for_delivery', 20))).toBeNull();
    expect(project([...stored, ev('o', 'out_for_delivery', 20)]).status).toBe('delivered');
  });

  it('voids events by naming them; voiding resolves a terminal conflict', () => {
    const s = [ev('m', 'manifest_received', 0), ev('h', 'handed_over', 10), ev('o', 'out_for_delivery', 20), ev('d', 'delivered', 30, { proof })];
    const v = ev('v', 'void', 40, { voids: 'd' });
    expect(checkAppend(s, v)).toBeNull();
    const after = project([...s, v]);
    expect(after.status).toBe('out_for_delivery');
    expect(after.voided).toEqual(['d']);
    expect(after.closedAt).toBeNull();
    expect(checkAppend(s, ev('v2', 'void', 40, { voids: 'o' }))).toBeNull(); // delivered after handed_over is still reachable
    expect(checkAppend(s, ev('v3', 'void', 40, { voids: 'm' }))).toMatchObject({ code: 'event.void_target' });
    expect(checkAppend(s, ev('v4', 'void', 40, { voids: 'nope' }))).toMatchObject({ code: 'event.void_target' });
    expect(checkAppend([...s, v], ev('v5', 'void', 41, { voids: 'd' }))).toMatchObject({ code: 'event.void_target' });
    // Reachability is transitive, so voiding a middle event never orphans a later one; voiding
    // the first of two terminal facts resolves a conflict.
    const c = [...s, ev('p', 'picked_up', 35, { proof })];
    expect(project(c).status).toBe('exception');
    expect(project([...c, ev('v6', 'void', 50, { voids: 'd' })]).status).toBe('picked_up');
  });

  it('turns two different terminal facts into an exception, not last-writer-wins', () => {
    const s = [ev('m', 'manifest_received', 0), ev('h', 'handed_over', 10), ev('o', 'out_for_delivery', 20), ev('d', 'delivered', 30, { proof }), ev('p', 'picked_up', 35, { proof: { ...proof, kind: 'pickup_code' } })];
    const p = project(s);
    expect(p.status).toBe('exception');
    expect(p.exception?.kind).toBe('conflicting_terminal');
    expect(p.closedAt).toBeNull();
  });

  it('exceptions are an overlay cleared by the next lifecycle event', () => {
    const s = [ev('m', 'manifest_received', 0), ev('h', 'handed_over', 10), ev('x', 'exception', 15, { reason: 'damage' })];
    expect(project(s).status).toBe('exception');
    expect(project([...s, ev('o', 'out_for_delivery', 20)]).status).toBe('out_for_delivery');
  });
});

describe('delivery rules (consent and proof)', () => {
  const none = new Set<string>();
  it('station delivery needs consent or a station service', () => {
    const e = ev('s', 'delivered_to_station', 1);
    expect(deliveryRuleError({ event: e, consents: none, service: 'door' })).toMatchObject({ code: 'consent.station_missing' });
    expect(deliveryRuleError({ event: e, consents: new Set(['station']), service: 'door' })).toBeNull();
    expect(deliveryRuleError({ event: e, consents: none, service: 'station' })).toBeNull();
  });
  it('delivered needs proof; photo needs a named proxy; proxies need consent', () => {
    expect(deliveryRuleError({ event: ev('d', 'delivered', 1), consents: none, service: 'door' })).toMatchObject({ code: 'proof.missing' });
    expect(deliveryRuleError({ event: ev('d', 'delivered', 1, { proof }), consents: none, service: 'door' })).toBeNull();
    expect(deliveryRuleError({ event: ev('d', 'delivered', 1, { proof: { kind: 'photo', ref: 'ph1', recipientType: 'recipient' } }), consents: none, service: 'door' })).toMatchObject({ code: 'proof.proxy_name' });
    const proxy = { kind: 'photo' as const, ref: 'ph1', recipientType: 'proxy' as const, proxyName: '王五' };
    expect(deliveryRuleError({ event: ev('d', 'delivered', 1, { proof: proxy }), consents: none, service: 'door' })).toMatchObject({ code: 'consent.proxy_missing' });
    expect(deliveryRuleError({ event: ev('d', 'delivered', 1, { proof: proxy }), consents: new Set(['proxy']), service: 'door' })).toBeNull();
  });
});

describe('manifest rows', () => {
  it('normalises phones', () => {
    expect(normalizePhone('+86 138-1234-5678')).toBe('13812345678');
    expect(normalizePhone('0854-8221234')).toBe('08548221234');
    expect(normalizePhone('12345')).toBeNull();
  });
  it('validates a parcel and reports every bad field', () => {
    expect(validateManifestParcel({ waybillNo: 'ZT1234567890', recipientName: '张小娟', recipientPhone: '13812345678', address: '三都县大河镇合江村', weightKg: 1.25, service: 'door' }, '/parcels/0').value).toMatchObject({ weightG: 1250, pieces: 1, codFen: 0 });
    const bad = validateManifestParcel({ waybillNo: 'x', recipientName: '', recipientPhone: '1', address: '', weightKg: -1, service: 'air' as 'door' }, '/parcels/3');
    expect(bad.errors.map((e) => e.path)).toEqual(['/parcels/3/waybillNo', '/parcels/3/recipientName', '/parcels/3/recipientPhone', '/parcels/3/address', '/parcels/3/weightKg', '/parcels/3/service']);
  });
  it('maps Chinese headers', () => {
    const r = manifestRowsToInputs([['运单号', '收件人', '收件人电话', '收件地址', '重量kg', '服务'], ['ZT0000000001', '李四', '13900000000', '都匀市匀东镇鸡贾村', '2', '驿站'], ['', '', '', '', '', '']]);
    expect(r.errors).toEqual([]);
    expect(r.inputs).toEqual([{ row: 2, input: { waybillNo: 'ZT0000000001', recipientName: '李四', recipientPhone: '13900000000', address: '都匀市匀东镇鸡贾村', weightKg: 2, service: 'station' } }]);
    expect(manifestRowsToInputs([['运单号']]).errors.length).toBeGreaterThan(0);
  });
});
