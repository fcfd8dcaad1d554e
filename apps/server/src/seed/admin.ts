import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { hashPassword } from '../modules/auth/auth.service.ts';
import { newId } from '../ids.ts';

/**
 * Without demo data there are no demo logins: the first start creates one administrator with the
 * password from ADMIN_PASSWORD, or a random one that is printed once.
 */
export async function ensureAdmin(db: Kysely<DB>): Promise<string | null> {
  const exists = await db.selectFrom('users').select('id').where('role', '=', 'admin').executeTakeFirst();
  if (exists) return null;
  const password = process.env.ADMIN_PASSWORD || randomBytes(12).toString('base64url');
  await db.insertInto('users').values({ id: newId('usr'), username: 'admin', display_name: '管理员', password_hash: await hashPassword(password), role: 'admin', county_code: null, outlet_id: null, partner_code: null }).execute();
  return password;
}
