import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

/**
 * SQL of the partner API. Every query takes the calling partner's code and filters on it first:
 * there is no query here that can see, count or infer another partner's parcels.
 */
type Db = Kysely<DB>;

export async function listParcels(db: Db, partnerCode: string, f: { statuses?: string[]; updatedSince?: Date; limit: number; offset: number }) {
  let q = db.selectFrom('parcels').where('partner_code', '=', partnerCode);
  if (f.statuses) q = q.where('status', 'in', f.statuses.length ? f.statuses : ['-']);
  if (f.updatedSince) q = q.where('status_at', '>=', f.updatedSince);
  const [items, total] = await Promise.all([
    q.select(['id', 'waybill_no', 'status', 'status_at', 'service', 'weight_g', 'pieces', 'county_code', 'village_code', 'exception_kind', 'created_at', 'closed_at'])
      .orderBy('created_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function countsByStatus(db: Db, partnerCode: string) {
  return db.selectFrom('parcels').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('partner_code', '=', partnerCode).groupBy('status').execute();
}

export async function findParcel(db: Db, partnerCode: string, waybillNo: string) {
  return db.selectFrom('parcels').select(['id', 'waybill_no', 'status']).where('partner_code', '=', partnerCode).where('waybill_no', '=', waybillNo).executeTakeFirst();
}

/**
 * The partner's status changes after a cursor, by feed_seq: the number the webhook relay gives a
 * change when it publishes it, in commit order (outbox ids are not: a transaction can commit a
 * lower id after a reader paged past it). A change is in the feed once the relay has run.
 */
export async function statusFeed(db: Db, partnerCode: string, after: number, limit: number) {
  const r = await sql<{ feed_seq: string | number; message_id: string; payload: unknown; created_at: Date | string }>`
    SELECT feed_seq, message_id, payload, created_at FROM outbox
    WHERE partner_code = ${partnerCode} AND feed_seq > ${after} AND topic = 'parcel.status_changed'
    ORDER BY feed_seq LIMIT ${limit}`.execute(db);
  return r.rows.map((x) => ({ ...x, id: Number(x.feed_seq) }));
}

export async function parcelStatusChanges(db: Db, partnerCode: string, parcelId: string) {
  return db.selectFrom('outbox').select(['id', 'message_id', 'payload', 'created_at']).where('partner_code', '=', partnerCode).where('parcel_id', '=', parcelId).where('topic', '=', 'parcel.status_changed').orderBy('id').execute();
}

export async function listHandovers(db: Db, partnerCode: string, f: { from?: Date; to?: Date; limit: number; offset: number }) {
  let q = db.selectFrom('handovers').where('partner_code', '=', partnerCode);
  if (f.from) q = q.where('signed_at', '>=', f.from);
  if (f.to) q = q.where('signed_at', '<', f.to);
  const [items, total] = await Promise.all([
    q.select(['id', 'outlet_id', 'county_code', 'received', 'damaged', 'missing', 'unexpected', 'post_signer', 'partner_signer', 'signed_at']).orderBy('signed_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function outletNames(db: Db, ids: string[]) {
  if (ids.length === 0) return new Map<string, { code: string; name: string }>();
  const rows = await db.selectFrom('outlets').select(['id', 'code', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, { code: r.code, name: r.name }]));
}
