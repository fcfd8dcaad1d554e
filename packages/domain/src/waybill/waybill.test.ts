import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatS10, makeS10, parseS10, s10CheckDigit, s10Problem, s10WeightedSum, validateS10 } from './s10.ts';
import { domesticSerial, formatDomesticWaybill, isLuhnValid, luhnCheckDigit, makeDomesticWaybill, validateDomesticWaybill } from './domestic.ts';
import { allocate, allocateFrom, assertDisjoint, DEFAULT_RANGE, RangeExhaustedError, rangesOverlap, type WaybillRange } from './allocator.ts';

// standards.md §1.3 and §1.4, every row.
const VECTORS: Array<[serial: string, s: number, check: number]> = [
  ['47312482', 200, 9],
  ['12345678', 204, 5],
  ['98765432', 236, 6],
  ['00000001', 7, 4],
  ['00000008', 56, 0], // raw 10 → 0
  ['11111111', 44, 5], // raw 11 → 5
  ['00000000', 0, 5], // raw 11 → 5, all zeros
  ['32345678', 220, 5], // raw 11 → 5, collides with 12345678
];

describe('S10', () => {
  it.each(VECTORS)('serial %s: S = %i, check digit %i', (serial, s, check) => {
    expect(s10WeightedSum(serial)).toBe(s);
    expect(s10CheckDigit(serial)).toBe(check);
    expect(validateS10(`EE${serial}${check}CN`)).toBe(true);
  });

  it('validates the worked example and rejects a wrong check digit', () => {
    expect(validateS10('EE473124829CN')).toBe(true);
    expect(validateS10('EE473124828CN')).toBe(false);
    expect(s10Problem('EE473124828CN')).toBe('check_digit');
  });

  it('rejects malformed identifiers', () => {
    for (const bad of ['', 'EE47312482CN', 'E1473124829CN', 'EE473124829C1', 'ee473124829cn', 'EE4731248290CN', 'EE 473124829 CN']) {
      expect(s10Problem(bad)).toBe('format');
    }
  });

  it('checks service indicator and country against configuration', () => {
    expect(s10Problem('EE473124829CN', { countryCodes: ['CN'], serviceIndicators: ['EE', 'CA'] })).toBeNull();
    expect(s10Problem('EE473124829CN', { countryCodes: ['HK'] })).toBe('country_code');
    expect(s10Problem('EE473124829CN', { serviceIndicators: ['RR'] })).toBe('service_indicator');
  });

  it('makes, parses and formats', () => {
    expect(makeS10('EE', 47312482, 'CN')).toBe('EE473124829CN');
    expect(makeS10('CA', 8, 'CN')).toBe('CA000000080CN');
    expect(parseS10('ee 473 124 829 cn')).toEqual({ serviceIndicator: 'EE', serial: '47312482', checkDigit: 9, countryCode: 'CN' });
    expect(formatS10('EE473124829CN')).toBe('EE 473 124 829 CN');
    expect(() => parseS10('EE473124828CN')).toThrow(/check_digit/);
  });

  it('does not catch every single-digit error (the 5 collision): documents the limit', () => {
    // 12345678 → 32345678 changes one digit and keeps check digit 5: undetected.
    expect(validateS10('EE123456785CN')).toBe(true);
    expect(validateS10('EE323456785CN')).toBe(true);
  });

  it('always changes S mod 11 on a single-digit substitution (weights coprime to 11)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{8}$/), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 9 }), (serial, pos, delta) => {
        const d = (Number(serial[pos]) + delta) % 10;
        const changed = serial.slice(0, pos) + d + serial.slice(pos + 1);
        expect(s10WeightedSum(changed) % 11).not.toBe(s10WeightedSum(serial) % 11);
      }),
    );
  });
});

