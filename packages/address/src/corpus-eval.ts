/**
 * Scores a labelled corpus against an index: per category, how many answers were right, and the
 * dangerous mistakes (a village where the truth is ambiguous/outside/unresolved, or the wrong village).
 * Pure; used by the corpus test and the benchmark.
 */
import type { AddressIndex } from './resolver.ts';
import type { Resolution } from './types.ts';

export interface CorpusRow {
  input: string;
  expected: 'resolved' | 'ambiguous' | 'outside' | 'unresolved';
  code?: string;
  category: string;
}

export interface CategoryScore {
  category: string;
  total: number;
  correct: number;
  /** A single village was given and it is wrong (wrong code, or the truth is not a single village). */
  wrongVillage: number;
  /** Expected a village, got ambiguous / unresolved / outside: a clerk looks at it (safe). */
  missed: number;
  /** Among answers `resolved`: share with the right village. */
  precision: number;
  /** Among rows expected `resolved`: share resolved to the right village; for other rows: share with the expected status. */
  recall: number;
}

export interface CorpusReport {
  categories: CategoryScore[];
  overall: CategoryScore;
  /** Rows expected resolved: share answered with the right village. */
  resolvableAccuracy: number;
  /** Rows expected ambiguous: share answered ambiguous. */
  ambiguousRecall: number;
  /** Rows expected outside or unresolved that got a village. */
  villagesForNonVillage: number;
  failures: Array<{ row: CorpusRow; got: Resolution }>;
}

export function isCorrect(row: CorpusRow, got: Resolution): boolean {
  if (row.expected === 'resolved') return got.status === 'resolved' && got.village.code === row.code;
  return got.status === row.expected;
}

export function scoreCorpus(index: AddressIndex, rows: CorpusRow[]): CorpusReport {
  const cats = new Map<string, { total: number; correct: number; wrongVillage: number; missed: number; resolvedAns: number; resolvedRight: number; expRes: number }>();
  const failures: CorpusReport['failures'] = [];
  let resolvable = 0, resolvableOk = 0, amb = 0, ambOk = 0, nonVillage = 0;
  const all = { total: 0, correct: 0, wrongVillage: 0, missed: 0, resolvedAns: 0, resolvedRight: 0, expRes: 0 };
  for (const row of rows) {
    const got = index.resolve(row.input);
    const c = cats.get(row.category) ?? { total: 0, correct: 0, wrongVillage: 0, missed: 0, resolvedAns: 0, resolvedRight: 0, expRes: 0 };
    cats.set(row.category, c);
    const ok = isCorrect(row, got);
    for (const s of [c, all]) {
      s.total++;
      if (ok) s.correct++;
      if (got.status === 'resolved') {
        s.resolvedAns++;
        if (row.expected === 'resolved' && got.village.code === row.code) s.resolvedRight++;
        else s.wrongVillage++;
      } else if (row.expected === 'resolved') s.missed++;
      if (row.expected === 'resolved') s.expRes++;
    }
    if (row.expected === 'resolved') { resolvable++; if (ok) resolvableOk++; }
    if (row.expected === 'ambiguous') { amb++; if (got.status === 'ambiguous') ambOk++; }
    if ((row.expected === 'outside' || row.expected === 'unresolved') && got.status === 'resolved') nonVillage++;
    if (!ok) failures.push({ row, got });
  }
  const fin = (category: string, s: typeof all): CategoryScore => ({
    category,
    total: s.total,
    correct: s.correct,
    wrongVillage: s.wrongVillage,
    missed: s.missed,
    precision: s.resolvedAns === 0 ? 1 : s.resolvedRight / s.resolvedAns,
    recall: s.expRes > 0 ? s.resolvedRight / s.expRes : s.total === 0 ? 1 : s.correct / s.total,
  });
  return {
    categories: [...cats.entries()].map(([k, s]) => fin(k, s)).sort((a, b) => a.category.localeCompare(b.category)),
    overall: fin('ALL', all),
    resolvableAccuracy: resolvable === 0 ? 1 : resolvableOk / resolvable,
    ambiguousRecall: amb === 0 ? 1 : ambOk / amb,
    villagesForNonVillage: nonVillage,
    failures,
  };
}

export function formatReport(title: string, r: CorpusReport): string {
  const pct = (x: number) => (100 * x).toFixed(1).padStart(6) + '%';
  const lines = [`${title}`, 'category                    rows  correct  precision  recall  wrong-village  to-clerk'];
  for (const c of [...r.categories, r.overall]) {
    lines.push(`${c.category.padEnd(26)} ${String(c.total).padStart(5)} ${String(c.correct).padStart(8)} ${pct(c.precision)}   ${pct(c.recall)} ${String(c.wrongVillage).padStart(14)} ${String(c.missed).padStart(9)}`);
  }
  lines.push(`resolvable → right village: ${pct(r.resolvableAccuracy)}; ambiguous → ambiguous: ${pct(r.ambiguousRecall)}; village for outside/garbage: ${r.villagesForNonVillage}`);
  return lines.join('\n');
}
