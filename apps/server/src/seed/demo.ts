import type { Kysely } from 'kysely';
import { buildDemoNetwork } from '@cuntong/domain/network/demo.ts';
import type { Config } from '../config.ts';
import type { DB } from '../db/schema.ts';
import { hashPassword } from '../modules/auth/auth.service.ts';
import { loadRegionExtract } from '../modules/divisions/reference.ts';
import * as net from '../modules/network/network.repository.ts';

export const DEMO_PASSWORD = 'demo1234';

/** Demo logins, printed by `npm start` (they exist only in the demo data). */
export const DEMO_LOGINS = [
  { username: 'admin', password: DEMO_PASSWORD, role: 'admin (黔南州)' },
  { username: 'sandu', password: DEMO_PASSWORD, role: 'county manager (三都水族自治县)' },
  { username: 'duyun', password: DEMO_PASSWORD, role: 'county manager (都匀市)' },
  { username: 'zto', password: DEMO_PASSWORD, role: 'partner (中通 ZTO)' },
  { username: 'yto', password: DEMO_PASSWORD, role: 'partner (圆通 YTO)' },
  { username: 'hejiang', password: DEMO_PASSWORD, role: 'outlet clerk (合江代办所)' },
  { username: 'jijia', password: DEMO_PASSWORD, role: 'station keeper (鸡贾村村邮站)' },
];

/**
 * The Qiannan demo network (deterministic: packages/domain/src/network/demo.ts) and the demo users,
 * written in one transaction on an empty database.
 */
export async function seedDemo(db: Kysely<DB>, config: Config, _clock: () => Date): Promise<void> {
  const demo = buildDemoNetwork(loadRegionExtract(config.region));
  const hash = await hashPassword(DEMO_PASSWORD);
  const hejiang = demo.outlets.find((o) => o.name === '合江代办所');
  const jijiaStation = demo.outlets.find((o) => o.kind === 'village_station' && o.divisionCode === '522701111212');
  const hejiangCarrier = demo.carriers.find((c) => c.outletId === hejiang?.id);
  await db.transaction().execute(async (tx) => {
    await net.upsertVillageDetails(tx, demo.villages.map((v) => ({ code: v.code, lon: v.lon, lat: v.lat, coordinatesApproximate: v.coordinatesApproximate, minVisitsPerWeek: v.visitRule.minVisitsPerWeek, allowedDays: v.visitRule.allowedDays, serviceS: v.visitRule.serviceS })));
    await net.insertOutlets(tx, demo.outlets);
    await net.insertPartners(tx, demo.partners);
    await net.insertAgreements(tx, demo.agreements);
    await net.insertVehicles(tx, demo.vehicles);
    await net.insertCarriers(tx, demo.carriers);
    await net.upsertRoutes(tx, demo.routes);
    await net.upsertBusLines(tx, demo.busLines);
    const user = (id: string, username: string, display_name: string, role: string, extra: { county_code?: string; outlet_id?: string; partner_code?: string } = {}) => ({
      id, username, display_name, password_hash: hash, role,
      county_code: extra.county_code ?? null, outlet_id: extra.outlet_id ?? null, partner_code: extra.partner_code ?? null,
    });
    const users = [
      user('usr_admin', 'admin', '州局管理员', 'admin'),
      user('usr_sandu', 'sandu', '三都县分公司经理', 'county_manager', { county_code: '522732' }),
      user('usr_duyun', 'duyun', '都匀市分公司经理', 'county_manager', { county_code: '522701' }),
      user('usr_zto', 'zto', '中通快递对接', 'partner', { partner_code: 'ZTO' }),
      user('usr_yto', 'yto', '圆通速递对接', 'partner', { partner_code: 'YTO' }),
    ];
    if (hejiang) users.push(user('usr_hejiang', 'hejiang', '合江代办所营业员', 'outlet_clerk', { county_code: hejiang.countyCode, outlet_id: hejiang.id }));
    if (jijiaStation) users.push(user('usr_jijia', 'jijia', '鸡贾村村邮站站长', 'station_keeper', { county_code: jijiaStation.countyCode, outlet_id: jijiaStation.id }));
    if (hejiangCarrier) users.push(user('usr_carrier_hj', 'hj_carrier', hejiangCarrier.name, 'carrier', { county_code: hejiangCarrier.countyCode, outlet_id: hejiangCarrier.outletId }));
    await tx.insertInto('users').values(users).execute();
  });
}
