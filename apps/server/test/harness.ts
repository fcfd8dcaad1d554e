import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { startServer, type RunningServer } from '../src/main.ts';
import { dropSchema } from '../src/db/connect.ts';

/**
 * A real server on a real database for integration tests, on the engine named by TEST_DB:
 * `pglite` (default; a copy of the seeded template) or `postgres` (a fresh schema in
 * TEST_DATABASE_URL, dropped afterwards). Requests go over HTTP on a loopback port.
 */
export interface TestServer extends RunningServer {
  engine: 'pglite' | 'postgres';
  /** fetch against the server; `as` logs in as that demo user (password demo1234) first. */
  api(path: string, init?: RequestInit & { as?: string; json?: unknown }): Promise<Response>;
  token(username: string, password?: string): Promise<string>;
}

export const TEST_ENGINE = (process.env.TEST_DB ?? 'pglite') as 'pglite' | 'postgres';
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let counter = 0;

export async function testServer(opts: { seedDemo?: boolean } = {}): Promise<TestServer> {
  const seedDemo = opts.seedDemo ?? true;
  let server: RunningServer;
  let removeSchema: (() => Promise<void>) | undefined;
  if (TEST_ENGINE === 'postgres') {
    const schema = `cuntong_t${process.pid}_${Date.now().toString(36)}_${counter++}`;
    server = await startServer({ port: 0, host: '127.0.0.1', databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, seedDemo, logLevel: 'silent' });
    removeSchema = () => dropSchema(TEST_DATABASE_URL, schema);
  } else {
    const template = seedDemo ? inject('pgliteTemplate') : undefined;
    const loadDataDir = template ? new Blob([readFileSync(template)]) : undefined;
    server = await startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory://', seedDemo, logLevel: 'silent', loadDataDir });
  }
  const tokens = new Map<string, string>();
  const token = async (username: string, password = 'demo1234') => {
    const hit = tokens.get(username);
    if (hit) return hit;
    const r = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
    const t = ((await r.json()) as { token: string }).token;
    tokens.set(username, t);
    return t;
  };
  return {
    ...server,
    engine: TEST_ENGINE,
    token,
    async api(path, init = {}) {
      const { as, json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (as) headers.set('authorization', `Bearer ${await token(as)}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${server.url}${path}`, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    },
    async close() {
      await server.close();
      if (removeSchema) await removeSchema();
    },
  };
}
