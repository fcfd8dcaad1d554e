import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../../../test/harness.ts';
import { verifyAuditChain } from '../audit/audit.repository.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => s?.close());

describe(`auth and access (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('logs in and tells who I am', async () => {
    const r = await s.api('/api/v1/auth/login', { method: 'POST', json: { username: 'sandu', password: 'demo1234' } });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { token: string; user: { role: string; countyCode: string } };
    expect(body.user).toMatchObject({ role: 'county_manager', countyCode: '522732' });
    const me = await s.api('/api/v1/auth/me', { headers: { authorization: `Bearer ${body.token}` } });
    expect(await me.json()).toMatchObject({ username: 'sandu', role: 'county_manager' });
  });

  it('answers 401 problem+json without or with bad credentials', async () => {
    for (const headers of [{}, { authorization: 'Bearer cts_nonsense' }, { authorization: 'Basic abc' }] as Array<Record<string, string>>) {
      const r = await s.api('/api/v1/divisions', { headers });
      expect(r.status).toBe(401);
      expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(((await r.json()) as { code: string }).code).toBe('auth.required');
    }
  });

  it('rejects a wrong password, and locks the account after five failures', async () => {
    const create = await s.api('/api/v1/users', { method: 'POST', as: 'admin', json: { username: 'victim', displayName: '测试', password: 'correct-horse', role: 'county_manager', countyCode: '522701' } });
    expect(create.status).toBe(201);
    for (let i = 0; i < 5; i++) {
      const r = await s.api('/api/v1/auth/login', { method: 'POST', json: { username: 'victim', password: 'wrong' } });
      expect(r.status).toBe(401);
    }
    const locked = await s.api('/api/v1/auth/login', { method: 'POST', json: { username: 'victim', password: 'correct-horse' } });
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as { code: string }).code).toBe('auth.locked');
  });

  it('validates request bodies with field paths (422)', async () => {
    const r = await s.api('/api/v1/users', { method: 'POST', as: 'admin', json: { username: 'x', displayName: '', password: 'short', role: 'wizard' } });
    expect(r.status).toBe(422);
    const p = (await r.json()) as { errors: Array<{ path: string }> };
    expect(p.errors.map((e) => e.path).join(' ')).toMatch(/body\/(displayName|role)/);
    const r2 = await s.api('/api/v1/users', { method: 'POST', as: 'admin', json: { username: 'x', displayName: 'x', password: 'short', role: 'county_manager' } });
    expect(r2.status).toBe(422);
    const paths = ((await r2.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/username', '/password', '/countyCode']));
  });

  it('refuses a taken username (409) and role escalation by a county manager (403)', async () => {
    const dup = await s.api('/api/v1/users', { method: 'POST', as: 'admin', json: { username: 'sandu', displayName: 'x', password: 'long-enough', role: 'admin' } });
    expect(dup.status).toBe(409);
    const esc = await s.api('/api/v1/users', { method: 'POST', as: 'sandu', json: { username: 'boss2', displayName: 'x', password: 'long-enough', role: 'admin' } });
    expect(esc.status).toBe(403);
  });

  it('scopes the user list to the county manager’s county', async () => {
    const r = await s.api('/api/v1/users?limit=1000', { as: 'sandu' });
    expect(r.status).toBe(200);
    const { items } = (await r.json()) as { items: Array<{ countyCode?: string }> };
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((u) => u.countyCode === '522732')).toBe(true);
    expect((await s.api('/api/v1/users?county=522701', { as: 'sandu' })).status).toBe(403);
    expect((await s.api('/api/v1/users', { as: 'zto' })).status).toBe(403);
  });

  it('gives partners API keys that authenticate, and keeps them out of the management API', async () => {
    const r = await s.api('/partner/v1/api-keys', { method: 'POST', as: 'zto', json: { name: 'manifest uploader' } });
    expect(r.status).toBe(201);
    const { key, id } = (await r.json()) as { key: string; id: string };
    expect(key).toMatch(/^ctk_/);
    const me = await s.api('/partner/v1/me', { headers: { authorization: `Bearer ${key}` } });
    expect(await me.json()).toEqual({ partnerCode: 'ZTO', username: 'zto' });
    expect((await s.api('/api/v1/users', { headers: { authorization: `Bearer ${key}` } })).status).toBe(403);
    // Only a hash is stored.
    const stored = await s.ctx.db.selectFrom('api_keys').select('key_hash').where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.key_hash).not.toContain(key);
    // Another partner cannot revoke it, and cannot tell it exists.
    expect((await s.api(`/partner/v1/api-keys/${id}`, { method: 'DELETE', as: 'yto' })).status).toBe(404);
    expect((await s.api(`/partner/v1/api-keys/${id}`, { method: 'DELETE', as: 'zto' })).status).toBe(204);
    expect((await s.api('/partner/v1/me', { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    // Staff cannot use the partner API.
    expect((await s.api('/partner/v1/me', { as: 'admin' })).status).toBe(403);
  });

  it('revokes a session on logout', async () => {
    const t = await s.token('duyun');
    expect((await s.api('/api/v1/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${t}` } })).status).toBe(204);
    expect((await s.api('/api/v1/auth/me', { headers: { authorization: `Bearer ${t}` } })).status).toBe(401);
  });

  it('keeps an append-only, hash-chained audit log without secrets', async () => {
    const rows = await s.ctx.db.selectFrom('audit_log').selectAll().execute();
    expect(rows.some((r) => r.action === 'auth.login' && r.result === 'failed')).toBe(true);
    expect(rows.some((r) => r.action === 'api_key.create')).toBe(true);
    expect(JSON.stringify(rows)).not.toMatch(/demo1234|ctk_[A-Za-z0-9_-]{20}/);
    expect(await verifyAuditChain(s.ctx.db)).toBeNull();
    await expect(sql`update audit_log set action = 'x'`.execute(s.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(s.ctx.db)).rejects.toThrow(/append-only/);
  });
});

