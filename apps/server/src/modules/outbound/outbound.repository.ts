import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { DB, OutboundEventsTable, OutboundOrdersTable, ShippersTable } from '../../db/schema.ts';

/** Every SQL statement of the outbound module (issue 7). */
type Db = Kysely<DB>;
export type ShipperRow = Selectable<ShippersTable>;
export type OrderRow = Selectable<OutboundOrdersTable>;
export type NewOrder = Insertable<OutboundOrdersTable>;
export type NewEvent = Insertable<OutboundEventsTable>;

/** Rows per multi-row INSERT: well below PostgreSQL's 65,535 bind parameters (≈35 columns × 500). */
export const CHUNK = 500;

async function inChunks<T>(rows: readonly T[], size: number, f: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await f(rows.slice(i, i + size));
}

// ---------- shippers ----------
export async function insertShipper(db: Db, row: Insertable<ShippersTable>) {
  await db.insertInto('shippers').values(row).execute();
}
export async function updateShipper(db: Db, id: string, patch: Partial<Insertable<ShippersTable>>) {
  await db.updateTable('shippers').set(patch).where('id', '=', id).execute();
}
export async function getShipper(db: Db, id: string) {
  return db.selectFrom('shippers').selectAll().where('id', '=', id).executeTakeFirst();
}
export async function shipperCodeTaken(db: Db, code: string) {
  return !!(await db.selectFrom('shippers').select('id').where('code', '=', code).executeTakeFirst());
}
export async function listShippers(db: Db, q: { countyCode?: string; kind?: string; q?: string; active?: boolean; limit: number; offset: number }) {
  let query = db.selectFrom('shippers');
  if (q.countyCode) query = query.where('county_code', 'like', `${q.countyCode}%`);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.active !== undefined) query = query.where('active', '=', q.active);
  if (q.q) query = query.where((eb) => eb.or([eb('name', 'like', `%${q.q}%`), eb('code', 'like', `%${q.q}%`)]));
  const [items, total] = await Promise.all([
    query.selectAll().orderBy('code').limit(q.limit).offset(q.offset).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
export async function divisionNames(db: Db, codes: string[]) {
  if (!codes.length) return new Map<string, string>();
  const rows = await db.selectFrom('divisions').select(['code', 'short_name']).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, r.short_name]));
}

// ---------- tariffs ----------
export async function currentTariff(db: Db) {
  return db.selectFrom('tariff_versions').selectAll().where('superseded_at', 'is', null).executeTakeFirst();
}
export async function getTariff(db: Db, version: string) {
  return db.selectFrom('tariff_versions').selectAll().where('version', '=', version).executeTakeFirst();
}
export async function listTariffs(db: Db) {
  return db.selectFrom('tariff_versions').selectAll().orderBy('created_at', 'desc').execute();
}
/** Locks the current version row so two new versions cannot both supersede it. */
export async function lockCurrentTariff(db: Db) {
  return db.selectFrom('tariff_versions').selectAll().where('superseded_at', 'is', null).forUpdate().executeTakeFirst();
}
export async function supersedeTariff(db: Db, version: string, by: string, at: Date) {
  await db.updateTable('tariff_versions').set({ superseded_at: at, superseded_by: by }).where('version', '=', version).where('superseded_at', 'is', null).execute();
}
export async function insertTariff(db: Db, row: { version: string; origin_code: string; body: string; valid_from: Date; created_by: string | null; created_at: Date }) {
  await db.insertInto('tariff_versions').values(row).execute();
}

