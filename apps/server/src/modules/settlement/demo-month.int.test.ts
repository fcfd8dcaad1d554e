import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParcelEvent, checkAppend, deliveryRuleError, project } from '@cuntong/domain/parcels/status.ts';
import { type TestServer, testServer } from '../../../test/harness.ts';
import { toDomainEvent } from '../parcels/parcels.service.ts';
import { DEMO_MONTH, DEMO_MONTH_COUNTIES, DEMO_MONTH_PARTNERS, type DemoMonthResult, seedDemoMonth } from './demo-month.ts';

type Line = { id: string; kind: string; unitFen: number; quantity: number; amountFen: number; parcels: Array<{ waybillNo: string }> };
type Statement = { lines: Line[]; totalFen: number; unrated: unknown[]; contentHash: string };
const json = async <T>(r: Response | Promise<Response>): Promise<T> => (await (await r).json()) as T;

let s: TestServer;
let seeded: DemoMonthResult;
beforeAll(async () => {
  s = await testServer();
  seeded = await seedDemoMonth(s.ctx.db, s.ctx.pii);
  console.log(`demo month (${s.engine}): ${seeded.parcels} parcels, ${seeded.events} events in ${seeded.ms} ms`);
});
afterAll(async () => s?.close());

/**
 * The month's billable facts and their prices, written here in SQL independently of the service
 * (repository + pure statement code): first fact per parcel and kind in the local month, voided
 * events left out, loss/damage only after the handover, the agreement in force on the local date.
 */
async function expected(partner: string, county: string) {
  const r = await sql<{ kind: string; quantity: string | number; amount: string | number }>`
    WITH ev AS (
      SELECT e.parcel_id, e.event_time, p.created_at AS manifested_at, COALESCE(v.remote, false) AS remote,
             CASE WHEN e.type = 'delivered' THEN 'door' WHEN e.type = 'delivered_to_station' THEN 'station'
                  WHEN e.type = 'returned_to_partner' THEN 'return' ELSE e.payload->>'reason' END AS kind
      FROM parcel_events e
      JOIN parcels p ON p.id = e.parcel_id
      LEFT JOIN villages v ON v.code = p.village_code
      WHERE p.partner_code = ${partner} AND p.county_code = ${county}
        AND to_char(e.event_time AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = ${DEMO_MONTH}
        AND (e.type IN ('delivered', 'delivered_to_station', 'returned_to_partner')
             OR (e.type = 'exception' AND e.payload->>'reason' IN ('loss', 'damage')
                 AND e.event_time > (SELECT min(h.event_time) FROM parcel_events h WHERE h.parcel_id = e.parcel_id AND h.type = 'handed_over')))
        AND NOT EXISTS (SELECT 1 FROM parcel_events x WHERE x.parcel_id = e.parcel_id AND x.type = 'void' AND x.payload->>'voids' = e.event_id)
    ),
    firsts AS (SELECT DISTINCT ON (parcel_id, kind) * FROM ev ORDER BY parcel_id, kind, event_time),
    priced AS (
      SELECT f.*, a.* FROM firsts f
      CROSS JOIN LATERAL (
        SELECT door_rate_fen, station_rate_fen, remote_surcharge_fen, return_rate_fen, loss_deduction_fen, damage_deduction_fen, late_deduction_fen, promise_hours
        FROM agreements a
        WHERE a.partner_code = ${partner} AND a.county_code = ${county} AND a.active
          AND a.valid_from <= (f.event_time AT TIME ZONE 'Asia/Shanghai')::date
          AND (a.valid_to IS NULL OR a.valid_to >= (f.event_time AT TIME ZONE 'Asia/Shanghai')::date)
        ORDER BY a.valid_from DESC, a.id LIMIT 1) a
    )
    SELECT 'door' AS kind, count(*) AS quantity, sum(door_rate_fen) AS amount FROM priced WHERE kind = 'door'
    UNION ALL SELECT 'station', count(*), sum(station_rate_fen) FROM priced WHERE kind = 'station'
    UNION ALL SELECT 'remote_surcharge', count(*), sum(remote_surcharge_fen) FROM priced WHERE kind IN ('door', 'station') AND remote AND remote_surcharge_fen > 0
    UNION ALL SELECT 'return', count(*), sum(return_rate_fen) FROM priced WHERE kind = 'return'
    UNION ALL SELECT 'deduction_loss', count(*), -sum(loss_deduction_fen) FROM priced WHERE kind = 'loss' AND loss_deduction_fen > 0
    UNION ALL SELECT 'deduction_damage', count(*), -sum(damage_deduction_fen) FROM priced WHERE kind = 'damage' AND damage_deduction_fen > 0
    UNION ALL SELECT 'deduction_late', count(*), -sum(late_deduction_fen) FROM priced
      WHERE kind IN ('door', 'station') AND late_deduction_fen > 0 AND event_time - manifested_at > promise_hours * interval '1 hour'`.execute(s.ctx.db);
  return new Map(r.rows.map((x) => [x.kind, { quantity: Number(x.quantity), amount: Number(x.amount ?? 0) }]));
}

