import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../../../test/harness.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => s?.close());

// Every demo role against data inside and outside its scope. 三都 = 522732, 都匀 = 522701.
const USERS = {
  admin: { read: ['522732', '522701'], write: ['522732', '522701'] },
  sandu: { read: ['522732'], write: ['522732'] },
  duyun: { read: ['522701'], write: ['522701'] },
  hejiang: { read: ['522732'], write: [] }, // outlet clerk of 合江代办所 (三都)
  hj_carrier: { read: ['522732'], write: [] }, // carrier of 合江代办所
  jijia: { read: ['522701'], write: [] }, // keeper of 鸡贾村村邮站 (都匀)
  zto: { read: [], write: [] }, // partner: never the management API
} as const;

describe(`scope matrix (${process.env.TEST_DB ?? 'pglite'})`, () => {
  for (const [user, rights] of Object.entries(USERS)) {
    it(`${user}: reads ${rights.read.join(', ') || 'nothing'}, writes ${rights.write.join(', ') || 'nothing'}`, async () => {
      for (const county of ['522732', '522701']) {
        const canRead = (rights.read as readonly string[]).includes(county);
        for (const path of [`/api/v1/outlets?county=${county}`, `/api/v1/villages?county=${county}&limit=1`, `/api/v1/routes?county=${county}&limit=1`, `/api/v1/kpi/summary?county=${county}`]) {
          expect((await s.api(path, { as: user })).status, `${user} GET ${path}`).toBe(canRead ? 200 : 403);
        }
        // An outlet of that county addressed by id: 404 outside the scope (existence not revealed).
        const adminList = (await (await s.api(`/api/v1/outlets?county=${county}&kind=postal_office&limit=1`, { as: 'admin' })).json()) as { items: Array<{ id: string }> };
        const id = adminList.items[0]!.id;
        const one = await s.api(`/api/v1/outlets/${id}`, { as: user });
        expect(one.status, `${user} GET outlet of ${county}`).toBe(canRead ? 200 : user === 'zto' ? 403 : 404);
        const canWrite = (rights.write as readonly string[]).includes(county);
        const patch = await s.api(`/api/v1/outlets/${id}`, { method: 'PATCH', as: user, json: { openingHours: '08:00-18:30' } });
        // Roles that never write master data are refused first (403); a manager addressing another
        // county's outlet gets 404, like a read.
        const isManager = user === 'admin' || user === 'sandu' || user === 'duyun';
        expect(patch.status, `${user} PATCH outlet of ${county}`).toBe(canWrite ? 200 : isManager ? 404 : 403);
      }
    });
  }
  it('without a scope filter, lists only what the caller may see', async () => {
    for (const [user, rights] of Object.entries(USERS)) {
      if (user === 'zto' || user === 'admin') continue;
      const r = (await (await s.api('/api/v1/outlets?limit=1000', { as: user })).json()) as { items: Array<{ countyCode: string }> };
      expect(new Set(r.items.map((o) => o.countyCode)), user).toEqual(new Set(rights.read));
    }
  });
});
