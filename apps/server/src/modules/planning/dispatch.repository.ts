import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

// Every SQL statement of daily dispatch (dispatches, runs, bags, items). Rows in, plain objects out.
type Db = Kysely<DB> | Transaction<DB>;

const iso = (d: Date | string | null): string | null => (d === null ? null : typeof d === 'string' ? new Date(d).toISOString() : d.toISOString());
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export interface DispatchRow {
  id: string; outletId: string; countyCode: string; date: string; day: number; planId: string; commits: number;
  deferred: Array<{ parcelId: string; villageCode: string; nextDay: number | null; reason: string }>; notes: string[];
  createdBy: string | null; createdAt: string; updatedAt: string;
}
export interface RunRow {
  id: string; dispatchId: string; vehicleId: string; vehicleCode: string; trip: number; departureS: number; capacityKg: number;
  stops: Array<{ villageCode: string; arrival: string }>; departedAt: string | null; departedBy: string | null;
}
export interface BagRow {
  id: string; dispatchId: string; tripId: string; lineCode: string; departure: string; villageCode: string; arrival: string;
  status: 'open' | 'sealed' | 'departed' | 'received' | 'missed'; sealNo: string | null; sealedAt: string | null; departedAt: string | null; crew: string | null;
  receivedAt: string | null; receivedBy: string | null; missedReason: string | null; reconciliation: Reconciliation | null;
}
export interface Reconciliation { sealOk: boolean; received: string[]; missing: string[]; unexpected: string[]; place: string }
export interface ItemRow {
  dispatchId: string; parcelId: string; runId: string | null; bagId: string | null; villageCode: string; weightG: number; commitNo: number; moves: number; note: string | null; scan: string | null;
}

export async function getDispatch(db: Db, outletId: string, date: string, forUpdate = false): Promise<DispatchRow | undefined> {
  let q = db.selectFrom('dispatches').selectAll().where('outlet_id', '=', outletId).where('dispatch_date', '=', date);
  if (forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toDispatch(r) : undefined;
}
export async function getDispatchById(db: Db, id: string, forUpdate = false): Promise<DispatchRow | undefined> {
  let q = db.selectFrom('dispatches').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toDispatch(r) : undefined;
}
type DRow = Awaited<ReturnType<typeof dRows>>[number];
function dRows(db: Db) { return db.selectFrom('dispatches').selectAll().limit(0).execute(); }
const toDispatch = (r: DRow): DispatchRow => ({
  id: r.id, outletId: r.outlet_id, countyCode: r.county_code, date: r.dispatch_date, day: r.day, planId: r.plan_id, commits: r.commits,
  deferred: json(r.deferred), notes: json(r.notes), createdBy: r.created_by, createdAt: iso(r.created_at) ?? '', updatedAt: iso(r.updated_at) ?? '',
});

/** Creates the dispatch row unless another request did (the unique (outlet, date) decides). */
export async function insertDispatch(db: Db, d: { id: string; outletId: string; countyCode: string; date: string; day: number; planId: string; createdBy: string; at: Date }): Promise<void> {
  await db.insertInto('dispatches')
    .values({ id: d.id, outlet_id: d.outletId, county_code: d.countyCode, dispatch_date: d.date, day: d.day, plan_id: d.planId, created_by: d.createdBy, created_at: d.at, updated_at: d.at })
    .onConflict((oc) => oc.columns(['outlet_id', 'dispatch_date']).doNothing())
    .execute();
}

export async function updateDispatch(db: Db, id: string, s: { commitsAdd: number; deferred: unknown; notes: string[]; at: Date }): Promise<void> {
  await db.updateTable('dispatches')
    .set((eb) => ({ commits: eb('commits', '+', s.commitsAdd), deferred: JSON.stringify(s.deferred), notes: JSON.stringify(s.notes), updated_at: s.at }))
    .where('id', '=', id).execute();
}

export async function listRuns(db: Db, dispatchId: string): Promise<RunRow[]> {
  const rows = await db.selectFrom('dispatch_runs').selectAll().where('dispatch_id', '=', dispatchId).orderBy('departure_s').orderBy('vehicle_code').orderBy('trip').execute();
  return rows.map(toRun);
}
export async function getRun(db: Db, id: string): Promise<RunRow | undefined> {
  const r = await db.selectFrom('dispatch_runs').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRun(r) : undefined;
}
type RRow = Awaited<ReturnType<typeof rRows>>[number];
function rRows(db: Db) { return db.selectFrom('dispatch_runs').selectAll().limit(0).execute(); }
const toRun = (r: RRow): RunRow => ({
  id: r.id, dispatchId: r.dispatch_id, vehicleId: r.vehicle_id, vehicleCode: r.vehicle_code, trip: r.trip, departureS: r.departure_s, capacityKg: Number(r.capacity_kg),
  stops: json(r.stops), departedAt: iso(r.departed_at), departedBy: r.departed_by,
});
export async function insertRuns(db: Db, rows: Array<Omit<RunRow, 'departedAt' | 'departedBy'>>): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('dispatch_runs')
    .values(rows.map((r) => ({ id: r.id, dispatch_id: r.dispatchId, vehicle_id: r.vehicleId, vehicle_code: r.vehicleCode, trip: r.trip, departure_s: r.departureS, capacity_kg: r.capacityKg, stops: JSON.stringify(r.stops) })))
    .onConflict((oc) => oc.columns(['dispatch_id', 'vehicle_id', 'trip']).doNothing())
    .execute();
}
export async function markRunDeparted(db: Db, id: string, by: string, at: Date): Promise<void> {
  await db.updateTable('dispatch_runs').set({ departed_at: at, departed_by: by }).where('id', '=', id).where('departed_at', 'is', null).execute();
}