describe('domestic waybill numbers', () => {
  it('computes Luhn digits (known vectors)', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3); // classic example 79927398713
    expect(isLuhnValid('79927398713')).toBe(true);
    expect(isLuhnValid('79927398710')).toBe(false);
  });

  it('makes numbers with prefix, zero-padded serial and check digit', () => {
    const no = makeDomesticWaybill({ prefix: '9527', serialWidth: 9 }, 1);
    expect(no).toMatch(/^9527000000001\d$/);
    expect(no).toHaveLength(14);
    expect(validateDomesticWaybill(no)).toBe(true);
    expect(domesticSerial(no)).toBe(1);
    expect(formatDomesticWaybill(no)).toBe(`9527 0000 0000 1${no.at(-1)}`);
  });

  it('catches every single-digit substitution', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 9 }), (serial, pos, delta) => {
        const no = makeDomesticWaybill({ prefix: '9527', serialWidth: 9 }, serial);
        const d = (Number(no[pos]) + delta) % 10;
        const changed = no.slice(0, pos) + d + no.slice(pos + 1);
        expect(isLuhnValid(changed)).toBe(false);
      }),
    );
  });

  it('rejects wrong prefix, length and out-of-range serials', () => {
    const no = makeDomesticWaybill({ prefix: '9527', serialWidth: 9 }, 42);
    expect(validateDomesticWaybill(no, { prefix: '9528', serialWidth: 9 })).toBe(false);
    expect(validateDomesticWaybill(no.slice(1))).toBe(false);
    expect(() => makeDomesticWaybill({ prefix: '9527', serialWidth: 9 }, 1e9)).toThrow();
    expect(() => makeDomesticWaybill({ prefix: '95a', serialWidth: 9 }, 1)).toThrow();
  });
});

describe('allocator', () => {
  const range: WaybillRange = { id: 'r1', scheme: { kind: 'domestic', prefix: '9527', serialWidth: 9 }, from: 100, to: 104, next: 100 };

  it('returns consecutive numbers and a new cursor without mutating the input', () => {
    const a = allocate(range, 3);
    expect(a.numbers.map((n) => domesticSerial(n))).toEqual([100, 101, 102]);
    expect(a.range.next).toBe(103);
    expect(a.expectedNext).toBe(100);
    expect(range.next).toBe(100);
    const b = allocate(a.range, 2);
    expect(b.numbers.map((n) => domesticSerial(n))).toEqual([103, 104]);
    expect(() => allocate(b.range, 1)).toThrow(RangeExhaustedError);
  });

  it('never issues a number twice across successive allocations', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 20 }), (counts) => {
        let r: WaybillRange = { ...DEFAULT_RANGE };
        const seen = new Set<string>();
        for (const c of counts) {
          const a = allocate(r, c);
          for (const n of a.numbers) {
            expect(seen.has(n)).toBe(false);
            seen.add(n);
          }
          r = a.range;
        }
      }),
    );
  });

  it('rejects an exhausted request atomically and spills over to the next range', () => {
    expect(() => allocate(range, 6)).toThrow(/5 numbers left, 6 requested/);
    const r2: WaybillRange = { ...range, id: 'r2', from: 200, to: 299, next: 200 };
    const res = allocateFrom([range, r2], 7);
    expect(res.numbers.map((n) => domesticSerial(n))).toEqual([100, 101, 102, 103, 104, 200, 201]);
    expect(res.updates.map((u) => [u.range.id, u.range.next])).toEqual([['r1', 105], ['r2', 202]]);
  });

  it('issues S10 identifiers from an S10 range', () => {
    const s10: WaybillRange = { id: 's', scheme: { kind: 's10', serviceIndicator: 'EE', countryCode: 'CN' }, from: 47312482, to: 47312490, next: 47312482 };
    expect(allocate(s10, 1).numbers).toEqual(['EE473124829CN']);
  });

  it('detects overlapping ranges, including across prefixes of different length', () => {
    expect(rangesOverlap(range, { ...range, id: 'x', from: 104, to: 110, next: 104 })).toBe(true);
    expect(rangesOverlap(range, { ...range, id: 'x', from: 105, to: 110, next: 105 })).toBe(false);
    const a: WaybillRange = { id: 'a', scheme: { kind: 'domestic', prefix: '95', serialWidth: 11 }, from: 27_000_000_000, to: 27_999_999_999, next: 27_000_000_000 };
    expect(rangesOverlap(a, { ...range, from: 0, to: 10, next: 0 })).toBe(true);
    expect(() => assertDisjoint([range, a])).toThrow(/overlap/);
    expect(() => assertDisjoint([range, { ...range, id: 'b', scheme: { kind: 'domestic', prefix: '9528', serialWidth: 9 } }])).not.toThrow();
  });

  it('validates range configuration', () => {
    expect(() => allocate({ ...range, next: 99 }, 1)).toThrow(/cursor/);
    expect(() => allocate({ ...range, to: 1e9 }, 1)).toThrow(/maximum/);
  });
});
