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

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const extract = JSON.parse(readFileSync(root + `data/divisions/${region}.json`, 'utf8')) as DivisionExtract;
const t1 = performance.now();
const index = buildAddressIndex(extract);
const t2 = performance.now();
const cpuLoad = process.cpuUsage(cpu0);

const corpus = readRows('data/address-corpus/generated.jsonl');
const holdout = readRows('data/address-corpus/holdout.jsonl');
const hand = readRows('data/address-corpus/handwritten.jsonl');
const inputs = [...corpus, ...holdout, ...hand].map((r) => r.input);

// Warm-up, then timed passes. Resolution is single-threaded: addresses per CPU-second of this
// process is the one-core figure even when the machine is shared; wall-clock is printed too.
for (const a of inputs) index.resolve(a);
function run(list: string[], ms: number): { wall: number; cpu: number } {
  let n = 0;
  const c0 = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (const a of list) index.resolve(a);
    n += list.length;
  }
  const wall = (performance.now() - start) / 1000;
  const c = process.cpuUsage(c0);
  return { wall: n / wall, cpu: n / ((c.user + c.system) / 1e6) };
}
const all = run(inputs, 3000);
// Typical addresses only (without the 1,000–20,000-character hostile rows).
const typical = run(inputs.filter((a) => a.length <= 200), 2000);
const fmt = (x: number) => Math.round(x).toLocaleString('en');

const out = [
  `address resolution bench (region ${region}, ${index.villageCount} villages, node ${process.version})`,
  `index load: ${(t2 - t0).toFixed(0)} ms (read+parse extract ${(t1 - t0).toFixed(0)} ms, build ${(t2 - t1).toFixed(0)} ms; ${((cpuLoad.user + cpuLoad.system) / 1000).toFixed(0)} ms CPU)   baseline ≤ 1000 ms`,
  `throughput, whole corpus incl. hostile rows: ${fmt(all.cpu)} addresses per CPU-second (${fmt(all.wall)}/s wall clock)   baseline ≥ 20,000/s on one core`,
  `throughput, typical addresses (≤200 chars): ${fmt(typical.cpu)} addresses per CPU-second (${fmt(typical.wall)}/s wall clock)`,
  '',
  formatReport(`corpus (data/address-corpus/generated.jsonl, ${corpus.length} rows)`, scoreCorpus(index, corpus)),
  '',
  formatReport(`holdout (data/address-corpus/holdout.jsonl, ${holdout.length} rows)`, scoreCorpus(index, holdout)),
  '',
  formatReport(`hand-written (data/address-corpus/handwritten.jsonl, ${hand.length} rows)`, scoreCorpus(index, hand)),
];
process.stdout.write(out.join('\n') + '\n');
