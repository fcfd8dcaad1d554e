import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** SQL of stations: shelf, pickup attempts, notifications and the database SMS sent box. */
type Db = Kysely<DB>;

export async function getStation(db: Db, id: string) {
  return db.selectFrom('outlets').select(['id', 'code', 'name', 'kind', 'county_code', 'active']).where('id', '=', id).executeTakeFirst();
}
export async function findParcel(db: Db, f: { parcelId?: string; waybillNo?: string; partnerCode?: string }) {
  let q = db.selectFrom('parcels').select(['id', 'partner_code', 'waybill_no', 'county_code', 'service', 'status', 'phone_enc', 'phone_masked', 'phone_hmac']);
  if (f.parcelId) q = q.where('id', '=', f.parcelId);
  if (f.waybillNo) q = q.where('waybill_no', '=', f.waybillNo);
  if (f.partnerCode) q = q.where('partner_code', '=', f.partnerCode);
  return q.limit(2).execute();
}
export async function partnerName(db: Db, code: string) {
  return (await db.selectFrom('partners').select('name').where('code', '=', code).executeTakeFirst())?.name ?? code;
}
/** The station consent in force for a parcel (its own, or a standing one of the recipient's phone). */
export async function stationConsent(db: Db, parcelId: string, phoneHmac: string | null, at: Date) {
  let q = db.selectFrom('delivery_consents').select(['id', 'channel']).where('kind', '=', 'station').where('revoked_at', 'is', null).where('given_at', '<=', at);
  q = phoneHmac ? q.where((eb) => eb.or([eb('parcel_id', '=', parcelId), eb.and([eb('parcel_id', 'is', null), eb('phone_hmac', '=', phoneHmac)])])) : q.where('parcel_id', '=', parcelId);
  return q.orderBy('given_at', 'desc').limit(1).executeTakeFirst();
}

