import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** SQL of settlement: facts from the event log, agreement terms, issued statements, disputes. */
type Db = Kysely<DB>;

export interface FactRow { parcel_id: string; waybill_no: string; type: string; reason: string | null; event_time: Date | string; created_at: Date | string; remote: boolean | null }

/**
 * Billable facts of a partner's parcels in a county between two instants: deliveries (door,
 * station), returns, and losses/damage that happened after the parcel was handed over to the post
 * (damage found at the handover is the partner's, recorded in the reconciliation). Voided events
 * do not count.
 */
export async function facts(db: Db, partnerCode: string, countyCode: string, start: Date, end: Date): Promise<FactRow[]> {
  const r = await sql<FactRow>`
    SELECT e.parcel_id, p.waybill_no, e.type, e.payload->>'reason' AS reason, e.event_time, p.created_at, v.remote
    FROM parcel_events e
    JOIN parcels p ON p.id = e.parcel_id
    LEFT JOIN villages v ON v.code = p.village_code
    WHERE p.partner_code = ${partnerCode} AND p.county_code = ${countyCode}
      AND e.event_time >= ${start.toISOString()}::timestamptz AND e.event_time < ${end.toISOString()}::timestamptz
      AND (e.type IN ('delivered', 'delivered_to_station', 'returned_to_partner')
           OR (e.type = 'exception' AND e.payload->>'reason' IN ('loss', 'damage')
               AND EXISTS (SELECT 1 FROM parcel_events h WHERE h.parcel_id = e.parcel_id AND h.type = 'handed_over' AND h.event_time < e.event_time)))
      AND NOT EXISTS (SELECT 1 FROM parcel_events x WHERE x.parcel_id = e.parcel_id AND x.type = 'void' AND x.payload->>'voids' = e.event_id)
    ORDER BY e.event_time, e.event_id`.execute(db);
  return r.rows;
}

export async function agreements(db: Db, partnerCode: string, countyCode: string) {
  return db.selectFrom('agreements').selectAll().where('partner_code', '=', partnerCode).where('county_code', '=', countyCode).where('active', '=', true).execute();
}

export async function findStatement(db: Db, partnerCode: string, countyCode: string, month: string, hash: string) {
  return db.selectFrom('settlement_statements').selectAll().where('partner_code', '=', partnerCode).where('county_code', '=', countyCode).where('month', '=', month).where('content_hash', '=', hash).executeTakeFirst();
}
export async function insertStatement(db: Db, row: { id: string; partner_code: string; county_code: string; month: string; content_hash: string; total_fen: number; body: string; issued_at: Date; issued_by: string | null }) {
  await db.insertInto('settlement_statements').values(row).onConflict((oc) => oc.columns(['partner_code', 'county_code', 'month', 'content_hash']).doNothing()).execute();
}
export async function getStatement(db: Db, id: string) {
  return db.selectFrom('settlement_statements').selectAll().where('id', '=', id).executeTakeFirst();
}
export async function listStatements(db: Db, f: { partnerCode?: string; countyPrefix?: string; month?: string }) {
  let q = db.selectFrom('settlement_statements').select(['id', 'partner_code', 'county_code', 'month', 'content_hash', 'total_fen', 'issued_at']);
  if (f.partnerCode) q = q.where('partner_code', '=', f.partnerCode);
  if (f.countyPrefix) q = q.where('county_code', 'like', `${f.countyPrefix}%`);
  if (f.month) q = q.where('month', '=', f.month);
  return q.orderBy('issued_at', 'desc').limit(500).execute();
}

export async function insertDispute(db: Db, row: { id: string; statement_id: string; line_id: string; partner_code: string; waybill_nos: string[]; reason: string; opened_by: string; opened_at: Date }) {
  await db.insertInto('settlement_disputes').values({ ...row, status: 'open' }).execute();
}
export async function getDispute(db: Db, id: string) {
  return db.selectFrom('settlement_disputes').selectAll().where('id', '=', id).executeTakeFirst();
}
export async function resolveDispute(db: Db, id: string, s: { status: string; resolution: string; adjustment_fen: number | null; resolved_by: string; resolved_at: Date }) {
  const r = await db.updateTable('settlement_disputes').set(s).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
export async function listDisputes(db: Db, f: { partnerCode?: string; statementId?: string; status?: string }) {
  let q = db.selectFrom('settlement_disputes').selectAll();
  if (f.partnerCode) q = q.where('partner_code', '=', f.partnerCode);
  if (f.statementId) q = q.where('statement_id', '=', f.statementId);
  if (f.status) q = q.where('status', '=', f.status);
  return q.orderBy('opened_at', 'desc').limit(500).execute();
}

/** Parcels a station received in a period (its commission basis). */
export async function stationParcels(db: Db, stationId: string, start: Date, end: Date) {
  return db.selectFrom('station_parcels as s').innerJoin('parcels as p', 'p.id', 's.parcel_id')
    .select(['s.parcel_id', 'p.waybill_no', 's.partner_code', 's.arrived_at', 's.status'])
    .where('s.station_id', '=', stationId).where('s.arrived_at', '>=', start).where('s.arrived_at', '<', end)
    .orderBy('p.waybill_no').execute();
}
/** Per station of a county (or all): parcels received in a period, for the commission overview. */
export async function stationTotals(db: Db, countyPrefix: string | undefined, start: Date, end: Date) {
  let q = db.selectFrom('station_parcels as s').innerJoin('outlets as o', 'o.id', 's.station_id')
    .select(['o.id', 'o.code', 'o.name', 'o.county_code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('s.arrived_at', '>=', start).where('s.arrived_at', '<', end);
  if (countyPrefix) q = q.where('o.county_code', 'like', `${countyPrefix}%`);
  return q.groupBy(['o.id', 'o.code', 'o.name', 'o.county_code']).orderBy('o.county_code').orderBy('o.code').execute();
}
export async function station(db: Db, id: string) {
  return db.selectFrom('outlets').select(['id', 'code', 'name', 'kind', 'county_code']).where('id', '=', id).executeTakeFirst();
}
