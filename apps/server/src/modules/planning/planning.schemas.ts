import { Type } from '@fastify/type-provider-typebox';
import { Weekday } from '@cuntong/contracts/common.ts';

// TypeBox shapes of the weekly-plan API (docs/planning.md).
const Days = Type.Array(Weekday, { maxItems: 7 });
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const PlanCreate = Type.Object(
  {
    county: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: 'county to plan; absent: the whole region (admin) or your county' })),
    timeLimitS: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, description: 'wall-clock budget, default 20 s' })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
    solverIterations: Type.Optional(Type.Integer({ minimum: 0, maximum: 2000, description: 'solver iterations per (outlet, day); 0 = heuristics only' })),
    useBus: Type.Optional(Type.Boolean()),
    detourFactor: Type.Optional(Type.Number({ minimum: 1, maximum: 3 })),
    perKmFen: Type.Optional(Type.Object({ e_bike: Type.Optional(Type.Integer({ minimum: 0 })), motorcycle: Type.Optional(Type.Integer({ minimum: 0 })), van: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false })),
    perHourFen: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const Totals = Type.Object({ distanceM: Type.Number(), durationS: Type.Number(), carrierCostFen: Type.Number(), busFeeFen: Type.Number(), costFen: Type.Number(), trips: Type.Integer() });

export const PlanSummary = Type.Object({
  id: Type.String(), scope: Type.String(), countyCode: Nullable(Type.String()), status: Type.String(),
  params: Type.Record(Type.String(), Type.Unknown()), distanceModel: Type.String(), totals: Totals, baseline: Totals,
  villages: Type.Integer(), villagesMet: Type.Integer(), busVillages: Type.Integer(), elapsedMs: Type.Integer(),
  createdBy: Nullable(Type.String()), createdAt: Type.String(), acceptedBy: Nullable(Type.String()), acceptedAt: Nullable(Type.String()),
});

const Stop = Type.Object({ villageCode: Type.String(), arrivalS: Type.Integer(), arrival: Type.String(), legM: Type.Integer(), parcels: Type.Number() });
export const DayRoute = Type.Object({
  day: Weekday, vehicleId: Type.String(), vehicleCode: Type.String(), trip: Type.Integer(), depotId: Type.String(), vehicleType: Type.String(), stops: Type.Array(Stop),
  distanceM: Type.Integer(), durationS: Type.Integer(), returnS: Type.Integer(), loadKg: Type.Number(), costFen: Type.Integer(), overLimit: Type.Boolean(),
});
const Change = Type.Object({ before: Type.Number(), after: Type.Number(), delta: Type.Number(), percent: Type.Number() });
const BusService = Type.Object({
  villageCode: Type.String(), lineId: Type.String(), lineCode: Type.String(), tripId: Type.String(), days: Days, arrival: Type.String(),
  parcelsPerVisit: Type.Number(), weeklyFeeFen: Type.Integer(), carrierCostSavedFen: Type.Integer(), reason: Type.String(),
});
const BusLoad = Type.Object({ tripId: Type.String(), lineCode: Type.String(), day: Weekday, parcels: Type.Integer(), capacityParcels: Type.Integer(), villages: Type.Array(Type.String()) });
const Frequency = Type.Object({
  villageCode: Type.String(), depotId: Type.String(), minVisitsPerWeek: Type.Integer(), allowedDays: Days, pattern: Days, carrierDays: Days, busDays: Days,
  visitsPerWeek: Type.Integer(), mode: Type.String(), met: Type.Boolean(), reason: Type.Optional(Type.String()), busNote: Type.Optional(Type.String()),
});
const Suggestion = Type.Object({ kind: Type.String(), villageCode: Type.String(), fromDepotId: Type.String(), toDepotId: Type.String(), estimatedSavingFen: Type.Integer(), reason: Type.String() });

export const PlanDetail = Type.Object({
    ...PlanSummary.properties,
    comparison: Type.Object({ distanceM: Change, durationS: Change, costFen: Change, trips: Change }),
    days: Type.Array(Type.Object({ day: Weekday, routes: Type.Array(DayRoute), distanceM: Type.Number(), durationS: Type.Number(), stops: Type.Integer() })),
    bus: Type.Array(BusService),
    busLoads: Type.Array(BusLoad),
    frequency: Type.Array(Frequency),
    suggestions: Type.Array(Suggestion),
    warnings: Type.Array(Type.String()),
    routesWritten: Type.Optional(Type.Integer()),
});

export const GeoJson = Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Unknown()) });

const ParcelRef = Type.Object({ id: Type.String(), waybillNo: Type.String() });
export const Dispatch = Type.Object({
  planId: Type.String(), outletId: Type.String(), day: Weekday, parcels: Type.Integer(), unaddressed: Type.Array(ParcelRef),
  runs: Type.Array(Type.Object({
    vehicleId: Type.String(), vehicleCode: Type.String(), trip: Type.Integer(), departureS: Type.Number(), capacityKg: Type.Number(), loadKg: Type.Number(),
    stops: Type.Array(Type.Object({ villageCode: Type.String(), arrival: Type.String(), parcels: Type.Array(ParcelRef) })),
  })),
  bags: Type.Array(Type.Object({ tripId: Type.String(), lineCode: Type.String(), departure: Type.String(), villageCode: Type.String(), arrival: Type.String(), parcels: Type.Array(ParcelRef) })),
  deferred: Type.Array(Type.Object({ parcelId: Type.String(), waybillNo: Type.String(), villageCode: Type.String(), nextDay: Nullable(Weekday), reason: Type.String() })),
  notes: Type.Array(Type.String()),
});

export const PlanJob = Type.Object({
  id: Type.String(), status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]), scope: Type.String(), countyCode: Nullable(Type.String()),
  progress: Type.Number({ description: '0–1, while running' }), stage: Nullable(Type.String()), planId: Nullable(Type.String()), error: Nullable(Type.String()),
  createdBy: Nullable(Type.String()), createdAt: Type.String(), startedAt: Nullable(Type.String()), finishedAt: Nullable(Type.String()),
});
