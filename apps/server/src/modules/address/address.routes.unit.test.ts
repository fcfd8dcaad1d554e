import Fastify from 'fastify';
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { describe, expect, it } from 'vitest';
import { ProblemSchema } from '@cuntong/contracts/common.ts';
import type { App, AppContext } from '../../http/context.ts';
import { errorHandler } from '../../http/errors.ts';
import addressRoutes from './address.routes.ts';

async function app(): Promise<App> {
  const a = Fastify().withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  a.setValidatorCompiler(TypeBoxValidatorCompiler);
  a.setErrorHandler(errorHandler);
  a.addSchema(ProblemSchema);
  addressRoutes(a, { config: { region: '5227' } } as unknown as AppContext);
  await a.ready();
  return a;
}

describe('POST /api/v1/addresses/resolve', () => {
  it('answers every address in order, in the CLI shape', async () => {
    const a = await app();
    const res = await a.inject({ method: 'POST', url: '/api/v1/addresses/resolve', payload: { addresses: ['貴州省黔南州都勻市壩固鎮雞賈村', '小河村', '遵义', ''] } });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { results: Array<{ input: string; status: string; village?: { code: string }; candidates?: unknown[] }> };
    expect(body.results.map((r) => r.status)).toEqual(['resolved', 'ambiguous', 'outside', 'unresolved']);
    expect(body.results[0]?.village?.code).toBe('522701111212');
    expect(body.results[1]?.candidates).toHaveLength(2);
    expect(body.results[3]?.input).toBe('');
  });
  it('refuses an empty list and more than 10,000 addresses', async () => {
    const a = await app();
    expect((await a.inject({ method: 'POST', url: '/api/v1/addresses/resolve', payload: { addresses: [] } })).statusCode).toBe(422);
    expect((await a.inject({ method: 'POST', url: '/api/v1/addresses/resolve', payload: { addresses: Array.from({ length: 10_001 }, () => 'x') } })).statusCode).toBe(422);
  });
});
