import Fastify from 'fastify';
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import { describe, expect, it } from 'vitest';
import { validatorCompiler } from './validation.ts';

async function app() {
  const a = Fastify().withTypeProvider<TypeBoxTypeProvider>();
  a.setValidatorCompiler(validatorCompiler);
  a.get('/p/:w', {
    schema: {
      params: Type.Object({ w: Type.String({ minLength: 1, maxLength: 8 }) }),
      querystring: Type.Object({ n: Type.Optional(Type.Integer({ minimum: 1 })), flag: Type.Optional(Type.Boolean()) }),
    },
  }, async (req) => ({ w: req.params.w, n: req.query.n ?? null, flag: req.query.flag ?? null, types: [typeof req.query.n, typeof req.query.flag] }));
  a.post('/b', { schema: { body: Type.Object({ n: Type.Integer() }) } }, async (req) => ({ n: req.body.n }));
  return a;
}

describe('validator compiler', () => {
  it('takes matching values as they are and still converts the ones that need it', async () => {
    const a = await app();
    expect((await a.inject('/p/abc')).json()).toEqual({ w: 'abc', n: null, flag: null, types: ['undefined', 'undefined'] });
    expect((await a.inject('/p/abc?n=5&flag=true')).json()).toEqual({ w: 'abc', n: 5, flag: true, types: ['number', 'boolean'] });
  });

  it('rejects what matches neither as it is nor converted, with the provider\'s 400', async () => {
    const a = await app();
    const tooLong = await a.inject('/p/abcdefghij');
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().message).toMatch(/params/);
    expect((await a.inject('/p/abc?n=0')).statusCode).toBe(400);
    expect((await a.inject('/p/abc?n=x')).statusCode).toBe(400);
  });

  it('leaves bodies to the provider (no conversion of JSON bodies)', async () => {
    const a = await app();
    expect((await a.inject({ method: 'POST', url: '/b', payload: { n: 3 } })).json()).toEqual({ n: 3 });
    expect((await a.inject({ method: 'POST', url: '/b', payload: { n: '3' } })).statusCode).toBe(400);
  });
});
