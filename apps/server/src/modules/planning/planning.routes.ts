import { Type } from '@fastify/type-provider-typebox';
import { Page, PageQuery, errorResponses } from '@cuntong/contracts/common.ts';
import type { Weekday } from '@cuntong/domain/network/types.ts';
import { principal, roles, staffOnly } from '../../http/auth.ts';
import type { App, AppContext } from '../../http/context.ts';
import * as S from './planning.schemas.ts';
import { PlanningService } from './planning.service.ts';
import dispatchRoutes from './dispatch.routes.ts';
import { PlanJobWorker } from '../../jobs/planning.worker.ts';

const managers = roles('admin', 'county_manager');
const Id = Type.Object({ id: Type.String() });

export default function planningRoutes(app: App, ctx: AppContext) {
  const osrmUrl = ctx.config.osrmUrl;
  let worker: PlanJobWorker | null = null;
  const svc = new PlanningService(ctx.db, { clock: ctx.clock, ...(osrmUrl ? { osrmUrl } : {}), onEnqueue: () => worker?.kick() });
  // Plans run as jobs in a worker thread; every server runs the job worker (claims are SKIP LOCKED).
  worker = new PlanJobWorker(ctx.db, svc, { clock: ctx.clock, onError: (err) => app.log.error({ err }, 'plan job failed') });
  app.addHook('onReady', async () => worker?.start());
  app.addHook('onClose', async () => worker?.stop());

  app.post('/api/v1/plans', {
    preValidation: managers,
    schema: {
      tags: ['planning'], summary: 'Queue a weekly plan for a county or the whole region; poll the job (Location) until it is done',
      body: S.PlanCreate, response: { 202: S.PlanJob, ...errorResponses(401, 403, 422) },
    },
  }, async (req, reply) => {
    const job = await svc.enqueue(principal(req), req.body);
    return reply.status(202).header('location', `/api/v1/plan-jobs/${job.id}`).send(job);
  });

  app.get('/api/v1/plan-jobs/:id', {
    preValidation: staffOnly,
    schema: { tags: ['planning'], summary: 'A plan job: queued, running (progress 0–1 and phase), done (planId) or failed (error)', params: Id, response: { 200: S.PlanJob, ...errorResponses(401, 403, 404) } },
  }, async (req) => svc.getJob(principal(req), req.params.id));

  app.get('/api/v1/plans', {
    preValidation: staffOnly,
    schema: {
      tags: ['planning'], summary: 'Weekly plans, newest first (your county’s; region-wide plans for administrators)',
      querystring: Type.Object({ county: Type.Optional(Type.String({ pattern: '^\\d{6}$' })), status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('accepted'), Type.Literal('superseded')])), ...PageQuery }),
      response: { 200: Page(S.PlanSummary), ...errorResponses(401, 403) },
    },
  }, async (req) => svc.list(principal(req), { county: req.query.county, status: req.query.status, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }));

  app.get('/api/v1/plans/:id', {
    preValidation: staffOnly,
    schema: { tags: ['planning'], summary: 'A plan: routes by day, bus services, frequency report, comparison with the routes it was made from', params: Id, response: { 200: S.PlanDetail, ...errorResponses(401, 403, 404) } },
  }, async (req) => svc.get(principal(req), req.params.id));

  app.get('/api/v1/plans/:id/geojson', {
    preValidation: staffOnly,
    schema: {
      tags: ['planning'], summary: 'GeoJSON of a plan (routes as lines, stops and bus-served villages as points), optionally one weekday',
      params: Id, querystring: Type.Object({ day: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })) }),
      response: { 200: S.GeoJson, ...errorResponses(401, 403, 404) },
    },
  }, async (req, reply) => {
    const fc = await svc.geojson(principal(req), req.params.id, req.query.day as Weekday | undefined);
    return reply.type('application/geo+json').send(fc);
  });

  app.get('/api/v1/plans/:id/dispatch', {
    preValidation: staffOnly,
    schema: {
      tags: ['planning'], summary: 'Dispatch preview: the parcels waiting at an outlet → the plan’s carrier runs and bus bags of a weekday (read-only)',
      params: Id,
      querystring: Type.Object({ outlet: Type.String(), day: Type.Integer({ minimum: 1, maximum: 7 }), now: Type.Optional(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:MM: runs and trips leaving earlier are gone (re-dispatch of late parcels)' })) }),
      response: { 200: S.Dispatch, ...errorResponses(401, 403, 404) },
    },
  }, async (req) => {
    const now = req.query.now ? req.query.now.split(':').map(Number) : undefined;
    return svc.dispatch(principal(req), req.params.id, { outletId: req.query.outlet, day: req.query.day as Weekday, ...(now ? { nowS: ((now[0] ?? 0) * 60 + (now[1] ?? 0)) * 60 } : {}) });
  });

  app.post('/api/v1/plans/:id/accept', {
    preValidation: managers,
    schema: { tags: ['planning'], summary: 'Accept a draft plan: its routes replace the stops and days of the routes it was made from (one transaction, audited)', params: Id, response: { 200: S.PlanDetail, ...errorResponses(401, 403, 404, 409) } },
  }, async (req) => svc.accept(principal(req), req.params.id));

  dispatchRoutes(app, ctx);
}
