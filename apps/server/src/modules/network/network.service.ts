import type { Kysely } from 'kysely';
import { type Principal, assertAdmin, assertManageCounty, canReadCounty, countyScope } from '@cuntong/domain/access.ts';
import type { Division } from '@cuntong/domain/divisions/divisions.ts';
import { DomainError, type FieldError, forbidden, invalid, notFound } from '@cuntong/domain/errors.ts';
import {
  type ImportContext,
  type ImportResult,
  type ValidationContext,
  exportBusLineRows,
  exportOutletRows,
  exportRouteRows,
  exportVillageCoordinateRows,
  idFromCode,
  parseBusLineRows,
  parseOutletRows,
  parseRouteRows,
  parseVillageCoordinateRows,
  validateAgreement,
  validateOutlet,
  validatePartner,
  validateRoute,
  validateVisitRule,
  validateBusLine,
  validateCarrier,
  validateVehicle,
  routeMetrics,
  VEHICLE_SPECS,
} from '@cuntong/domain/network/index.ts';
import type { Agreement, BusLine, Carrier, DeliveryRoute, Outlet, Partner, Vehicle, VehicleType, VillageCoordinates, VisitRule } from '@cuntong/domain/network/types.ts';
import { newId } from '../../ids.ts';

export interface RouteInputT {
  code: string; name: string; outletId: string; vehicleType: VehicleType; capacityKg?: number; carrierIds?: string[];
  workingDays: number[]; maxDurationS?: number; active?: boolean; stops: Array<{ villageCode: string; days: number[] }>;
}
import type { DB } from '../../db/schema.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { loadRegionExtract } from '../divisions/reference.ts';
import * as repo from './network.repository.ts';

export type ImportKind = 'outlets' | 'villages' | 'routes' | 'bus-lines';
export interface ImportReport { imported: number; rejected: FieldError[]; warnings: FieldError[] }

/** Network master data: validation, scope, audit and imports around the repository. */
export class NetworkService {
  private readonly divisions: Map<string, Division>;
  constructor(
    private readonly db: Kysely<DB>,
    private readonly opts: { region: string; clock: () => Date },
  ) {
    this.divisions = new Map(loadRegionExtract(opts.region).divisions.map((d) => [d.code, d]));
  }

  private vctx(): ValidationContext {
    return { divisions: this.divisions, region: this.opts.region };
  }

  /** A county filter for reads: the caller's own county, or the one asked for if the caller may read it. */
  readScope(p: Principal, county?: string): string | undefined {
    const own = countyScope(p);
    if (county && !canReadCounty(p, county)) throw forbidden('scope.county', `you may not read data of county ${county}`);
    if (p.role === 'partner') throw forbidden('scope.partner', 'partners use the partner API');
    return county ?? own;
  }

  /** 404 for objects outside the caller's county, so their existence is not revealed across scopes. */
  assertVisible(p: Principal, countyCode: string, what: string): void {
    if (!canReadCounty(p, countyCode)) throw notFound(`${what}.not_found`, `no such ${what}`);
  }

  async createOutlet(p: Principal, input: Omit<Outlet, 'id' | 'countyCode' | 'townCode'>): Promise<Outlet> {
    const outlet = this.completeOutlet({ ...input, id: idFromCode('out', input.code) });
    assertManageCounty(p, outlet.countyCode);
    this.check(validateOutlet(outlet, this.vctx()).errors, 'outlet.invalid', 'the outlet is not valid');
    if (await repo.getOutletByCode(this.db, outlet.code)) throw new DomainError('conflict', 'outlet.code_taken', `an outlet with code ${outlet.code} exists`);
    await this.db.transaction().execute(async (tx) => {
      await repo.insertOutlets(tx, [outlet]);
      await appendAudit(tx, p, { action: 'outlet.create', objectType: 'outlet', objectId: outlet.id, detail: { code: outlet.code } }, this.opts.clock());
    });
    return outlet;
  }

  async getOutlet(p: Principal, id: string): Promise<Outlet> {
    const o = await repo.getOutlet(this.db, id);
    if (!o) throw notFound('outlet.not_found', `no outlet ${id}`);
    this.assertVisible(p, o.countyCode, 'outlet');
    return o;
  }

