import { createHash } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import { type Principal, type Role, ROLES, assertAdmin } from '@cuntong/domain/access.ts';
import { DomainError, conflict, invalid, notFound } from '@cuntong/domain/errors.ts';
import type { DB } from '../../db/schema.ts';
import { newId, newSecret } from '../../ids.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import * as repo from './auth.repository.ts';

const MAX_FAILED_LOGINS = 5;
const LOCK_MINUTES = 15;

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: 2 /* Algorithm.Argon2id (a const enum) */ });
}

type UserRecord = NonNullable<Awaited<ReturnType<typeof repo.findUserById>>>;

export function toPrincipal(u: UserRecord, via: Principal['via'], outletCounty?: string | null): Principal {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role as Role,
    ...(u.county_code ? { countyCode: u.county_code } : outletCounty ? { countyCode: outletCounty } : {}),
    ...(u.outlet_id ? { outletId: u.outlet_id } : {}),
    ...(u.partner_code ? { partnerCode: u.partner_code } : {}),
    via,
  };
}

export class AuthService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly opts: { sessionTtlS: number; clock: () => Date },
  ) {}

  private dummy?: Promise<string>;
  private dummyHash(): Promise<string> {
    this.dummy ??= hashPassword('not-a-real-password');
    return this.dummy;
  }

  /** Checks a password; locks the account for a while after repeated failures (brute force). */
  async login(username: string, password: string): Promise<{ token: string; expiresAt: Date; principal: Principal }> {
    const now = this.opts.clock();
    const user = await repo.findUserByUsername(this.db, username);
    const fail = () => new DomainError('unauthorized', 'auth.invalid_credentials', 'wrong username or password');
    if (!user || !user.active) {
      // Spend the same time as a real check so usernames cannot be probed by timing.
      await verify(await this.dummyHash(), password).catch(() => false);
      await appendAudit(this.db, null, { action: 'auth.login', objectType: 'user', objectId: username.slice(0, 64), result: 'failed' }, now);
      throw fail();
    }
    if (user.locked_until && user.locked_until > now) {
      await appendAudit(this.db, null, { action: 'auth.login', objectType: 'user', objectId: user.id, result: 'denied', detail: { reason: 'locked' } }, now);
      throw new DomainError('rate_limited', 'auth.locked', `too many failed logins; try again after ${user.locked_until.toISOString()}`);
    }
    const ok = await verify(user.password_hash, password).catch(() => false);
    if (!ok) {
      const failures = user.failed_logins + 1;
      const lockUntil = failures >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null;
      await this.db.transaction().execute(async (tx) => {
        await repo.recordLoginFailure(tx, user.id, lockUntil);
        await appendAudit(tx, null, { action: 'auth.login', objectType: 'user', objectId: user.id, result: 'failed', detail: { failures } }, now);
      });
      throw fail();
    }
    const token = newSecret('cts_');
    const expiresAt = new Date(now.getTime() + this.opts.sessionTtlS * 1000);
    const principal = await this.principalOf(user, 'session');
    await this.db.transaction().execute(async (tx) => {
      await repo.recordLoginSuccess(tx, user.id);
      await repo.insertSession(tx, sha256(token), user.id, expiresAt);
      await appendAudit(tx, principal, { action: 'auth.login', objectType: 'user', objectId: user.id }, now);
    });
    return { token, expiresAt, principal };
  }

  async logout(token: string): Promise<void> {
    await repo.revokeSession(this.db, sha256(token), this.opts.clock());
  }

  /** Resolves a bearer credential: a session token (cts_…) or a partner API key (ctk_…). */
  async authenticate(bearer: string): Promise<Principal | null> {
    if (bearer.startsWith('ctk_')) {
      const u = await repo.userByApiKey(this.db, sha256(bearer));
      return u ? this.principalOf(u, 'api_key') : null;
    }
    const u = await repo.userBySession(this.db, sha256(bearer), this.opts.clock());
    return u ? this.principalOf(u, 'session') : null;
  }

  private async principalOf(u: UserRecord, via: Principal['via']): Promise<Principal> {
    let outletCounty: string | null = null;
    if (!u.county_code && u.outlet_id) {
      const o = await this.db.selectFrom('outlets').select('county_code').where('id', '=', u.outlet_id).executeTakeFirst();
      outletCounty = o?.county_code ?? null;
    }
    return toPrincipal(u, via, outletCounty);
  }

  /** A new API key for a partner user; the secret is shown once and only its hash is stored. */
  async createApiKey(actor: Principal, name: string): Promise<{ id: string; key: string; prefix: string }> {
    if (actor.role !== 'partner') throw new DomainError('forbidden', 'auth.api_key_partner_only', 'API keys are for partner accounts');
    const key = newSecret('ctk_');
    const id = newId('key');
    await this.db.transaction().execute(async (tx) => {
      await repo.insertApiKey(tx, { id, key_hash: sha256(key), prefix: key.slice(0, 10), user_id: actor.id, name });
      await appendAudit(tx, actor, { action: 'api_key.create', objectType: 'api_key', objectId: id }, this.opts.clock());
    });
    return { id, key, prefix: key.slice(0, 10) };
  }

  async revokeApiKey(actor: Principal, id: string): Promise<void> {
    const ok = await this.db.transaction().execute(async (tx) => {
      const done = await repo.revokeApiKey(tx, id, actor.id, this.opts.clock());
      if (done) await appendAudit(tx, actor, { action: 'api_key.revoke', objectType: 'api_key', objectId: id }, this.opts.clock());
      return done;
    });
    if (!ok) throw notFound('api_key.not_found', `no active API key ${id}`);
  }

  async createUser(
    actor: Principal,
    input: { username: string; displayName: string; password: string; role: Role; countyCode?: string; outletId?: string; partnerCode?: string },
  ): Promise<string> {
    if (actor.role === 'county_manager') {
      // County managers add staff of their own county only.
      if (!['outlet_clerk', 'carrier', 'station_keeper'].includes(input.role)) throw new DomainError('forbidden', 'scope.role', 'county managers may add clerks, carriers and station keepers only');
    } else {
      assertAdmin(actor);
    }
    const errors = [];
    if (!/^[a-z0-9_.-]{3,32}$/.test(input.username)) errors.push({ path: '/username', message: '3–32 characters: lower-case letters, digits, _ . -' });
    if (input.password.length < 8) errors.push({ path: '/password', message: 'at least 8 characters' });
    if (!ROLES.includes(input.role)) errors.push({ path: '/role', message: `one of ${ROLES.join(', ')}` });
    if (input.role === 'county_manager' && !input.countyCode) errors.push({ path: '/countyCode', message: 'required for a county manager' });
    if ((input.role === 'outlet_clerk' || input.role === 'station_keeper') && !input.outletId) errors.push({ path: '/outletId', message: 'required for this role' });
    if (input.role === 'partner' && !input.partnerCode) errors.push({ path: '/partnerCode', message: 'required for a partner user' });
    if (errors.length) throw invalid('user.invalid', 'the user is not valid', errors);
    let countyCode = input.countyCode ?? null;
    if (input.outletId) {
      const o = await this.db.selectFrom('outlets').select('county_code').where('id', '=', input.outletId).executeTakeFirst();
      if (!o) throw invalid('user.invalid', 'the user is not valid', [{ path: '/outletId', message: 'no such outlet' }]);
      countyCode = o.county_code;
    }
    if (actor.role === 'county_manager' && countyCode !== actor.countyCode) throw new DomainError('forbidden', 'scope.county', 'that outlet is outside your county');
    if (input.partnerCode) {
      const p = await this.db.selectFrom('partners').select('code').where('code', '=', input.partnerCode).executeTakeFirst();
      if (!p) throw invalid('user.invalid', 'the user is not valid', [{ path: '/partnerCode', message: 'no such partner' }]);
    }
    if (await repo.findUserByUsername(this.db, input.username)) throw conflict('user.username_taken', `username ${input.username} is taken`);
    const id = newId('usr');
    const password_hash = await hashPassword(input.password);
    await this.db.transaction().execute(async (tx) => {
      await repo.insertUser(tx, {
        id,
        username: input.username,
        display_name: input.displayName,
        password_hash,
        role: input.role,
        county_code: input.role === 'admin' || input.role === 'partner' ? null : countyCode,
        outlet_id: input.outletId ?? null,
        partner_code: input.partnerCode ?? null,
      });
      await appendAudit(tx, actor, { action: 'user.create', objectType: 'user', objectId: id, detail: { role: input.role } }, this.opts.clock());
    });
    return id;
  }

  /** Change a user's name or password, or (de)activate them; deactivation also ends their sessions. */
  async updateUser(actor: Principal, id: string, patch: { displayName?: string; password?: string; active?: boolean }): Promise<void> {
    const u = await repo.findUserById(this.db, id);
    const visible = u && (actor.role === 'admin' || (actor.role === 'county_manager' && u.county_code === actor.countyCode));
    if (!u || !visible) throw notFound('user.not_found', `no user ${id}`);
    if (actor.role === 'county_manager' && !['outlet_clerk', 'carrier', 'station_keeper'].includes(u.role)) throw new DomainError('forbidden', 'scope.role', 'county managers change clerks, carriers and station keepers only');
    if (patch.password !== undefined && patch.password.length < 8) throw invalid('user.invalid', 'the user is not valid', [{ path: '/password', message: 'at least 8 characters' }]);
    if (id === actor.id && patch.active === false) throw invalid('user.invalid', 'you cannot deactivate yourself', [{ path: '/active', message: 'not for your own account' }]);
    const set: Parameters<typeof repo.updateUser>[2] = {};
    if (patch.displayName !== undefined) set.display_name = patch.displayName;
    if (patch.active !== undefined) set.active = patch.active;
    if (patch.password !== undefined) set.password_hash = await hashPassword(patch.password);
    const now = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      await repo.updateUser(tx, id, set);
      if (patch.active === false || patch.password !== undefined) await tx.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
      await appendAudit(tx, actor, { action: patch.active === false ? 'user.deactivate' : 'user.update', objectType: 'user', objectId: id, detail: { fields: Object.keys(patch) } }, now);
    });
  }
}
