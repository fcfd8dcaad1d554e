import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/main.ts';
import { TEST_ENGINE } from './harness.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;

function runStart(env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/start.mjs'], { cwd: ROOT, env: { ...process.env, ...env, SERVE_WEB: '0', LOG_LEVEL: 'warn' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

// The data-directory lock and restarts concern embedded PGlite only (PostgreSQL has its own server).
if (TEST_ENGINE === 'pglite') {
  describe('npm start on an embedded PGlite directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cuntong-start-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('refuses a second process on the same DATA_DIR with a clear message, then reuses the data after a restart', async () => {
      const first = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, seedDemo: true, logLevel: 'silent' });
      expect(first.report.demoSeeded).toBe(true);
      const login = await fetch(`${first.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'demo1234' }) });
      const { token } = (await login.json()) as { token: string };
      const created = await fetch(`${first.url}/api/v1/outlets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ code: 'RESTART-01', name: '重启测试点', kind: 'express_station', divisionCode: '522701111', lon: 107.6, lat: 26.2, openingHours: '08:00-18:00', services: ['pickup_station'] }),
      });
      expect(created.status).toBe(201);

      const second = await runStart({ DATA_DIR: dir, PORT: '0' });
      expect(second.code).toBe(1);
      expect(second.out).toMatch(/in use by another Cuntong process/);
      expect(second.out).toMatch(/DATA_DIR/);

      await first.close();
      const again = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, seedDemo: true, logLevel: 'silent' });
      try {
        expect(again.report.demoSeeded).toBe(false);
        expect(again.report.migrations).toEqual([]);
        const o = await again.ctx.db.selectFrom('outlets').select('name').where('code', '=', 'RESTART-01').executeTakeFirst();
        expect(o?.name).toBe('重启测试点');
      } finally {
        await again.close();
      }
    });

    it('cuntong labels takes its waybill numbers from the database: two runs never print the same number', async () => {
      const { writeFileSync } = await import('node:fs');
      const csv = join(dir, 'orders.csv');
      writeFileSync(csv, '收货人,手机,收货地址,商品,重量\n张小娟,13812345678,广东省广州市天河区体育西路1号,米粉,1.2\n李四,13912345678,四川省成都市武侯区人民南路4段,茶叶,0.5\n');
      const run = () =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = spawn(process.execPath, ['bin/cuntong.mjs', 'labels', '--orders', csv, '--out', join(dir, 'l.pdf')], { cwd: ROOT, env: { ...process.env, DATA_DIR: dir } });
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => (out += d));
          child.on('exit', (code) => resolve({ code, out }));
        });
      const a = await run();
      const b = await run();
      expect(a.code, a.out).toBe(0);
      expect(b.code, b.out).toBe(0);
      const range = (o: string) => JSON.parse(o.trim().split('\n').at(-1)!) as { first: string; last: string };
      const ra = range(a.out);
      const rb = range(b.out);
      expect(rb.first > ra.last).toBe(true);
    });

    it('takes over a lock left by a process that died', async () => {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dir, 'cuntong.lock'), '999999');
      const s = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, seedDemo: true, logLevel: 'silent' });
      await s.close();
    });
  });
}

describe('the cuntong CLI', () => {
  const cli = (args: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['bin/cuntong.mjs', ...args], { cwd: ROOT });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('exit', (code) => resolve({ code, out }));
    });
  it('lists its commands and prints division stats as JSON', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/divisions/);
    const stats = await cli(['divisions', 'stats']);
    expect(JSON.parse(stats.out)).toEqual({ prefecture: 1, county: 12, town: 109, village: 1464, villageCommittee: 1195 });
  });
  it('fails clearly on an unknown region', async () => {
    const r = await cli(['divisions', 'stats', '--region', '9999']);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/no division extract for region 9999/);
  });
});
