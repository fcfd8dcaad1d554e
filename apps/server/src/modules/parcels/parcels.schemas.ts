import { Type } from '@fastify/type-provider-typebox';
import { CLIENT_EVENT_TYPES, EXCEPTION_KINDS, FAILURE_REASONS, PROOF_KINDS, RETURN_REASONS, STATUSES } from '@cuntong/domain/parcels/status.ts';

const lit = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));

/** A manifest parcel as partners send it; field rules are checked per row by the domain validator. */
export const ManifestParcelSchema = Type.Object({
  waybillNo: Type.String({ maxLength: 64 }),
  recipientName: Type.String({ maxLength: 100 }),
  recipientPhone: Type.String({ maxLength: 40 }),
  address: Type.String({ maxLength: 400 }),
  weightKg: Type.Number(),
  pieces: Type.Optional(Type.Integer()),
  service: Type.String({ maxLength: 16 }),
  codYuan: Type.Optional(Type.Number()),
}, { additionalProperties: false });

export const ManifestBody = Type.Object({
  outletCode: Type.String({ minLength: 1, maxLength: 40 }),
  parcels: Type.Array(ManifestParcelSchema),
}, { additionalProperties: false });

export const ManifestResultSchema = Type.Object({
  manifestId: Type.String(),
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  addressExceptions: Type.Integer(),
  parcels: Type.Array(Type.Object({ waybillNo: Type.String(), parcelId: Type.Union([Type.String(), Type.Null()]), result: Type.String(), addressStatus: Type.Optional(Type.String()) })),
});

export const ProofSchema = Type.Object({
  kind: lit(PROOF_KINDS),
  ref: Type.String({ minLength: 1, maxLength: 200 }),
  recipientType: lit(['recipient', 'proxy'] as const),
  proxyName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
}, { additionalProperties: false });

const eventFields = {
  eventId: Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$', description: 'client-generated id (UUID); a repeat is ignored' }),
  type: lit(CLIENT_EVENT_TYPES),
  eventTime: Type.String({ format: 'date-time', description: 'when it happened, ISO 8601 with offset' }),
  voids: Type.Optional(Type.String({ maxLength: 100, description: 'void: the event it cancels' })),
  reason: Type.Optional(Type.Union([lit(FAILURE_REASONS), lit(EXCEPTION_KINDS), lit(RETURN_REASONS)])),
  note: Type.Optional(Type.String({ maxLength: 200 })),
  proof: Type.Optional(ProofSchema),
};
export const EventBody = Type.Object(eventFields, { additionalProperties: false });
export const BatchEventBody = Type.Object({ events: Type.Array(Type.Object({ parcelId: Type.String({ maxLength: 40 }), ...eventFields }, { additionalProperties: false }), { minItems: 1, maxItems: 500 }) }, { additionalProperties: false });

export const EventResultSchema = Type.Object({
  eventId: Type.String(),
  result: Type.String({ description: 'created | duplicate | conflict | rejected | not_found' }),
  status: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  code: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
});

export const StatusSchema = lit(STATUSES);

export const ConsentBody = Type.Object({
  parcelId: Type.Optional(Type.String({ maxLength: 40 })),
  phone: Type.Optional(Type.String({ maxLength: 40, description: 'standing consent of a recipient (by phone)' })),
  kind: lit(['door', 'station', 'proxy', 'locker'] as const),
  channel: lit(['sms', 'app', 'phone_call', 'in_person', 'agreement'] as const),
  givenAt: Type.Optional(Type.String({ format: 'date-time' })),
  proxyName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
}, { additionalProperties: false });

export const HandoverBody = Type.Object({
  partnerCode: Type.String({ minLength: 1, maxLength: 20 }),
  outletCode: Type.String({ minLength: 1, maxLength: 40 }),
  scans: Type.Array(Type.Object({ waybillNo: Type.String({ minLength: 1, maxLength: 64 }), damaged: Type.Optional(Type.Boolean()), note: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }), { maxItems: 20_000 }),
  postSigner: Type.String({ minLength: 1, maxLength: 50 }),
  partnerSigner: Type.String({ minLength: 1, maxLength: 50 }),
  signatureRef: Type.Optional(Type.String({ maxLength: 200 })),
  signedAt: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false });
