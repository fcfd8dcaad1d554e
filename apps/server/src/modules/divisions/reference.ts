import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DivisionExtract } from '@cuntong/domain/divisions/divisions.ts';

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));

/** Absolute path of a file in the repository (the server runs from the sources). */
export function repoPath(rel: string): string {
  return ROOT + rel;
}

/** The region the platform serves: REGION env, default 5227 (Qiannan). */
export function defaultRegion(): string {
  return process.env.REGION ?? '5227';
}

const cache = new Map<string, DivisionExtract>();

/** Loads data/divisions/<region>.json (made by `cuntong divisions extract <region>`). */
export function loadRegionExtract(region = defaultRegion()): DivisionExtract {
  const hit = cache.get(region);
  if (hit) return hit;
  const file = repoPath(`data/divisions/${region}.json`);
  if (!existsSync(file)) throw new Error(`no division extract for region ${region}: run \`npx cuntong divisions extract ${region}\` first`);
  const ex = JSON.parse(readFileSync(file, 'utf8')) as DivisionExtract;
  cache.set(region, ex);
  return ex;
}
