import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskAddress, maskAddressDetail, maskName, maskPhone, maskPhonesInText, PHONE_MIN_HIDDEN } from './mask.ts';

const digitCount = (s: string) => (s.match(/\d/g) ?? []).length;
const visibleChars = (masked: string) => Array.from(masked).filter((c) => !'* ·.'.includes(c)).length;

describe('maskName', () => {
  it.each([
    ['张三', '张*'],
    ['张小娟', '张*娟'],
    ['王', '*'],
    ['欧阳娜', '欧阳*'],
    ['欧阳娜娜', '欧阳*娜'],
    ['欧阳小娜娜', '欧阳**娜'],
    ['诸葛亮', '诸葛*'],
    ['李四光明', '李**明'],
    ['  张 三 ', '张*'],
    ['阿卜杜·热合曼', '阿**·热**'],
    ['John Smith', 'J*** S****'],
    ['', ''],
  ])('%s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('hides at least one character of any name', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(...'张王李欧阳司马小娟娜明·. abcXY') }), (name) => {
        const masked = maskName(name);
        const original = Array.from(name).filter((c) => !/[\s·.]/.test(c)).length;
        if (original === 0) return;
        expect(visibleChars(masked)).toBeLessThan(original);
      }),
    );
  });
});

describe('maskPhone', () => {
  it.each([
    ['13812345678', '138******78'],
    ['138 1234 5678', '138******78'],
    ['+86 138-1234-5678', '138******78'],
    ['13812345678-1234', '138******78-****'],
    ['0854-8221234', '0854-******4'],
    ['010-88886666', '010-******66'],
    ['(0851)85551234', '0851-******34'],
    ['0854-8221234-801', '0854-******4-***'],
    ['95598', '******'],
  ])('%s → %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it(`hides at least ${PHONE_MIN_HIDDEN} digits of any mobile number`, () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (phone) => {
        const m = maskPhone(phone);
        expect(digitCount(m)).toBeLessThanOrEqual(11 - PHONE_MIN_HIDDEN);
        expect(m).toMatch(/^1\d\d\*{6}\d\d$/);
        expect(m.startsWith(phone.slice(0, 3)) && m.endsWith(phone.slice(-2))).toBe(true);
      }),
    );
  });

  it(`hides at least ${PHONE_MIN_HIDDEN} digits of landlines with area codes and of arbitrary input`, () => {
    const landline = fc.tuple(fc.constantFrom('010', '021', '0851', '0854', '0871'), fc.stringMatching(/^[2-8]\d{6,7}$/), fc.constantFrom('-', ' ', '', ')'));
    fc.assert(
      fc.property(landline, ([area, local, sep]) => {
        const phone = sep === ')' ? `(${area})${local}` : area + sep + local;
        const m = maskPhone(phone);
        expect(digitCount(m)).toBeLessThanOrEqual(digitCount(phone) - PHONE_MIN_HIDDEN);
        expect(m.startsWith(area)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 24, unit: fc.constantFrom(...'0123456789 -+()#转') }), (phone) => {
        const m = maskPhone(phone);
        const n = digitCount(phone);
        expect(digitCount(m)).toBeLessThanOrEqual(Math.max(0, n - PHONE_MIN_HIDDEN));
        if (n > 0) expect((m.match(/\*/g) ?? []).length).toBeGreaterThanOrEqual(Math.min(PHONE_MIN_HIDDEN, n));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('maskAddress', () => {
  it.each([
    ['都匀市剑江中路8号3单元502室', '都匀市剑江中路8号'],
    ['都匀市剑江中路8号5栋2单元301', '都匀市剑江中路8号'],
    ['贵阳市观山湖区金阳南路12号楼1203', '贵阳市观山湖区金阳南路'],
    ['深圳市南山区科技园A座1501室', '深圳市南山区科技园'],
    ['惠水县好花红镇好花红村3组45号', '惠水县好花红镇好花红村3组'],
    ['长顺县广顺镇来远村五组', '长顺县广顺镇来远村五组'],
    ['上海市浦东新区张杨路500号', '上海市浦东新区张杨路500号'],
    ['都匀市绿茵湖小区3-2-301', '都匀市绿茵湖小区'],
    ['都匀市文峰路二十号三单元五〇二室', '都匀市文峰路二十号'],
    ['罗甸县五户村二组', '罗甸县五户村二组'],
    ['福泉市金山街道12#楼', '福泉市金山街道'],
    ['瓮安县雍阳街道建中小区7楼', '瓮安县雍阳街道建中小区'],
  ])('%s → %s', (address, masked) => {
    expect(maskAddress(address)).toBe(masked);
  });

  it('reports whether something was removed', () => {
    expect(maskAddressDetail('剑江中路8号3单元502室').removed).toBe(true);
    expect(maskAddressDetail('剑江中路8号').removed).toBe(false);
  });

  it('never leaves a 单元/室/户 part, whatever precedes it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('都匀市剑江中路8号', '贵阳市云岩区', '惠水县和平镇', ''),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 101, max: 3204 }),
        (prefix, bld, unit, room) => {
          const out = maskAddress(`${prefix}${bld}栋${unit}单元${room}室`);
          expect(out).not.toMatch(/单元|室|栋/);
          expect(out).not.toContain(String(room));
        },
      ),
    );
  });
});

describe('maskPhonesInText', () => {
  it.each([
    ['到了请打13812345678谢谢', '到了请打138******78谢谢'],
    ['电话 138-1234-5678 或 0854-8221234', '电话 138******78 或 0854-******4'],
    ['订单号 2026113000000012345 不是电话', '订单号 2026113000000012345 不是电话'],
    ['5斤装 ×2', '5斤装 ×2'],
  ])('%s → %s', (text, masked) => {
    expect(maskPhonesInText(text)).toBe(masked);
  });

  it('leaves no 11-digit mobile number in any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.stringMatching(/^1[3-9]\d{9}$/), fc.string({ maxLength: 10 }), (a, phone, b) => {
        const out = maskPhonesInText(`${a.replace(/\d/g, '')}${phone}${b.replace(/\d/g, '')}`);
        expect(out).not.toContain(phone);
      }),
    );
  });
});
