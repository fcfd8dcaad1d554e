import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { DB } from '../db/schema.ts';
import { hashPassword } from '../modules/auth/auth.service.ts';

export const DEMO_PASSWORD = 'demo1234';

/** Demo logins, printed by `npm start` (they exist only in the demo data). */
export const DEMO_LOGINS = [
  { username: 'admin', password: DEMO_PASSWORD, role: 'admin (黔南州)' },
  { username: 'sandu', password: DEMO_PASSWORD, role: 'county manager (三都水族自治县)' },
  { username: 'duyun', password: DEMO_PASSWORD, role: 'county manager (都匀市)' },
  { username: 'zto', password: DEMO_PASSWORD, role: 'partner (中通 ZTO)' },
  { username: 'yto', password: DEMO_PASSWORD, role: 'partner (圆通 YTO)' },
];

export async function seedDemo(db: Kysely<DB>, _config: Config, _clock: () => Date): Promise<void> {
  const hash = await hashPassword(DEMO_PASSWORD);
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('partners').values([{ code: 'ZTO', name: '中通快递' }, { code: 'YTO', name: '圆通速递' }]).onConflict((oc) => oc.doNothing()).execute();
    await tx
      .insertInto('users')
      .values([
        { id: 'usr_admin', username: 'admin', display_name: '州局管理员', password_hash: hash, role: 'admin', county_code: null, outlet_id: null, partner_code: null },
        { id: 'usr_sandu', username: 'sandu', display_name: '三都县分公司经理', password_hash: hash, role: 'county_manager', county_code: '522732', outlet_id: null, partner_code: null },
        { id: 'usr_duyun', username: 'duyun', display_name: '都匀市分公司经理', password_hash: hash, role: 'county_manager', county_code: '522701', outlet_id: null, partner_code: null },
        { id: 'usr_zto', username: 'zto', display_name: '中通快递对接', password_hash: hash, role: 'partner', county_code: null, outlet_id: null, partner_code: 'ZTO' },
        { id: 'usr_yto', username: 'yto', display_name: '圆通速递对接', password_hash: hash, role: 'partner', county_code: null, outlet_id: null, partner_code: 'YTO' },
      ])
      .execute();
  });
}
