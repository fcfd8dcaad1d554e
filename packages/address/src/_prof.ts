import { readFileSync } from 'node:fs';
import { buildAddressIndex } from './index.ts';
const ex = JSON.parse(readFileSync('data/divisions/5227.json', 'utf8'));
const idx = buildAddressIndex(ex);
const inputs = ['generated', 'holdout'].flatMap((f) => readFileSync(`data/address-corpus/${f}.jsonl`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).input as string)).filter((a) => a.length < 200);
for (const a of inputs) idx.resolve(a);
const c0 = process.cpuUsage(); const t = performance.now(); let n = 0;
while (performance.now() - t < 4000) { for (const a of inputs) idx.resolve(a); n += inputs.length; }
const c = process.cpuUsage(c0); const cpu = (c.user + c.system) / 1e6;
console.log(Math.round(n / cpu), '/cpu-s', Math.round(n / ((performance.now() - t) / 1000)), '/wall-s');
