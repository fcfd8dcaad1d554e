import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { code128, code128Bwip, moduleWidthMm, qrMatrix } from './barcode.ts';

describe('Code 128', () => {
  it('fast subset-C path equals bwip-js for every even-length digit string', () => {
    // every pair value 00–99 in first position, then random numbers (covers the check values too)
    for (let v = 0; v < 100; v++) {
      const s = String(v).padStart(2, '0') + '27000000001';
      const t = s + '3';
      expect(code128(t).widths).toEqual(code128Bwip(t).widths);
    }
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,12}$/), (half) => {
        const t = half + half.split('').reverse().join('');
        expect(code128(t)).toEqual(code128Bwip(t));
      }),
      { numRuns: 500 },
    );
  });

  it('uses bwip-js for other text and starts and ends with a bar', () => {
    const c = code128('EE473124829CN');
    expect(c).toEqual(code128Bwip('EE473124829CN'));
    expect(c.widths.length % 2).toBe(1);
    expect(code128('95270000000013').modules).toBe(112); // 11 × (1 start + 7 pairs + 1 check) + 13 stop
  });

  it('keeps 10 quiet modules on each side within the available width', () => {
    fc.assert(
      fc.property(fc.integer({ min: 50, max: 400 }), fc.integer({ min: 40, max: 95 }), (modules, avail) => {
        const m = moduleWidthMm(modules, avail);
        expect((modules + 20) * m).toBeLessThanOrEqual(avail + 1e-9);
        expect(m).toBeLessThanOrEqual(0.5);
      }),
    );
  });
});

describe('QR', () => {
  it('produces a square matrix with finder patterns', () => {
    const q = qrMatrix('95270000000013');
    expect(q.size).toBe(21);
    for (const [r, c] of [[0, 0], [0, 14], [14, 0]] as const) {
      expect(q.get(r, c) && q.get(r + 6, c + 6) && q.get(r + 3, c + 3) && !q.get(r + 1, c + 1)).toBe(true);
    }
  });
});
