import { Type } from '@fastify/type-provider-typebox';
import { OUTLET_KINDS, SERVICE_CODES, VEHICLE_TYPES } from '@cuntong/domain/network/types.ts';
import { Weekday } from '@cuntong/contracts/common.ts';

// TypeBox shapes of the network registry's API (docs/api.md).
const lit = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));
export const OutletKindSchema = lit(OUTLET_KINDS);
export const ServiceSchema = lit(SERVICE_CODES);
export const VehicleTypeSchema = lit(VEHICLE_TYPES);
export const Lon = Type.Number({ minimum: -180, maximum: 180 });
export const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Days = Type.Array(Weekday, { maxItems: 7 });
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const OutletSchema = Type.Object({
  id: Type.String(), code: Type.String(), name: Type.String(), kind: Type.String(), divisionCode: Type.String(), countyCode: Type.String(), townCode: Type.String(),
  lon: Type.Number(), lat: Type.Number(), coordinatesApproximate: Type.Boolean(), openingHours: Type.String(), capacitySlots: Type.Integer(),
  contactName: Nullable(Type.String()), contactPhone: Nullable(Type.String()), services: Type.Array(Type.String()), active: Type.Boolean(),
});
export const OutletInput = Type.Object(
  {
    code: Type.String({ minLength: 2, maxLength: 32 }), name: Type.String({ minLength: 1, maxLength: 100 }), kind: OutletKindSchema,
    divisionCode: Type.String({ pattern: '^(\\d{9}|\\d{12})$' }), lon: Lon, lat: Lat, coordinatesApproximate: Type.Optional(Type.Boolean()),
    openingHours: Type.String({ maxLength: 200 }), capacitySlots: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    contactName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))), contactPhone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
    services: Type.Array(ServiceSchema, { uniqueItems: true }), active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const OutletPatch = Type.Partial(Type.Omit(OutletInput, ['code']), { additionalProperties: false });

export const VillageSchema = Type.Object({
  code: Type.String(), name: Type.String(), shortName: Type.String(), townCode: Type.String(), countyCode: Type.String(), kind: Type.String(),
  lon: Nullable(Type.Number()), lat: Nullable(Type.Number()), coordinatesApproximate: Type.Boolean(), remote: Type.Boolean(),
  visitRule: Type.Object({ minVisitsPerWeek: Type.Integer(), allowedDays: Type.Array(Type.Integer()), serviceS: Type.Integer() }),
  plannedVisitsPerWeek: Type.Integer(), stationOutletId: Type.Optional(Type.String()),
});
export const VillagePatch = Type.Object(
  {
    lon: Type.Optional(Lon), lat: Type.Optional(Lat), coordinatesApproximate: Type.Optional(Type.Boolean()), remote: Type.Optional(Type.Boolean()),
    visitRule: Type.Optional(Type.Object({ minVisitsPerWeek: Type.Integer({ minimum: 0, maximum: 7 }), allowedDays: Type.Array(Weekday, { minItems: 1, maxItems: 7, uniqueItems: true }), serviceS: Type.Integer({ minimum: 0, maximum: 7200 }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const PartnerSchema = Type.Object({ code: Type.String({ pattern: '^[A-Z0-9_]{2,16}$' }), name: Type.String({ minLength: 1, maxLength: 50 }), active: Type.Boolean({ default: true }) }, { additionalProperties: false });
export const AgreementSchema = Type.Object({
  id: Type.String(), partnerCode: Type.String(), countyCode: Type.String(), doorRateFen: Type.Integer(), stationRateFen: Type.Integer(),
  remoteSurchargeFen: Type.Integer(), validFrom: Type.String(), validTo: Type.Optional(Type.String()), promiseHours: Type.Integer(),
  returnRateFen: Type.Integer({ description: 'paid per returned parcel (fen)' }), lossDeductionFen: Type.Integer({ description: 'deducted per parcel lost after the handover (fen)' }),
  damageDeductionFen: Type.Integer({ description: 'deducted per parcel damaged after the handover (fen)' }), lateDeductionFen: Type.Integer({ description: 'deducted per parcel delivered after the promise (fen)' }),
});
export const AgreementInput = Type.Object(
  {
    partnerCode: Type.String(), countyCode: Type.String({ pattern: '^\\d{6}$' }), doorRateFen: Type.Integer({ minimum: 0, maximum: 100000 }),
    stationRateFen: Type.Integer({ minimum: 0, maximum: 100000 }), remoteSurchargeFen: Type.Integer({ minimum: 0, maximum: 100000 }),
    validFrom: Type.String({ format: 'date' }), validTo: Type.Optional(Type.String({ format: 'date' })), promiseHours: Type.Integer({ minimum: 1, maximum: 720 }),
    // Settlement terms (docs/settlement.md); left out = defaults: return 0, loss 20.00, damage 10.00, late 0.20 yuan.
    returnRateFen: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })), lossDeductionFen: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    damageDeductionFen: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })), lateDeductionFen: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  },
  { additionalProperties: false },
);

