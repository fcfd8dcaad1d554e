import { Type } from '@fastify/type-provider-typebox';
import { errorResponses } from '@cuntong/contracts/common.ts';
import type { App, AppContext } from '../../http/context.ts';
import { resolveAddresses } from './address.service.ts';

const VillageRefSchema = Type.Object({
  code: Type.String({ description: '12-digit village-level division code' }),
  name: Type.String({ description: 'short name: 鸡贾村' }),
  town: Type.String(),
  county: Type.String(),
});

/** One answer per address, in the order sent; the same shape as `cuntong address resolve`. */
export const AddressResultSchema = Type.Union([
  Type.Object({ input: Type.String(), status: Type.Literal('resolved'), village: VillageRefSchema, confidence: Type.Number({ minimum: 0, maximum: 1 }) }),
  Type.Object({ input: Type.String(), status: Type.Literal('ambiguous'), candidates: Type.Array(VillageRefSchema, { description: 'ranked, best first' }) }),
  Type.Object({ input: Type.String(), status: Type.Literal('outside') }),
  Type.Object({ input: Type.String(), status: Type.Literal('unresolved') }),
]);

// Address resolution is pure computation on the in-memory index of the served region: any signed-in user.
export default function addressRoutes(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/addresses/resolve',
    {
      schema: {
        tags: ['addresses'],
        summary: 'Resolve free-text addresses to village-level divisions',
        description:
          'Each address gets one answer, in order: resolved (village, confidence), ambiguous (ranked candidates: a clerk chooses), ' +
          'outside (names a place outside the served region) or unresolved. Simplified or traditional characters, missing levels, ' +
          'group numbers, names and phone numbers in the text are all accepted; very long inputs are truncated.',
        body: Type.Object({ addresses: Type.Array(Type.String(), { minItems: 1, maxItems: 10_000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ results: Type.Array(AddressResultSchema) }), ...errorResponses(401, 413, 422) },
      },
    },
    async (req) => ({ results: resolveAddresses(req.body.addresses, ctx.config.region) }),
  );
}