  async updateOutlet(p: Principal, id: string, patch: Partial<Omit<Outlet, 'id' | 'code' | 'countyCode' | 'townCode'>>): Promise<Outlet> {
    const current = await this.getOutlet(p, id);
    assertManageCounty(p, current.countyCode);
    const next = this.completeOutlet({ ...current, ...patch, id: current.id, code: current.code });
    assertManageCounty(p, next.countyCode); // moving an outlet into another county needs rights there too
    this.check(validateOutlet(next, this.vctx()).errors, 'outlet.invalid', 'the outlet is not valid');
    const changed = Object.keys(patch).filter((k) => JSON.stringify((patch as Record<string, unknown>)[k]) !== JSON.stringify((current as unknown as Record<string, unknown>)[k]));
    await this.db.transaction().execute(async (tx) => {
      await repo.updateOutlet(tx, next);
      await appendAudit(tx, p, { action: patch.active === false ? 'outlet.deactivate' : 'outlet.update', objectType: 'outlet', objectId: id, detail: { changed } }, this.opts.clock());
    });
    return next;
  }

  private completeOutlet(o: Omit<Outlet, 'countyCode' | 'townCode'> & Partial<Pick<Outlet, 'countyCode' | 'townCode'>>): Outlet {
    const code = (o.code ?? '').toUpperCase();
    return { ...o, code, countyCode: o.divisionCode.slice(0, 6), townCode: o.divisionCode.slice(0, 9) } as Outlet;
  }

  private check(errors: FieldError[], code: string, message: string): void {
    if (errors.length) throw invalid(code, message, errors.map((e) => ({ ...e, path: e.path.startsWith('/') || e.path.startsWith('row') ? e.path : '/' + e.path.replace(/\./g, '/') })));
  }

  async createPartner(p: Principal, partner: Partner): Promise<Partner> {
    assertAdmin(p);
    this.check(validatePartner(partner).errors, 'partner.invalid', 'the partner is not valid');
    const exists = (await repo.listPartners(this.db)).some((x) => x.code === partner.code);
    if (exists) throw new DomainError('conflict', 'partner.code_taken', `partner ${partner.code} exists`);
    await this.db.transaction().execute(async (tx) => {
      await repo.insertPartners(tx, [partner]);
      await appendAudit(tx, p, { action: 'partner.create', objectType: 'partner', objectId: partner.code }, this.opts.clock());
    });
    return partner;
  }

  async updatePartner(p: Principal, code: string, patch: { name?: string; active?: boolean }): Promise<Partner> {
    assertAdmin(p);
    const cur = (await repo.listPartners(this.db)).find((x) => x.code === code);
    if (!cur) throw notFound('partner.not_found', `no partner ${code}`);
    const next = { ...cur, ...patch };
    this.check(validatePartner(next).errors, 'partner.invalid', 'the partner is not valid');
    await this.db.transaction().execute(async (tx) => {
      await repo.insertPartners(tx, [next]);
      await appendAudit(tx, p, { action: patch.active === false ? 'partner.deactivate' : 'partner.update', objectType: 'partner', objectId: code, detail: { fields: Object.keys(patch) } }, this.opts.clock());
    });
    return next;
  }

  /** Ends an agreement on a date (rates are never edited: a new agreement follows the ended one). */
  async endAgreement(p: Principal, id: string, validTo: string): Promise<repo.StoredAgreement> {
    assertAdmin(p);
    const cur = await repo.getAgreement(this.db, id);
    if (!cur) throw notFound('agreement.not_found', `no agreement ${id}`);
    if (validTo < cur.validFrom) throw invalid('agreement.invalid', 'the end is before the start', [{ path: '/validTo', message: `must not be before ${cur.validFrom}` }]);
    if (cur.validTo && cur.validTo < validTo) throw invalid('agreement.invalid', 'an agreement can only be shortened', [{ path: '/validTo', message: `must not be after ${cur.validTo}` }]);
    await this.db.transaction().execute(async (tx) => {
      await repo.setAgreementEnd(tx, id, validTo);
      await appendAudit(tx, p, { action: 'agreement.end', objectType: 'agreement', objectId: id, detail: { validTo } }, this.opts.clock());
    });
    return { ...cur, validTo };
  }

