/**
 * The labelled corpus (data/address-corpus): generated (tuned on), holdout (not tuned on) and
 * hand-written cases. Prints precision/recall per category and asserts the targets:
 * resolvable → right village ≥ 99%; ambiguous → `ambiguous` ≥ 95%; never a village for
 * outside-region or garbage input.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatReport, scoreCorpus, type CorpusRow } from './corpus-eval.ts';
import { index5227, REPO } from './test-fixture.ts';

const read = (f: string): CorpusRow[] => readFileSync(REPO + 'data/address-corpus/' + f, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as CorpusRow);

describe.each(['generated.jsonl', 'holdout.jsonl', 'handwritten.jsonl'])('corpus %s', (file) => {
  it('meets the accuracy targets', () => {
    const rows = read(file);
    expect(rows.length).toBeGreaterThan(50);
    const report = scoreCorpus(index5227(), rows);
    process.stdout.write('\n' + formatReport(file, report) + '\n');
    for (const f of report.failures.slice(0, 20)) process.stdout.write(`  FAIL ${JSON.stringify(f.row)} → ${JSON.stringify(f.got)}\n`);
    expect(report.resolvableAccuracy).toBeGreaterThanOrEqual(0.99);
    expect(report.ambiguousRecall).toBeGreaterThanOrEqual(0.95);
    expect(report.villagesForNonVillage).toBe(0);
  });
});

describe('corpus labels', () => {
  it('the generated corpus has at least 2,000 rows and covers every category', () => {
    const rows = read('generated.jsonl');
    expect(rows.length).toBeGreaterThanOrEqual(2000);
    const cats = new Set(rows.map((r) => r.category));
    for (const c of ['full', 'partial-levels', 'traditional', 'noise', 'recipient', 'alias', 'homophone', 'duplicate-ambiguous', 'outside', 'garbage', 'no-village']) expect(cats).toContain(c);
    for (const r of rows) if (r.expected === 'resolved') expect(r.code).toMatch(/^\d{12}$/);
  });
});
