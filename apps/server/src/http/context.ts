import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Principal } from '@cuntong/domain/access.ts';
import type { Config } from '../config.ts';
import type { DB } from '../db/schema.ts';
import type { AuthService } from '../modules/auth/auth.service.ts';
import type { PiiCipher } from '../adapters/crypto.ts';

/** What every module gets: wired once in main.ts (the composition root). */
export interface AppContext {
  config: Config;
  db: Kysely<DB>;
  engine: 'pglite' | 'postgres';
  clock: () => Date;
  auth: AuthService;
  /** Encryption and keyed hashing of personal data at rest (PII_KEY). */
  pii: PiiCipher;
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** A module's routes: `export default (app, ctx) => { app.get(...) }`, listed in http/modules.ts. */
export type RouteModule = (app: App, ctx: AppContext) => Promise<void> | void;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Route needs no credentials (login, health, public tracking). */
    public?: boolean;
  }
}
