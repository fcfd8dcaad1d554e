import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';


export async function findUserByUsername(db: Kysely<DB>, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUserById(db: Kysely<DB>, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function recordLoginFailure(db: Kysely<DB>, id: string, lockUntil: Date | null) {
  await db
    .updateTable('users')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1), ...(lockUntil ? { locked_until: lockUntil } : {}) }))
    .where('id', '=', id)
    .execute();
}

export async function recordLoginSuccess(db: Kysely<DB>, id: string) {
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
}

export async function insertSession(db: Kysely<DB>, tokenHash: string, userId: string, expiresAt: Date) {
  await db.insertInto('sessions').values({ token_hash: tokenHash, user_id: userId, expires_at: expiresAt }).execute();
}

export async function revokeSession(db: Kysely<DB>, tokenHash: string, at: Date) {
  await db.updateTable('sessions').set({ revoked_at: at }).where('token_hash', '=', tokenHash).execute();
}

/** The active user behind a session token hash, if the session is valid at `now`. */
export async function userBySession(db: Kysely<DB>, tokenHash: string, now: Date) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now)
    .where('users.active', '=', true)
    .executeTakeFirst();
}

export async function userByApiKey(db: Kysely<DB>, keyHash: string) {
  return db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .selectAll('users')
    .select('api_keys.id as key_id')
    .where('api_keys.key_hash', '=', keyHash)
    .where('api_keys.revoked_at', 'is', null)
    .where('users.active', '=', true)
    .executeTakeFirst();
}

export async function insertApiKey(db: Kysely<DB>, row: { id: string; key_hash: string; prefix: string; user_id: string; name: string }) {
  await db.insertInto('api_keys').values(row).execute();
}

export async function listApiKeys(db: Kysely<DB>, userId: string) {
  return db.selectFrom('api_keys').select(['id', 'prefix', 'name', 'created_at', 'last_used_at', 'revoked_at']).where('user_id', '=', userId).orderBy('created_at').execute();
}

export async function revokeApiKey(db: Kysely<DB>, id: string, userId: string, at: Date) {
  const r = await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export interface UserFilter { countyCode?: string; role?: string; q?: string; limit: number; offset: number }

export async function listUsers(db: Kysely<DB>, f: UserFilter) {
  let q = db.selectFrom('users');
  if (f.countyCode) q = q.where('county_code', '=', f.countyCode);
  if (f.role) q = q.where('role', '=', f.role);
  if (f.q) q = q.where((eb) => eb.or([eb('username', 'ilike', `%${f.q}%`), eb('display_name', 'ilike', `%${f.q}%`)]));
  const [items, total] = await Promise.all([
    q.selectAll().orderBy('username').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function insertUser(db: Kysely<DB>, row: { id: string; username: string; display_name: string; password_hash: string; role: string; county_code: string | null; outlet_id: string | null; partner_code: string | null }) {
  await db.insertInto('users').values(row).execute();
}

export async function updateUser(db: Kysely<DB>, id: string, set: Partial<{ display_name: string; password_hash: string; active: boolean; county_code: string | null; outlet_id: string | null }>) {
  await db.updateTable('users').set({ ...set, updated_at: new Date() }).where('id', '=', id).execute();
}