// ---------- waybill ranges ----------
export async function listRanges(db: Db) {
  return db.selectFrom('waybill_ranges').selectAll().orderBy('priority').orderBy('id').execute();
}
/** The active ranges, locked until the end of the transaction (SELECT … FOR UPDATE). */
export async function lockActiveRanges(db: Db) {
  return db.selectFrom('waybill_ranges').selectAll().where('active', '=', true).orderBy('priority').orderBy('id').forUpdate().execute();
}
export async function advanceRange(db: Db, id: string, expectedNext: number, next: number) {
  const r = await db.updateTable('waybill_ranges').set({ next_serial: next }).where('id', '=', id).where('next_serial', '=', expectedNext).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
export async function insertRange(db: Db, row: { id: string; scheme: string; from_serial: number; to_serial: number; next_serial: number; priority: number; created_by: string | null; created_at: Date }) {
  await db.insertInto('waybill_ranges').values(row).execute();
}
export async function setRangeActive(db: Db, id: string, active: boolean) {
  const r = await db.updateTable('waybill_ranges').set({ active }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
export async function insertIssued(db: Db, rows: Array<{ waybill_no: string; range_id: string; serial: number; issued_at: Date }>) {
  await inChunks(rows, 2000, (c) => db.insertInto('waybill_issued').values(c).execute());
}

// ---------- orders ----------
export async function insertOrders(db: Db, rows: NewOrder[]) {
  await inChunks(rows, CHUNK, (c) => db.insertInto('outbound_orders').values(c).execute());
}
export async function existingExternalNos(db: Db, shipperId: string, nos: string[]) {
  const found = new Set<string>();
  for (let i = 0; i < nos.length; i += 5000) {
    const chunk = nos.slice(i, i + 5000);
    if (!chunk.length) continue;
    const rows = await db.selectFrom('outbound_orders').select('external_no').where('shipper_id', '=', shipperId).where('external_no', 'in', chunk).execute();
    for (const r of rows) if (r.external_no) found.add(r.external_no);
  }
  return found;
}
export async function insertImport(db: Db, row: Insertable<DB['order_imports']>) {
  await db.insertInto('order_imports').values(row).execute();
}
export async function listImports(db: Db, q: { countyCode?: string; shipperId?: string; limit: number; offset: number }) {
  let query = db.selectFrom('order_imports');
  if (q.countyCode) query = query.where('county_code', 'like', `${q.countyCode}%`);
  if (q.shipperId) query = query.where('shipper_id', '=', q.shipperId);
  const [items, total] = await Promise.all([
    query.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(q.limit).offset(q.offset).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
export async function listLabelJobs(db: Db, q: { countyCode?: string; limit: number; offset: number }) {
  let query = db.selectFrom('label_jobs');
  if (q.countyCode) query = query.where('county_code', 'like', `${q.countyCode}%`);
  const [items, total] = await Promise.all([
    query.select(['id', 'county_code', 'format', 'labels', 'reprints', 'created_by', 'created_at']).orderBy('created_at', 'desc').orderBy('id').limit(q.limit).offset(q.offset).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
export async function getImport(db: Db, id: string) {
  return db.selectFrom('order_imports').selectAll().where('id', '=', id).executeTakeFirst();
}
export async function getOrder(db: Db, id: string) {
  return db.selectFrom('outbound_orders').selectAll().where('id', '=', id).executeTakeFirst();
}
export async function ordersByIds(db: Db, ids: string[]) {
  const out: OrderRow[] = [];
  for (let i = 0; i < ids.length; i += 5000) {
    const c = ids.slice(i, i + 5000);
    if (c.length) out.push(...(await db.selectFrom('outbound_orders').selectAll().where('id', 'in', c).execute()));
  }
  return out;
}
export async function ordersByImport(db: Db, importId: string) {
  return db.selectFrom('outbound_orders').selectAll().where('import_id', '=', importId).orderBy('waybill_no').execute();
}
export async function ordersByWaybills(db: Db, nos: string[]) {
  if (!nos.length) return [];
  return db.selectFrom('outbound_orders').selectAll().where('waybill_no', 'in', nos).execute();
}
export async function ordersInBag(db: Db, bagId: string) {
  return db.selectFrom('outbound_orders').selectAll().where('bag_id', '=', bagId).orderBy('waybill_no').execute();
}
export async function listOrders(db: Db, q: { countyCode?: string; shipperId?: string; importId?: string; status?: string; waybillNo?: string; limit: number; offset: number }) {
  let query = db.selectFrom('outbound_orders');
  if (q.countyCode) query = query.where('county_code', 'like', `${q.countyCode}%`);
  if (q.shipperId) query = query.where('shipper_id', '=', q.shipperId);
  if (q.importId) query = query.where('import_id', '=', q.importId);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.waybillNo) query = query.where('waybill_no', '=', q.waybillNo);
  const [items, total] = await Promise.all([
    query.selectAll().orderBy('created_at', 'desc').orderBy('waybill_no').limit(q.limit).offset(q.offset).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
export async function markPrinted(db: Db, ids: string[]) {
  for (let i = 0; i < ids.length; i += 5000) {
    const c = ids.slice(i, i + 5000);
    if (c.length) await db.updateTable('outbound_orders').set((eb) => ({ labels_printed: eb('labels_printed', '+', 1) })).where('id', 'in', c).execute();
  }
}
/** The same as markPrinted for every order of an import that is not cancelled (one statement). */
export async function markPrintedByImport(db: Db, importId: string) {
  await db.updateTable('outbound_orders').set((eb) => ({ labels_printed: eb('labels_printed', '+', 1) })).where('import_id', '=', importId).where('status', '<>', 'cancelled').execute();
}
export async function setOrdersStatus(db: Db, ids: string[], set: Partial<Pick<NewOrder, 'status' | 'status_at' | 'collected_at' | 'pickup_task_id' | 'bag_id'>>) {
  for (let i = 0; i < ids.length; i += 5000) {
    const c = ids.slice(i, i + 5000);
    if (c.length) await db.updateTable('outbound_orders').set(set).where('id', 'in', c).execute();
  }
}
export async function insertLabelJob(db: Db, row: Insertable<DB['label_jobs']>) {
  await db.insertInto('label_jobs').values(row).execute();
}

// ---------- idempotency of single orders (the core idempotency_keys table) ----------
export async function getIdempotency(db: Db, owner: string, key: string) {
  return db.selectFrom('idempotency_keys').select(['request_hash', 'response']).where('owner', '=', owner).where('key', '=', key).executeTakeFirst();
}
/** Claims a key inside the order's transaction; a concurrent claim waits for it, then finds the row (false). */
export async function claimIdempotency(db: Db, owner: string, key: string, requestHash: string, response: unknown, at: Date): Promise<boolean> {
  const r = await db.insertInto('idempotency_keys').values({ owner, key, request_hash: requestHash, status_code: 201, response: JSON.stringify(response), created_at: at })
    .onConflict((oc) => oc.columns(['owner', 'key']).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

// ---------- events ----------
export async function insertEvents(db: Db, rows: NewEvent[]) {
  await inChunks(rows, 1000, (c) => db.insertInto('outbound_events').values(c).execute());
}
export async function listEvents(db: Db, orderId: string) {
  return db.selectFrom('outbound_events').selectAll().where('order_id', '=', orderId).orderBy('event_time').orderBy('seq').execute();
}

// ---------- pickups, bags, handovers ----------
export async function insertPickupTask(db: Db, row: Insertable<DB['pickup_tasks']>) {
  await db.insertInto('pickup_tasks').values(row).execute();
}
export async function getPickupTask(db: Db, id: string, forUpdate = false) {
  const q = db.selectFrom('pickup_tasks').selectAll().where('id', '=', id);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}
export async function listPickupTasks(db: Db, q: { countyCode?: string; date?: string; status?: string; limit: number; offset: number }) {
  let query = db.selectFrom('pickup_tasks');
  if (q.countyCode) query = query.where('county_code', 'like', `${q.countyCode}%`);
  if (q.date) query = query.where('planned_date', '=', q.date);
  if (q.status) query = query.where('status', '=', q.status);
  const [items, total] = await Promise.all([
    query.selectAll().orderBy('planned_date', 'desc').orderBy('id').limit(q.limit).offset(q.offset).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
export async function updatePickupTask(db: Db, id: string, set: { status?: string; collected?: number }) {
  await db.updateTable('pickup_tasks').set(set).where('id', '=', id).execute();
}
export async function getRoute(db: Db, id: string) {
  return db.selectFrom('delivery_routes').select(['id', 'county_code']).where('id', '=', id).executeTakeFirst();
}
export async function getVehicle(db: Db, id: string) {
  return db.selectFrom('vehicles').select(['id', 'county_code']).where('id', '=', id).executeTakeFirst();
}
export async function nextBagSerial(db: Db): Promise<number> {
  const r = await sql<{ n: string | number }>`select nextval('bag_serial') as n`.execute(db);
  return Number(r.rows[0]?.n);
}
export async function insertBag(db: Db, row: Insertable<DB['bags']>) {
  await db.insertInto('bags').values(row).execute();
}
export async function getBag(db: Db, id: string, forUpdate = false) {
  const q = db.selectFrom('bags').selectAll().where('id', '=', id);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}
export async function bagsByIds(db: Db, ids: string[], forUpdate = false) {
  if (!ids.length) return [];
  const q = db.selectFrom('bags').selectAll().where('id', 'in', ids).orderBy('bag_no');
  return (forUpdate ? q.forUpdate() : q).execute();
}
export async function updateBag(db: Db, id: string, set: Partial<Insertable<DB['bags']>>) {
  await db.updateTable('bags').set(set).where('id', '=', id).execute();
}
export async function insertHandover(db: Db, row: Insertable<DB['trunk_handovers']>) {
  await db.insertInto('trunk_handovers').values(row).execute();
}
export async function getHandover(db: Db, id: string) {
  return db.selectFrom('trunk_handovers').selectAll().where('id', '=', id).executeTakeFirst();
}
export async function bagsOfHandover(db: Db, id: string) {
  return db.selectFrom('bags').selectAll().where('handover_id', '=', id).orderBy('bag_no').execute();
}
export async function ordersInBags(db: Db, bagIds: string[]) {
  if (!bagIds.length) return [];
  return db.selectFrom('outbound_orders').selectAll().where('bag_id', 'in', bagIds).orderBy('bag_id').orderBy('waybill_no').execute();
}

// ---------- dashboard ----------
export async function outboundSummary(db: Db, q: { countyCode?: string; from?: Date; to?: Date }) {
  let query = db.selectFrom('outbound_orders').where('collected_at', 'is not', null).where('status', '<>', 'cancelled');
  if (q.countyCode) query = query.where('county_code', 'like', `${q.countyCode}%`);
  if (q.from) query = query.where('collected_at', '>=', q.from);
  if (q.to) query = query.where('collected_at', '<', q.to);
  const rows = await query
    .select(['county_code', 'category'])
    .select((eb) => [eb.fn.countAll<string>().as('parcels'), eb.fn.sum<string>('weight_g').as('weight_g'), eb.fn.sum<string>('price_fen').as('revenue_fen')])
    .groupBy(['county_code', 'category'])
    .orderBy('county_code')
    .orderBy('category')
    .execute();
  return rows.map((r) => ({ countyCode: r.county_code, category: r.category, parcels: Number(r.parcels), weightG: Number(r.weight_g ?? 0), revenueFen: Number(r.revenue_fen ?? 0) }));
}
