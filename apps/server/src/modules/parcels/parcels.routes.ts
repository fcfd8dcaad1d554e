import { createHash } from 'node:crypto';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Page, PageQuery, errorResponses } from '@cuntong/contracts/common.ts';
import { DomainError, conflict, invalid, notFound } from '@cuntong/domain/errors.ts';
import { manifestRowsToInputs } from '@cuntong/domain/parcels/manifest.ts';
import { readSheetRows } from '../../adapters/spreadsheet.ts';
import { principal, roles, staffOnly } from '../../http/auth.ts';
import type { App, AppContext } from '../../http/context.ts';
import { retentionDaysFromEnv } from '../../jobs/purge.worker.ts';
import { WebhooksService } from '../webhooks/webhooks.service.ts';
import { HandoverService } from './handover.service.ts';
import * as repo from './parcels.repository.ts';
import * as S from './parcels.schemas.ts';
import { type EventResult, ParcelsService, requestHash } from './parcels.service.ts';

const clerks = roles('admin', 'county_manager', 'outlet_clerk');
const County = Type.Optional(Type.String({ pattern: '^\\d{6}$' }));

function idempotencyKey(req: FastifyRequest): string | undefined {
  const k = req.headers['idempotency-key'];
  if (k === undefined) return undefined;
  const key = Array.isArray(k) ? k[0] ?? '' : k;
  if (key.length < 1 || key.length > 255) throw invalid('idempotency.key_invalid', 'Idempotency-Key must be 1–255 characters', [{ path: 'headers/idempotency-key', message: '1–255 characters' }]);
  return key;
}

/** One event's result as an HTTP answer (single-event endpoint). */
function sendEventResult(reply: FastifyReply, r: EventResult) {
  switch (r.result) {
    case 'created': return reply.status(201).send(r);
    case 'duplicate': return reply.status(200).send(r);
    case 'conflict': throw conflict(r.code, r.reason);
    case 'not_found': throw notFound(r.code, r.reason);
    default: throw invalid(r.code, r.reason, [{ path: '/type', message: r.reason }]);
  }
}

