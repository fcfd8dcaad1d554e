import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../../../test/harness.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => s?.close());

type Page = { items: Array<{ code: string; name: string; shortName: string; level: string; kind?: string }>; total: number };

describe(`divisions API (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('lists the 12 counties of Qiannan under 5227', async () => {
    const r = await s.api('/api/v1/divisions?parent=5227', { as: 'sandu' });
    const p = (await r.json()) as Page;
    expect(p.total).toBe(12);
    expect(p.items.map((d) => d.name)).toContain('三都水族自治县');
  });
  it('counts by level', async () => {
    expect(await (await s.api('/api/v1/divisions/stats', { as: 'admin' })).json()).toEqual({ prefecture: 1, county: 12, town: 109, village: 1464, villageCommittee: 1195 });
  });
  it('finds 鸡贾村 by pinyin initials, name and code prefix', async () => {
    const byInitials = (await (await s.api('/api/v1/divisions?q=jj&level=village&under=522701', { as: 'admin' })).json()) as Page;
    expect(byInitials.items.map((d) => d.code)).toContain('522701111212');
    const byName = (await (await s.api(`/api/v1/divisions?q=${encodeURIComponent('鸡贾')}`, { as: 'admin' })).json()) as Page;
    expect(byName.items[0]).toMatchObject({ code: '522701111212', shortName: '鸡贾村', kind: 'village' });
    const byCode = (await (await s.api('/api/v1/divisions?q=522732111&level=village&limit=1000', { as: 'admin' })).json()) as Page;
    expect(byCode.items.map((d) => d.shortName)).toEqual(expect.arrayContaining(['尧吕村', '合江村', '巴佑村', '小河村']));
  });
  it('returns a division with its path', async () => {
    const d = (await (await s.api('/api/v1/divisions/522701111212', { as: 'admin' })).json()) as { path: Array<{ name: string }> };
    expect(d.path.map((p) => p.name)).toEqual(['贵州省', '黔南布依族苗族自治州', '都匀市', '匀东镇']);
  });
  it('knows the old name 坝固镇', async () => {
    const a = (await (await s.api('/api/v1/division-aliases', { as: 'admin' })).json()) as { items: Array<{ alias: string; code: string }> };
    expect(a.items).toContainEqual(expect.objectContaining({ alias: '坝固镇', code: '522701111' }));
  });
  it('404s an unknown code and 422s a malformed one', async () => {
    expect((await s.api('/api/v1/divisions/522799999999', { as: 'admin' })).status).toBe(404);
    const bad = await s.api('/api/v1/divisions/abc', { as: 'admin' });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: Array<{ path: string }> }).errors[0]?.path).toMatch(/params\/code/);
  });
  it('paginates', async () => {
    const a = (await (await s.api('/api/v1/divisions?level=village&limit=10&offset=0', { as: 'admin' })).json()) as Page;
    const b = (await (await s.api('/api/v1/divisions?level=village&limit=10&offset=10', { as: 'admin' })).json()) as Page;
    expect(a.total).toBe(1464);
    expect(a.items).toHaveLength(10);
    expect(a.items[9]!.code < b.items[0]!.code).toBe(true);
    expect((await s.api('/api/v1/divisions?limit=5000', { as: 'admin' })).status).toBe(422);
  });
});