  async createAgreement(p: Principal, input: Omit<Agreement, 'id'>): Promise<repo.StoredAgreement> {
    assertAdmin(p); // rates are set by the prefecture branch
    const partners = new Set((await repo.listPartners(this.db)).map((x) => x.code));
    const a: Agreement = { ...input, id: idFromCode('agr', `${input.partnerCode}_${input.countyCode}_${input.validFrom}`) };
    this.check(validateAgreement(a, { ...this.vctx(), partnerCodes: partners }).errors, 'agreement.invalid', 'the agreement is not valid');
    const existing = await repo.listAgreements(this.db, { partnerCode: a.partnerCode, countyCode: a.countyCode, limit: 1000, offset: 0 });
    const overlaps = existing.items.filter((e) => e.validFrom <= (a.validTo ?? '9999-12-31') && a.validFrom <= (e.validTo ?? '9999-12-31'));
    if (overlaps.length) throw new DomainError('conflict', 'agreement.overlap', `the validity overlaps agreement ${overlaps[0]!.id} (${overlaps[0]!.validFrom} – ${overlaps[0]!.validTo ?? 'open'}); end it first`);
    await this.db.transaction().execute(async (tx) => {
      await repo.insertAgreements(tx, [a]);
      await appendAudit(tx, p, { action: 'agreement.create', objectType: 'agreement', objectId: a.id, detail: { doorRateFen: a.doorRateFen, stationRateFen: a.stationRateFen, returnRateFen: a.returnRateFen, lossDeductionFen: a.lossDeductionFen, damageDeductionFen: a.damageDeductionFen, lateDeductionFen: a.lateDeductionFen } }, this.opts.clock());
    });
    // As stored: terms left out carry the database defaults.
    return (await repo.getAgreement(this.db, a.id))!;
  }

  async createOrUpdateRoute(p: Principal, input: RouteInputT, existingId?: string): Promise<DeliveryRoute> {
    const outlet = await repo.getOutlet(this.db, input.outletId);
    if (!outlet) throw invalid('route.invalid', 'the route is not valid', [{ path: '/outletId', message: 'no such outlet' }]);
    assertManageCounty(p, outlet.countyCode);
    const villages = new Map((await repo.villageCoordinates(this.db)).map((v) => [v.code, v]));
    const stops = input.stops.map((s, i) => ({ seq: i + 1, villageCode: s.villageCode, days: [...s.days].sort() as DeliveryRoute['stops'][number]['days'] }));
    const errors: FieldError[] = [];
    stops.forEach((s, i) => {
      const v = villages.get(s.villageCode);
      if (!v) errors.push({ path: `/stops/${i}/villageCode`, message: 'no such village' });
      else if (v.county_code !== outlet.countyCode) errors.push({ path: `/stops/${i}/villageCode`, message: `the village is in county ${v.county_code}, the outlet in ${outlet.countyCode}` });
      else if (v.lon === null || v.lat === null) errors.push({ path: `/stops/${i}/villageCode`, message: 'the village has no coordinates yet: import them first' });
    });
    if (errors.length) throw invalid('route.invalid', 'the route is not valid', errors);
    const pts = stops.map((s) => [villages.get(s.villageCode)!.lon!, villages.get(s.villageCode)!.lat!] as const);
    const metrics = routeMetrics([outlet.lon, outlet.lat], pts, input.vehicleType, stops.map((s) => villages.get(s.villageCode)!.service_s));
    const route: DeliveryRoute = {
      id: existingId ?? idFromCode('rte', input.code),
      code: input.code.toUpperCase(),
      name: input.name,
      outletId: outlet.id,
      countyCode: outlet.countyCode,
      vehicleType: input.vehicleType,
      capacityKg: input.capacityKg ?? VEHICLE_SPECS[input.vehicleType].capacityKg,
      carrierIds: input.carrierIds ?? [],
      workingDays: [...input.workingDays].sort() as DeliveryRoute['workingDays'],
      maxDurationS: input.maxDurationS ?? 8 * 3600,
      stops,
      lengthM: metrics.lengthM,
      durationS: metrics.durationS,
      active: input.active ?? true,
    };
    this.check(validateRoute(route, { ...this.vctx(), outletIds: new Set([outlet.id]) }).errors, 'route.invalid', 'the route is not valid');
    if (!existingId && (await repo.listRoutes(this.db, { q: route.code, limit: 1000, offset: 0 })).items.some((r) => r.code === route.code)) {
      throw new DomainError('conflict', 'route.code_taken', `a route with code ${route.code} exists`);
    }
    await this.db.transaction().execute(async (tx) => {
      await repo.upsertRoutes(tx, [route]);
      await appendAudit(tx, p, { action: existingId ? 'route.update' : 'route.create', objectType: 'route', objectId: route.id, detail: { stops: stops.length } }, this.opts.clock());
    });
    return route;
  }