describe(`demo month ${DEMO_MONTH} (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('is written once, and every history passes the parcel service’s own rules and matches its rows', async () => {
    expect(seeded.seeded).toBe(true);
    expect(seeded.parcels).toBeGreaterThanOrEqual(2000);
    expect((await seedDemoMonth(s.ctx.db, s.ctx.pii)).seeded).toBe(false);
    const parcels = await s.ctx.db.selectFrom('parcels').select(['id', 'status', 'exception_kind', 'closed_at', 'service', 'phone_hmac'])
      .where('manifest_id', 'in', (eb) => eb.selectFrom('manifests').select('id').where('created_by', '=', 'usr_demo_month')).execute();
    expect(parcels.length).toBe(seeded.parcels);
    const ids = parcels.map((p) => p.id);
    const events = await s.ctx.db.selectFrom('parcel_events').selectAll().where('parcel_id', 'in', ids).orderBy('seq').execute();
    const outbox = await s.ctx.db.selectFrom('outbox').select(['parcel_id', 'payload', 'dedupe_key']).where('parcel_id', 'in', ids).orderBy('id').execute();
    const consents = await s.ctx.db.selectFrom('delivery_consents').select(['parcel_id', 'kind', 'given_at']).where('parcel_id', 'in', ids).execute();
    const byParcel = new Map<string, typeof events>();
    for (const e of events) byParcel.set(e.parcel_id, [...(byParcel.get(e.parcel_id) ?? []), e]);
    const outboxBy = new Map<string, Array<{ status: string; previousStatus: string | null; eventId: string }>>();
    for (const o of outbox) {
      const pl = (typeof o.payload === 'string' ? JSON.parse(o.payload) : o.payload) as { status: string; previousStatus: string | null; eventId: string };
      outboxBy.set(o.parcel_id!, [...(outboxBy.get(o.parcel_id!) ?? []), pl]);
    }
    let statuses = 0;
    for (const p of parcels) {
      const rows = byParcel.get(p.id)!;
      expect(rows[0]!.type).toBe('manifest_received');
      // Appended one by one as the service does: each must pass its checks, and each status change
      // must be the next outbox row of the parcel.
      const stored: ParcelEvent[] = [];
      let current = project([]);
      const changes: Array<{ status: string; previousStatus: string | null; eventId: string }> = [];
      for (const r of rows) {
        const e = toDomainEvent(r);
        if (e.type !== 'manifest_received') {
          const kinds = new Set(consents.filter((c) => c.parcel_id === p.id && new Date(c.given_at) <= new Date(r.event_time)).map((c) => c.kind));
          const err = deliveryRuleError({ event: e, consents: kinds, service: p.service as 'door' | 'station' }) ?? checkAppend(stored, e);
          expect(err, `${p.id} ${e.type}`).toBeNull();
        }
        stored.push(e);
        const next = project(stored);
        if (next.status !== current.status && next.status) changes.push({ status: next.status, previousStatus: current.status, eventId: e.eventId });
        current = next;
      }
      expect(current.status).toBe(p.status);
      expect(current.exception?.kind ?? null).toBe(p.exception_kind);
      expect(current.closedAt ? Date.parse(current.closedAt) : null).toBe(p.closed_at ? new Date(p.closed_at).getTime() : null);
      expect(outboxBy.get(p.id)!.map((o) => ({ status: o.status, previousStatus: o.previousStatus, eventId: o.eventId }))).toEqual(changes);
      statuses += changes.length;
    }
    expect(outbox.length).toBe(statuses);
    // Every kind of history is there, and no station parcel is left waiting (no reminders on start).
    const byStatus = Object.fromEntries((await sql<{ status: string; n: string | number }>`SELECT status, count(*) AS n FROM parcels WHERE id = ANY(${ids}::text[]) GROUP BY status`.execute(s.ctx.db)).rows.map((r) => [r.status, Number(r.n)]));
    for (const st of ['delivered', 'picked_up', 'returned', 'exception']) expect(byStatus[st] ?? 0, st).toBeGreaterThan(0);
    const waiting = await s.ctx.db.selectFrom('station_parcels').select('parcel_id').where('parcel_id', 'in', ids).where('status', '=', 'waiting').execute();
    expect(waiting).toEqual([]);
  });

  it('the real event path recognises the written events as its own: re-sent, each is a duplicate; altered, a conflict', async () => {
    // 三都 parcels (the clerk hejiang's county): for each event type and reason, one parcel that has it.
    const rows = await sql<{ id: string }>`
      SELECT DISTINCT ON (e.type, e.payload->>'reason') e.parcel_id AS id FROM parcel_events e
      JOIN parcels p ON p.id = e.parcel_id AND p.county_code = '522732'
      JOIN manifests m ON m.id = p.manifest_id AND m.created_by = 'usr_demo_month'
      ORDER BY e.type, e.payload->>'reason', e.parcel_id`.execute(s.ctx.db);
    expect(rows.rows.length).toBeGreaterThanOrEqual(5);
    const events = await s.ctx.db.selectFrom('parcel_events').selectAll().where('parcel_id', 'in', rows.rows.map((r) => r.id)).where('type', '!=', 'manifest_received').orderBy('seq').execute();
    // Every event, the stations job's uncollected return (reason not_collected) included, can be re-sent by a device.
    expect(events.some((e) => JSON.stringify(e.payload).includes('not_collected'))).toBe(true);
    const input = events.map((e) => {
      const pl = (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload) as { reason?: string; note?: string; proof?: unknown };
      return { eventId: e.event_id, parcelId: e.parcel_id, type: e.type, eventTime: new Date(e.event_time).toISOString(), ...(pl.reason ? { reason: pl.reason } : {}), ...(pl.note ? { note: pl.note } : {}), ...(pl.proof ? { proof: pl.proof } : {}) };
    });
    expect(input.length).toBeGreaterThanOrEqual(20);
    expect(new Set(input.map((e) => e.type))).toEqual(new Set(['handed_over', 'out_for_delivery', 'delivered', 'delivery_failed', 'delivered_to_station', 'picked_up', 'returned_to_partner', 'exception']));
    const resend = await json<{ results: Array<{ result: string }> }>(s.api('/api/v1/events/batch', { method: 'POST', as: 'hejiang', json: { events: input } }));
    expect(resend.results, JSON.stringify(resend).slice(0, 300)).toBeDefined();
    expect(resend.results.map((r) => r.result)).toEqual(input.map(() => 'duplicate'));
    const altered = await json<{ results: Array<{ result: string }> }>(s.api('/api/v1/events/batch', { method: 'POST', as: 'hejiang', json: { events: [{ ...input[0]!, eventTime: new Date(Date.parse(input[0]!.eventTime) + 60_000).toISOString() }] } }));
    expect(altered.results[0]!.result).toBe('conflict');
  });

  it('statements reconcile: the sum of lines equals the delivered parcels times their rates, plus surcharges, returns and deductions (independent SQL)', async () => {
    const kinds = new Set<string>();
    let delivered = 0;
    for (const partner of DEMO_MONTH_PARTNERS) {
      for (const county of DEMO_MONTH_COUNTIES) {
        const st = await json<Statement>(s.api(`/api/v1/settlement/statement?partner=${partner}&county=${county}&month=${DEMO_MONTH}`, { as: 'admin' }));
        expect(st.unrated).toEqual([]);
        const want = await expected(partner, county);
        for (const [kind, w] of want) {
          const lines = st.lines.filter((l) => l.kind === kind);
          const got = { quantity: lines.reduce((a, l) => a + l.quantity, 0), amount: lines.reduce((a, l) => a + l.amountFen, 0) };
          expect(got, `${partner} ${county} ${kind}`).toEqual(w);
          for (const l of lines) {
            expect(l.amountFen).toBe(l.unitFen * l.quantity);
            expect(l.parcels.length).toBe(l.quantity);
          }
          if (w.quantity > 0) kinds.add(kind);
        }
        // No line of a kind the SQL does not know, and the total is the sum of the lines.
        expect(st.lines.every((l) => want.has(l.kind))).toBe(true);
        expect(st.totalFen).toBe([...want.values()].reduce((a, w) => a + w.amount, 0));
        delivered += (want.get('door')?.quantity ?? 0) + (want.get('station')?.quantity ?? 0);
        // Reproducible: the same month computed again is the same statement.
        const again = await json<Statement>(s.api(`/api/v1/settlement/statement?partner=${partner}&county=${county}&month=${DEMO_MONTH}`, { as: 'admin' }));
        expect(again.contentHash).toBe(st.contentHash);
      }
    }
    expect(delivered).toBeGreaterThan(1500);
    expect([...kinds].sort()).toEqual(['deduction_damage', 'deduction_late', 'deduction_loss', 'door', 'remote_surcharge', 'return', 'station']);
  });

  it('issues ZTO’s statements of the month through the settlement service, with one open dispute by ZTO', async () => {
    expect(seeded.issued).toHaveLength(2);
    const listed = await json<{ items: Array<{ id: string; month: string; partnerCode: string }> }>(s.api(`/api/v1/settlement/statements?month=${DEMO_MONTH}`, { as: 'admin' }));
    expect(listed.items.map((i) => i.id).sort()).toEqual([...seeded.issued].sort());
    // The issued snapshot is the statement computed now (nothing changed since).
    for (const id of seeded.issued) {
      const issued = await json<Statement & { countyCode: string }>(s.api(`/api/v1/settlement/statements/${id}`, { as: 'admin' }));
      const now = await json<Statement>(s.api(`/api/v1/settlement/statement?partner=ZTO&county=${issued.countyCode}&month=${DEMO_MONTH}`, { as: 'admin' }));
      expect(issued.contentHash).toBe(now.contentHash);
    }
    const disputes = await json<{ items: Array<{ id: string; status: string; waybillNos: string[] }> }>(s.api('/partner/v1/disputes', { as: 'zto' }));
    expect(disputes.items.map((d) => [d.id, d.status])).toEqual([[seeded.disputes[0], 'open']]);
    expect(disputes.items[0]!.waybillNos.length).toBeGreaterThan(0);
    expect((await json<{ items: unknown[] }>(s.api('/partner/v1/disputes', { as: 'yto' }))).items).toEqual([]);
  });

  it('gives station commission statements: the keeper sees the own station, managers their county', async () => {
    const jijia = (await s.ctx.db.selectFrom('users').select('outlet_id').where('username', '=', 'jijia').executeTakeFirstOrThrow()).outlet_id!;
    const c = await json<{ quantity: number; unitFen: number; amountFen: number; parcels: Array<{ waybillNo: string; date: string }> }>(s.api(`/api/v1/settlement/commissions?station=${jijia}&month=${DEMO_MONTH}`, { as: 'jijia' }));
    const n = Number((await sql<{ n: string | number }>`SELECT count(*) AS n FROM station_parcels WHERE station_id = ${jijia} AND to_char(arrived_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = ${DEMO_MONTH}`.execute(s.ctx.db)).rows[0]!.n);
    expect(n).toBeGreaterThan(5);
    expect(c.quantity).toBe(n);
    expect(c.amountFen).toBe(n * c.unitFen);
    expect(c.parcels.every((p) => p.date.startsWith(DEMO_MONTH))).toBe(true);
    expect((await s.api(`/api/v1/settlement/commissions?station=${jijia}&month=${DEMO_MONTH}`, { as: 'duyun' })).status).toBe(200);
    expect((await s.api(`/api/v1/settlement/commissions?station=${jijia}&month=${DEMO_MONTH}`, { as: 'sandu' })).status).toBe(404);
    // The overview: per station of the caller's scope, the same figures as the station statement.
    type Overview = { items: Array<{ stationId: string; countyCode: string; quantity: number; amountFen: number }>; quantity: number; amountFen: number };
    const duyun = await json<Overview>(s.api(`/api/v1/settlement/commissions/overview?month=${DEMO_MONTH}`, { as: 'duyun' }));
    expect(duyun.items.every((x) => x.countyCode === '522701')).toBe(true);
    expect(duyun.items.find((x) => x.stationId === jijia)).toMatchObject({ quantity: n, amountFen: c.amountFen });
    expect(duyun.quantity).toBe(duyun.items.reduce((a, x) => a + x.quantity, 0));
    const sandu = await json<Overview>(s.api(`/api/v1/settlement/commissions/overview?month=${DEMO_MONTH}`, { as: 'sandu' }));
    expect(sandu.items.length).toBeGreaterThan(5);
    expect(sandu.items.every((x) => x.countyCode === '522732')).toBe(true);
    expect((await s.api(`/api/v1/settlement/commissions/overview?month=${DEMO_MONTH}&county=522701`, { as: 'sandu' })).status).toBe(403);
    const own = await json<Overview>(s.api(`/api/v1/settlement/commissions/overview?month=${DEMO_MONTH}`, { as: 'jijia' }));
    expect(own.items.map((x) => x.stationId)).toEqual([jijia]);
    const all = await json<Overview>(s.api(`/api/v1/settlement/commissions/overview?month=${DEMO_MONTH}`, { as: 'admin' }));
    expect(all.quantity).toBe(duyun.quantity + sandu.quantity);
    expect((await s.api(`/api/v1/settlement/commissions/overview?month=${DEMO_MONTH}`, { as: 'zto' })).status).toBe(403);
    // Every county of the demo has stations with a commission that month.
    const perCounty = await sql<{ county_code: string; stations: string | number }>`
      SELECT county_code, count(DISTINCT station_id) AS stations FROM station_parcels
      WHERE to_char(arrived_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = ${DEMO_MONTH} GROUP BY county_code`.execute(s.ctx.db);
    for (const county of DEMO_MONTH_COUNTIES) expect(Number(perCounty.rows.find((r) => r.county_code === county)?.stations ?? 0), county).toBeGreaterThan(5);
  });
});
