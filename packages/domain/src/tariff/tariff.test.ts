import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../errors.ts';
import { chargeableWeightG, DEFAULT_TARIFF, quote, selectTariff, validateTariff, volumetricWeightG, zoneFor, type ContractPrice } from './tariff.ts';

const DUYUN = '522701';
const SHENZHEN_NANSHAN = '440305';
const CHENGDU = '510104';
const URUMQI = '650102';

describe('zones', () => {
  it('maps provinces to the default zones', () => {
    expect(zoneFor(DEFAULT_TARIFF, DUYUN).name).toBe('省内');
    expect(zoneFor(DEFAULT_TARIFF, CHENGDU).name).toBe('邻省');
    expect(zoneFor(DEFAULT_TARIFF, '500101').name).toBe('邻省'); // 重庆
    expect(zoneFor(DEFAULT_TARIFF, SHENZHEN_NANSHAN).name).toBe('一般');
    expect(zoneFor(DEFAULT_TARIFF, URUMQI).name).toBe('远程');
    expect(zoneFor(DEFAULT_TARIFF, '540102').name).toBe('远程'); // 拉萨
  });

  it('covers every mainland province exactly once and refuses Hong Kong', () => {
    validateTariff(DEFAULT_TARIFF);
    const all = DEFAULT_TARIFF.zones.flatMap((z) => z.provinces);
    expect(all).toHaveLength(31);
    expect(() => zoneFor(DEFAULT_TARIFF, '810000')).toThrow(DomainError);
  });
});

describe('weight steps', () => {
  // 省内: first 1 kg ¥8, then ¥2 per started kg. 一般: first 1 kg ¥12, then ¥3 per started 0.5 kg.
  it.each([
    [DUYUN, 1, 800],
    [DUYUN, 1000, 800],
    [DUYUN, 1001, 1000],
    [DUYUN, 2000, 1000],
    [DUYUN, 2001, 1200],
    [SHENZHEN_NANSHAN, 1000, 1200],
    [SHENZHEN_NANSHAN, 1001, 1500],
    [SHENZHEN_NANSHAN, 1500, 1500],
    [SHENZHEN_NANSHAN, 1501, 1800],
    [URUMQI, 3000, 2000 + 4 * 800],
  ])('%s %i g → %i fen', (dest, g, fen) => {
    expect(quote(DEFAULT_TARIFF, { destinationCode: dest, weightG: g }).totalFen).toBe(fen);
  });

  it('is monotonic in weight and always covers the chargeable weight', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 49_999 }), fc.constantFrom(DUYUN, CHENGDU, SHENZHEN_NANSHAN, URUMQI), (g, dest) => {
        const a = quote(DEFAULT_TARIFF, { destinationCode: dest, weightG: g });
        const b = quote(DEFAULT_TARIFF, { destinationCode: dest, weightG: g + 1 });
        expect(b.totalFen).toBeGreaterThanOrEqual(a.totalFen);
        expect(a.billedWeightG).toBeGreaterThanOrEqual(a.chargeableWeightG);
        expect(a.lines.reduce((s, l) => s + l.amountFen, 0)).toBe(a.totalFen);
      }),
    );
  });

  it('rejects bad and excessive weights', () => {
    expect(() => quote(DEFAULT_TARIFF, { destinationCode: DUYUN, weightG: 0 })).toThrow(/weight/);
    expect(() => quote(DEFAULT_TARIFF, { destinationCode: DUYUN, weightG: 50_001 })).toThrow(/exceeds/);
  });
});

describe('volumetric weight', () => {
  it('divides L×W×H by the divisor and rounds up to the gram', () => {
    expect(volumetricWeightG({ lengthCm: 40, widthCm: 30, heightCm: 20 }, 8000)).toBe(3000);
    expect(volumetricWeightG({ lengthCm: 40, widthCm: 30, heightCm: 20 }, 6000)).toBe(4000);
    expect(volumetricWeightG({ lengthCm: 10, widthCm: 10, heightCm: 10.1 }, 6000)).toBe(169); // 168.33…
    expect(() => volumetricWeightG({ lengthCm: 0, widthCm: 1, heightCm: 1 }, 6000)).toThrow();
  });

  it('charges the larger of actual and volumetric weight', () => {
    expect(chargeableWeightG(2500, { lengthCm: 40, widthCm: 30, heightCm: 20 }, 8000)).toEqual({ volumetricG: 3000, chargeableG: 3000 });
    expect(chargeableWeightG(3500, { lengthCm: 40, widthCm: 30, heightCm: 20 }, 8000)).toEqual({ volumetricG: 3000, chargeableG: 3500 });
    // A light, bulky box of rice noodles to Chengdu: 1.2 kg actual, 50×40×30 → 7.5 kg volumetric.
    const q = quote(DEFAULT_TARIFF, { destinationCode: CHENGDU, weightG: 1200, dimensions: { lengthCm: 50, widthCm: 40, heightCm: 30 } });
    expect(q.volumetricWeightG).toBe(7500);
    expect(q.chargeableWeightG).toBe(7500);
    expect(q.totalFen).toBe(1000 + 7 * 400);
    expect(q.tariffVersion).toBe(DEFAULT_TARIFF.version);
  });
});

describe('contract prices', () => {
  const contract: ContractPrice = {
    id: 'ctr_huishui_noodles',
    shipperId: 'shp_1',
    version: 'c-2026-01',
    zoneRates: { general: { firstPriceFen: 900, stepWeightG: 1000, stepPriceFen: 400 } },
    volumetricDivisor: 12000,
    discountPercent: 10,
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
  };

  it('overrides zone rates field by field and records both versions', () => {
    const q = quote(DEFAULT_TARIFF, { destinationCode: SHENZHEN_NANSHAN, weightG: 2500, contract, date: '2026-11-30' });
    expect(q.totalFen).toBe(900 + 2 * 400);
    expect(q.contractId).toBe(contract.id);
    expect(q.contractVersion).toBe('c-2026-01');
    expect(q.tariffVersion).toBe(DEFAULT_TARIFF.version);
  });

  it('discounts zones it does not list and uses its own divisor', () => {
    const q = quote(DEFAULT_TARIFF, { destinationCode: DUYUN, weightG: 1000, dimensions: { lengthCm: 40, widthCm: 30, heightCm: 20 }, contract });
    expect(q.volumetricWeightG).toBe(2000); // 24000 cm³ / 12000
    expect(q.totalFen).toBe(Math.round((800 + 200) * 0.9));
    expect(q.lines.at(-1)?.kind).toBe('discount');
  });

  it('refuses a contract outside its validity', () => {
    expect(() => quote(DEFAULT_TARIFF, { destinationCode: DUYUN, weightG: 1000, contract, date: '2027-01-01' })).toThrow(/not valid/);
  });
});

describe('selectTariff', () => {
  it('takes the most specific origin', () => {
    const prefecture = { ...DEFAULT_TARIFF, version: 'qn', originCode: '5227' };
    const county = { ...DEFAULT_TARIFF, version: 'huishui', originCode: '522731' };
    const province = { ...DEFAULT_TARIFF, version: 'gz', originCode: '52' };
    expect(selectTariff([province, prefecture, county], '522731').version).toBe('huishui');
    expect(selectTariff([province, prefecture, county], '522701').version).toBe('qn');
    expect(selectTariff([province, prefecture, county], '520102').version).toBe('gz');
    expect(() => selectTariff([county], '510104')).toThrow(/no tariff/);
  });
});