// ---------- shelf ----------
export async function getShelved(db: Db, parcelId: string) {
  return db.selectFrom('station_parcels').selectAll().where('parcel_id', '=', parcelId).executeTakeFirst();
}
export async function usedSlots(db: Db, stationId: string) {
  const rows = await db.selectFrom('station_parcels').select('shelf_slot').where('station_id', '=', stationId).where('status', '=', 'waiting').execute();
  return new Set(rows.map((r) => r.shelf_slot));
}
export async function codeInUse(db: Db, stationId: string, codeHash: string) {
  return !!(await db.selectFrom('station_parcels').select('parcel_id').where('station_id', '=', stationId).where('code_hash', '=', codeHash).where('status', '=', 'waiting').executeTakeFirst());
}
export async function shelve(db: Db, row: { parcel_id: string; station_id: string; county_code: string; partner_code: string; shelf_slot: string; code_hash: string; basis: string; consent_id: string | null; arrived_at: Date }) {
  await db.insertInto('station_parcels').values({ ...row, status: 'waiting' }).execute();
}
export async function waitingByCode(db: Db, stationId: string, codeHash: string) {
  return db.selectFrom('station_parcels').selectAll().where('station_id', '=', stationId).where('code_hash', '=', codeHash).where('status', '=', 'waiting').forUpdate().executeTakeFirst();
}
export async function close(db: Db, parcelId: string, s: { status: string; closed_at: Date; closed_by: string | null; pickup_proof: string | null; received_by: string | null }) {
  await db.updateTable('station_parcels').set(s).where('parcel_id', '=', parcelId).where('status', '=', 'waiting').execute();
}
export async function listShelf(db: Db, stationId: string, status: string | undefined, limit: number, offset: number) {
  let q = db.selectFrom('station_parcels as s').innerJoin('parcels as p', 'p.id', 's.parcel_id').where('s.station_id', '=', stationId);
  if (status) q = q.where('s.status', '=', status);
  const [items, total] = await Promise.all([
    q.select(['s.parcel_id', 'p.waybill_no', 's.partner_code', 's.shelf_slot', 's.basis', 's.arrived_at', 's.reminders', 's.status', 's.closed_at', 's.pickup_proof', 'p.recipient_name_masked', 'p.phone_masked'])
      .orderBy('s.arrived_at', 'desc').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
export async function waitingDue(db: Db, arrivedBefore: Date, limit: number) {
  return db.selectFrom('station_parcels').selectAll().where('status', '=', 'waiting').where('arrived_at', '<=', arrivedBefore).orderBy('arrived_at').limit(limit).execute();
}
export async function setReminders(db: Db, parcelId: string, n: number, at: Date) {
  await db.updateTable('station_parcels').set({ reminders: n, last_reminder_at: at }).where('parcel_id', '=', parcelId).execute();
}

// ---------- pickup attempts ----------
export async function recordAttempt(db: Db, a: { station_id: string; parcel_id: string | null; at: Date; method: string; result: string; actor_id: string | null }) {
  await db.insertInto('station_pickup_attempts').values(a).execute();
}
/** Times of wrong attempts at a station since `since` and after its last unlock. */
export async function failuresSince(db: Db, stationId: string, since: Date): Promise<Date[]> {
  const r = await sql<{ at: Date | string }>`
    SELECT at FROM station_pickup_attempts
    WHERE station_id = ${stationId} AND at >= ${since.toISOString()}::timestamptz AND result IN ('wrong_code','wrong_phone')
      AND at > coalesce((SELECT max(at) FROM station_pickup_attempts WHERE station_id = ${stationId} AND result = 'unlock'), '-infinity'::timestamptz)
    ORDER BY at`.execute(db);
  return r.rows.map((x) => new Date(x.at));
}
/** Serialises pickups at one station (the lockout count must not race). */
export async function lockStation(db: Db, stationId: string) {
  await db.selectFrom('outlets').select('id').where('id', '=', stationId).forUpdate().execute();
}

// ---------- notifications ----------
export async function insertNotification(db: Db, n: { id: string; dedupe_key: string; kind: string; parcel_id: string; station_id: string; phone_enc: string | null; phone_masked: string | null; body_enc: string; body_masked: string; status: string; created_at: Date }) {
  await db.insertInto('notifications').values(n).onConflict((oc) => oc.column('dedupe_key').doNothing()).execute();
}
export async function pendingNotifications(db: Db, limit: number) {
  const r = await sql<{ id: string; phone_enc: string | null; phone_masked: string | null; body_enc: string; body_masked: string; attempts: number }>`
    SELECT id, phone_enc, phone_masked, body_enc, body_masked, attempts FROM notifications WHERE status = 'pending' ORDER BY created_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED`.execute(db);
  return r.rows;
}
export async function markNotification(db: Db, id: string, s: { status: string; provider: string; provider_ref: string | null; last_error: string | null; sent_at: Date | null; attempts: number }) {
  await db.updateTable('notifications').set(s).where('id', '=', id).execute();
}
export async function insertSms(db: Db, m: { id: string; notification_id: string; to_enc: string; to_masked: string; body_enc: string; body_masked: string; created_at: Date }) {
  await db.insertInto('sms_messages').values(m).execute();
}
export async function listNotifications(db: Db, f: { stationId?: string; countyCode?: string; parcelId?: string; limit: number; offset: number }) {
  let q = db.selectFrom('notifications as n').leftJoin('outlets as o', 'o.id', 'n.station_id');
  if (f.stationId) q = q.where('n.station_id', '=', f.stationId);
  if (f.countyCode) q = q.where('o.county_code', 'like', `${f.countyCode}%`);
  if (f.parcelId) q = q.where('n.parcel_id', '=', f.parcelId);
  const [items, total] = await Promise.all([
    q.select(['n.id', 'n.kind', 'n.parcel_id', 'n.station_id', 'n.phone_masked', 'n.body_masked', 'n.status', 'n.provider', 'n.attempts', 'n.last_error', 'n.created_at', 'n.sent_at']).orderBy('n.created_at', 'desc').orderBy('n.id').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