export async function listBags(db: Db, dispatchId: string): Promise<BagRow[]> {
  const rows = await db.selectFrom('dispatch_bags').selectAll().where('dispatch_id', '=', dispatchId).orderBy('departure').orderBy('trip_id').orderBy('village_code').execute();
  return rows.map(toBag);
}
export async function getBag(db: Db, id: string, forUpdate = false): Promise<BagRow | undefined> {
  let q = db.selectFrom('dispatch_bags').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toBag(r) : undefined;
}
export async function bagBySeal(db: Db, sealNo: string): Promise<BagRow | undefined> {
  const r = await db.selectFrom('dispatch_bags').selectAll().where('seal_no', '=', sealNo).executeTakeFirst();
  return r ? toBag(r) : undefined;
}
type BRow = Awaited<ReturnType<typeof bRows>>[number];
function bRows(db: Db) { return db.selectFrom('dispatch_bags').selectAll().limit(0).execute(); }
const toBag = (r: BRow): BagRow => ({
  id: r.id, dispatchId: r.dispatch_id, tripId: r.trip_id, lineCode: r.line_code, departure: r.departure, villageCode: r.village_code, arrival: r.arrival,
  status: r.status as BagRow['status'], sealNo: r.seal_no, sealedAt: iso(r.sealed_at), departedAt: iso(r.departed_at), crew: r.crew,
  receivedAt: iso(r.received_at), receivedBy: r.received_by, missedReason: r.missed_reason, reconciliation: r.reconciliation === null ? null : json(r.reconciliation),
});
export async function insertBag(db: Db, b: { id: string; dispatchId: string; tripId: string; lineCode: string; departure: string; villageCode: string; arrival: string }): Promise<void> {
  await db.insertInto('dispatch_bags')
    .values({ id: b.id, dispatch_id: b.dispatchId, trip_id: b.tripId, line_code: b.lineCode, departure: b.departure, village_code: b.villageCode, arrival: b.arrival })
    .execute();
}
export async function updateBag(db: Db, id: string, set: Partial<{ status: BagRow['status']; seal_no: string; sealed_at: Date; sealed_by: string; departed_at: Date; departed_by: string; crew: string | null; received_at: Date; received_by: string; missed_reason: string; reconciliation: string }>): Promise<void> {
  await db.updateTable('dispatch_bags').set(set).where('id', '=', id).execute();
}

