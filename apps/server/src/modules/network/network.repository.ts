import { type Kysely, type Transaction, sql } from 'kysely';
import type { Agreement, BusLine, Carrier, DeliveryRoute, Outlet, Partner, Vehicle, Weekday } from '@cuntong/domain/network/types.ts';
import type { DB } from '../../db/schema.ts';

// Every SQL statement of the network registry. Rows in, domain objects out.
type Db = Kysely<DB> | Transaction<DB>;

const isoDate = (d: Date | string | null | undefined): string | undefined =>
  d === null || d === undefined ? undefined : typeof d === 'string' ? d.slice(0, 10) : new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10);

export interface ListFilter {
  countyCode?: string;
  townCode?: string;
  q?: string;
  active?: boolean;
  limit: number;
  offset: number;
}

async function page<T>(items: Promise<T[]>, total: Promise<{ n: number | string }>) {
  const [i, t] = await Promise.all([items, total]);
  return { items: i, total: Number(t.n) };
}

// ---------- outlets ----------
type OutletRow = Awaited<ReturnType<typeof outletRows>>[number];
function outletRows(db: Db) {
  return db.selectFrom('outlets').selectAll().limit(0).execute();
}
export const toOutlet = (r: OutletRow): Outlet => ({
  id: r.id,
  code: r.code,
  name: r.name,
  kind: r.kind as Outlet['kind'],
  divisionCode: r.division_code,
  countyCode: r.county_code,
  townCode: r.town_code ?? r.division_code.slice(0, 9),
  lon: r.lon,
  lat: r.lat,
  coordinatesApproximate: r.coordinates_approximate,
  openingHours: r.opening_hours,
  capacitySlots: r.capacity_slots,
  contactName: r.contact_name,
  contactPhone: r.contact_phone,
  services: r.services as Outlet['services'],
  active: r.active,
});
const outletValues = (o: Outlet) => ({
  id: o.id,
  code: o.code,
  name: o.name,
  kind: o.kind,
  division_code: o.divisionCode,
  county_code: o.countyCode,
  town_code: o.townCode,
  village_code: o.divisionCode.length === 12 ? o.divisionCode : null,
  lon: o.lon,
  lat: o.lat,
  coordinates_approximate: o.coordinatesApproximate,
  opening_hours: o.openingHours,
  capacity_slots: o.capacitySlots,
  contact_name: o.contactName,
  contact_phone: o.contactPhone,
  services: o.services,
  active: o.active,
});

export async function listOutlets(db: Db, f: ListFilter & { kind?: string; service?: string; ids?: string[] }) {
  let q = db.selectFrom('outlets');
  if (f.countyCode) q = q.where('county_code', '=', f.countyCode);
  if (f.townCode) q = q.where('town_code', '=', f.townCode);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.service) q = q.where(sql<boolean>`${f.service} = any(services)`);
  if (f.active !== undefined) q = q.where('active', '=', f.active);
  if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : ['']);
  if (f.q) q = q.where((eb) => eb.or([eb('name', 'like', `%${f.q}%`), eb('code', 'like', `%${f.q!.toUpperCase()}%`)]));
  const r = await page(q.selectAll().orderBy('code').limit(f.limit).offset(f.offset).execute(), q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
  return { items: r.items.map(toOutlet), total: r.total };
}
export async function getOutlet(db: Db, id: string) {
  const r = await db.selectFrom('outlets').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toOutlet(r) : undefined;
}
export async function getOutletByCode(db: Db, code: string) {
  const r = await db.selectFrom('outlets').selectAll().where('code', '=', code).executeTakeFirst();
  return r ? toOutlet(r) : undefined;
}
export async function outletRefs(db: Db) {
  return db.selectFrom('outlets').select(['id', 'code', 'county_code', 'lon', 'lat']).execute();
}
export async function insertOutlets(db: Db, outlets: Outlet[]) {
  for (let i = 0; i < outlets.length; i += 500) await db.insertInto('outlets').values(outlets.slice(i, i + 500).map(outletValues)).execute();
}
/** Insert or replace by code (imports). */
export async function upsertOutlets(db: Db, outlets: Outlet[]) {
  for (let i = 0; i < outlets.length; i += 500) {
    await db
      .insertInto('outlets')
      .values(outlets.slice(i, i + 500).map(outletValues))
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'), kind: eb.ref('excluded.kind'), division_code: eb.ref('excluded.division_code'), county_code: eb.ref('excluded.county_code'),
          town_code: eb.ref('excluded.town_code'), village_code: eb.ref('excluded.village_code'), lon: eb.ref('excluded.lon'), lat: eb.ref('excluded.lat'),
          coordinates_approximate: eb.ref('excluded.coordinates_approximate'), opening_hours: eb.ref('excluded.opening_hours'), capacity_slots: eb.ref('excluded.capacity_slots'),
          contact_name: eb.ref('excluded.contact_name'), contact_phone: eb.ref('excluded.contact_phone'), services: eb.ref('excluded.services'), active: eb.ref('excluded.active'), updated_at: sql`now()`,
        })),
      )
      .execute();
  }
}
export async function updateOutlet(db: Db, o: Outlet) {
  const { id: _id, code: _code, ...set } = outletValues(o);
  await db.updateTable('outlets').set({ ...set, updated_at: new Date() }).where('id', '=', o.id).execute();
}
export async function existingOutletCodes(db: Db, codes: string[]) {
  if (!codes.length) return [];
  return db.selectFrom('outlets').select(['code', 'county_code']).where('code', 'in', codes).execute();
}

