import { describe, expect, it } from 'vitest';
import { figure, percentile, ratio } from './kpi.ts';

describe('KPI formulas', () => {
  it('divides, and says null rather than inventing a rate with nothing to divide', () => {
    expect(ratio(3, 4)).toBe(0.75);
    expect(ratio(0, 0)).toBeNull();
  });
  it('interpolates percentiles', () => {
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90)).toBeCloseTo(91);
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([], 90)).toBeNull();
    expect(percentile([3, 1, 2], 50)).toBe(2);
  });
  it('explains every figure in both languages', () => {
    const f = figure('directMailRate', 1);
    expect(f.unit).toBe('ratio');
    expect(f.formula.zh).toContain('直接通邮率');
    expect(f.formula.en).toMatch(/Direct-mail/);
  });
});
