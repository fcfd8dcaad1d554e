import { describe, expect, it } from 'vitest';
import { type AgreementTerms, type Fact, buildStatement, localDate, monthRange } from './statement.ts';

const terms = (id: string, validFrom: string, validTo: string | null, door: number): AgreementTerms => ({ id, validFrom, validTo, doorRateFen: door, stationRateFen: 80, remoteSurchargeFen: 50, returnRateFen: 60, lossDeductionFen: 2000, damageDeductionFen: 1000, lateDeductionFen: 30, promiseHours: 72 });
const fact = (id: string, kind: Fact['kind'], at: string, over: Partial<Fact> = {}): Fact => ({ parcelId: id, waybillNo: `W${id}`, kind, at, remote: false, manifestedAt: at, ...over });

describe('settlement statement', () => {
  it('uses local (UTC+8) dates and months', () => {
    expect(localDate('2026-10-31T16:30:00Z')).toBe('2026-11-01');
    expect(monthRange('2026-11').start.toISOString()).toBe('2026-10-31T16:00:00.000Z');
  });
  it('prices at the agreement in force on each date, with surcharges, returns and deductions as their own lines', () => {
    const a = [terms('agr_old', '2026-01-01', '2026-11-14', 150), terms('agr_new', '2026-11-15', null, 170)];
    const s = buildStatement({ partnerCode: 'ZTO', countyCode: '522732', month: '2026-11', agreements: a, facts: [
      fact('1', 'door', '2026-11-10T02:00:00Z'),
      fact('2', 'door', '2026-11-20T02:00:00Z', { remote: true }),
      fact('2', 'door', '2026-11-21T02:00:00Z'), // a second door fact of the same parcel counts once
      fact('3', 'station', '2026-11-20T02:00:00Z', { manifestedAt: '2026-11-10T02:00:00Z' }),
      fact('4', 'return', '2026-11-20T02:00:00Z'),
      fact('5', 'loss', '2026-11-20T02:00:00Z'),
      fact('6', 'door', '2026-12-01T02:00:00Z'), // next month
    ] });
    expect(s.lines.map((l) => [l.kind, l.agreementId, l.unitFen, l.quantity])).toEqual([
      ['door', 'agr_new', 170, 1], ['door', 'agr_old', 150, 1], ['station', 'agr_new', 80, 1], ['remote_surcharge', 'agr_new', 50, 1],
      ['return', 'agr_new', 60, 1], ['deduction_loss', 'agr_new', -2000, 1], ['deduction_late', 'agr_new', -30, 1],
    ]);
    expect(s.totalFen).toBe(170 + 150 + 80 + 50 + 60 - 2000 - 30);
    const again = buildStatement({ partnerCode: 'ZTO', countyCode: '522732', month: '2026-11', agreements: [...a].reverse(), facts: [fact('1', 'door', '2026-11-10T02:00:00Z')] });
    expect(again.lines[0]!.agreementId).toBe('agr_old');
  });
});
