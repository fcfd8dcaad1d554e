/**
 * npm run bench:address — address resolution on one core, after the index is loaded.
 * Prints: index load time (read + parse the extract, build the index), addresses per second over the
 * corpus (repeated), and accuracy on the labelled corpus and the holdout. Baseline targets:
 * ≥ 20,000 addresses/s, index load ≤ 1 s for a prefecture.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DivisionExtract } from '@cuntong/domain/divisions/divisions.ts';
import { buildAddressIndex } from '@cuntong/address';
import { scoreCorpus, formatReport, type CorpusRow } from '@cuntong/address/corpus-eval.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const region = process.env.REGION ?? '5227';
const readRows = (f: string): CorpusRow[] => readFileSync(root + f, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as CorpusRow);

const t0 = performance.now();
const extract = JSON.parse(readFileSync(root + `data/divisions/${region}.json`, 'utf8')) as DivisionExtract;
const t1 = performance.now();
const index = buildAddressIndex(extract);
const t2 = performance.now();

const corpus = readRows('data/address-corpus/generated.jsonl');
const holdout = readRows('data/address-corpus/holdout.jsonl');
const hand = readRows('data/address-corpus/handwritten.jsonl');
const inputs = [...corpus, ...holdout, ...hand].map((r) => r.input);

// Warm-up, then timed passes over the whole corpus.
for (const a of inputs) index.resolve(a);
let n = 0;
const start = performance.now();
while (performance.now() - start < 3000) {
  for (const a of inputs) index.resolve(a);
  n += inputs.length;
}
const elapsed = (performance.now() - start) / 1000;
// Typical addresses only (without the 1,000–20,000-character hostile rows).
const typical = inputs.filter((a) => a.length <= 200);
let m = 0;
const s2 = performance.now();
while (performance.now() - s2 < 2000) {
  for (const a of typical) index.resolve(a);
  m += typical.length;
}
const e2 = (performance.now() - s2) / 1000;

const out = [
  `address resolution bench (region ${region}, ${index.villageCount} villages, node ${process.version})`,
  `index load: ${(t2 - t0).toFixed(0)} ms (read+parse extract ${(t1 - t0).toFixed(0)} ms, build ${(t2 - t1).toFixed(0)} ms)   baseline ≤ 1000 ms`,
  `throughput, whole corpus incl. hostile rows: ${Math.round(n / elapsed).toLocaleString('en')} addresses/s   baseline ≥ 20,000/s`,
  `throughput, typical addresses (≤200 chars): ${Math.round(m / e2).toLocaleString('en')} addresses/s`,
  '',
  formatReport(`corpus (data/address-corpus/generated.jsonl, ${corpus.length} rows)`, scoreCorpus(index, corpus)),
  '',
  formatReport(`holdout (data/address-corpus/holdout.jsonl, ${holdout.length} rows)`, scoreCorpus(index, holdout)),
  '',
  formatReport(`hand-written (data/address-corpus/handwritten.jsonl, ${hand.length} rows)`, scoreCorpus(index, hand)),
];
process.stdout.write(out.join('\n') + '\n');