  async getRoute(p: Principal, id: string): Promise<DeliveryRoute> {
    const r = (await repo.listRoutes(this.db, { ids: [id], limit: 1, offset: 0 })).items[0];
    if (!r) throw notFound('route.not_found', `no route ${id}`);
    this.assertVisible(p, r.countyCode, 'route');
    return r;
  }

  async updateVillage(p: Principal, code: string, patch: { lon?: number; lat?: number; coordinatesApproximate?: boolean; remote?: boolean; visitRule?: { minVisitsPerWeek: number; allowedDays: number[]; serviceS: number } }) {
    const d = this.divisions.get(code);
    if (!d || d.level !== 'village') throw notFound('village.not_found', `no village ${code}`);
    this.assertVisible(p, code.slice(0, 6), 'village');
    assertManageCounty(p, code.slice(0, 6));
    if ((patch.lon === undefined) !== (patch.lat === undefined)) throw invalid('village.invalid', 'set lon and lat together', [{ path: patch.lon === undefined ? '/lon' : '/lat', message: 'required with the other coordinate' }]);
    if (patch.visitRule) this.check(validateVisitRule(patch.visitRule as VisitRule, d.kind === 'community' ? 'community' : 'village', '/visitRule/').errors, 'village.invalid', 'the visit rule is not valid');
    await this.db.transaction().execute(async (tx) => {
      await repo.updateVillage(tx, code, {
        ...(patch.lon !== undefined && patch.lat !== undefined ? { lon: patch.lon, lat: patch.lat, coordinates_approximate: patch.coordinatesApproximate ?? false } : {}),
        ...(patch.remote !== undefined ? { remote: patch.remote } : {}),
        ...(patch.visitRule ? { min_visits_per_week: patch.visitRule.minVisitsPerWeek, allowed_days: patch.visitRule.allowedDays, service_s: patch.visitRule.serviceS } : {}),
      });
      await appendAudit(tx, p, { action: 'village.update', objectType: 'village', objectId: code, detail: { fields: Object.keys(patch) } }, this.opts.clock());
    });
    return (await repo.listVillages(this.db, { q: code, limit: 1, offset: 0 })).items[0]!;
  }

  async createCarrier(p: Principal, input: { name: string; phone: string | null; outletId: string; vehicleId?: string | null }): Promise<Carrier> {
    const outlet = await this.getOutlet(p, input.outletId);
    assertManageCounty(p, outlet.countyCode);
    const c: Carrier = { id: newId('car'), name: input.name, phone: input.phone, outletId: outlet.id, countyCode: outlet.countyCode, vehicleId: input.vehicleId ?? null, active: true };
    this.check(validateCarrier(c, { ...this.vctx(), outletIds: new Set([outlet.id]) }).errors, 'carrier.invalid', 'the carrier is not valid');
    await this.db.transaction().execute(async (tx) => {
      await repo.insertCarriers(tx, [c]);
      await appendAudit(tx, p, { action: 'carrier.create', objectType: 'carrier', objectId: c.id }, this.opts.clock());
    });
    return c;
  }

  async updateCarrier(p: Principal, id: string, patch: { name?: string; phone?: string | null; vehicleId?: string | null; active?: boolean }): Promise<Carrier> {
    const cur = (await repo.listCarriers(this.db, { ids: [id], limit: 1, offset: 0 })).items[0];
    if (!cur) throw notFound('carrier.not_found', `no carrier ${id}`);
    this.assertVisible(p, cur.countyCode, 'carrier');
    assertManageCounty(p, cur.countyCode);
    const next: Carrier = { ...cur, ...patch };
    this.check(validateCarrier(next, this.vctx()).errors, 'carrier.invalid', 'the carrier is not valid');
    await this.db.transaction().execute(async (tx) => {
      await repo.updateCarrier(tx, next);
      await appendAudit(tx, p, { action: patch.active === false ? 'carrier.deactivate' : 'carrier.update', objectType: 'carrier', objectId: id, detail: { fields: Object.keys(patch) } }, this.opts.clock());
    });
    return next;
  }

