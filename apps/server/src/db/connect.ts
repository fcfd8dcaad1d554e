import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import type { DB } from './schema.ts';

/**
 * The one place that knows which engine runs: embedded PGlite (default, a directory on disk or
 * memory) or a PostgreSQL server (DATABASE_URL). Everything above talks Kysely and plain SQL that
 * runs on PostgreSQL 15.
 */
export interface Database {
  db: Kysely<DB>;
  engine: 'pglite' | 'postgres';
  /** The embedded instance (PGlite only), e.g. to dump its data directory. */
  pglite?: import('@electric-sql/pglite').PGlite;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** PGlite data directory, or 'memory://' for a throwaway database. */
  dataDir?: string;
  databaseUrl?: string;
  /** PostgreSQL schema; created if missing and put first on the search path. */
  schema?: string;
  /** PGlite only: a data-dir tarball to start from (fast clone of a seeded template in tests). */
  loadDataDir?: Blob;
}

export class DataDirLockedError extends Error {}

/**
 * PGlite has no lock of its own and two processes on one directory corrupt it, so we take an
 * exclusive lock file. A lock left by a dead process (crash, kill -9) is taken over.
 */
function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const lockPath = join(dir, 'cuntong.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new DataDirLockedError(
          `the data directory ${dir} is in use by another Cuntong process (pid ${pid}). ` +
            'Embedded PGlite allows one process per directory: stop the other one, or set DATA_DIR to another directory ' +
            '(or DATABASE_URL to a PostgreSQL server).',
        );
      }
      if (pid === process.pid) {
        throw new DataDirLockedError(`the data directory ${dir} is already open in this process`);
      }
      rmSync(lockPath, { force: true }); // stale lock
    }
  }
  throw new DataDirLockedError(`could not lock ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function connect(opts: ConnectOptions): Promise<Database> {
  if (opts.databaseUrl) return connectPostgres(opts.databaseUrl, opts.schema);
  return connectPglite(opts.dataDir ?? 'memory://', opts.loadDataDir);
}

async function connectPglite(dataDir: string, loadDataDir?: Blob): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const memory = dataDir.startsWith('memory://');
  let unlock = () => {};
  let dir = dataDir;
  if (!memory) {
    unlock = lockDataDir(dataDir);
    dir = join(dataDir, 'pglite');
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  }
  let pglite;
  try {
    pglite = await PGlite.create(dir, loadDataDir ? { loadDataDir } : {});
  } catch (err) {
    unlock();
    throw err;
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    engine: 'pglite',
    pglite,
    async close() {
      await db.destroy();
      unlock();
    },
  };
}

async function connectPostgres(url: string, schema?: string): Promise<Database> {
  const pg = await import('pg');
  // PGlite returns int8 as number; pg returns strings. Align on numbers (our counts fit in 2^53).
  pg.default.types.setTypeParser(20, (v: string) => Number(v));
  pg.default.types.setTypeParser(1700, (v: string) => Number(v));
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const pool = new pg.default.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema},public` } : {}),
  });
  if (schema) {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    async close() {
      await db.destroy();
    },
  };
}

/** Drops a schema made for a test or a bench (connect with databaseSchema) and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const pg = await import('pg');
  const c = new pg.default.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await c.end();
  }
}

/** Reachability check for /readyz. */
export async function ping(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}
