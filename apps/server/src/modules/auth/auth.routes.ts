import { Type } from '@fastify/type-provider-typebox';
import { PageQuery, Page, errorResponses } from '@cuntong/contracts/common.ts';
import { type Role, countyScope } from '@cuntong/domain/access.ts';
import { DomainError } from '@cuntong/domain/errors.ts';
import { principal, roles, staffOnly } from '../../http/auth.ts';
import type { App, AppContext } from '../../http/context.ts';
import * as repo from './auth.repository.ts';

const RoleSchema = Type.Union(['admin', 'county_manager', 'outlet_clerk', 'carrier', 'station_keeper', 'partner'].map((r) => Type.Literal(r)));
const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  countyCode: Type.Optional(Type.String()),
  outletId: Type.Optional(Type.String()),
  partnerCode: Type.Optional(Type.String()),
  active: Type.Optional(Type.Boolean()),
});

type UserRow = NonNullable<Awaited<ReturnType<typeof repo.findUserById>>>;
const presentUser = (u: UserRow) => ({
  id: u.id,
  username: u.username,
  displayName: u.display_name,
  role: u.role,
  ...(u.county_code ? { countyCode: u.county_code } : {}),
  ...(u.outlet_id ? { outletId: u.outlet_id } : {}),
  ...(u.partner_code ? { partnerCode: u.partner_code } : {}),
  active: u.active,
});

export default function authRoutes(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/auth/login',
    {
      config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password; returns a bearer token',
        security: [],
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String(), user: UserSchema }), ...errorResponses(401, 422, 429) },
      },
    },
    async (req) => {
      const r = await ctx.auth.login(req.body.username, req.body.password);
      const { via: _via, ...user } = r.principal;
      return { token: r.token, expiresAt: r.expiresAt.toISOString(), user };
    },
  );

  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'Revoke the current session token', response: { 204: Type.Null() } } }, async (req, reply) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token) await ctx.auth.logout(token);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/auth/me', { schema: { tags: ['auth'], summary: 'The calling user', response: { 200: UserSchema, ...errorResponses(401) } } }, async (req) => {
    const { via: _via, ...user } = principal(req);
    return user;
  });

  app.get(
    '/api/v1/users',
    {
      preValidation: roles('admin', 'county_manager'),
      schema: {
        tags: ['users'],
        summary: 'List users (county managers see their county)',
        querystring: Type.Object({ role: Type.Optional(RoleSchema), q: Type.Optional(Type.String({ maxLength: 64 })), county: Type.Optional(Type.String()), ...PageQuery }),
        response: { 200: Page(UserSchema), ...errorResponses(401, 403) },
      },
    },
    async (req) => {
      const p = principal(req);
      const scope = countyScope(p);
      if (scope && req.query.county && req.query.county !== scope) throw new DomainError('forbidden', 'scope.county', `you may not read users of county ${req.query.county}`);
      const r = await repo.listUsers(ctx.db, { countyCode: scope ?? req.query.county, role: req.query.role, q: req.query.q, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 });
      return { items: r.items.map(presentUser), total: r.total };
    },
  );

  app.post(
    '/api/v1/users',
    {
      preValidation: roles('admin', 'county_manager'),
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: Type.Object(
          {
            username: Type.String(),
            displayName: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ maxLength: 256 }),
            role: RoleSchema,
            countyCode: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
            outletId: Type.Optional(Type.String()),
            partnerCode: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
        response: { 201: UserSchema, ...errorResponses(401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      const id = await ctx.auth.createUser(principal(req), { ...req.body, role: req.body.role as Role });
      const u = await repo.findUserById(ctx.db, id);
      return reply.status(201).send(presentUser(u!));
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      preValidation: roles('admin', 'county_manager'),
      schema: {
        tags: ['users'],
        summary: 'Rename, reset the password of, or (de)activate a user',
        params: Type.Object({ id: Type.String() }),
        body: Type.Object({ displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), password: Type.Optional(Type.String({ maxLength: 256 })), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: UserSchema, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (req) => {
      await ctx.auth.updateUser(principal(req), req.params.id, req.body);
      return presentUser((await repo.findUserById(ctx.db, req.params.id))!);
    },
  );

  // Partner API keys: a partner's systems authenticate with these instead of a password session.
  app.get('/partner/v1/api-keys', { preValidation: roles('partner'), schema: { tags: ['partner'], summary: 'List my API keys', response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), prefix: Type.String(), name: Type.String(), createdAt: Type.String(), revoked: Type.Boolean() })) }) } } }, async (req) => {
    const keys = await repo.listApiKeys(ctx.db, principal(req).id);
    return { items: keys.map((k) => ({ id: k.id, prefix: k.prefix, name: k.name, createdAt: new Date(k.created_at).toISOString(), revoked: k.revoked_at !== null })) };
  });
  app.post(
    '/partner/v1/api-keys',
    { preValidation: roles('partner'), schema: { tags: ['partner'], summary: 'Create an API key (the key is shown once)', body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }), response: { 201: Type.Object({ id: Type.String(), key: Type.String(), prefix: Type.String() }), ...errorResponses(401, 403, 422) } } },
    async (req, reply) => reply.status(201).send(await ctx.auth.createApiKey(principal(req), req.body.name)),
  );
  app.delete('/partner/v1/api-keys/:id', { preValidation: roles('partner'), schema: { tags: ['partner'], summary: 'Revoke an API key', params: Type.Object({ id: Type.String() }), response: { 204: Type.Null(), ...errorResponses(401, 403, 404) } } }, async (req, reply) => {
    await ctx.auth.revokeApiKey(principal(req), req.params.id);
    return reply.status(204).send(null);
  });
  app.get('/partner/v1/me', { preValidation: roles('partner'), schema: { tags: ['partner'], summary: 'The calling partner', response: { 200: Type.Object({ partnerCode: Type.String(), username: Type.String() }) } } }, async (req) => {
    const p = principal(req);
    return { partnerCode: p.partnerCode ?? '', username: p.username };
  });
  void staffOnly;
}