export async function listItems(db: Db, dispatchId: string): Promise<ItemRow[]> {
  const rows = await db.selectFrom('dispatch_items').selectAll().where('dispatch_id', '=', dispatchId).orderBy('parcel_id').execute();
  return rows.map(toItem);
}
type IRow = Awaited<ReturnType<typeof iRows>>[number];
function iRows(db: Db) { return db.selectFrom('dispatch_items').selectAll().limit(0).execute(); }
const toItem = (r: IRow): ItemRow => ({
  dispatchId: r.dispatch_id, parcelId: r.parcel_id, runId: r.run_id, bagId: r.bag_id, villageCode: r.village_code, weightG: r.weight_g, commitNo: r.commit_no, moves: r.moves, note: r.note, scan: r.scan,
});
export async function insertItems(db: Db, rows: Array<Omit<ItemRow, 'moves' | 'scan'>>): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('dispatch_items')
    .values(rows.map((r) => ({ dispatch_id: r.dispatchId, parcel_id: r.parcelId, run_id: r.runId, bag_id: r.bagId, village_code: r.villageCode, weight_g: r.weightG, commit_no: r.commitNo, note: r.note })))
    .execute();
}
export async function moveItem(db: Db, dispatchId: string, parcelId: string, to: { runId: string | null; bagId: string | null; note: string }): Promise<void> {
  await db.updateTable('dispatch_items').set((eb) => ({ run_id: to.runId, bag_id: to.bagId, note: to.note, moves: eb('moves', '+', 1) }))
    .where('dispatch_id', '=', dispatchId).where('parcel_id', '=', parcelId).execute();
}
export async function deleteItem(db: Db, dispatchId: string, parcelId: string): Promise<void> {
  await db.deleteFrom('dispatch_items').where('dispatch_id', '=', dispatchId).where('parcel_id', '=', parcelId).execute();
}
export async function setScan(db: Db, dispatchId: string, parcelIds: string[], scan: 'received' | 'missing'): Promise<void> {
  if (parcelIds.length === 0) return;
  await db.updateTable('dispatch_items').set({ scan }).where('dispatch_id', '=', dispatchId).where('parcel_id', 'in', parcelIds).execute();
}

/** The parcel facts a dispatch and its manifests need (masked personal data only). */
export async function parcelFacts(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('parcels')
    .select(['id', 'waybill_no', 'outlet_id', 'village_code', 'weight_g', 'pieces', 'cod_fen', 'status', 'service', 'recipient_name_masked', 'phone_masked', 'purged_at'])
    .where('id', 'in', ids).execute();
}
export async function parcelsByWaybill(db: Db, waybills: string[]) {
  if (waybills.length === 0) return [];
  return db.selectFrom('parcels').select(['id', 'waybill_no', 'outlet_id', 'village_code', 'weight_g', 'status', 'purged_at']).where('waybill_no', 'in', waybills).execute();
}

export async function villageNames(db: Db, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  // a village's name is its division's (villages hold the delivery attributes only)
  const rows = await db.selectFrom('divisions').select(['code', 'name']).where('code', 'in', [...new Set(codes)]).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** Accepted plans that may cover an outlet of `countyCode`: the county's and region-wide ones, newest accepted first. */
export async function acceptedPlansFor(db: Db, countyCode: string) {
  return db.selectFrom('plans').select(['id', 'county_code', 'accepted_at'])
    .where('status', '=', 'accepted')
    .where((eb) => eb.or([eb('county_code', '=', countyCode), eb('county_code', 'is', null)]))
    .orderBy('accepted_at', 'desc').orderBy('id', 'desc').execute();
}

export async function outletRef(db: Db, id: string) {
  return db.selectFrom('outlets').select(['id', 'code', 'name', 'county_code']).where('id', '=', id).executeTakeFirst();
}

/** The delivery routes behind runs: name, vehicle type, and their carriers with their vehicles. */
export async function routeInfo(db: Db, routeIds: string[]): Promise<Map<string, { name: string; vehicleType: string; carriers: Array<{ name: string; vehicle: string | null }> }>> {
  if (routeIds.length === 0) return new Map();
  const routes = await db.selectFrom('delivery_routes').select(['id', 'name', 'vehicle_type', 'carrier_ids']).where('id', 'in', [...new Set(routeIds)]).execute();
  const carrierIds = [...new Set(routes.flatMap((r) => r.carrier_ids ?? []))];
  const carriers = carrierIds.length
    ? await db.selectFrom('carriers').leftJoin('vehicles', 'vehicles.id', 'carriers.vehicle_id').select(['carriers.id as id', 'carriers.name as name', 'vehicles.code as vehicle']).where('carriers.id', 'in', carrierIds).execute()
    : [];
  const byId = new Map(carriers.map((c) => [c.id, { name: c.name, vehicle: c.vehicle }]));
  return new Map(routes.map((r) => [r.id, { name: r.name, vehicleType: r.vehicle_type, carriers: (r.carrier_ids ?? []).flatMap((id) => byId.get(id) ?? []) }]));
}
