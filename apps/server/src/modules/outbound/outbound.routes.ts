import { Readable } from 'node:stream';
import { Type } from '@fastify/type-provider-typebox';
import { PageQuery, errorResponses } from '@cuntong/contracts/common.ts';
import { DomainError, invalid } from '@cuntong/domain/errors.ts';
import type { OrderField } from '@cuntong/domain/orders/orders.ts';
import type { Tariff } from '@cuntong/domain/tariff/tariff.ts';
import type { WaybillScheme } from '@cuntong/domain/waybill/allocator.ts';
import { renderLabelsPdf } from '@cuntong/labels/labels-pdf.ts';
import { renderManifestPdfBuffer } from '@cuntong/labels/manifest.ts';
import { renderZpl } from '@cuntong/labels/zpl.ts';
import { principal, roles, staffOnly } from '../../http/auth.ts';
import type { App, AppContext } from '../../http/context.ts';
import { OutboundService } from './outbound.service.ts';

const County = Type.Optional(Type.String({ pattern: '^\\d{6}$', description: 'county division code' }));
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Phone = Type.String({ minLength: 5, maxLength: 30 });
const Dimensions = Type.Object({ lengthCm: Type.Number({ exclusiveMinimum: 0, maximum: 300 }), widthCm: Type.Number({ exclusiveMinimum: 0, maximum: 300 }), heightCm: Type.Number({ exclusiveMinimum: 0, maximum: 300 }) }, { additionalProperties: false });
const ZoneRate = Type.Object({ firstWeightG: Type.Optional(Type.Integer({ minimum: 1 })), firstPriceFen: Type.Optional(Type.Integer({ minimum: 0 })), stepWeightG: Type.Optional(Type.Integer({ minimum: 1 })), stepPriceFen: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false });
const Contract = Type.Object({
  zoneRates: Type.Optional(Type.Record(Type.String(), ZoneRate)),
  discountPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  volumetricDivisor: Type.Optional(Type.Integer({ minimum: 1000, maximum: 20000 })),
  validFrom: Type.Optional(IsoDate), validTo: Type.Optional(IsoDate),
}, { additionalProperties: false });
const ShipperFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  kind: Type.Union([Type.Literal('company'), Type.Literal('coop'), Type.Literal('individual')]),
  pickupDivisionCode: Type.String({ pattern: '^\\d{9}(\\d{3})?$', description: 'town (9 digits) or village (12 digits) of the pickup address' }),
  pickupAddress: Type.String({ minLength: 1, maxLength: 200 }),
  contacts: Type.Array(Type.Object({ name: Type.String({ minLength: 1, maxLength: 50 }), phone: Phone, role: Type.Optional(Type.String({ maxLength: 50 })) }, { additionalProperties: false }), { minItems: 1, maxItems: 10 }),
  products: Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 30, description: 'product categories, e.g. 米粉, 茶叶, 水果' }),
  pricing: Type.Union([Type.Literal('public'), Type.Literal('contract')]),
  contract: Type.Optional(Type.Union([Contract, Type.Null()])),
  active: Type.Optional(Type.Boolean()),
};
const ShipperInput = Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9_-]{2,32}$' }), ...ShipperFields }, { additionalProperties: false });
const ShipperPatch = Type.Partial(Type.Object(ShipperFields, { additionalProperties: false }));
const TariffZone = Type.Object({ id: Type.String({ minLength: 1, maxLength: 32 }), name: Type.String({ minLength: 1, maxLength: 32 }), provinces: Type.Array(Type.String({ pattern: '^\\d{2}$' }), { minItems: 1 }), firstWeightG: Type.Integer({ minimum: 1 }), firstPriceFen: Type.Integer({ minimum: 0 }), stepWeightG: Type.Integer({ minimum: 1 }), stepPriceFen: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });
const TariffInput = Type.Object({ version: Type.String({ pattern: '^[A-Za-z0-9._-]{3,40}$' }), originCode: Type.String({ pattern: '^\\d{2,6}$' }), volumetricDivisor: Type.Integer({ minimum: 1000, maximum: 20000 }), volumetricMinG: Type.Optional(Type.Integer({ minimum: 0 })), maxWeightG: Type.Integer({ minimum: 1000, maximum: 100000 }), zones: Type.Array(TariffZone, { minItems: 1, maxItems: 20 }) }, { additionalProperties: false });
const Scheme = Type.Union([
  Type.Object({ kind: Type.Literal('domestic'), prefix: Type.String({ pattern: '^\\d{1,6}$' }), serialWidth: Type.Integer({ minimum: 4, maximum: 12 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('s10'), serviceIndicator: Type.String({ pattern: '^[A-Z]{2}$' }), countryCode: Type.String({ pattern: '^[A-Z]{2}$' }) }, { additionalProperties: false }),
]);
const ScanBody = Type.Object({ waybillNos: Type.Array(Type.String({ minLength: 5, maxLength: 40 }), { minItems: 1, maxItems: 20000 }), eventTime: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false });
/** A success response (documented as any JSON; the service types the body) and the problem responses. */
const res = (ok: 200 | 201, ...errors: number[]) => ({ [ok]: Type.Unknown(), ...errorResponses(...errors) });
const MAPPING_FIELDS: OrderField[] = ['orderNo', 'recipientName', 'recipientPhone', 'address', 'province', 'city', 'county', 'weight', 'product', 'quantity', 'remark'];

/** Joins the renderer's small chunks (a page or less each) into ~256 KB buffers for the socket. */
function* coalesce(chunks: Iterable<Uint8Array | string>, size = 256 * 1024): Generator<Buffer> {
  let parts: Buffer[] = [];
  let n = 0;
  for (const c of chunks) {
    const b = typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    parts.push(b);
    n += b.length;
    if (n >= size) {
      yield Buffer.concat(parts, n);
      parts = [];
      n = 0;
    }
  }
  if (n) yield Buffer.concat(parts, n);
}

/** Outbound 黔货出山 (issue 7): shippers, tariffs, quotes, waybill ranges, orders, labels, pickups, bags, handovers, summary. */
export default function outboundRoutes(app: App, ctx: AppContext) {
  const svc = new OutboundService(ctx.db, { region: ctx.config.region, clock: ctx.clock, pii: ctx.pii, uploadLimitBytes: ctx.config.uploadLimitBytes });
  const page = (q: { limit?: number; offset?: number }) => ({ limit: q.limit ?? 50, offset: q.offset ?? 0 });
  const tags = ['outbound'];
  const admin = roles('admin');

  // ---------- shippers 寄件客户 ----------
  app.get('/api/v1/shippers', { preValidation: staffOnly, schema: { tags, summary: 'Shippers (companies, co-ops, individuals), county-scoped', querystring: Type.Object({ county: County, kind: Type.Optional(Type.String()), q: Type.Optional(Type.String({ maxLength: 50 })), active: Type.Optional(Type.Boolean()), ...PageQuery }), response: res(200, 401, 403, 422) } }, async (req) =>
    svc.listShippers(principal(req), { ...req.query, ...page(req.query) }),
  );
  app.post('/api/v1/shippers', { preValidation: staffOnly, schema: { tags, summary: 'Create a shipper (contract prices: county manager or admin)', body: ShipperInput, response: res(201, 401, 403, 409, 422) } }, async (req, reply) =>
    reply.status(201).send(await svc.createShipper(principal(req), req.body)),
  );
  app.get('/api/v1/shippers/:id', { preValidation: staffOnly, schema: { tags, summary: 'One shipper', params: Id, response: res(200, 401, 403, 404) } }, async (req) => svc.getShipper(principal(req), req.params.id));
  app.patch('/api/v1/shippers/:id', { preValidation: staffOnly, schema: { tags, summary: 'Change or deactivate a shipper', params: Id, body: ShipperPatch, response: res(200, 401, 403, 404, 422) } }, async (req) =>
    svc.updateShipper(principal(req), req.params.id, req.body),
  );

  // ---------- tariffs and quotes 资费 ----------
  app.get('/api/v1/tariffs', { preValidation: staffOnly, schema: { tags, summary: 'Tariff versions, newest first (the current one has current=true)' } }, async () => ({ items: await svc.listTariffs() }));
  app.get('/api/v1/tariffs/current', { preValidation: staffOnly, schema: { tags, summary: 'The current tariff' } }, async () => (await svc.listTariffs()).find((t) => t.current));
  app.post('/api/v1/tariffs', { preValidation: admin, schema: { tags, summary: 'A new tariff version; it supersedes the current one (versions are never edited)', body: TariffInput, response: res(201, 401, 403, 409, 422) } }, async (req, reply) =>
    reply.status(201).send(await svc.createTariff(principal(req), req.body as Tariff)),
  );
  app.post('/api/v1/quotes', {
    preValidation: staffOnly,
    schema: {
      tags, summary: 'Price of a parcel in fen, with breakdown and tariff version',
      body: Type.Object({ destinationCode: Type.Optional(Type.String({ pattern: '^\\d{2}(\\d{2}(\\d{2})?)?$' })), address: Type.Optional(Type.String({ maxLength: 200 })), weightG: Type.Integer({ minimum: 1, maximum: 1_000_000 }), dimensions: Type.Optional(Dimensions), shipperId: Type.Optional(Type.String()) }, { additionalProperties: false }),
      response: res(200, 401, 403, 404, 422),
    },
  }, async (req) => {
    if (!req.body.destinationCode && !req.body.address) throw invalid('quote.destination', 'give destinationCode or address', [{ path: '/destinationCode', message: 'destinationCode or address' }]);
    return svc.quote(principal(req), req.body);
  });

  // ---------- waybill ranges 运单号段 ----------
  app.get('/api/v1/waybill-ranges', { preValidation: admin, schema: { tags, summary: 'Configured waybill number ranges with what is left' } }, async (req) => ({ items: await svc.listRanges(principal(req)) }));
  app.post('/api/v1/waybill-ranges', { preValidation: admin, schema: { tags, summary: 'Configure a new range (must not overlap any range ever configured)', body: Type.Object({ id: Type.Optional(Type.String({ pattern: '^[a-z0-9_]{3,40}$' })), scheme: Scheme, from: Type.Integer({ minimum: 0 }), to: Type.Integer({ minimum: 0 }), priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })) }, { additionalProperties: false }), response: res(201, 401, 403, 409, 422) } }, async (req, reply) =>
    reply.status(201).send(await svc.createRange(principal(req), { ...req.body, scheme: req.body.scheme as WaybillScheme })),
  );
  app.patch('/api/v1/waybill-ranges/:id', { preValidation: admin, schema: { tags, summary: 'Retire or re-activate a range (numbers already issued are never reissued)', params: Id, body: Type.Object({ active: Type.Boolean() }, { additionalProperties: false }), response: res(200, 401, 403, 404) } }, async (req) =>
    svc.setRangeActive(principal(req), req.params.id, req.body.active),
  );
  app.post('/api/v1/waybill-numbers', { preValidation: roles('admin', 'county_manager'), schema: { tags, summary: 'Issue waybill numbers without an order (pre-printed rolls)', body: Type.Object({ count: Type.Integer({ minimum: 1, maximum: 10000 }) }, { additionalProperties: false }), response: res(201, 401, 403, 409) } }, async (req, reply) =>
    reply.status(201).send({ numbers: await svc.issueNumbers(principal(req), req.body.count) }),
  );

  // ---------- orders 订单 ----------
  app.post('/api/v1/orders', {
    preValidation: staffOnly,
    schema: {
      tags, summary: 'One order (console or station page): validated, priced and numbered; send Idempotency-Key to make a retry safe',
      body: Type.Object({ shipperId: Type.String(), externalNo: Type.Optional(Type.String({ maxLength: 64 })), recipient: Type.Object({ name: Type.String({ minLength: 1, maxLength: 30 }), phone: Phone, address: Type.String({ minLength: 2, maxLength: 200 }) }, { additionalProperties: false }), weightG: Type.Integer({ minimum: 1, maximum: 1_000_000 }), dimensions: Type.Optional(Dimensions), product: Type.Optional(Type.String({ maxLength: 100 })), quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 9999 })), remark: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
      response: res(201, 401, 403, 404, 409, 422),
    },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (key !== undefined && (typeof key !== 'string' || !/^[\x21-\x7e]{1,100}$/.test(key))) throw invalid('idempotency.key', 'Idempotency-Key must be 1–100 visible ASCII characters', [{ path: 'headers/idempotency-key', message: 'invalid' }]);
    const r = await svc.createOrderIdempotent(principal(req), req.body, key);
    if (r.replayed) reply.header('idempotent-replayed', 'true');
    return reply.status(201).send(r.order);
  });
  app.get('/api/v1/orders', { preValidation: staffOnly, schema: { tags, summary: 'Outbound orders (recipient masked)', querystring: Type.Object({ county: County, shipperId: Type.Optional(Type.String()), importId: Type.Optional(Type.String()), status: Type.Optional(Type.String()), waybillNo: Type.Optional(Type.String()), ...PageQuery }), response: res(200, 401, 403, 422) } }, async (req) =>
    svc.listOrders(principal(req), { ...req.query, ...page(req.query) }),
  );
  app.get('/api/v1/orders/:id', { preValidation: staffOnly, schema: { tags, summary: 'One order', params: Id, response: res(200, 401, 403, 404) } }, async (req) => svc.getOrder(principal(req), req.params.id));
  app.post('/api/v1/orders/:id/cancel', { preValidation: staffOnly, schema: { tags, summary: 'Cancel an order not yet collected (its number is never reused)', params: Id, body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }), response: res(200, 401, 403, 404, 409) } }, async (req) =>
    svc.cancelOrder(principal(req), req.params.id, req.body.reason),
  );
  app.get('/api/v1/orders/:id/events', { preValidation: staffOnly, schema: { tags, summary: 'Tracking events of an outbound order', params: Id, response: res(200, 401, 403, 404) } }, async (req) => ({ items: await svc.orderEvents(principal(req), req.params.id) }));
  app.post('/api/v1/orders/import', {
    preValidation: staffOnly,
    bodyLimit: ctx.config.uploadLimitBytes + 1024 * 1024,
    schema: {
      tags, summary: 'Bulk import of an order export (CSV or .xlsx, multipart field "file")',
      description: 'mode=all (default): any bad row rejects the whole file (422, every row error in errors[]) and nothing is written. mode=valid: writes the valid rows and reports the rejected ones. mapping: JSON object field → header text, e.g. {"recipientName":"买家"}.',
      querystring: Type.Object({ shipperId: Type.String(), mode: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('valid')])), mapping: Type.Optional(Type.String({ maxLength: 2000 })), defaultWeightG: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })) }),
      response: res(200, 401, 403, 404, 409, 413, 415, 422),
    },
  }, async (req) => {
    const limitMb = Math.round(ctx.config.uploadLimitBytes / 1048576);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > ctx.config.uploadLimitBytes + 1024 * 1024) throw new DomainError('too_large', 'orders.file_too_large', `the file is larger than ${limitMb} MB: split it`);
    let mapping: Partial<Record<OrderField, string>> | undefined;
    if (req.query.mapping) {
      let raw: unknown;
      try {
        raw = JSON.parse(req.query.mapping);
      } catch {
        throw invalid('orders.mapping', 'mapping must be a JSON object of field → header', [{ path: 'querystring/mapping', message: 'not JSON' }]);
      }
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('orders.mapping', 'mapping must be a JSON object', [{ path: 'querystring/mapping', message: 'not an object' }]);
      mapping = {};
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (!MAPPING_FIELDS.includes(k as OrderField) || typeof v !== 'string') throw invalid('orders.mapping', `unknown field ${k} (fields: ${MAPPING_FIELDS.join(', ')})`, [{ path: `querystring/mapping/${k}`, message: 'unknown field or not a string' }]);
        mapping[k as OrderField] = v;
      }
    }
    if (!req.isMultipart()) throw invalid('orders.not_multipart', 'send the file as multipart/form-data in a field named "file"', [{ path: 'file', message: 'missing' }]);
    const file = await req.file();
    if (!file) throw invalid('orders.no_file', 'no file in the request', [{ path: 'file', message: 'missing' }]);
    let buf: Buffer;
    try {
      buf = await file.toBuffer();
    } catch (err) {
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new DomainError('too_large', 'orders.file_too_large', `the file is larger than ${limitMb} MB: split it`);
      throw err;
    }
    if (file.file.truncated) throw new DomainError('too_large', 'orders.file_too_large', `the file is larger than ${limitMb} MB: split it`);
    return svc.importOrders(principal(req), { shipperId: req.query.shipperId, file: buf, filename: file.filename || 'orders.csv', mode: req.query.mode ?? 'all', ...(mapping ? { mapping } : {}), ...(req.query.defaultWeightG ? { defaultWeightG: req.query.defaultWeightG } : {}) });
  });

  app.get('/api/v1/order-imports', { preValidation: staffOnly, schema: { tags, summary: 'Imported order files (counts, mode, time)', querystring: Type.Object({ county: County, shipperId: Type.Optional(Type.String()), ...PageQuery }), response: res(200, 401, 403, 422) } }, async (req) =>
    svc.listImports(principal(req), { ...req.query, ...page(req.query) }),
  );
  app.get('/api/v1/order-imports/:id', { preValidation: staffOnly, schema: { tags, summary: 'One import', params: Id, response: res(200, 401, 403, 404) } }, async (req) => svc.getImport(principal(req), req.params.id));
  app.get('/api/v1/label-jobs', { preValidation: staffOnly, schema: { tags, summary: 'Label print jobs (reprints counted)', querystring: Type.Object({ county: County, ...PageQuery }), response: res(200, 401, 403, 422) } }, async (req) =>
    svc.listLabelJobs(principal(req), { ...req.query, ...page(req.query) }),
  );

  // ---------- labels 面单 ----------
  app.post('/api/v1/labels', {
    preValidation: staffOnly,
    schema: {
      tags, summary: 'Waybill labels for a set of orders: PDF 100×150 (thermal), PDF A4, or ZPL; reprints are marked and every job is audited',
      body: Type.Object({ orderIds: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: 20000 })), importId: Type.Optional(Type.String()), format: Type.Optional(Type.Union([Type.Literal('thermal'), Type.Literal('a4'), Type.Literal('zpl')])), perSheet: Type.Optional(Type.Union([Type.Literal(4), Type.Literal(6)])) }, { additionalProperties: false }),
      response: res(200, 401, 403, 404, 409, 422),
    },
  }, async (req, reply) => {
    const format = req.body.format ?? 'thermal';
    const job = await svc.labelJob(principal(req), { ...(req.body.orderIds ? { orderIds: req.body.orderIds } : {}), ...(req.body.importId ? { importId: req.body.importId } : {}), format });
    reply.header('x-label-job', job.jobId).header('x-labels', String(job.labels.length)).header('x-reprints', String(job.reprints)).header('x-prepare-ms', String(job.prepareMs));
    if (format === 'zpl') {
      return reply.type('application/zpl; charset=utf-8').header('content-disposition', `attachment; filename="labels-${job.jobId}.zpl"`).send(Readable.from(coalesce(renderZpl(job.labels)), { objectMode: false }));
    }
    const pdf = renderLabelsPdf(job.labels, { format, ...(req.body.perSheet ? { perSheet: req.body.perSheet } : {}) });
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="labels-${job.jobId}.pdf"`).send(Readable.from(coalesce(pdf), { objectMode: false }));
  });

  // ---------- pickup tasks 上门揽收 and collection scans 揽收 ----------
  app.post('/api/v1/pickup-tasks', {
    preValidation: staffOnly,
    schema: { tags, summary: 'A pickup task for a shipper, on a route run (routeId + plannedDate) or a special vehicle', body: Type.Object({ shipperId: Type.String(), plannedDate: IsoDate, expectedParcels: Type.Integer({ minimum: 1, maximum: 100000 }), routeId: Type.Optional(Type.String()), vehicleId: Type.Optional(Type.String()), note: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }), response: res(201, 401, 403, 404, 422) },
  }, async (req, reply) => reply.status(201).send(await svc.createPickupTask(principal(req), req.body)));
  app.get('/api/v1/pickup-tasks', { preValidation: staffOnly, schema: { tags, summary: 'Pickup tasks', querystring: Type.Object({ county: County, date: Type.Optional(IsoDate), status: Type.Optional(Type.String()), ...PageQuery }), response: res(200, 401, 403, 422) } }, async (req) =>
    svc.listPickupTasks(principal(req), { ...req.query, ...page(req.query) }),
  );
  app.get('/api/v1/pickup-tasks/:id', { preValidation: staffOnly, schema: { tags, summary: 'One pickup task', params: Id, response: res(200, 401, 403, 404) } }, async (req) => svc.getPickupTask(principal(req), req.params.id));
  app.post('/api/v1/pickup-tasks/:id/scans', { preValidation: staffOnly, schema: { tags, summary: 'Collection scans (揽收): orders become parcels in transit (event collected); repeats are reported, not errors', params: Id, body: ScanBody, response: res(200, 401, 403, 404, 409, 422) } }, async (req) =>
    svc.collect(principal(req), req.params.id, req.body.waybillNos, req.body.eventTime),
  );
  app.post('/api/v1/pickup-tasks/:id/complete', { preValidation: staffOnly, schema: { tags, summary: 'Close a pickup task (done or cancelled)', params: Id, body: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('done'), Type.Literal('cancelled')])) }, { additionalProperties: false }), response: res(200, 401, 403, 404, 409) } }, async (req) =>
    svc.completePickupTask(principal(req), req.params.id, req.body.status ?? 'done'),
  );

  // ---------- bags 总包 / 封发 and trunk handover ----------
  app.post('/api/v1/bags', { preValidation: staffOnly, schema: { tags, summary: 'Open a bag (总包) with its own barcode number', body: Type.Object({ countyCode: County, destination: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }), response: res(201, 401, 403, 422) } }, async (req, reply) =>
    reply.status(201).send(await svc.createBag(principal(req), req.body)),
  );
  app.get('/api/v1/bags/:id', { preValidation: staffOnly, schema: { tags, summary: 'One bag', params: Id, response: res(200, 401, 403, 404) } }, async (req) => svc.getBag(principal(req), req.params.id));
  app.post('/api/v1/bags/:id/items', { preValidation: staffOnly, schema: { tags, summary: 'Scan collected parcels into an open bag (event bagged)', params: Id, body: ScanBody, response: res(200, 401, 403, 404, 409, 422) } }, async (req) =>
    svc.bagItems(principal(req), req.params.id, req.body.waybillNos),
  );
  app.post('/api/v1/bags/:id/seal', { preValidation: staffOnly, schema: { tags, summary: 'Seal a bag (封发; event bag_sealed for its parcels)', params: Id, body: Type.Object({ sealNo: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }), response: res(200, 401, 403, 404, 409) } }, async (req) =>
    svc.sealBag(principal(req), req.params.id, req.body.sealNo),
  );
  app.get('/api/v1/bags/:id/label', { preValidation: staffOnly, schema: { tags, summary: 'Bag label (100×150 PDF or ZPL) with the bag number as Code 128', params: Id, querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('thermal'), Type.Literal('zpl')])) }), response: res(200, 401, 403, 404) } }, async (req, reply) => {
    const label = await svc.bagLabel(principal(req), req.params.id);
    if (req.query.format === 'zpl') return reply.type('application/zpl; charset=utf-8').send([...renderZpl([label])].join(''));
    return reply.type('application/pdf').send(Readable.from(renderLabelsPdf([label], { format: 'thermal', info: { title: '总包标签' } })));
  });
  app.post('/api/v1/trunk-handovers', { preValidation: staffOnly, schema: { tags, summary: 'Hand sealed bags to the trunk network (event handed_to_trunk per parcel)', body: Type.Object({ bagIds: Type.Array(Type.String(), { minItems: 1, maxItems: 500 }), destination: Type.String({ minLength: 1, maxLength: 100 }), vehicle: Type.Optional(Type.String({ maxLength: 40 })), driver: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }), response: res(201, 401, 403, 404, 409, 422) } }, async (req, reply) =>
    reply.status(201).send(await svc.handover(principal(req), req.body)),
  );
  app.get('/api/v1/trunk-handovers/:id', { preValidation: staffOnly, schema: { tags, summary: 'One trunk handover', params: Id, response: res(200, 401, 403, 404) } }, async (req) => svc.getHandover(principal(req), req.params.id));
  app.get('/api/v1/trunk-handovers/:id/manifest', { preValidation: staffOnly, schema: { tags, summary: 'Handover manifest (A4 PDF, recipients masked)', params: Id, response: res(200, 401, 403, 404) } }, async (req, reply) => {
    const m = await svc.handoverManifest(principal(req), req.params.id);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${m.header.manifestNo}.pdf"`).send(renderManifestPdfBuffer(m.parcels, m.header));
  });

  // ---------- dashboard 黔货出山 ----------
  app.get('/api/v1/outbound/summary', { preValidation: staffOnly, schema: { tags, summary: 'Parcels out (collected) per county and product category', querystring: Type.Object({ county: County, from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) }), response: res(200, 401, 403, 422) } }, async (req) =>
    svc.summary(principal(req), req.query),
  );
}