export const RouteSchema = Type.Object({
  id: Type.String(), code: Type.String(), name: Type.String(), outletId: Type.String(), countyCode: Type.String(), vehicleType: Type.String(), capacityKg: Type.Integer(),
  carrierIds: Type.Array(Type.String()), workingDays: Type.Array(Type.Integer()), maxDurationS: Type.Integer(),
  stops: Type.Array(Type.Object({ seq: Type.Integer(), villageCode: Type.String(), days: Type.Array(Type.Integer()) })), lengthM: Type.Integer(), durationS: Type.Integer(), active: Type.Boolean(),
});
export const RouteInput = Type.Object(
  {
    code: Type.String({ minLength: 2, maxLength: 32 }), name: Type.String({ minLength: 1, maxLength: 100 }), outletId: Type.String(), vehicleType: VehicleTypeSchema,
    capacityKg: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })), carrierIds: Type.Optional(Type.Array(Type.String())), workingDays: Days,
    maxDurationS: Type.Optional(Type.Integer({ minimum: 600, maximum: 86400 })), active: Type.Optional(Type.Boolean()),
    stops: Type.Array(Type.Object({ villageCode: Type.String({ pattern: '^\\d{12}$' }), days: Days }, { additionalProperties: false }), { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false },
);
export const RoutePatch = Type.Partial(Type.Omit(RouteInput, ['code']), { additionalProperties: false });

export const BusLineSchema = Type.Object({
  id: Type.String(), code: Type.String(), name: Type.String(), operator: Type.String(), countyCode: Type.String(), active: Type.Boolean(),
  stops: Type.Array(Type.Object({ seq: Type.Integer(), name: Type.String(), villageCode: Type.Optional(Type.String()), outletId: Type.Optional(Type.String()), lon: Type.Number(), lat: Type.Number() })),
  trips: Type.Array(Type.Object({ id: Type.String(), departure: Type.String(), days: Type.Array(Type.Integer()), capacityParcels: Type.Integer(), feePerParcelFen: Type.Integer() })),
});
export const CarrierSchema = Type.Object({ id: Type.String(), name: Type.String(), phone: Nullable(Type.String()), outletId: Type.String(), countyCode: Type.String(), vehicleId: Nullable(Type.String()), active: Type.Boolean() });
export const VehicleSchema = Type.Object({ id: Type.String(), code: Type.String(), type: Type.String(), capacityKg: Type.Integer(), speedKmh: Type.Number(), outletId: Type.String(), countyCode: Type.String(), active: Type.Boolean() });
export const ImportReportSchema = Type.Object({
  imported: Type.Integer(),
  rejected: Type.Array(Type.Object({ path: Type.String(), message: Type.String(), row: Type.Optional(Type.Integer()) })),
  warnings: Type.Array(Type.Object({ path: Type.String(), message: Type.String(), row: Type.Optional(Type.Integer()) })),
});
