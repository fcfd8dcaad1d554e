/**
 * Pure allocation of waybill numbers from configured ranges.
 *
 * A range is a block of serials [from, to] (inclusive) with a cursor `next` (the first unused
 * serial). `allocate` returns the numbers and the new range; it never mutates its input.
 *
 * Uniqueness forever is the database's job, and this module is shaped for it:
 * - the caller persists the new cursor with a compare-and-set
 *   (`UPDATE waybill_ranges SET next = $newNext WHERE id = $id AND next = $expectedNext`) and retries
 *   on a lost race, so two processes can never hand out the same block;
 * - `rangesOverlap` / `assertDisjoint` reject a configuration in which two ranges of the same
 *   scheme could produce the same number;
 * - a range is never rewound: `next` only grows, and a retired range stays in the ledger
 *   (S10 forbids reuse within 12 months; we never reuse at all);
 * - the issued numbers should also get a UNIQUE constraint in the parcels table.
 */
import { makeS10 } from './s10.ts';
import { makeDomesticWaybill, type DomesticScheme } from './domestic.ts';

export type WaybillScheme =
  | ({ kind: 'domestic' } & DomesticScheme)
  | { kind: 's10'; serviceIndicator: string; countryCode: string };

export interface WaybillRange {
  id: string;
  scheme: WaybillScheme;
  /** First serial of the block (inclusive). */
  from: number;
  /** Last serial of the block (inclusive). */
  to: number;
  /** First serial not yet issued; `to + 1` when exhausted. */
  next: number;
}

export interface Allocation {
  numbers: string[];
  /** The range with the advanced cursor, to persist. */
  range: WaybillRange;
  /** The cursor the caller must still find in storage for its compare-and-set to succeed. */
  expectedNext: number;
}

export class RangeExhaustedError extends Error {
  constructor(readonly rangeId: string, readonly requested: number, readonly remaining: number) {
    super(`waybill range ${rangeId} has ${remaining} numbers left, ${requested} requested`);
    this.name = 'RangeExhaustedError';
  }
}

export const DEFAULT_RANGE: WaybillRange = {
  id: 'wbr_default_qn',
  scheme: { kind: 'domestic', prefix: '9527', serialWidth: 9 },
  from: 1,
  to: 999_999_999,
  next: 1,
};

export function schemeMaxSerial(s: WaybillScheme): number {
  return s.kind === 's10' ? 99_999_999 : 10 ** s.serialWidth - 1;
}

export function validateRange(r: WaybillRange): void {
  const max = schemeMaxSerial(r.scheme);
  for (const [k, v] of [['from', r.from], ['to', r.to], ['next', r.next]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`range ${r.id}: ${k} must be a non-negative integer`);
  }
  if (r.from > r.to) throw new RangeError(`range ${r.id}: from > to`);
  if (r.to > max) throw new RangeError(`range ${r.id}: to ${r.to} exceeds the scheme maximum ${max}`);
  if (r.next < r.from || r.next > r.to + 1) throw new RangeError(`range ${r.id}: cursor ${r.next} outside [${r.from}, ${r.to + 1}]`);
}

export function remaining(r: WaybillRange): number {
  return r.to + 1 - r.next;
}

export function formatSerial(s: WaybillScheme, serial: number): string {
  return s.kind === 's10' ? makeS10(s.serviceIndicator, serial, s.countryCode) : makeDomesticWaybill(s, serial);
}

export function allocate(r: WaybillRange, count: number): Allocation {
  validateRange(r);
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer: ${count}`);
  const left = remaining(r);
  if (count > left) throw new RangeExhaustedError(r.id, count, left);
  const numbers = new Array<string>(count);
  for (let i = 0; i < count; i++) numbers[i] = formatSerial(r.scheme, r.next + i);
  return { numbers, range: { ...r, next: r.next + count }, expectedNext: r.next };
}

/**
 * Allocates across several ranges in order (e.g. when the first is nearly exhausted).
 * Returns the numbers and every range whose cursor moved.
 */
export function allocateFrom(ranges: readonly WaybillRange[], count: number): { numbers: string[]; updates: Allocation[] } {
  const numbers: string[] = [];
  const updates: Allocation[] = [];
  let need = count;
  for (const r of ranges) {
    if (need === 0) break;
    const take = Math.min(need, remaining(r));
    if (take === 0) continue;
    const a = allocate(r, take);
    numbers.push(...a.numbers);
    updates.push(a);
    need -= take;
  }
  if (need > 0) throw new RangeExhaustedError(ranges.map((r) => r.id).join(','), count, count - need);
  return { numbers, updates };
}

/**
 * The issued numbers of a range as an interval of integers in a key space: two ranges can
 * issue the same number exactly when their keys match and their intervals intersect. For domestic
 * schemes the body (number without check digit) is the integer, so prefix 95 + width 10 and
 * prefix 952 + width 9 are compared correctly.
 */
function keyInterval(r: WaybillRange): { key: string; lo: bigint; hi: bigint } {
  const s = r.scheme;
  if (s.kind === 's10') return { key: `s10:${s.serviceIndicator}:${s.countryCode}`, lo: BigInt(r.from), hi: BigInt(r.to) };
  const base = BigInt(s.prefix) * 10n ** BigInt(s.serialWidth);
  return { key: `dom:${s.prefix.length + s.serialWidth}`, lo: base + BigInt(r.from), hi: base + BigInt(r.to) };
}

/** Whether two ranges could issue the same number. */
export function rangesOverlap(a: WaybillRange, b: WaybillRange): boolean {
  const x = keyInterval(a);
  const y = keyInterval(b);
  return x.key === y.key && x.lo <= y.hi && y.lo <= x.hi;
}

export function assertDisjoint(ranges: readonly WaybillRange[]): void {
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const a = ranges[i];
      const b = ranges[j];
      if (a && b && rangesOverlap(a, b)) throw new RangeError(`waybill ranges ${a.id} and ${b.id} overlap`);
    }
  }
}