// ---------- villages ----------
export interface VillageFilter extends ListFilter { belowRule?: boolean }
// Planned visits per week = distinct weekdays on which an active route stops at the village or an
// accepted bus service drops its parcels there.
const PLANNED = sql<number>`(select count(distinct x.day) from (
  select d.day from route_stops s join delivery_routes r on r.id = s.route_id and r.active cross join lateral unnest(s.days) as d(day) where s.village_code = v.code
  union select d.day from village_bus_services b join bus_lines l on l.id = b.line_id and l.active cross join lateral unnest(b.days) as d(day) where b.village_code = v.code) x)`;
const STATION = sql<string | null>`(select min(o.id) from outlets o where o.village_code = v.code and o.kind = 'village_station' and o.active)`;
export function villageQuery(db: Db) {
  return db.selectFrom('villages as v').innerJoin('divisions as d', 'd.code', 'v.code');
}
export async function listVillages(db: Db, f: VillageFilter) {
  let q = villageQuery(db);
  if (f.countyCode) q = q.where('v.county_code', '=', f.countyCode);
  if (f.townCode) q = q.where('v.town_code', '=', f.townCode);
  if (f.q) q = q.where((eb) => eb.or([eb('d.short_name', 'like', `%${f.q}%`), eb('d.initials', 'like', `${f.q!.toLowerCase()}%`), eb('v.code', 'like', `${f.q}%`)]));
  if (f.belowRule) q = q.where(sql<boolean>`${PLANNED} < v.min_visits_per_week`);
  const items = q
    .select(['v.code', 'd.name', 'd.short_name', 'd.kind', 'v.town_code', 'v.county_code', 'v.lon', 'v.lat', 'v.coordinates_approximate', 'v.min_visits_per_week', 'v.allowed_days', 'v.service_s', 'v.remote', PLANNED.as('planned'), STATION.as('station_id')])
    .orderBy('v.code')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  const total = q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const r = await page(items, total);
  return {
    total: r.total,
    items: r.items.map((v) => ({
      code: v.code,
      name: v.name,
      shortName: v.short_name,
      townCode: v.town_code,
      countyCode: v.county_code,
      kind: (v.kind ?? 'village') as 'village' | 'community',
      lon: v.lon,
      lat: v.lat,
      coordinatesApproximate: v.coordinates_approximate,
      remote: v.remote,
      visitRule: { minVisitsPerWeek: v.min_visits_per_week, allowedDays: v.allowed_days as Weekday[], serviceS: v.service_s },
      plannedVisitsPerWeek: Number(v.planned),
      ...(v.station_id ? { stationOutletId: v.station_id } : {}),
    })),
  };
}
export async function villageCoordinates(db: Db) {
  return db.selectFrom('villages').select(['code', 'county_code', 'lon', 'lat', 'service_s', 'coordinates_approximate']).execute();
}
/** Bulk set coordinates and visit rules (imports, demo data): one statement per 500 villages. */
export async function upsertVillageDetails(db: Db, rows: Array<{ code: string; lon: number; lat: number; coordinatesApproximate: boolean; minVisitsPerWeek: number; allowedDays: number[]; serviceS: number }>) {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('villages')
      .values(rows.slice(i, i + 500).map((r) => ({ code: r.code, town_code: r.code.slice(0, 9), county_code: r.code.slice(0, 6), lon: r.lon, lat: r.lat, coordinates_approximate: r.coordinatesApproximate, min_visits_per_week: r.minVisitsPerWeek, allowed_days: r.allowedDays, service_s: r.serviceS })))
      .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ lon: eb.ref('excluded.lon'), lat: eb.ref('excluded.lat'), coordinates_approximate: eb.ref('excluded.coordinates_approximate'), min_visits_per_week: eb.ref('excluded.min_visits_per_week'), allowed_days: eb.ref('excluded.allowed_days'), service_s: eb.ref('excluded.service_s'), updated_at: sql`now()` })))
      .execute();
  }
}
export async function updateVillage(db: Db, code: string, set: Partial<{ lon: number; lat: number; coordinates_approximate: boolean; min_visits_per_week: number; allowed_days: number[]; service_s: number; remote: boolean }>) {
  await db.updateTable('villages').set({ ...set, updated_at: new Date() }).where('code', '=', code).execute();
}