describe('service endpoints', () => {
  it('serves health, readiness and the OpenAPI document', async () => {
    expect((await s.api('/healthz')).status).toBe(200);
    expect(await (await s.api('/readyz')).json()).toEqual({ status: 'ready', database: s.engine });
    const doc = (await (await s.api('/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/divisions']));
    expect((await s.api('/docs/')).status).toBe(200);
  });
  it('answers unknown API routes with a 404 problem', async () => {
    const r = await s.api('/api/v1/nope', { as: 'admin' });
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toMatch(/problem\+json/);
  });
  it('refuses malformed JSON with 400 and oversized bodies with 413', async () => {
    const bad = await s.api('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
    expect(bad.status).toBe(400);
    const big = await s.api('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'x', password: 'y'.repeat(17 * 1024 * 1024) }) });
    expect(big.status).toBe(413);
  });
});

describe('user administration', () => {
  it('deactivates a user, which ends their sessions; a county manager cannot touch other counties', async () => {
    const created = await s.api('/api/v1/users', { method: 'POST', as: 'admin', json: { username: 'temp_mgr', displayName: '临时', password: 'long-enough-1', role: 'county_manager', countyCode: '522722' } });
    const { id } = (await created.json()) as { id: string };
    const t = await s.token('temp_mgr', 'long-enough-1');
    expect((await s.api('/api/v1/auth/me', { headers: { authorization: `Bearer ${t}` } })).status).toBe(200);
    expect((await s.api(`/api/v1/users/${id}`, { method: 'PATCH', as: 'sandu', json: { active: false } })).status).toBe(404);
    const r = await s.api(`/api/v1/users/${id}`, { method: 'PATCH', as: 'admin', json: { active: false } });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { active: boolean }).active).toBe(false);
    expect((await s.api('/api/v1/auth/me', { headers: { authorization: `Bearer ${t}` } })).status).toBe(401);
    expect((await s.api('/api/v1/auth/login', { method: 'POST', json: { username: 'temp_mgr', password: 'long-enough-1' } })).status).toBe(401);
  });
});

describe('validation messages', () => {
  it('says once which values a field accepts, instead of one line per allowed value', async () => {
    const r = await s.api('/api/v1/users', { method: 'POST', as: 'admin', json: { username: 'someone', displayName: 'x', password: 'long-enough', role: 'wizard' } });
    expect(r.status).toBe(422);
    const errors = ((await r.json()) as { errors: Array<{ path: string; message: string }> }).errors.filter((e) => e.path === 'body/role');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/must be one of: admin, county_manager/);
  });
});
