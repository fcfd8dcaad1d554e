import { Type } from '@fastify/type-provider-typebox';
import { errorResponses } from '@cuntong/contracts/common.ts';
import { principal, staffOnly } from '../../http/auth.ts';
import type { App, AppContext } from '../../http/context.ts';
import { ParcelsService } from '../parcels/parcels.service.ts';
import { DispatchService } from './dispatch.service.ts';
import { renderRunManifest, renderTripManifest, type RunManifest, type TripManifest } from './manifests.ts';

// Daily dispatch (docs/planning.md "Daily dispatch"): commit, runs leaving, bus bags with seal and
// scans, missed buses, PDF manifests.
const tags = ['dispatch'];
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (local date of the branch)' });
const Seal = Type.String({ minLength: 4, maxLength: 32, pattern: '^[A-Za-z0-9-]+$', description: 'the number printed on the seal' });

const ParcelRef = Type.Object({ id: Type.String(), waybillNo: Type.String(), weightG: Type.Integer(), codFen: Type.Integer(), status: Type.String(), note: Nullable(Type.String()), scan: Type.Optional(Type.String()) });
export const Dispatch = Type.Object({
  id: Type.String(), outletId: Type.String(), date: Type.String(), day: Type.Integer(), planId: Type.String(), commits: Type.Integer(), updatedAt: Type.String(),
  runs: Type.Array(Type.Object({
    id: Type.String(), vehicleId: Type.String({ description: 'the delivery route (vehicle template) of the plan' }), vehicleCode: Type.String(), routeName: Type.String(), vehicleType: Type.String(),
    carriers: Type.Array(Type.String(), { description: 'names of the route’s carriers' }), trip: Type.Integer(), departure: Type.String(), capacityKg: Type.Number(), loadKg: Type.Number(), parcels: Type.Integer(),
    departedAt: Nullable(Type.String()),
    stops: Type.Array(Type.Object({ villageCode: Type.String(), villageName: Type.String(), arrival: Type.String(), parcels: Type.Array(ParcelRef) })),
  })),
  bags: Type.Array(Type.Object({
    id: Type.String(), tripId: Type.String(), lineCode: Type.String(), departure: Type.String(), villageCode: Type.String(), villageName: Type.String(), arrival: Type.String(),
    status: Type.String(), sealNo: Nullable(Type.String()), departedAt: Nullable(Type.String()), crew: Nullable(Type.String()), receivedAt: Nullable(Type.String()), missedReason: Nullable(Type.String()),
    reconciliation: Nullable(Type.Object({ sealOk: Type.Boolean(), received: Type.Array(Type.String()), missing: Type.Array(Type.String()), unexpected: Type.Array(Type.String()), place: Type.String() })),
    parcels: Type.Array(ParcelRef),
  })),
  deferred: Type.Array(Type.Object({ parcelId: Type.String(), waybillNo: Type.String(), villageCode: Type.String(), nextDay: Nullable(Type.Integer()), reason: Type.String() })),
  notes: Type.Array(Type.String()),
});
const OutletDate = Type.Object({ outletId: Type.String(), date: IsoDate });
const Id = Type.Object({ id: Type.String() });
const res = (...s: number[]) => ({ 200: Dispatch, ...errorResponses(...s) });