// ---------- partners and agreements ----------
export async function listPartners(db: Db): Promise<Partner[]> {
  return (await db.selectFrom('partners').selectAll().orderBy('code').execute()).map((p) => ({ code: p.code, name: p.name, active: p.active }));
}
export async function insertPartners(db: Db, ps: Partner[]) {
  if (ps.length) await db.insertInto('partners').values(ps.map((p) => ({ code: p.code, name: p.name, active: p.active }))).onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), active: eb.ref('excluded.active') }))).execute();
}
type AgreementRow = Awaited<ReturnType<typeof agreementRows>>[number];
function agreementRows(db: Db) {
  return db.selectFrom('agreements').selectAll().limit(0).execute();
}
/** An agreement as stored: the settlement terms always present (the defaults when none were given). */
export type StoredAgreement = Agreement & Required<Pick<Agreement, 'returnRateFen' | 'lossDeductionFen' | 'damageDeductionFen' | 'lateDeductionFen'>>;
const toAgreement = (a: AgreementRow): StoredAgreement => ({
  id: a.id,
  partnerCode: a.partner_code,
  countyCode: a.county_code,
  doorRateFen: a.door_rate_fen,
  stationRateFen: a.station_rate_fen,
  remoteSurchargeFen: a.remote_surcharge_fen,
  validFrom: isoDate(a.valid_from)!,
  ...(a.valid_to ? { validTo: isoDate(a.valid_to)! } : {}),
  promiseHours: a.promise_hours,
  returnRateFen: a.return_rate_fen,
  lossDeductionFen: a.loss_deduction_fen,
  damageDeductionFen: a.damage_deduction_fen,
  lateDeductionFen: a.late_deduction_fen,
});
export async function listAgreements(db: Db, f: { partnerCode?: string; countyCode?: string; limit: number; offset: number }) {
  let q = db.selectFrom('agreements').where('active', '=', true);
  if (f.partnerCode) q = q.where('partner_code', '=', f.partnerCode);
  if (f.countyCode) q = q.where('county_code', '=', f.countyCode);
  const r = await page(q.selectAll().orderBy('county_code').orderBy('partner_code').orderBy('valid_from').limit(f.limit).offset(f.offset).execute(), q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
  return { items: r.items.map(toAgreement), total: r.total };
}
export async function getAgreement(db: Db, id: string) {
  const a = await db.selectFrom('agreements').selectAll().where('id', '=', id).executeTakeFirst();
  return a ? toAgreement(a) : undefined;
}
export async function setAgreementEnd(db: Db, id: string, validTo: string) {
  await db.updateTable('agreements').set({ valid_to: validTo }).where('id', '=', id).execute();
}
/** The settlement terms given (0032 columns); the ones left out keep the database defaults. */
function settlementTerms(a: Agreement) {
  return {
    ...(a.returnRateFen !== undefined ? { return_rate_fen: a.returnRateFen } : {}),
    ...(a.lossDeductionFen !== undefined ? { loss_deduction_fen: a.lossDeductionFen } : {}),
    ...(a.damageDeductionFen !== undefined ? { damage_deduction_fen: a.damageDeductionFen } : {}),
    ...(a.lateDeductionFen !== undefined ? { late_deduction_fen: a.lateDeductionFen } : {}),
  };
}
export async function insertAgreements(db: Db, as: Agreement[]) {
  for (let i = 0; i < as.length; i += 500)
    await db
      .insertInto('agreements')
      .values(as.slice(i, i + 500).map((a) => ({ id: a.id, partner_code: a.partnerCode, county_code: a.countyCode, door_rate_fen: a.doorRateFen, station_rate_fen: a.stationRateFen, remote_surcharge_fen: a.remoteSurchargeFen, valid_from: a.validFrom, valid_to: a.validTo ?? null, promise_hours: a.promiseHours, ...settlementTerms(a) })))
      .execute();
}

// ---------- carriers and vehicles ----------
export async function listCarriers(db: Db, f: ListFilter & { outletId?: string; ids?: string[] }) {
  let q = db.selectFrom('carriers');
  if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : ['']);
  if (f.countyCode) q = q.where('county_code', '=', f.countyCode);
  if (f.outletId) q = q.where('outlet_id', '=', f.outletId);
  if (f.q) q = q.where('name', 'like', `%${f.q}%`);
  const r = await page(q.selectAll().orderBy('id').limit(f.limit).offset(f.offset).execute(), q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
  return { items: r.items.map((c): Carrier => ({ id: c.id, name: c.name, phone: c.phone, outletId: c.outlet_id, countyCode: c.county_code, vehicleId: c.vehicle_id, active: c.active })), total: r.total };
}
export async function insertCarriers(db: Db, cs: Carrier[]) {
  for (let i = 0; i < cs.length; i += 500) await db.insertInto('carriers').values(cs.slice(i, i + 500).map((c) => ({ id: c.id, name: c.name, phone: c.phone, outlet_id: c.outletId, county_code: c.countyCode, vehicle_id: c.vehicleId, active: c.active }))).execute();
}
export async function updateCarrier(db: Db, c: Carrier) {
  await db.updateTable('carriers').set({ name: c.name, phone: c.phone, vehicle_id: c.vehicleId, active: c.active }).where('id', '=', c.id).execute();
}
export async function listVehicles(db: Db, f: ListFilter & { outletId?: string }) {
  let q = db.selectFrom('vehicles');
  if (f.countyCode) q = q.where('county_code', '=', f.countyCode);
  if (f.outletId) q = q.where('outlet_id', '=', f.outletId);
  const r = await page(q.selectAll().orderBy('code').limit(f.limit).offset(f.offset).execute(), q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
  return { items: r.items.map((v): Vehicle => ({ id: v.id, code: v.code, type: v.vehicle_type as Vehicle['type'], capacityKg: v.capacity_kg, speedKmh: v.speed_kmh, outletId: v.outlet_id, countyCode: v.county_code, active: v.active })), total: r.total };
}
export async function insertVehicles(db: Db, vs: Vehicle[]) {
  for (let i = 0; i < vs.length; i += 500) await db.insertInto('vehicles').values(vs.slice(i, i + 500).map((v) => ({ id: v.id, code: v.code, vehicle_type: v.type, capacity_kg: v.capacityKg, speed_kmh: v.speedKmh, outlet_id: v.outletId, county_code: v.countyCode, active: v.active }))).execute();
}

// ---------- delivery routes ----------
export async function listRoutes(db: Db, f: ListFilter & { outletId?: string; ids?: string[] }) {
  let q = db.selectFrom('delivery_routes');
  if (f.countyCode) q = q.where('county_code', '=', f.countyCode);
  if (f.outletId) q = q.where('outlet_id', '=', f.outletId);
  if (f.active !== undefined) q = q.where('active', '=', f.active);
  if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : ['']);
  if (f.q) q = q.where((eb) => eb.or([eb('name', 'like', `%${f.q}%`), eb('code', 'like', `%${f.q!.toUpperCase()}%`)]));
  const r = await page(q.selectAll().orderBy('code').limit(f.limit).offset(f.offset).execute(), q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
  const ids = r.items.map((x) => x.id);
  const stops = ids.length ? await db.selectFrom('route_stops').selectAll().where('route_id', 'in', ids).orderBy('route_id').orderBy('seq').execute() : [];
  const byRoute = new Map<string, DeliveryRoute['stops']>();
  for (const s of stops) {
    const list = byRoute.get(s.route_id) ?? [];
    list.push({ seq: s.seq, villageCode: s.village_code, days: s.days as Weekday[] });
    byRoute.set(s.route_id, list);
  }
  return {
    total: r.total,
    items: r.items.map((x): DeliveryRoute => ({
      id: x.id, code: x.code, name: x.name, outletId: x.outlet_id, countyCode: x.county_code, vehicleType: x.vehicle_type as DeliveryRoute['vehicleType'],
      capacityKg: x.capacity_kg, carrierIds: x.carrier_ids, workingDays: x.working_days as Weekday[], maxDurationS: x.max_duration_s,
      stops: byRoute.get(x.id) ?? [], lengthM: x.length_m, durationS: x.duration_s, active: x.active,
    })),
  };
}
const routeValues = (r: DeliveryRoute) => ({
  id: r.id, code: r.code, name: r.name, outlet_id: r.outletId, county_code: r.countyCode, vehicle_type: r.vehicleType, capacity_kg: r.capacityKg,
  working_days: r.workingDays, max_duration_s: r.maxDurationS, length_m: Math.round(r.lengthM), duration_s: Math.round(r.durationS), carrier_ids: r.carrierIds, active: r.active,
});
/** Inserts or replaces routes (by code), stops included. */
export async function upsertRoutes(db: Db, routes: DeliveryRoute[]) {
  for (let i = 0; i < routes.length; i += 200) {
    const chunk = routes.slice(i, i + 200);
    await db
      .insertInto('delivery_routes')
      .values(chunk.map(routeValues))
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'), outlet_id: eb.ref('excluded.outlet_id'), county_code: eb.ref('excluded.county_code'), vehicle_type: eb.ref('excluded.vehicle_type'),
          capacity_kg: eb.ref('excluded.capacity_kg'), working_days: eb.ref('excluded.working_days'), max_duration_s: eb.ref('excluded.max_duration_s'), length_m: eb.ref('excluded.length_m'),
          duration_s: eb.ref('excluded.duration_s'), carrier_ids: eb.ref('excluded.carrier_ids'), active: eb.ref('excluded.active'), updated_at: sql`now()`,
        })),
      )
      .execute();
    const ids = await db.selectFrom('delivery_routes').select(['id', 'code']).where('code', 'in', chunk.map((r) => r.code)).execute();
    const idByCode = new Map(ids.map((x) => [x.code, x.id]));
    await db.deleteFrom('route_stops').where('route_id', 'in', ids.map((x) => x.id)).execute();
    const stops = chunk.flatMap((r) => r.stops.map((s) => ({ route_id: idByCode.get(r.code)!, seq: s.seq, village_code: s.villageCode, days: s.days })));
    for (let j = 0; j < stops.length; j += 1000) await db.insertInto('route_stops').values(stops.slice(j, j + 1000)).execute();
  }
}

