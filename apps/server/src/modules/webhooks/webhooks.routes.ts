import { Type } from '@fastify/type-provider-typebox';
import { Page, PageQuery, errorResponses } from '@cuntong/contracts/common.ts';
import { forbidden } from '@cuntong/domain/errors.ts';
import { principal, roles } from '../../http/auth.ts';
import type { App, AppContext } from '../../http/context.ts';
import { WebhooksService } from './webhooks.service.ts';

const partnerOnly = roles('partner');
const admins = roles('admin');

const EndpointBody = Type.Object({
  url: Type.String({ minLength: 8, maxLength: 2000, description: 'http(s) URL resolving to public addresses only' }),
  secret: Type.String({ minLength: 10, maxLength: 400, description: 'whsec_<base64 of 24–64 random bytes>' }),
}, { additionalProperties: false });
const Endpoint = Type.Object({ url: Type.String(), status: Type.String(), disabledReason: Type.Union([Type.String(), Type.Null()]), disabledAt: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), updatedAt: Type.String() });
const DeliveryQuery = Type.Object({ status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')])), waybill: Type.Optional(Type.String({ maxLength: 64 })), ...PageQuery });
const ReplaySince = Type.Object({ since: Type.String({ format: 'date-time', minLength: 10, maxLength: 40 }), all: Type.Optional(Type.Boolean({ description: 'also delivered messages (default: failed only)' })) }, { additionalProperties: false });
const Mapping = Type.Object({ mapping: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 40 })) }, { additionalProperties: false });
const Id = Type.Object({ id: Type.String({ maxLength: 60 }) });

