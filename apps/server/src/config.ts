import { resolve } from 'node:path';

/** Environment, parsed once. Every knob the server has is here and in README's configuration table. */
export interface Config {
  port: number;
  host: string;
  /** Where the embedded PGlite database lives (DATA_DIR, default ./data). Ignored with DATABASE_URL. */
  dataDir: string;
  /** postgres://… to run on a PostgreSQL server instead of embedded PGlite. */
  databaseUrl?: string;
  /** PostgreSQL schema to use (tests use a fresh one per run); default public. */
  databaseSchema?: string;
  /** Region (division code) the branch serves; its extract is data/divisions/<region>.json. */
  region: string;
  /** Load the Qiannan demo network and demo users when the database is empty. */
  seedDemo: boolean;
  logLevel: string;
  /** Session token lifetime. */
  sessionTtlS: number;
  /** Map tile URL template for the console, e.g. https://tile.example/{z}/{x}/{y}.png; none = plain map. */
  mapTileUrl?: string;
  /** Largest accepted request body (bytes); uploads have their own limit. */
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  /** Serve the web console from apps/web/dist. */
  serveWeb: boolean;
  /** OSRM server for road distances in planning (its table API); none = great circle × detour factor. */
  osrmUrl?: string;
}

function int(name: string, value: string | undefined, dflt: number): number {
  if (value === undefined || value === '') return dflt;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const cfg: Config = {
    port: int('PORT', env.PORT, 8080),
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || undefined,
    region: env.REGION ?? '5227',
    seedDemo: env.SEED_DEMO !== '0',
    logLevel: env.LOG_LEVEL ?? 'info',
    sessionTtlS: int('SESSION_TTL_S', env.SESSION_TTL_S, 12 * 3600),
    mapTileUrl: env.MAP_TILE_URL || undefined,
    bodyLimitBytes: int('BODY_LIMIT_BYTES', env.BODY_LIMIT_BYTES, 16 * 1024 * 1024),
    uploadLimitBytes: int('UPLOAD_LIMIT_BYTES', env.UPLOAD_LIMIT_BYTES, 20 * 1024 * 1024),
    serveWeb: env.SERVE_WEB !== '0',
    osrmUrl: env.OSRM_URL || undefined,
    ...overrides,
  };
  return cfg;
}
