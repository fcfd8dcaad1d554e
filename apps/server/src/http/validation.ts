import type { FastifySchemaCompiler } from 'fastify';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/**
 * The TypeBox provider's validator, except that params, querystrings and headers that already
 * match their schema are taken as they are: the provider converts them (Value.Convert, for "5" → 5)
 * on every request before checking, which was the largest item of request handling on the public
 * tracking route after the socket writes. Values that do not match go through the provider's own
 * conversion, check and error report, so coercion and error messages are unchanged.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = (route) => {
  const full = TypeBoxValidatorCompiler(route as Parameters<typeof TypeBoxValidatorCompiler>[0]);
  if (route.httpPart === 'body') return full;
  const check = Compile(route.schema);
  return (value) => (check.Check(value) ? { value } : full(value));
};
