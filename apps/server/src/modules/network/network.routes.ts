import { Type } from '@fastify/type-provider-typebox';
import { Page, PageQuery, errorResponses } from '@cuntong/contracts/common.ts';
import { canReadCounty } from '@cuntong/domain/access.ts';
import { DomainError, invalid, notFound } from '@cuntong/domain/errors.ts';
import type { Outlet, VehicleType, Weekday } from '@cuntong/domain/network/types.ts';
import { readSheetRows, writeCsv, writeXlsx } from '../../adapters/spreadsheet.ts';
import { principal, roles, staffOnly } from '../../http/auth.ts';
import type { App, AppContext } from '../../http/context.ts';
import * as repo from './network.repository.ts';
import * as S from './network.schemas.ts';
import { type ImportKind, NetworkService } from './network.service.ts';

const County = Type.Optional(Type.String({ pattern: '^\\d{6}$', description: 'county division code' }));
const managers = roles('admin', 'county_manager');

export default function networkRoutes(app: App, ctx: AppContext) {
  const svc = new NetworkService(ctx.db, { region: ctx.config.region, clock: ctx.clock });
  const page = (q: { limit?: number; offset?: number }) => ({ limit: q.limit ?? 50, offset: q.offset ?? 0 });

  // ---------- outlets 网点 ----------
  app.get('/api/v1/outlets', {
    preValidation: staffOnly,
    schema: {
      tags: ['network'], summary: 'List outlets (网点)',
      querystring: Type.Object({ county: County, town: Type.Optional(Type.String()), kind: Type.Optional(S.OutletKindSchema), service: Type.Optional(S.ServiceSchema), q: Type.Optional(Type.String({ maxLength: 50 })), active: Type.Optional(Type.Boolean()), ...PageQuery }),
      response: { 200: Page(S.OutletSchema), ...errorResponses(401, 403, 422) },
    },
  }, async (req) => {
    const countyCode = svc.readScope(principal(req), req.query.county);
    return repo.listOutlets(ctx.db, { countyCode, townCode: req.query.town, kind: req.query.kind, service: req.query.service, q: req.query.q, active: req.query.active, ...page(req.query) });
  });
  app.post('/api/v1/outlets', { preValidation: managers, schema: { tags: ['network'], summary: 'Create an outlet', body: S.OutletInput, response: { 201: S.OutletSchema, ...errorResponses(401, 403, 409, 422) } } }, async (req, reply) => {
    const b = req.body;
    const o = await svc.createOutlet(principal(req), { ...b, kind: b.kind as Outlet['kind'], services: b.services as Outlet['services'], coordinatesApproximate: b.coordinatesApproximate ?? false, capacitySlots: b.capacitySlots ?? 0, contactName: b.contactName ?? null, contactPhone: b.contactPhone ?? null, active: b.active ?? true });
    return reply.status(201).send(o);
  });
  app.get('/api/v1/outlets/:id', { preValidation: staffOnly, schema: { tags: ['network'], summary: 'One outlet', params: Type.Object({ id: Type.String() }), response: { 200: S.OutletSchema, ...errorResponses(401, 403, 404) } } }, async (req) => svc.getOutlet(principal(req), req.params.id));
  app.patch('/api/v1/outlets/:id', { preValidation: managers, schema: { tags: ['network'], summary: 'Change an outlet', params: Type.Object({ id: Type.String() }), body: S.OutletPatch, response: { 200: S.OutletSchema, ...errorResponses(401, 403, 404, 422) } } }, async (req) =>
    svc.updateOutlet(principal(req), req.params.id, req.body as Partial<Outlet>),
  );
  app.post('/api/v1/outlets/:id/deactivate', { preValidation: managers, schema: { tags: ['network'], summary: 'Deactivate an outlet (kept for history)', params: Type.Object({ id: Type.String() }), response: { 200: S.OutletSchema, ...errorResponses(401, 403, 404) } } }, async (req) =>
    svc.updateOutlet(principal(req), req.params.id, { active: false }),
  );

  // ---------- villages 行政村 ----------
  app.get('/api/v1/villages', {
    preValidation: staffOnly,
    schema: {
      tags: ['network'], summary: 'Village-level units with coordinates, visit rule and planned visits per week',
      querystring: Type.Object({ county: County, town: Type.Optional(Type.String({ pattern: '^\\d{9}$' })), q: Type.Optional(Type.String({ maxLength: 50 })), belowRule: Type.Optional(Type.Boolean()), ...PageQuery }),
      response: { 200: Page(S.VillageSchema), ...errorResponses(401, 403, 422) },
    },
  }, async (req) => {
    const countyCode = svc.readScope(principal(req), req.query.county);
    if (req.query.town && countyCode && !req.query.town.startsWith(countyCode)) throw new DomainError('forbidden', 'scope.county', 'that town is outside your county');
    return repo.listVillages(ctx.db, { countyCode, townCode: req.query.town, q: req.query.q, belowRule: req.query.belowRule, ...page(req.query) });
  });
  app.patch('/api/v1/villages/:code', { preValidation: managers, schema: { tags: ['network'], summary: 'Set a village’s coordinates or visit rule', params: Type.Object({ code: Type.String({ pattern: '^\\d{12}$' }) }), body: S.VillagePatch, response: { 200: S.VillageSchema, ...errorResponses(401, 403, 404, 422) } } }, async (req) =>
    svc.updateVillage(principal(req), req.params.code, req.body),
  );

  // ---------- partners and agreements 合作快递与协议 ----------
  app.get('/api/v1/partners', { preValidation: staffOnly, schema: { tags: ['partners'], summary: 'Express companies', querystring: Type.Object({ ...PageQuery }), response: { 200: Page(S.PartnerSchema) } } }, async (req) => {
    const all = await repo.listPartners(ctx.db);
    const { limit, offset } = page(req.query);
    return { items: all.slice(offset, offset + limit), total: all.length };
  });
  app.patch('/api/v1/partners/:code', { preValidation: roles('admin'), schema: { tags: ['partners'], summary: 'Rename or (de)activate an express company', params: Type.Object({ code: Type.String() }), body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), response: { 200: S.PartnerSchema, ...errorResponses(401, 403, 404, 422) } } }, async (req) =>
    svc.updatePartner(principal(req), req.params.code, req.body),
  );
  app.post('/api/v1/agreements/:id/end', { preValidation: roles('admin'), schema: { tags: ['partners'], summary: 'End an agreement on a date (inclusive); a new agreement carries new rates', params: Type.Object({ id: Type.String() }), body: Type.Object({ validTo: Type.String({ format: 'date' }) }, { additionalProperties: false }), response: { 200: S.AgreementSchema, ...errorResponses(401, 403, 404, 422) } } }, async (req) =>
    svc.endAgreement(principal(req), req.params.id, req.body.validTo),
  );
  app.post('/api/v1/partners', { preValidation: roles('admin'), schema: { tags: ['partners'], summary: 'Add an express company', body: S.PartnerSchema, response: { 201: S.PartnerSchema, ...errorResponses(401, 403, 409, 422) } } }, async (req, reply) =>
    reply.status(201).send(await svc.createPartner(principal(req), { ...req.body, active: req.body.active ?? true })),
  );
  app.get('/api/v1/agreements', { preValidation: staffOnly, schema: { tags: ['partners'], summary: 'Cooperation agreements per partner and county', querystring: Type.Object({ partner: Type.Optional(Type.String()), county: County, ...PageQuery }), response: { 200: Page(S.AgreementSchema), ...errorResponses(401, 403) } } }, async (req) => {
    const countyCode = svc.readScope(principal(req), req.query.county);
    return repo.listAgreements(ctx.db, { partnerCode: req.query.partner, countyCode, ...page(req.query) });
  });
  app.post('/api/v1/agreements', { preValidation: roles('admin'), schema: { tags: ['partners'], summary: 'Add an agreement (rates in fen per parcel)', body: S.AgreementInput, response: { 201: S.AgreementSchema, ...errorResponses(401, 403, 409, 422) } } }, async (req, reply) =>
    reply.status(201).send(await svc.createAgreement(principal(req), req.body)),
  );

  // ---------- delivery routes 投递段 ----------
  app.get('/api/v1/routes', { preValidation: staffOnly, schema: { tags: ['network'], summary: 'Delivery routes (投递段) with their ordered stops', querystring: Type.Object({ county: County, outlet: Type.Optional(Type.String()), q: Type.Optional(Type.String({ maxLength: 50 })), active: Type.Optional(Type.Boolean()), ...PageQuery }), response: { 200: Page(S.RouteSchema), ...errorResponses(401, 403) } } }, async (req) => {
    const countyCode = svc.readScope(principal(req), req.query.county);
    return repo.listRoutes(ctx.db, { countyCode, outletId: req.query.outlet, q: req.query.q, active: req.query.active, ...page(req.query) });
  });
  app.get('/api/v1/routes/:id', { preValidation: staffOnly, schema: { tags: ['network'], summary: 'One route', params: Type.Object({ id: Type.String() }), response: { 200: S.RouteSchema, ...errorResponses(401, 403, 404) } } }, async (req) => svc.getRoute(principal(req), req.params.id));
  app.post('/api/v1/routes', { preValidation: managers, schema: { tags: ['network'], summary: 'Create a route; length and duration are computed', body: S.RouteInput, response: { 201: S.RouteSchema, ...errorResponses(401, 403, 409, 422) } } }, async (req, reply) =>
    reply.status(201).send(await svc.createOrUpdateRoute(principal(req), req.body)),
  );
  app.patch('/api/v1/routes/:id', { preValidation: managers, schema: { tags: ['network'], summary: 'Change a route (stops, days, vehicle, carriers, active)', params: Type.Object({ id: Type.String() }), body: S.RoutePatch, response: { 200: S.RouteSchema, ...errorResponses(401, 403, 404, 422) } } }, async (req) => {
    const p = principal(req);
    const cur = await svc.getRoute(p, req.params.id);
    const merged = { code: cur.code, name: cur.name, outletId: cur.outletId, vehicleType: cur.vehicleType, capacityKg: cur.capacityKg, carrierIds: cur.carrierIds, workingDays: cur.workingDays, maxDurationS: cur.maxDurationS, active: cur.active, stops: cur.stops.map((s) => ({ villageCode: s.villageCode, days: s.days })), ...req.body };
    return svc.createOrUpdateRoute(p, merged, cur.id);
  });

  // ---------- bus lines 交邮合作 ----------
  app.get('/api/v1/bus-lines', { preValidation: staffOnly, schema: { tags: ['network'], summary: 'Bus lines with stops and trips (交邮合作)', querystring: Type.Object({ county: County, q: Type.Optional(Type.String({ maxLength: 50 })), ...PageQuery }), response: { 200: Page(S.BusLineSchema), ...errorResponses(401, 403) } } }, async (req) => {
    const countyCode = svc.readScope(principal(req), req.query.county);
    return repo.listBusLines(ctx.db, { countyCode, q: req.query.q, ...page(req.query) });
  });
  app.get('/api/v1/bus-lines/:id', { preValidation: staffOnly, schema: { tags: ['network'], summary: 'One bus line', params: Type.Object({ id: Type.String() }), response: { 200: S.BusLineSchema, ...errorResponses(401, 403, 404) } } }, async (req) => {
    const l = (await repo.listBusLines(ctx.db, { ids: [req.params.id], limit: 1, offset: 0 })).items[0];
    if (!l || !canReadCounty(principal(req), l.countyCode)) throw notFound('bus_line.not_found', `no bus line ${req.params.id}`);
    return l;
  });

  const BusLineInput = Type.Object({
    code: Type.String({ minLength: 2, maxLength: 32 }), name: Type.String({ minLength: 1, maxLength: 100 }), operator: Type.String({ minLength: 1, maxLength: 100 }),
    countyCode: Type.String({ pattern: '^\\d{6}$' }), active: Type.Optional(Type.Boolean()),
    stops: Type.Array(Type.Object({ name: Type.String({ minLength: 1, maxLength: 50 }), villageCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })), outletId: Type.Optional(Type.String()), lon: S.Lon, lat: S.Lat }, { additionalProperties: false }), { minItems: 2, maxItems: 100 }),
    trips: Type.Array(Type.Object({ departure: Type.String({ pattern: '^\\d{2}:\\d{2}$' }), days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7 }), capacityParcels: Type.Integer({ minimum: 1, maximum: 10000 }), feePerParcelFen: Type.Integer({ minimum: 0, maximum: 100000 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 50 }),
  }, { additionalProperties: false });
  type BusLineBody = import('typebox').Static<typeof BusLineInput>;
  const toLine = (b: BusLineBody) => ({ ...b, active: b.active ?? true, stops: b.stops.map((s, i) => ({ ...s, seq: i + 1 })), trips: b.trips.map((t) => ({ ...t, id: '', days: t.days as Weekday[] })) });
  app.post('/api/v1/bus-lines', { preValidation: managers, schema: { tags: ['network'], summary: 'Create a bus line with stops and trips', body: BusLineInput, response: { 201: S.BusLineSchema, ...errorResponses(401, 403, 409, 422) } } }, async (req, reply) =>
    reply.status(201).send(await svc.saveBusLine(principal(req), toLine(req.body))),
  );
  app.put('/api/v1/bus-lines/:id', { preValidation: managers, schema: { tags: ['network'], summary: 'Replace a bus line (stops and trips); set active=false to retire it', params: Type.Object({ id: Type.String() }), body: BusLineInput, response: { 200: S.BusLineSchema, ...errorResponses(401, 403, 404, 422) } } }, async (req) => {
    const p = principal(req);
    const cur = await svc.getBusLine(p, req.params.id);
    return svc.saveBusLine(p, { ...toLine(req.body), code: cur.code }, cur);
  });

  // ---------- carriers and vehicles ----------
  app.post('/api/v1/carriers', { preValidation: managers, schema: { tags: ['network'], summary: 'Add a carrier (投递员)', body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 50 }), phone: Type.Union([Type.String({ maxLength: 30 }), Type.Null()]), outletId: Type.String(), vehicleId: Type.Optional(Type.Union([Type.String(), Type.Null()])) }, { additionalProperties: false }), response: { 201: S.CarrierSchema, ...errorResponses(401, 403, 404, 422) } } }, async (req, reply) =>
    reply.status(201).send(await svc.createCarrier(principal(req), req.body)),
  );
  app.patch('/api/v1/carriers/:id', { preValidation: managers, schema: { tags: ['network'], summary: 'Change or deactivate a carrier', params: Type.Object({ id: Type.String() }), body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), phone: Type.Optional(Type.Union([Type.String({ maxLength: 30 }), Type.Null()])), vehicleId: Type.Optional(Type.Union([Type.String(), Type.Null()])), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), response: { 200: S.CarrierSchema, ...errorResponses(401, 403, 404, 422) } } }, async (req) =>
    svc.updateCarrier(principal(req), req.params.id, req.body),
  );
  app.post('/api/v1/vehicles', { preValidation: managers, schema: { tags: ['network'], summary: 'Add a vehicle', body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }), type: S.VehicleTypeSchema, capacityKg: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })), speedKmh: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 120 })), outletId: Type.String() }, { additionalProperties: false }), response: { 201: S.VehicleSchema, ...errorResponses(401, 403, 404, 409, 422) } } }, async (req, reply) =>
    reply.status(201).send(await svc.createVehicle(principal(req), { ...req.body, type: req.body.type as VehicleType })),
  );
  app.get('/api/v1/carriers', { preValidation: staffOnly, schema: { tags: ['network'], summary: 'Carriers (投递员)', querystring: Type.Object({ county: County, outlet: Type.Optional(Type.String()), q: Type.Optional(Type.String({ maxLength: 50 })), ...PageQuery }), response: { 200: Page(S.CarrierSchema), ...errorResponses(401, 403) } } }, async (req) => {
    const countyCode = svc.readScope(principal(req), req.query.county);
    return repo.listCarriers(ctx.db, { countyCode, outletId: req.query.outlet, q: req.query.q, ...page(req.query) });
  });
  app.get('/api/v1/vehicles', { preValidation: staffOnly, schema: { tags: ['network'], summary: 'Vehicles', querystring: Type.Object({ county: County, outlet: Type.Optional(Type.String()), ...PageQuery }), response: { 200: Page(S.VehicleSchema), ...errorResponses(401, 403) } } }, async (req) => {
    const countyCode = svc.readScope(principal(req), req.query.county);
    return repo.listVehicles(ctx.db, { countyCode, outletId: req.query.outlet, ...page(req.query) });
  });

  // ---------- import and export (CSV / Excel) ----------
  const KINDS: ImportKind[] = ['outlets', 'villages', 'routes', 'bus-lines'];
  for (const kind of KINDS) {
    app.post(`/api/v1/${kind}/import`, {
      preValidation: managers,
      bodyLimit: ctx.config.uploadLimitBytes + 1024 * 1024,
      schema: {
        tags: ['import'], summary: `Import ${kind} from CSV or .xlsx (multipart field "file")`,
        description: 'mode=all (default): any bad row rejects the whole file (422 with every row error) and nothing is written. mode=valid: writes the valid rows and returns the rejected ones.',
        querystring: Type.Object({ mode: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('valid')])) }),
        response: { 200: S.ImportReportSchema, ...errorResponses(401, 403, 413, 415, 422) },
      },
    }, async (req) => {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > ctx.config.uploadLimitBytes + 1024 * 1024) throw new DomainError('too_large', 'import.too_large', `the file is larger than ${Math.round(ctx.config.uploadLimitBytes / 1048576)} MB`);
      if (!req.isMultipart()) throw new DomainError('invalid', 'import.not_multipart', 'send the file as multipart/form-data in a field named "file"', [{ path: 'file', message: 'missing' }]);
      const file = await req.file();
      if (!file) throw invalid('import.no_file', 'no file in the request', [{ path: 'file', message: 'missing' }]);
      let buf: Buffer;
      try {
        buf = await file.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new DomainError('too_large', 'import.too_large', `the file is larger than ${Math.round(ctx.config.uploadLimitBytes / 1048576)} MB`);
        throw err;
      }
      if (file.file.truncated) throw new DomainError('too_large', 'import.too_large', `the file is larger than ${Math.round(ctx.config.uploadLimitBytes / 1048576)} MB`);
      const rows = await readSheetRows(buf, file.filename);
      return svc.importRows(principal(req), kind, rows, req.query.mode ?? 'all');
    });
    app.get(`/api/v1/${kind}/export`, {
      preValidation: staffOnly,
      schema: { tags: ['import'], summary: `Export ${kind} as CSV or .xlsx (the same columns the import takes)`, querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')])), county: County }) },
    }, async (req, reply) => {
      const rows = await svc.exportRows(principal(req), kind, req.query.county);
      const stamp = ctx.clock().toISOString().slice(0, 10);
      if ((req.query.format ?? 'csv') === 'xlsx') {
        return reply.header('content-disposition', `attachment; filename="${kind}-${stamp}.xlsx"`).type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await writeXlsx(rows, kind));
      }
      return reply.header('content-disposition', `attachment; filename="${kind}-${stamp}.csv"`).type('text/csv; charset=utf-8').send(writeCsv(rows));
    });
  }
}