export default function webhooksRoutes(app: App, ctx: AppContext) {
  const svc = new WebhooksService(ctx.db, { clock: ctx.clock, pii: ctx.pii, allowLoopback: () => process.env.WEBHOOK_ALLOW_LOOPBACK === '1' });
  const own = (p: { partnerCode?: string }) => {
    if (!p.partnerCode) throw forbidden('auth.role', 'partner API only');
    return p.partnerCode;
  };

  // ---------------------------------------------------------------- partner API
  app.put('/partner/v1/webhook', {
    preValidation: partnerOnly,
    schema: {
      tags: ['partner'], summary: 'Set your webhook endpoint (Standard Webhooks signing; re-enables a disabled one)',
      description: 'Every status change of your parcels from now on is POSTed with webhook-id, webhook-timestamp and webhook-signature (v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">). URLs resolving to private, loopback or link-local addresses are refused.',
      body: EndpointBody, response: { 200: Endpoint, ...errorResponses(401, 403, 422) },
    },
  }, async (req) => {
    const p = principal(req);
    return svc.setEndpoint(p, own(p), req.body);
  });
  app.get('/partner/v1/webhook', { preValidation: partnerOnly, schema: { tags: ['partner'], summary: 'Your webhook endpoint (the secret is never returned)', response: { 200: Endpoint, ...errorResponses(401, 403, 404) } } }, async (req) =>
    svc.getEndpoint(own(principal(req))),
  );
  app.delete('/partner/v1/webhook', { preValidation: partnerOnly, schema: { tags: ['partner'], summary: 'Remove your webhook endpoint', response: { 204: Type.Null(), ...errorResponses(401, 403, 404) } } }, async (req, reply) => {
    const p = principal(req);
    await svc.deleteEndpoint(p, own(p));
    return reply.status(204).send(null);
  });
  app.get('/partner/v1/webhook/deliveries', { preValidation: partnerOnly, schema: { tags: ['partner'], summary: 'Your webhook messages and their delivery state', querystring: DeliveryQuery, response: { 200: Page(Type.Any()), ...errorResponses(401, 403) } } }, async (req) =>
    svc.listDeliveries(principal(req), { status: req.query.status, waybillNo: req.query.waybill, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }),
  );
  app.get('/partner/v1/webhook/deliveries/:id', { preValidation: partnerOnly, schema: { tags: ['partner'], summary: 'One message with its attempt log', params: Id, response: { 200: Type.Any(), ...errorResponses(401, 403, 404) } } }, async (req) =>
    svc.getDelivery(principal(req), req.params.id),
  );
  app.post('/partner/v1/webhook/deliveries/:id/replay', { preValidation: partnerOnly, schema: { tags: ['partner'], summary: 'Send a message again (same webhook-id)', params: Id, response: { 202: Type.Object({ replayed: Type.Integer() }), ...errorResponses(401, 403, 404) } } }, async (req, reply) =>
    reply.status(202).send(await svc.replay(principal(req), req.params.id)),
  );
  app.post('/partner/v1/webhook/replay', { preValidation: partnerOnly, schema: { tags: ['partner'], summary: 'Send your failed (or all) messages since a time again', body: ReplaySince, response: { 202: Type.Object({ replayed: Type.Integer() }), ...errorResponses(401, 403, 422) } } }, async (req, reply) => {
    const p = principal(req);
    return reply.status(202).send(await svc.replaySince(p, own(p), req.body.since, req.body.all ?? false));
  });
  app.get('/partner/v1/status-mapping', { preValidation: partnerOnly, schema: { tags: ['partner'], summary: 'Your status vocabulary (our statuses → your codes)', response: { 200: Type.Any(), ...errorResponses(401, 403) } } }, async (req) =>
    svc.getVocabulary(own(principal(req))),
  );
  app.put('/partner/v1/status-mapping', { preValidation: partnerOnly, schema: { tags: ['partner'], summary: 'Set your status codes (statuses left out use the defaults)', body: Mapping, response: { 200: Type.Any(), ...errorResponses(401, 403, 422) } } }, async (req) => {
    const p = principal(req);
    return svc.setVocabulary(p, own(p), req.body.mapping);
  });

  // ---------------------------------------------------------------- console (administrators)
  app.get('/api/v1/webhooks/deliveries', { preValidation: admins, schema: { tags: ['webhooks'], summary: 'Webhook messages of every partner', querystring: Type.Object({ ...DeliveryQuery.properties, partner: Type.Optional(Type.String({ maxLength: 20 })) }), response: { 200: Page(Type.Any()), ...errorResponses(401, 403) } } }, async (req) =>
    svc.listDeliveries(principal(req), { partnerCode: req.query.partner, status: req.query.status, waybillNo: req.query.waybill, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }),
  );
  app.get('/api/v1/webhooks/deliveries/:id', { preValidation: admins, schema: { tags: ['webhooks'], summary: 'One message with its attempt log', params: Id, response: { 200: Type.Any(), ...errorResponses(401, 403, 404) } } }, async (req) =>
    svc.getDelivery(principal(req), req.params.id),
  );
  app.post('/api/v1/webhooks/deliveries/:id/replay', { preValidation: admins, schema: { tags: ['webhooks'], summary: 'Send a message again', params: Id, response: { 202: Type.Object({ replayed: Type.Integer() }), ...errorResponses(401, 403, 404) } } }, async (req, reply) =>
    reply.status(202).send(await svc.replay(principal(req), req.params.id)),
  );
  app.get('/api/v1/partners/:code/webhook', { preValidation: admins, schema: { tags: ['webhooks'], summary: 'A partner’s webhook endpoint', params: Type.Object({ code: Type.String({ maxLength: 20 }) }), response: { 200: Endpoint, ...errorResponses(401, 403, 404) } } }, async (req) =>
    svc.getEndpoint(req.params.code),
  );
  app.get('/api/v1/partners/:code/status-mapping', { preValidation: admins, schema: { tags: ['webhooks'], summary: 'A partner’s status vocabulary', params: Type.Object({ code: Type.String({ maxLength: 20 }) }), response: { 200: Type.Any(), ...errorResponses(401, 403, 404) } } }, async (req) =>
    svc.getVocabulary(req.params.code),
  );
  app.put('/api/v1/partners/:code/status-mapping', { preValidation: admins, schema: { tags: ['webhooks'], summary: 'Set a partner’s status codes', params: Type.Object({ code: Type.String({ maxLength: 20 }) }), body: Mapping, response: { 200: Type.Any(), ...errorResponses(401, 403, 404, 422) } } }, async (req) =>
    svc.setVocabulary(principal(req), req.params.code, req.body.mapping),
  );
}
