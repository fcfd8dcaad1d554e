import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorKind, type FieldError } from '@cuntong/domain/errors.ts';

/** The one place where error kinds become HTTP statuses and RFC 9457 problem+json bodies. */
const STATUS: Record<ErrorKind, number> = {
  invalid: 422,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unauthorized: 401,
  infeasible: 422,
  too_large: 413,
  rate_limited: 429,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
}

export function problem(status: number, code: string, detail: string, errors?: FieldError[]): Problem {
  return {
    type: `https://cuntong.dev/problems/${code.replace(/\./g, '/')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors && errors.length ? { errors } : {}),
  };
}

interface ValidationIssue { instancePath?: string; message?: string; params?: Record<string, unknown>; keyword?: string }

function validationErrors(err: FastifyError): FieldError[] {
  const ctx = (err as FastifyError & { validationContext?: string }).validationContext ?? 'body';
  const issues = (err.validation ?? []) as ValidationIssue[];
  // A union of literals fails once per literal ("must be equal to constant" × n, then "anyOf"):
  // say it once, with the allowed values.
  const allowed = new Map<string, unknown[]>();
  for (const v of issues) if (v.keyword === 'const' && v.params && 'allowedValue' in v.params) allowed.set(v.instancePath ?? '', [...(allowed.get(v.instancePath ?? '') ?? []), v.params.allowedValue]);
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const v of issues) {
    const p = v.instancePath ?? '';
    if (allowed.has(p) && (v.keyword === 'const' || v.keyword === 'anyOf')) {
      if (seen.has(p)) continue;
      seen.add(p);
      out.push({ path: `${ctx}${p}`, message: `must be one of: ${allowed.get(p)!.map((x) => String(x)).join(', ')}` });
      continue;
    }
    out.push(...toFieldErrors(ctx, [v]));
  }
  return out;
}

function toFieldErrors(ctx: string, issues: ValidationIssue[]): FieldError[] {
  return issues.map((v) => {
    let path = v.instancePath ?? '';
    const missing = v.params && typeof v.params === 'object' && 'requiredProperties' in v.params ? (v.params.requiredProperties as string[]) : undefined;
    if (v.keyword === 'required' && missing?.length) path += '/' + missing.join(',');
    const extra = v.params && typeof v.params === 'object' && 'additionalProperties' in v.params ? (v.params.additionalProperties as string[]) : undefined;
    if (v.keyword === 'additionalProperties' && extra?.length) path += '/' + extra.join(',');
    return { path: `${ctx}${path || ''}`, message: v.message ?? 'invalid' };
  });
}

export function toProblem(err: unknown): Problem {
  if (err instanceof DomainError) return problem(STATUS[err.kind], err.code, err.message, err.errors);
  const fe = err as FastifyError;
  if (fe && Array.isArray(fe.validation)) {
    return problem(422, 'request.invalid', 'The request does not match the schema: see errors for each field.', validationErrors(fe));
  }
  if (fe?.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe?.statusCode === 413) return problem(413, 'request.too_large', fe.message);
  if (fe?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fe?.statusCode === 415) return problem(415, 'request.media_type', fe.message);
  if (fe?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (fe instanceof SyntaxError && fe.statusCode === 400)) {
    return problem(400, 'request.malformed_json', fe.message);
  }
  if (fe?.statusCode === 429) return problem(429, 'request.rate_limited', fe.message || 'Too many requests, slow down.');
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return problem(fe.statusCode, 'request.error', fe.message);
  return problem(500, 'internal', 'An internal error occurred; it has been logged.');
}

export function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const p = toProblem(err);
  if (p.status >= 500) req.log.error({ err }, 'request failed');
  p.instance = req.url.split('?')[0];
  void reply.status(p.status).type('application/problem+json').send(p);
}