export default function dispatchRoutes(app: App, ctx: AppContext) {
  const parcels = new ParcelsService(ctx.db, { region: ctx.config.region, clock: ctx.clock, pii: ctx.pii });
  const svc = new DispatchService(ctx.db, parcels, { clock: ctx.clock });

  app.get('/api/v1/outlets/:outletId/plan', {
    preValidation: staffOnly,
    schema: { tags, summary: 'The accepted plan that applies to an outlet (its county’s or a region plan with routes from it, accepted last)', params: Type.Object({ outletId: Type.String() }), response: { 200: Type.Object({ outletId: Type.String(), planId: Type.String() }), ...errorResponses(401, 403, 404, 409) } },
  }, async (req) => svc.defaultPlan(principal(req), req.params.outletId));

  app.get('/api/v1/outlets/:outletId/dispatch/:date', {
    preValidation: staffOnly,
    schema: { tags, summary: 'The committed dispatch of an outlet on a date: runs, bus bags, deferred parcels, notes', params: OutletDate, response: res(401, 403, 404) },
  }, async (req) => svc.get(principal(req), req.params.outletId, req.params.date));

  app.get('/api/v1/dispatches', {
    preValidation: staffOnly,
    schema: {
      tags, summary: 'Dispatches of an outlet on a date (none or one): the console asks this way, without a 404 for “not committed yet”',
      querystring: Type.Object({ outlet: Type.String(), date: IsoDate }),
      response: { 200: Type.Object({ items: Type.Array(Dispatch) }), ...errorResponses(401, 403, 404) },
    },
  }, async (req) => svc.find(principal(req), req.query.outlet, req.query.date));

  app.post('/api/v1/outlets/:outletId/dispatch/:date', {
    preValidation: staffOnly,
    schema: {
      tags, summary: 'Commit the day’s dispatch (idempotent; a later call adds late parcels to runs and trips that have not left)', params: OutletDate,
      body: Type.Object({
        parcels: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 5000, description: 'parcel ids or waybill numbers; absent: every parcel waiting at the outlet' })),
        assign: Type.Optional(Type.Array(Type.Object({ parcel: Type.String(), run: Type.String() }, { additionalProperties: false }), { maxItems: 500, description: 'pin parcels to a run of this dispatch (capacity checked)' })),
        planId: Type.Optional(Type.String()),
      }, { additionalProperties: false }),
      response: res(401, 403, 404, 409, 422),
    },
  }, async (req) => svc.commit(principal(req), req.params.outletId, req.params.date, req.body ?? {}));

  app.post('/api/v1/dispatch-runs/:id/depart', {
    preValidation: staffOnly,
    schema: { tags, summary: 'The run leaves: its parcels are out for delivery; it takes no more parcels', params: Id, response: res(401, 403, 404, 409) },
  }, async (req) => svc.departRun(principal(req), req.params.id));

  app.get('/api/v1/dispatch-runs/:id/manifest.pdf', {
    preValidation: staffOnly,
    schema: { tags, summary: 'Carrier run manifest (A4 PDF): stops in order, parcels per stop, COD, signature boxes; recipients masked', params: Id, produces: ['application/pdf'], response: { 200: Type.Unknown({ description: 'application/pdf' }), ...errorResponses(401, 403, 404) } },
  }, async (req, reply) => {
    const m = (await svc.manifestData(principal(req), 'run', { runId: req.params.id })) as unknown as RunManifest;
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="run-${m.run.vehicleCode}-${m.run.trip}-${m.date}.pdf"`).send(renderRunManifest(m));
  });

  app.get('/api/v1/dispatches/:id/bus-trips/:tripId/manifest.pdf', {
    preValidation: staffOnly,
    schema: { tags, summary: 'Bus trip manifest (A4 PDF): bags with seal numbers, villages/stations, parcel counts, the bus crew’s signature', params: Type.Object({ id: Type.String(), tripId: Type.String() }), produces: ['application/pdf'], response: { 200: Type.Unknown({ description: 'application/pdf' }), ...errorResponses(401, 403, 404) } },
  }, async (req, reply) => {
    const m = (await svc.manifestData(principal(req), 'trip', { dispatchId: req.params.id, tripId: req.params.tripId })) as unknown as TripManifest;
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="bus-${m.trip.lineCode}-${m.trip.departure.replace(':', '')}-${m.date}.pdf"`).send(renderTripManifest(m));
  });

  app.post('/api/v1/dispatch-bags/:id/seal', {
    preValidation: staffOnly,
    schema: { tags, summary: 'Record the bag’s seal number (unique: a seal is never used twice)', params: Id, body: Type.Object({ sealNo: Seal }, { additionalProperties: false }), response: res(401, 403, 404, 409, 422) },
  }, async (req) => svc.seal(principal(req), req.params.id, req.body.sealNo));

  app.post('/api/v1/dispatch-bags/:id/handover', {
    preValidation: staffOnly,
    schema: {
      tags, summary: 'Departure scan: the sealed bag is handed to the bus crew (its parcels: loaded_on_bus)', params: Id,
      body: Type.Object({ sealNo: Seal, crew: Type.Optional(Type.String({ maxLength: 60, description: 'driver or conductor, as they sign' })) }, { additionalProperties: false }),
      response: res(401, 403, 404, 409, 422),
    },
  }, async (req) => svc.handOver(principal(req), req.params.id, req.body));

  app.post('/api/v1/dispatch-bags/:id/receive', {
    preValidation: staffOnly,
    schema: {
      tags, summary: 'Receiving scan at the village stop or station: seal and parcels scanned; reconciliation (missing / unexpected)', params: Id,
      body: Type.Object({ sealNo: Seal, scanned: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 2000 }), place: Type.Optional(Type.Union([Type.Literal('stop'), Type.Literal('station')])) }, { additionalProperties: false }),
      response: res(401, 403, 404, 409, 422),
    },
  }, async (req) => svc.receive(principal(req), req.params.id, req.body));

  app.post('/api/v1/dispatch-bags/:id/missed', {
    preValidation: staffOnly,
    schema: {
      tags, summary: 'The bus was missed or full: the bag’s parcels go to the next trip or a carrier run (the notes say which)', params: Id,
      body: Type.Object({ reason: Type.Union([Type.Literal('missed'), Type.Literal('full')]), note: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
      response: res(401, 403, 404, 409, 422),
    },
  }, async (req) => svc.missed(principal(req), req.params.id, req.body));
}
