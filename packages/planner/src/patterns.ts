/**
 * Visit-day patterns: which weekdays a village is visited. A village needing n visits out of m
 * feasible days gets one of the distinct rotations of the evenly spread pattern (n = 3 of Mon–Sat:
 * Mon/Wed/Fri or Tue/Thu/Sat; n = 2: Mon/Thu, Tue/Fri, Wed/Sat; n = m: every day).
 */
import type { Weekday } from '@cuntong/domain/network/types.ts';

export function candidatePatterns(minVisits: number, feasibleDays: readonly Weekday[]): Weekday[][] {
  const days = [...new Set(feasibleDays)].sort((a, b) => a - b);
  const m = days.length;
  const n = Math.max(0, Math.min(minVisits, m));
  if (n === 0) return [[]];
  if (n === m) return [days];
  const out: Weekday[][] = [];
  const seen = new Set<string>();
  for (let r = 0; r < m; r++) {
    const p = new Set<Weekday>();
    for (let i = 0; i < n; i++) p.add(days[(r + Math.floor((i * m) / n)) % m] as Weekday);
    const sorted = [...p].sort((a, b) => a - b);
    const key = sorted.join(',');
    if (sorted.length === n && !seen.has(key)) {
      seen.add(key);
      out.push(sorted);
    }
  }
  return out;
}

/** Days the rule allows among the days a set of vehicles works. */
export function feasibleDays(allowed: readonly Weekday[], working: ReadonlySet<Weekday>): Weekday[] {
  return [...new Set(allowed)].filter((d) => working.has(d)).sort((a, b) => a - b);
}

/** Days as "一三五" for reasons and labels. */
export function daysLabel(days: readonly Weekday[]): string {
  const cn = ['', '一', '二', '三', '四', '五', '六', '日'];
  return `周${days.map((d) => cn[d] ?? String(d)).join('')}`;
}
