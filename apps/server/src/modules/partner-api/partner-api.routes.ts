import { Type } from '@fastify/type-provider-typebox';
import { Page, PageQuery, errorResponses } from '@cuntong/contracts/common.ts';
import { principal, roles } from '../../http/auth.ts';
import type { App, AppContext } from '../../http/context.ts';
import { WebhooksService } from '../webhooks/webhooks.service.ts';
import { PartnerApiService } from './partner-api.service.ts';

const partnerOnly = roles('partner');
const Time = Type.String({ format: 'date-time', maxLength: 40 });

/** Partner API reads (issue 5): own parcels, their status history, a pull feed, handovers. */
export default function partnerApiRoutes(app: App, ctx: AppContext) {
  const webhooks = new WebhooksService(ctx.db, { clock: ctx.clock, pii: ctx.pii, allowLoopback: () => process.env.WEBHOOK_ALLOW_LOOPBACK === '1' });
  const svc = new PartnerApiService(ctx.db, webhooks);

  app.get('/partner/v1/parcels', {
    preValidation: partnerOnly,
    schema: { tags: ['partner'], summary: 'My parcels (statuses in my vocabulary); total counts only mine', querystring: Type.Object({ status: Type.Optional(Type.String({ maxLength: 40 })), updatedSince: Type.Optional(Time), ...PageQuery }), response: { 200: Page(Type.Any()), ...errorResponses(401, 403, 422) } },
  }, async (req) => svc.listParcels(principal(req), { status: req.query.status, updatedSince: req.query.updatedSince, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }));
  app.get('/partner/v1/parcel-counts', {
    preValidation: partnerOnly,
    schema: { tags: ['partner'], summary: 'How many of my parcels are in each status', response: { 200: Type.Object({ total: Type.Integer(), byStatus: Type.Record(Type.String(), Type.Integer()) }), ...errorResponses(401, 403) } },
  }, async (req) => svc.counts(principal(req)));
  app.get('/partner/v1/parcels/:waybillNo/status-history', {
    preValidation: partnerOnly,
    schema: { tags: ['partner'], summary: 'The status changes of one of my parcels, in order (404 for any waybill not mine)', params: Type.Object({ waybillNo: Type.String({ maxLength: 64 }) }), response: { 200: Type.Any(), ...errorResponses(401, 403, 404) } },
  }, async (req) => svc.parcelHistory(principal(req), req.params.waybillNo));
  app.get('/partner/v1/events', {
    preValidation: partnerOnly,
    schema: { tags: ['partner'], summary: 'Pull feed of my status changes after a cursor (the webhook messages, for catching up)', querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }), response: { 200: Type.Object({ items: Type.Array(Type.Any()), nextCursor: Type.Integer() }), ...errorResponses(401, 403) } },
  }, async (req) => svc.feed(principal(req), req.query.after ?? 0, req.query.limit ?? 100));
  app.get('/partner/v1/handovers', {
    preValidation: partnerOnly,
    schema: { tags: ['partner'], summary: 'My handover reconciliations (detail: GET /partner/v1/handovers/{id})', querystring: Type.Object({ from: Type.Optional(Time), to: Type.Optional(Time), ...PageQuery }), response: { 200: Page(Type.Any()), ...errorResponses(401, 403) } },
  }, async (req) => svc.handovers(principal(req), { from: req.query.from, to: req.query.to, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }));
}