  async createVehicle(p: Principal, input: { code: string; type: VehicleType; capacityKg?: number; speedKmh?: number; outletId: string }): Promise<Vehicle> {
    const outlet = await this.getOutlet(p, input.outletId);
    assertManageCounty(p, outlet.countyCode);
    const spec = VEHICLE_SPECS[input.type];
    const v: Vehicle = { id: newId('veh'), code: input.code, type: input.type, capacityKg: input.capacityKg ?? spec.capacityKg, speedKmh: input.speedKmh ?? spec.speedKmh, outletId: outlet.id, countyCode: outlet.countyCode, active: true };
    this.check(validateVehicle(v, { ...this.vctx(), outletIds: new Set([outlet.id]) }).errors, 'vehicle.invalid', 'the vehicle is not valid');
    if ((await repo.listVehicles(this.db, { limit: 100000, offset: 0 })).items.some((x) => x.code === v.code)) throw new DomainError('conflict', 'vehicle.code_taken', `a vehicle ${v.code} exists`);
    await this.db.transaction().execute(async (tx) => {
      await repo.insertVehicles(tx, [v]);
      await appendAudit(tx, p, { action: 'vehicle.create', objectType: 'vehicle', objectId: v.id }, this.opts.clock());
    });
    return v;
  }

  /** Creates a bus line, or replaces one (stops and trips) when `existing` is given. */
  async saveBusLine(p: Principal, input: Omit<BusLine, 'id' | 'countyCode'> & { countyCode: string }, existing?: BusLine): Promise<BusLine> {
    assertManageCounty(p, input.countyCode);
    if (existing) assertManageCounty(p, existing.countyCode);
    const outletIds = new Set((await repo.outletRefs(this.db)).map((o) => o.id));
    const line: BusLine = { ...input, id: existing?.id ?? idFromCode('bus', input.code), code: input.code.toUpperCase(), stops: input.stops.map((s, i) => ({ ...s, seq: i + 1 })), trips: input.trips.map((t, i) => ({ ...t, id: t.id || idFromCode('trp', `${input.code}_${i + 1}`) })) };
    this.check(validateBusLine(line, { ...this.vctx(), outletIds }).errors, 'bus_line.invalid', 'the bus line is not valid');
    if (!existing && (await repo.listBusLines(this.db, { q: line.code, limit: 1000, offset: 0 })).items.some((l) => l.code === line.code)) throw new DomainError('conflict', 'bus_line.code_taken', `a bus line ${line.code} exists`);
    await this.db.transaction().execute(async (tx) => {
      await repo.upsertBusLines(tx, [line]);
      await appendAudit(tx, p, { action: existing ? 'bus_line.update' : 'bus_line.create', objectType: 'bus_line', objectId: line.id }, this.opts.clock());
    });
    return line;
  }

  async getBusLine(p: Principal, id: string): Promise<BusLine> {
    const l = (await repo.listBusLines(this.db, { ids: [id], limit: 1, offset: 0 })).items[0];
    if (!l) throw notFound('bus_line.not_found', `no bus line ${id}`);
    this.assertVisible(p, l.countyCode, 'bus_line');
    return l;
  }

  // ---------- import / export ----------
  private async importContext(): Promise<ImportContext> {
    const [outlets, villages] = await Promise.all([repo.outletRefs(this.db), repo.villageCoordinates(this.db)]);
    const outletMap = new Map(outlets.map((o) => [o.code, { id: o.id, code: o.code, countyCode: o.county_code, lon: o.lon, lat: o.lat }]));
    const villageMap = new Map(villages.filter((v) => v.lon !== null && v.lat !== null).map((v) => [v.code, { lon: v.lon!, lat: v.lat!, serviceS: v.service_s }]));
    return { divisions: this.divisions, region: this.opts.region, outlets: outletMap, villages: villageMap };
  }

