import { describe, expect, it } from 'vitest';
import { formatCode, freeSlot, holdAction, isCode, lockedUntil, parseDays } from './pickup.ts';

const t = (min: number) => new Date(Date.parse('2026-11-01T00:00:00Z') + min * 60_000);

describe('station rules', () => {
  it('formats 6-digit codes and finds the first free slot', () => {
    expect(formatCode(42)).toBe('000042');
    expect(isCode(formatCode(999_999))).toBe(true);
    expect(freeSlot(new Set())).toBe('A01');
    expect(freeSlot(new Set(['A01', 'A02']))).toBe('A03');
    expect(freeSlot(new Set(Array.from({ length: 50 }, (_, i) => `A${String(i + 1).padStart(2, '0')}`)))).toBe('B01');
  });
  it('locks after 5 wrong attempts within 15 minutes, until the window passes', () => {
    const fails = [t(0), t(1), t(2), t(3)];
    expect(lockedUntil(fails, t(4))).toBeNull();
    const five = [...fails, t(4)];
    expect(lockedUntil(five, t(5))?.toISOString()).toBe(t(15).toISOString());
    expect(lockedUntil(five, t(16))).toBeNull();
  });
  it('reminds on the configured days, then returns', () => {
    const p = { reminderDays: [2, 4], returnDays: 7 };
    const day = (d: number) => t(d * 1440);
    expect(holdAction(day(0), 0, day(1), p)).toBeNull();
    expect(holdAction(day(0), 0, day(2), p)).toEqual({ kind: 'remind', n: 1 });
    expect(holdAction(day(0), 1, day(3), p)).toBeNull();
    expect(holdAction(day(0), 1, day(4.5), p)).toEqual({ kind: 'remind', n: 2 });
    expect(holdAction(day(0), 2, day(7), p)).toEqual({ kind: 'return' });
    expect(parseDays('4, 2', [1])).toEqual([2, 4]);
    expect(parseDays('', [1])).toEqual([1]);
  });
});
