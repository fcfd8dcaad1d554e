import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, Role } from '@cuntong/domain/access.ts';
import { DomainError } from '@cuntong/domain/errors.ts';
import type { AppContext } from './context.ts';

/** Authenticates every request that carries a bearer credential; refuses non-public routes without one. */
export function authHook(ctx: AppContext) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    req.principal = null;
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (m?.[1]) req.principal = await ctx.auth.authenticate(m[1]);
    }
    const isApi = req.url.startsWith('/api/') || req.url.startsWith('/partner/');
    if (isApi && !req.routeOptions.config?.public && !req.principal) {
      throw new DomainError('unauthorized', 'auth.required', header ? 'the credentials are invalid or expired' : 'authentication required: send Authorization: Bearer <token>');
    }
  };
}

/** The caller, for routes that are not public (the hook guarantees one). */
export function principal(req: FastifyRequest): Principal {
  if (!req.principal) throw new DomainError('unauthorized', 'auth.required', 'authentication required');
  return req.principal;
}

/** preHandler that admits only some roles. */
export function roles(...allowed: Role[]) {
  return async (req: FastifyRequest) => {
    const p = principal(req);
    if (!allowed.includes(p.role)) throw new DomainError('forbidden', 'auth.role', `this needs one of the roles: ${allowed.join(', ')}`);
  };
}

/** Staff of the post (every role but partner) may use the management API. */
export const staffOnly = roles('admin', 'county_manager', 'outlet_clerk', 'carrier', 'station_keeper');
