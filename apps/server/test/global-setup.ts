import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config.ts';
import { connect } from '../src/db/connect.ts';
import { bootstrap } from '../src/bootstrap.ts';

/**
 * PGlite runs: migrate and seed one in-memory database, dump its data directory once, and let
 * every test file start from a copy (a fresh initdb + seed per file would cost ~10 s each).
 * PostgreSQL runs: each file creates its own schema, so nothing is prepared here.
 */
export default async function setup(project: TestProject) {
  if ((process.env.TEST_DB ?? 'pglite') !== 'pglite') return;
  const t = Date.now();
  const database = await connect({ dataDir: 'memory://' });
  await bootstrap(database.db, loadConfig({}, { seedDemo: true }), () => new Date());
  const pglite = database.pglite;
  if (!pglite) throw new Error('connect() must expose the PGlite instance for tests');
  const blob = await pglite.dumpDataDir('none');
  const file = join(tmpdir(), `cuntong-template-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  await database.close();
  project.provide('pgliteTemplate', file);
  console.log(`PGlite template seeded in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
