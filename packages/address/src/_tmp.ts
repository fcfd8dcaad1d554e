import { readFileSync } from 'node:fs';
import { buildAddressIndex } from './index.ts';
import { scoreCorpus, formatReport, type CorpusRow } from './corpus-eval.ts';
const ex = JSON.parse(readFileSync('data/divisions/5227.json', 'utf8'));
const idx = buildAddressIndex(ex);
for (const f of process.argv.slice(2)) {
  const rows = readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as CorpusRow);
  const t0 = performance.now();
  const r = scoreCorpus(idx, rows);
  console.log(formatReport(f, r), (performance.now() - t0).toFixed(0) + 'ms');
  for (const x of r.failures.slice(0, 60)) console.log(JSON.stringify(x.row).slice(0, 200), '=>', x.got.status, x.got.status === 'resolved' ? x.got.village.name + x.got.village.town : x.got.status === 'ambiguous' ? x.got.candidates.map(c => c.name + c.town + c.score).join(',') : '');
}