export default function parcelsRoutes(app: App, ctx: AppContext) {
  const svc = new ParcelsService(ctx.db, { region: ctx.config.region, clock: ctx.clock, pii: ctx.pii });
  const handovers = new HandoverService(ctx.db, svc, ctx.clock);
  // The partner's status vocabulary (the webhooks module owns the mapping).
  const webhooks = new WebhooksService(ctx.db, { clock: ctx.clock, pii: ctx.pii, allowLoopback: () => process.env.WEBHOOK_ALLOW_LOOPBACK === '1' });
  const trackLimit = Number(process.env.TRACK_RATE_LIMIT ?? 60) || 60;
  const retentionDays = retentionDaysFromEnv();
  const trackAnswer = repo.trackAnswers(ctx.db);

  // ---------------------------------------------------------------- partner API
  app.post('/partner/v1/manifests', {
    preValidation: roles('partner'),
    schema: {
      tags: ['partner'], summary: 'Submit a manifest (up to 10,000 parcels); whole batch accepted or rejected',
      description: 'Idempotent: the same waybill from the same partner is one parcel. With an Idempotency-Key header the first response is replayed (header idempotent-replayed: true); the same key with another body is 409.',
      body: S.ManifestBody,
      response: { 200: S.ManifestResultSchema, 201: S.ManifestResultSchema, ...errorResponses(401, 403, 409, 413, 422) },
    },
  }, async (req, reply) => {
    const p = principal(req);
    const key = idempotencyKey(req);
    const r = await svc.ingestManifest(p, { partnerCode: p.partnerCode ?? '', outletCode: req.body.outletCode, parcels: req.body.parcels as never, source: 'api' }, key ? { key, requestHash: requestHash(req.body) } : undefined);
    if (r.replayed) void reply.header('idempotent-replayed', 'true');
    return reply.status(r.status as 200 | 201).send(r.body);
  });

  app.get('/partner/v1/parcels/:waybillNo', {
    preValidation: roles('partner'),
    schema: {
      tags: ['partner'], summary: 'One of my parcels with its events (404 for any waybill that is not mine)',
      description: 'status is our code, partnerStatus yours (your status mapping, PUT /partner/v1/status-mapping; defaults where you set none); each event carries the status it led to in both.',
      params: Type.Object({ waybillNo: Type.String({ maxLength: 64 }) }), response: { 200: Type.Any(), ...errorResponses(401, 403, 404) },
    },
  }, async (req) => svc.getForPartner(principal(req), req.params.waybillNo, async (code) => (await webhooks.vocabularyOf([code])).get(code) ?? {}));

  app.get('/partner/v1/handovers/:id', {
    preValidation: roles('partner'),
    schema: { tags: ['partner'], summary: 'A handover reconciliation of mine', params: Type.Object({ id: Type.String({ maxLength: 40 }) }), response: { 200: Type.Any(), ...errorResponses(401, 403, 404) } },
  }, async (req) => handovers.get(principal(req), req.params.id));

  // ---------------------------------------------------------------- public tracking
  app.get('/api/v1/track/:waybillNo', {
    config: { public: true, rateLimit: { max: trackLimit, timeWindow: '1 minute' } },
    // Answers are far below the compression threshold; skip the plugin's per-request hooks.
    compress: false, decompress: false,
    schema: {
      tags: ['tracking'], summary: 'Public tracking by waybill number (masked personal data)', security: [],
      params: Type.Object({ waybillNo: Type.String({ minLength: 1, maxLength: 64 }) }),
      response: {
        200: Type.Object({
          waybillNo: Type.String(), partner: Type.String(), status: Type.String(), recipientName: Type.String(), recipientPhone: Type.String(),
          destination: Type.Union([Type.String(), Type.Null()]),
          events: Type.Array(Type.Object({ type: Type.String(), eventTime: Type.String(), place: Type.Union([Type.String(), Type.Null()]) })),
        }),
        ...errorResponses(404, 429),
      },
    },
  }, async (req, reply) => {
    // The database builds the answer's JSON text (same bytes as the schema's serialiser would
    // write; track.int.test.ts checks it against ParcelsService.track). A string with a JSON
    // content type goes out as is: Fastify neither parses nor re-serialises it.
    const body = await trackAnswer(req.params.waybillNo);
    if (body === undefined) throw notFound('parcel.not_found', `no parcel ${req.params.waybillNo}`);
    return reply.header('content-type', 'application/json; charset=utf-8').send(body as never); // the typed send expects the object form
  });

  // ---------------------------------------------------------------- manifests (clerks)
  app.post('/api/v1/manifests/upload', {
    preValidation: clerks,
    bodyLimit: ctx.config.uploadLimitBytes + 1024 * 1024,
    schema: {
      tags: ['parcels'], summary: 'Upload a partner manifest as CSV or .xlsx (multipart field "file")',
      description: 'Columns: 运单号, 收件人, 收件人电话, 收件地址, 重量kg, 服务 (上门/驿站), optional 件数, 代收货款. Whole file accepted or rejected (422 lists every row).',
      querystring: Type.Object({ partner: Type.String({ minLength: 1, maxLength: 20 }), outlet: Type.String({ minLength: 1, maxLength: 40 }) }),
      response: { 200: S.ManifestResultSchema, 201: S.ManifestResultSchema, ...errorResponses(401, 403, 413, 415, 422) },
    },
  }, async (req, reply) => {
    if (!req.isMultipart()) throw invalid('import.not_multipart', 'send the file as multipart/form-data in a field named "file"', [{ path: 'file', message: 'missing' }]);
    const file = await req.file();
    if (!file) throw invalid('import.no_file', 'no file in the request', [{ path: 'file', message: 'missing' }]);
    let buf: Buffer;
    try {
      buf = await file.toBuffer();
    } catch (err) {
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new DomainError('too_large', 'import.too_large', 'the file is too large');
      throw err;
    }
    const rows = await readSheetRows(buf, file.filename, { maxRows: 10_001 });
    const { inputs, errors } = manifestRowsToInputs(rows);
    if (errors.length) throw invalid('manifest.columns', 'the header row lacks required columns', errors);
    const r = await svc.ingestManifest(principal(req), { partnerCode: req.query.partner, outletCode: req.query.outlet, parcels: inputs.map((x) => x.input), rows: inputs.map((x) => x.row), source: 'upload', fileHash: createHash('sha256').update(buf).digest('hex') });
    return reply.status(r.status as 200 | 201).send(r.body);
  });

  // ---------------------------------------------------------------- parcels (staff)
  const ListQuery = Type.Object({
    county: County, partner: Type.Optional(Type.String({ maxLength: 20 })), waybill: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(S.StatusSchema), addressStatus: Type.Optional(Type.String({ maxLength: 20 })),
    ...PageQuery,
  });
  app.get('/api/v1/parcels', { preValidation: staffOnly, schema: { tags: ['parcels'], summary: 'List parcels (county-scoped; personal data masked)', querystring: ListQuery, response: { 200: Page(Type.Any()), ...errorResponses(401, 403, 422) } } }, async (req) =>
    svc.listForStaff(principal(req), { ...req.query, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }),
  );
  // A phone number is personal data: it travels in the body, never in a URL (URLs are logged).
  app.post('/api/v1/parcels/search', {
    preValidation: staffOnly,
    schema: { tags: ['parcels'], summary: 'Find parcels by recipient phone (keyed-hash lookup; county-scoped; masked)', body: Type.Object({ phone: Type.String({ minLength: 5, maxLength: 40 }), county: County, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), offset: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }), response: { 200: Page(Type.Any()), ...errorResponses(401, 403, 422) } },
  }, async (req) => svc.listForStaff(principal(req), { phone: req.body.phone, county: req.body.county, limit: req.body.limit ?? 50, offset: req.body.offset ?? 0 }));
  app.get('/api/v1/parcels/address-queue', { preValidation: staffOnly, schema: { tags: ['parcels'], summary: 'Exception queue: parcels whose address did not resolve with high confidence', querystring: Type.Object({ county: County, ...PageQuery }), response: { 200: Page(Type.Any()), ...errorResponses(401, 403) } } }, async (req) =>
    svc.listForStaff(principal(req), { county: req.query.county, queue: true, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }),
  );
  app.get('/api/v1/parcels/:id', { preValidation: staffOnly, schema: { tags: ['parcels'], summary: 'One parcel with its event log', params: Type.Object({ id: Type.String({ maxLength: 40 }) }), response: { 200: Type.Any(), ...errorResponses(401, 403, 404) } } }, async (req) =>
    svc.getForStaff(principal(req), req.params.id),
  );
  app.post('/api/v1/parcels/:id/reveal', {
    preValidation: staffOnly,
    schema: { tags: ['parcels'], summary: 'Reveal the recipient’s full name, phone and address (permission needed; audited)', params: Type.Object({ id: Type.String({ maxLength: 40 }) }), body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 200 }) }, { additionalProperties: false }), response: { 200: Type.Object({ recipientName: Type.String(), recipientPhone: Type.String(), address: Type.String() }), ...errorResponses(401, 403, 404) } },
  }, async (req) => svc.reveal(principal(req), req.params.id, req.body.reason));
  app.post('/api/v1/parcels/:id/village', {
    preValidation: clerks,
    schema: { tags: ['parcels'], summary: 'Assign the village of a queued parcel; the address is learned', params: Type.Object({ id: Type.String({ maxLength: 40 }) }), body: Type.Object({ villageCode: Type.String({ pattern: '^\\d{12}$' }) }, { additionalProperties: false }), response: { 200: Type.Any(), ...errorResponses(401, 403, 404, 422) } },
  }, async (req) => svc.assignVillage(principal(req), req.params.id, req.body.villageCode));

  // ---------------------------------------------------------------- events
  app.post('/api/v1/parcels/:id/events', {
    preValidation: staffOnly,
    schema: { tags: ['events'], summary: 'Record one event (201 created, 200 repeat, 409 same id other body, 422 impossible)', params: Type.Object({ id: Type.String({ maxLength: 40 }) }), body: S.EventBody, response: { 200: S.EventResultSchema, 201: S.EventResultSchema, ...errorResponses(401, 403, 404, 409, 422) } },
  }, async (req, reply) => {
    const [r] = await svc.appendEvents(principal(req), [{ ...req.body, parcelId: req.params.id }]);
    return sendEventResult(reply, r!);
  });
  app.post('/api/v1/events/batch', {
    preValidation: staffOnly,
    schema: { tags: ['events'], summary: 'Record up to 500 events (offline sync); a result per event', body: S.BatchEventBody, response: { 200: Type.Object({ results: Type.Array(S.EventResultSchema) }), ...errorResponses(401, 403, 422) } },
  }, async (req) => ({ results: await svc.appendEvents(principal(req), req.body.events) }));

  // ---------------------------------------------------------------- consents
  app.post('/api/v1/consents', { preValidation: staffOnly, schema: { tags: ['parcels'], summary: 'Record a delivery consent (door / station / proxy / locker)', body: S.ConsentBody, response: { 201: Type.Any(), ...errorResponses(401, 403, 404, 422) } } }, async (req, reply) =>
    reply.status(201).send(await svc.recordConsent(principal(req), req.body)),
  );
  app.get('/api/v1/parcels/:id/consents', { preValidation: staffOnly, schema: { tags: ['parcels'], summary: 'Consents in force for a parcel', params: Type.Object({ id: Type.String({ maxLength: 40 }) }), response: { 200: Type.Any(), ...errorResponses(401, 403, 404) } } }, async (req) =>
    svc.listConsents(principal(req), req.params.id),
  );

  // ---------------------------------------------------------------- handovers
  app.post('/api/v1/handovers', { preValidation: clerks, schema: { tags: ['parcels'], summary: 'Sign a handover reconciliation (received / damaged / missing / unexpected)', body: S.HandoverBody, response: { 201: Type.Any(), ...errorResponses(401, 403, 404, 422) } } }, async (req, reply) =>
    reply.status(201).send(await handovers.sign(principal(req), req.body)),
  );
  app.get('/api/v1/handovers/:id', { preValidation: staffOnly, schema: { tags: ['parcels'], summary: 'A handover reconciliation', params: Type.Object({ id: Type.String({ maxLength: 40 }) }), response: { 200: Type.Any(), ...errorResponses(401, 403, 404) } } }, async (req) =>
    handovers.get(principal(req), req.params.id),
  );

  // ---------------------------------------------------------------- retention
  app.post('/api/v1/parcels/purge', {
    preValidation: roles('admin'),
    schema: { tags: ['parcels'], summary: 'Purge personal data of parcels closed more than N days ago (PII_RETENTION_DAYS, default 90)', body: Type.Object({ retentionDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })) }, { additionalProperties: false }), response: { 200: Type.Any(), ...errorResponses(401, 403) } },
  }, async (req) => svc.purge(principal(req), req.body.retentionDays ?? retentionDays));
}