// ---------- bus lines ----------
export async function listBusLines(db: Db, f: ListFilter & { ids?: string[] }) {
  let q = db.selectFrom('bus_lines');
  if (f.countyCode) q = q.where('county_code', '=', f.countyCode);
  if (f.active !== undefined) q = q.where('active', '=', f.active);
  if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : ['']);
  if (f.q) q = q.where((eb) => eb.or([eb('name', 'like', `%${f.q}%`), eb('code', 'like', `%${f.q!.toUpperCase()}%`)]));
  const r = await page(q.selectAll().orderBy('code').limit(f.limit).offset(f.offset).execute(), q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
  const ids = r.items.map((x) => x.id);
  const [stops, trips] = ids.length
    ? await Promise.all([
        db.selectFrom('bus_stops').selectAll().where('line_id', 'in', ids).orderBy('line_id').orderBy('seq').execute(),
        db.selectFrom('bus_trips').selectAll().where('line_id', 'in', ids).orderBy('line_id').orderBy('departure').execute(),
      ])
    : [[], []];
  return {
    total: r.total,
    items: r.items.map((x): BusLine => ({
      id: x.id, code: x.code, name: x.name, operator: x.operator, countyCode: x.county_code, active: x.active,
      stops: stops.filter((s) => s.line_id === x.id).map((s) => ({ seq: s.seq, name: s.name, ...(s.village_code ? { villageCode: s.village_code } : {}), ...(s.outlet_id ? { outletId: s.outlet_id } : {}), lon: s.lon, lat: s.lat })),
      trips: trips.filter((t) => t.line_id === x.id).map((t) => ({ id: t.id, departure: t.departure, days: t.days as Weekday[], capacityParcels: t.capacity_parcels, feePerParcelFen: t.fee_per_parcel_fen })),
    })),
  };
}
export async function upsertBusLines(db: Db, lines: BusLine[]) {
  for (const l of lines) {
    const existing = await db.selectFrom('bus_lines').select('id').where('code', '=', l.code).executeTakeFirst();
    const id = existing?.id ?? l.id;
    if (existing) {
      await db.updateTable('bus_lines').set({ name: l.name, operator: l.operator, county_code: l.countyCode, active: l.active }).where('id', '=', id).execute();
      await db.deleteFrom('bus_stops').where('line_id', '=', id).execute();
      await db.deleteFrom('bus_trips').where('line_id', '=', id).execute();
    } else {
      await db.insertInto('bus_lines').values({ id, code: l.code, name: l.name, operator: l.operator, county_code: l.countyCode, active: l.active }).execute();
    }
    if (l.stops.length) await db.insertInto('bus_stops').values(l.stops.map((s) => ({ line_id: id, seq: s.seq, name: s.name, village_code: s.villageCode ?? null, outlet_id: s.outletId ?? null, lon: s.lon, lat: s.lat }))).execute();
    if (l.trips.length) await db.insertInto('bus_trips').values(l.trips.map((t) => ({ id: t.id, line_id: id, departure: t.departure, days: t.days, capacity_parcels: t.capacityParcels, fee_per_parcel_fen: t.feePerParcelFen }))).execute();
  }
}

/** Replaces the bus services of the given villages (an accepted plan's decision). */
export async function replaceBusServices(db: Db, villageCodes: string[], services: Array<{ villageCode: string; tripId: string; lineId: string; days: number[]; planId: string }>) {
  if (villageCodes.length) for (let i = 0; i < villageCodes.length; i += 1000) await db.deleteFrom('village_bus_services').where('village_code', 'in', villageCodes.slice(i, i + 1000)).execute();
  for (let i = 0; i < services.length; i += 500)
    await db.insertInto('village_bus_services').values(services.slice(i, i + 500).map((b) => ({ village_code: b.villageCode, trip_id: b.tripId, line_id: b.lineId, days: b.days, plan_id: b.planId }))).execute();
}
