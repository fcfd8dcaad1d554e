#!/usr/bin/env node
// `npm test`: the whole suite. Unit tests; the integration suite on embedded PGlite AND on
// PostgreSQL (TEST_DATABASE_URL, default the local server's database `test`; each test file
// uses a fresh schema, so runs never collide); then the console's e2e tests in Chromium.
// Set SKIP_POSTGRES=1 or SKIP_E2E=1 to leave a tier out locally (CI never does).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const steps = [
  { name: 'typecheck', cmd: ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit'] },
  { name: 'unit', cmd: ['npx', 'vitest', 'run', '--project', 'unit'] },
  { name: 'integration (PGlite)', cmd: ['npx', 'vitest', 'run', '--project', 'integration'], env: { TEST_DB: 'pglite' } },
];
if (process.env.SKIP_POSTGRES !== '1') {
  steps.push({ name: 'integration (PostgreSQL)', cmd: ['npx', 'vitest', 'run', '--project', 'integration'], env: { TEST_DB: 'postgres', TEST_DATABASE_URL: url } });
}
if (process.env.SKIP_E2E !== '1') {
  if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
    console.error('npm test: Chromium is missing (apt-get install chromium fonts-wqy-microhei), or set SKIP_E2E=1');
    process.exit(1);
  }
  steps.push({ name: 'e2e (Chromium)', cmd: ['npx', 'vitest', 'run', '--project', 'e2e', '--passWithNoTests'] });
}

const results = [];
for (const step of steps) {
  console.log(`\n=== ${step.name} ===`);
  const t = Date.now();
  const r = spawnSync(step.cmd[0], step.cmd.slice(1), { stdio: 'inherit', env: { ...process.env, ...(step.env ?? {}) } });
  results.push({ name: step.name, ok: r.status === 0, s: ((Date.now() - t) / 1000).toFixed(1) });
  if (r.status !== 0) break;
}
console.log('\n=== summary ===');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.s} s)`);
const failed = results.filter((r) => !r.ok).length + (steps.length - results.length);
console.log(`${results.filter((r) => r.ok).length} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
