import { Type } from '@fastify/type-provider-typebox';
import { Page, PageQuery, errorResponses } from '@cuntong/contracts/common.ts';
import { parseDays } from '@cuntong/domain/stations/pickup.ts';
import { principal, roles, staffOnly } from '../../http/auth.ts';
import type { App, AppContext } from '../../http/context.ts';
import { ParcelsService } from '../parcels/parcels.service.ts';
import { PickupLockedError, StationsService } from './stations.service.ts';

const Station = Type.Object({ stationId: Type.String({ maxLength: 40 }) });
const ParcelRef = {
  parcelId: Type.Optional(Type.String({ maxLength: 40 })),
  waybillNo: Type.Optional(Type.String({ maxLength: 64 })),
  partnerCode: Type.Optional(Type.String({ maxLength: 20 })),
};

/** Options from the environment (reminder days, return days, lockout). */
export function stationOptionsFromEnv(env: NodeJS.ProcessEnv) {
  return {
    hold: { reminderDays: parseDays(env.STATION_REMINDER_DAYS, [2, 4]), returnDays: Number(env.STATION_RETURN_DAYS ?? 7) || 7 },
    lockout: { maxFailures: Number(env.STATION_PICKUP_MAX_FAILURES ?? 5) || 5, windowS: Number(env.STATION_PICKUP_WINDOW_S ?? 900) || 900 },
  };
}

export default function stationsRoutes(app: App, ctx: AppContext) {
  const parcels = new ParcelsService(ctx.db, { region: ctx.config.region, clock: ctx.clock, pii: ctx.pii });
  const svc = new StationsService(ctx.db, parcels, { clock: ctx.clock, pii: ctx.pii, ...stationOptionsFromEnv(process.env) });

  app.post('/api/v1/stations/:stationId/inbound', {
    preValidation: staffOnly,
    schema: {
      tags: ['stations'], summary: 'Station inbound: shelf slot + pickup code (sent by SMS); needs station consent or the station service',
      params: Station, body: Type.Object({ ...ParcelRef, eventTime: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false }),
      response: { 200: Type.Any(), 201: Type.Any(), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (req, reply) => {
    const r = await svc.inbound(principal(req), req.params.stationId, req.body);
    return reply.status(r.repeated ? 200 : 201).send(r);
  });
  app.post('/api/v1/stations/:stationId/pickup', {
    preValidation: staffOnly,
    config: { rateLimit: { max: Number(process.env.STATION_PICKUP_RATE ?? 30) || 30, timeWindow: '1 minute' } },
    schema: {
      tags: ['stations'], summary: 'Pickup with the 6-digit code and the last 4 phone digits (wrong attempts lock the station’s code pickups)',
      params: Station, body: Type.Object({ code: Type.String({ maxLength: 10 }), phoneLast4: Type.String({ maxLength: 4 }) }, { additionalProperties: false }),
      response: { 200: Type.Any(), ...errorResponses(401, 403, 404, 422, 429) },
    },
  }, async (req, reply) => {
    try {
      return await svc.pickupByCode(principal(req), req.params.stationId, req.body);
    } catch (err) {
      if (err instanceof PickupLockedError) void reply.header('retry-after', String(Math.max(1, Math.ceil((err.until.getTime() - ctx.clock().getTime()) / 1000))));
      throw err;
    }
  });
  app.post('/api/v1/stations/:stationId/pickup/id-check', {
    preValidation: staffOnly,
    schema: {
      tags: ['stations'], summary: 'Pickup after the keeper checked the recipient’s ID document',
      params: Station, body: Type.Object({ ...ParcelRef, documentType: Type.Union([Type.Literal('resident_id'), Type.Literal('passport'), Type.Literal('other')]), documentLast4: Type.String({ pattern: '^[0-9Xx]{4}$' }), receivedBy: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
      response: { 200: Type.Any(), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (req) => svc.pickupByIdCheck(principal(req), req.params.stationId, req.body));
  app.post('/api/v1/stations/:stationId/pickup/unlock', {
    preValidation: roles('admin', 'county_manager', 'outlet_clerk'),
    schema: { tags: ['stations'], summary: 'Lift a pickup lockout (audited)', params: Station, response: { 200: Type.Any(), ...errorResponses(401, 403, 404) } },
  }, async (req) => svc.unlock(principal(req), req.params.stationId));
  app.get('/api/v1/stations/:stationId/parcels', {
    preValidation: staffOnly,
    schema: { tags: ['stations'], summary: 'The station’s shelf', params: Station, querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('waiting'), Type.Literal('picked_up'), Type.Literal('returned')])), ...PageQuery }), response: { 200: Page(Type.Any()), ...errorResponses(401, 403, 404) } },
  }, async (req) => svc.shelf(principal(req), req.params.stationId, req.query.status, req.query.limit ?? 50, req.query.offset ?? 0));
  app.get('/api/v1/notifications', {
    preValidation: staffOnly,
    schema: { tags: ['stations'], summary: 'Notifications (SMS) with their masked text and delivery state', querystring: Type.Object({ station: Type.Optional(Type.String({ maxLength: 40 })), parcel: Type.Optional(Type.String({ maxLength: 40 })), ...PageQuery }), response: { 200: Page(Type.Any()), ...errorResponses(401, 403, 404) } },
  }, async (req) => svc.notifications(principal(req), { stationId: req.query.station, parcelId: req.query.parcel, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }));
}