  /**
   * Imports a sheet. mode 'all' (default): any bad row rejects the whole file and nothing is written.
   * mode 'valid': the valid rows are written and the bad ones returned. Either way one transaction.
   */
  async importRows(p: Principal, kind: ImportKind, rows: string[][], mode: 'all' | 'valid'): Promise<ImportReport> {
    if (p.role !== 'admin' && p.role !== 'county_manager') throw forbidden('scope.role', 'imports need an administrator or county manager');
    const ctx = await this.importContext();
    let result: ImportResult<Outlet | VillageCoordinates | DeliveryRoute | BusLine>;
    switch (kind) {
      case 'outlets': result = parseOutletRows(rows, ctx); break;
      case 'villages': result = parseVillageCoordinateRows(rows, ctx); break;
      case 'routes': result = parseRouteRows(rows, ctx); break;
      case 'bus-lines': result = parseBusLineRows(rows, ctx); break;
    }
    // Scope: a county manager may import only their county's objects.
    const scope = countyScope(p);
    const valid: typeof result.valid = [];
    const rejected: FieldError[] = [...result.rejected];
    for (const item of result.valid) {
      const county = 'countyCode' in item ? item.countyCode : (item as VillageCoordinates).code.slice(0, 6);
      if (scope && !county.startsWith(scope)) rejected.push({ path: 'code' in item ? `${(item as { code: string }).code}` : 'row', message: `outside your county ${scope}` });
      else valid.push(item);
    }
    if (kind === 'outlets') {
      // An existing code in another county belongs to someone else's scope: never overwrite it from here.
      const existing = await repo.existingOutletCodes(this.db, (valid as Outlet[]).map((o) => o.code));
      for (const e of existing) if (scope && !e.county_code.startsWith(scope)) rejected.push({ path: e.code, message: `outlet ${e.code} belongs to another county` });
    }
    rejected.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    if (rejected.length && mode === 'all') {
      throw invalid('import.rejected', `${rejected.length} problem(s) in the file; nothing was imported (fix them, or import with mode=valid to keep the good rows)`, rejected);
    }
    const rejectedRows = new Set(rejected.map((r) => r.row).filter((r): r is number => r !== undefined));
    const toWrite = rejectedRows.size && kind === 'outlets' ? (valid as Outlet[]).filter((o) => !rejected.some((r) => r.path === o.code)) : valid;
    await this.db.transaction().execute(async (tx) => {
      switch (kind) {
        case 'outlets': await repo.upsertOutlets(tx, toWrite as Outlet[]); break;
        case 'villages':
          for (const v of toWrite as VillageCoordinates[]) await repo.updateVillage(tx, v.code, { lon: v.lon, lat: v.lat, coordinates_approximate: v.coordinatesApproximate });
          break;
        case 'routes': await repo.upsertRoutes(tx, toWrite as DeliveryRoute[]); break;
        case 'bus-lines': await repo.upsertBusLines(tx, toWrite as BusLine[]); break;
      }
      await appendAudit(tx, p, { action: `import.${kind}`, objectType: kind, detail: { imported: toWrite.length, rejected: rejected.length, mode } }, this.opts.clock());
    });
    return { imported: toWrite.length, rejected, warnings: result.warnings };
  }

  async exportRows(p: Principal, kind: ImportKind, county?: string): Promise<string[][]> {
    const countyCode = this.readScope(p, county);
    const all = { countyCode, limit: 1_000_000, offset: 0 };
    const outletCodes = async () => new Map((await repo.outletRefs(this.db)).map((o) => [o.id, o.code]));
    switch (kind) {
      case 'outlets': return exportOutletRows((await repo.listOutlets(this.db, all)).items);
      case 'villages': {
        const vs = (await repo.listVillages(this.db, all)).items.filter((v) => v.lon !== null && v.lat !== null);
        return exportVillageCoordinateRows(vs.map((v) => ({ code: v.code, lon: v.lon!, lat: v.lat!, coordinatesApproximate: v.coordinatesApproximate })), this.divisions);
      }
      case 'routes': return exportRouteRows((await repo.listRoutes(this.db, all)).items, await outletCodes(), this.divisions);
      case 'bus-lines': return exportBusLineRows((await repo.listBusLines(this.db, all)).items, await outletCodes());
    }
  }
}
