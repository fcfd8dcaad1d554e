import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, WebhookDeliveriesTable, WebhookEndpointsTable } from '../../db/schema.ts';

/** SQL of webhooks: endpoints, the delivery queue fed by the outbox, attempts, status vocabularies. */
type Db = Kysely<DB>;
export type EndpointRow = Selectable<WebhookEndpointsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

// ---------- endpoints ----------
export async function getEndpoint(db: Db, partnerCode: string) {
  return db.selectFrom('webhook_endpoints').selectAll().where('partner_code', '=', partnerCode).executeTakeFirst();
}
export async function endpointsOf(db: Db, partnerCodes: string[]) {
  if (partnerCodes.length === 0) return [];
  return db.selectFrom('webhook_endpoints').selectAll().where('partner_code', 'in', partnerCodes).execute();
}
/** Creates or replaces the endpoint (re-enabling it); the registration time is kept. */
export async function upsertEndpoint(db: Db, partnerCode: string, url: string, secretEnc: string, at: Date) {
  await db.insertInto('webhook_endpoints')
    .values({ partner_code: partnerCode, url, secret_enc: secretEnc, status: 'active', disabled_reason: null, disabled_at: null, created_at: at, updated_at: at })
    .onConflict((oc) => oc.column('partner_code').doUpdateSet({ url, secret_enc: secretEnc, status: 'active', disabled_reason: null, disabled_at: null, updated_at: at }))
    .execute();
}
export async function disableEndpoint(db: Db, partnerCode: string, reason: string, at: Date) {
  await db.updateTable('webhook_endpoints').set({ status: 'disabled', disabled_reason: reason, disabled_at: at, updated_at: at }).where('partner_code', '=', partnerCode).where('status', '=', 'active').execute();
}
export async function deleteEndpoint(db: Db, partnerCode: string) {
  const r = await db.deleteFrom('webhook_endpoints').where('partner_code', '=', partnerCode).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// ---------- status vocabularies ----------
export async function statusCodes(db: Db, partnerCodes: string[]) {
  if (partnerCodes.length === 0) return [];
  return db.selectFrom('partner_status_codes').select(['partner_code', 'status', 'code']).where('partner_code', 'in', partnerCodes).execute();
}
export async function replaceStatusCodes(db: Db, partnerCode: string, codes: Array<{ status: string; code: string }>, at: Date) {
  await db.deleteFrom('partner_status_codes').where('partner_code', '=', partnerCode).execute();
  if (codes.length) await db.insertInto('partner_status_codes').values(codes.map((c) => ({ partner_code: partnerCode, status: c.status, code: c.code, updated_at: at }))).execute();
}
export async function partnerExists(db: Db, code: string) {
  return !!(await db.selectFrom('partners').select('code').where('code', '=', code).executeTakeFirst());
}

// ---------- relay: outbox → deliveries ----------
/** The relay's topic: the only outbox rows it takes, publishes and numbers for the partner feed. */
export const RELAY_TOPIC = 'parcel.status_changed';
/** Key of the advisory lock that makes relays run one at a time (feed numbers in commit order). */
const RELAY_LOCK = 5_227_005;

/**
 * Unpublished status changes in id order, after taking the relay lock: a second relay waits for
 * this one to commit, then sees its rows as published. Rows of other topics are not touched.
 */
export async function takeOutbox(db: Db, limit: number) {
  await sql`SELECT pg_advisory_xact_lock(${RELAY_LOCK})`.execute(db);
  const r = await sql<{ id: string | number; message_id: string; topic: string; partner_code: string | null; parcel_id: string | null; payload: unknown; created_at: Date | string }>`
    SELECT id, message_id, topic, partner_code, parcel_id, payload, created_at FROM outbox
    WHERE published_at IS NULL AND topic = ${RELAY_TOPIC} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`.execute(db);
  return r.rows.map((x) => ({ ...x, id: Number(x.id) }));
}
/**
 * Marks rows published and numbers them for the partner feed (feed_seq), in id order. Under the
 * relay lock and inside its transaction, so every number handed out is greater than any number a
 * reader can already see: a feed paged by feed_seq never skips a row committed late.
 */
export async function markPublished(db: Db, ids: number[], at: Date) {
  if (ids.length === 0) return;
  const sorted = [...ids].sort((a, b) => a - b);
  const r = await sql<{ first: string | number }>`SELECT nextval('outbox_feed_seq') AS first`.execute(db);
  const first = Number(r.rows[0]!.first);
  if (sorted.length > 1) await sql`SELECT setval('outbox_feed_seq', ${first + sorted.length - 1})`.execute(db);
  await sql`
    UPDATE outbox o SET published_at = ${at.toISOString()}::timestamptz, feed_seq = x.seq
    FROM unnest(${sorted}::bigint[], ${sorted.map((_, i) => first + i)}::bigint[]) AS x(id, seq)
    WHERE o.id = x.id`.execute(db);
}
export interface NewDelivery { id: string; outbox_id: number; partner_code: string; parcel_id: string | null; waybill_no: string | null; event_type: string; body: string; next_attempt_at: Date; created_at: Date }
export async function insertDeliveries(db: Db, rows: NewDelivery[]) {
  if (rows.length === 0) return;
  await db.insertInto('webhook_deliveries').values(rows.map((r) => ({ ...r, status: 'pending' }))).onConflict((oc) => oc.column('outbox_id').doNothing()).execute();
}

// ---------- delivery ----------
/**
 * Claims due deliveries for a lease: pending, due, endpoint active, and the first pending one of
 * its parcel (so a parcel's messages go out one at a time, in outbox order).
 */
export async function claimDue(db: Db, now: Date, leaseS: number, limit: number): Promise<DeliveryRow[]> {
  const until = new Date(now.getTime() + leaseS * 1000);
  const r = await sql<DeliveryRow>`
    UPDATE webhook_deliveries SET locked_until = ${until.toISOString()}::timestamptz
    WHERE id IN (
      SELECT d.id FROM webhook_deliveries d
      JOIN webhook_endpoints e ON e.partner_code = d.partner_code AND e.status = 'active'
      WHERE d.status = 'pending' AND d.next_attempt_at <= ${now.toISOString()}::timestamptz
        AND (d.locked_until IS NULL OR d.locked_until <= ${now.toISOString()}::timestamptz)
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries x WHERE x.parcel_id = d.parcel_id AND x.status = 'pending' AND x.outbox_id < d.outbox_id)
      ORDER BY d.outbox_id LIMIT ${limit}
      FOR UPDATE OF d SKIP LOCKED)
    RETURNING *`.execute(db);
  return r.rows.map((x) => ({ ...x, outbox_id: Number(x.outbox_id) }));
}
export async function recordAttempt(db: Db, a: { delivery_id: string; attempt: number; started_at: Date; duration_ms: number; status_code: number | null; error: string | null; url: string }) {
  await db.insertInto('webhook_attempts').values(a).execute();
}
export async function updateDelivery(db: Db, id: string, set: { status?: string; attempts: number; next_attempt_at?: Date; last_status_code: number | null; last_error: string | null; delivered_at?: Date | null }) {
  await db.updateTable('webhook_deliveries').set({ ...set, locked_until: null }).where('id', '=', id).execute();
}
/** Earliest time a sendable delivery (active endpoint, first pending of its parcel) is due: the worker's next wake-up. */
export async function nextDue(db: Db): Promise<Date | null> {
  const r = await sql<{ t: Date | string | null }>`
    SELECT min(d.next_attempt_at) AS t FROM webhook_deliveries d JOIN webhook_endpoints e ON e.partner_code = d.partner_code AND e.status = 'active'
    WHERE d.status = 'pending'
      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries x WHERE x.parcel_id = d.parcel_id AND x.status = 'pending' AND x.outbox_id < d.outbox_id)`.execute(db);
  const t = r.rows[0]?.t;
  return t ? new Date(t) : null;
}

// ---------- reads and replay ----------
export async function getDelivery(db: Db, id: string) {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}
export async function listDeliveries(db: Db, f: { partnerCode?: string; status?: string; waybillNo?: string; limit: number; offset: number }) {
  let q = db.selectFrom('webhook_deliveries');
  if (f.partnerCode) q = q.where('partner_code', '=', f.partnerCode);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.waybillNo) q = q.where('waybill_no', '=', f.waybillNo);
  const [items, total] = await Promise.all([
    q.select(['id', 'partner_code', 'waybill_no', 'event_type', 'status', 'attempts', 'next_attempt_at', 'last_status_code', 'last_error', 'delivered_at', 'replays', 'created_at', 'outbox_id']).orderBy('outbox_id', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
export async function listAttempts(db: Db, deliveryId: string) {
  return db.selectFrom('webhook_attempts').select(['attempt', 'started_at', 'duration_ms', 'status_code', 'error', 'url']).where('delivery_id', '=', deliveryId).orderBy('id').execute();
}
/** Puts deliveries back in the queue (same webhook-id), due now. */
export async function requeue(db: Db, ids: string[], now: Date) {
  if (ids.length === 0) return 0;
  const r = await db.updateTable('webhook_deliveries')
    .set((eb) => ({ status: 'pending', next_attempt_at: now, locked_until: null, replays: eb('replays', '+', 1) }))
    .where('id', 'in', ids).executeTakeFirst();
  return Number(r.numUpdatedRows);
}
export async function deliveryIdsSince(db: Db, partnerCode: string, since: Date, statuses: string[]) {
  const rows = await db.selectFrom('webhook_deliveries').select('id').where('partner_code', '=', partnerCode).where('created_at', '>=', since).where('status', 'in', statuses).orderBy('outbox_id').limit(10_000).execute();
  return rows.map((r) => r.id);
}
