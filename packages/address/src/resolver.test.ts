import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAddressIndex } from './index.ts';
import { extract5227, index5227 } from './test-fixture.ts';
import type { Resolution } from './types.ts';

const idx = index5227();
const r = (s: string) => idx.resolve(s);
const code = (x: Resolution) => (x.status === 'resolved' ? x.village.code : x.status);
const JIJIA = '522701111212';

describe('levels and forms', () => {
  it('resolves a full address with every level', () => {
    const a = r('贵州省黔南布依族苗族自治州都匀市匀东镇鸡贾村二组');
    expect(a.status).toBe('resolved');
    if (a.status !== 'resolved') return;
    expect(a.village).toEqual({ code: JIJIA, name: '鸡贾村', town: '匀东镇', county: '都匀市' });
    expect(a.confidence).toBeGreaterThan(0.9);
    expect(a.spans.map((s) => s.text)).toEqual(['贵州省', '黔南布依族苗族自治州', '都匀市', '匀东镇', '鸡贾村']);
  });
  it('accepts abbreviated and missing levels', () => {
    for (const s of ['黔南州都匀市匀东镇鸡贾村', '黔南都匀匀东鸡贾村', '都匀匀东鸡贾', '匀东鸡贾村', '鸡贾村', '匀东乡鸡贾村委会', '都匀市鸡贾村村民委员会']) expect(code(r(s)), s).toBe(JIJIA);
    expect(code(r('三都水族自治县大河镇小河村'))).toBe('522732111284');
    expect(code(r('三都县大河小河村'))).toBe('522732111284');
    expect(code(r('三都小河村'))).toBe('522732111284');
  });
  it('a bare village name needs its town or county, or a group number right after it', () => {
    expect(code(r('鸡贾二组'))).toBe(JIJIA);
    expect(code(r('黔南鸡贾3组'))).toBe(JIJIA);
    expect(r('鸡贾').status).toBe('unresolved');
    expect(r('小河二组').status).toBe('ambiguous');
    // 平浪 is 平浪镇, 平浪村 and 平浪社区.
    expect(r('都匀市平浪').status).toBe('unresolved');
    expect(r('都匀市平浪镇平浪').status).toBe('ambiguous'); // 平浪村 or 平浪社区
    // Same text as a town of the same county: the town, unless the village's own town is written.
    expect(r('都匀市文峰').status).toBe('unresolved');
    expect(code(r('都匀平浪文峰'))).toBe('522701107201');
    // 朝阳 is also a town, but in 荔波县: here it can only be 金山街道's 朝阳社区.
    expect(code(r('福泉金山朝阳'))).toBe('522702001004');
  });
  it('spans point into the original text', () => {
    const input = '貴州 都勻市　壩固鎮 雞賈村';
    const a = r(input);
    expect(a.status).toBe('resolved');
    if (a.status === 'resolved') for (const s of a.spans) expect(input.slice(s.start, s.end)).toBe(s.text);
  });
});

describe('aliases of renamed and merged units', () => {
  it('坝固镇 resolves to 匀东镇', () => {
    const a = r('都匀市坝固镇鸡贾村');
    expect(code(a)).toBe(JIJIA);
    if (a.status === 'resolved') expect(a.spans.find((s) => s.level === 'town')?.via).toBe('alias');
    expect(code(r('壩固雞賈村'))).toBe(JIJIA);
  });
});

describe('details, recipients, noise', () => {
  it('ignores groups, house numbers, hamlets, landmarks', () => {
    for (const d of ['二组', '3组12号', '五组', '上寨', '下寨三组', '村小学旁', '村委会对面']) expect(code(r('都匀市匀东镇鸡贾村' + d)), d).toBe(JIJIA);
  });
  it('ignores names and phone numbers', () => {
    expect(code(r('张三 13812345678 都匀市匀东镇鸡贾村'))).toBe(JIJIA);
    expect(code(r('都匀市匀东镇鸡贾村 王建中收 138-1234-5678'))).toBe(JIJIA);
    expect(code(r('王海南13812345678都匀市匀东镇鸡贾村'))).toBe(JIJIA);
  });
  it('a hamlet that is also a village name does not win over the village before it', () => {
    // 新寨村 exists elsewhere; here 新寨 is a hamlet of 鸡贾村.
    expect(code(r('都匀市匀东镇鸡贾村新寨组'))).toBe(JIJIA);
  });
  it('bare hamlet after an unknown village is not taken as the village', () => {
    expect(r('平塘县但平村湾子').status).toBe('unresolved');
  });
});

describe('ambiguity', () => {
  it('a short name shared by several villages is ambiguous without context', () => {
    const a = r('小河村');
    expect(a.status).toBe('ambiguous');
    if (a.status === 'ambiguous') expect(a.candidates.map((c) => c.county).sort()).toEqual(['三都水族自治县', '贵定县']);
    expect(r('黔南州新场村3组').status).toBe('ambiguous');
  });
  it('a county that has the name twice keeps it ambiguous; the town separates', () => {
    expect(r('瓮安县新华村').status).toBe('ambiguous');
    expect(code(r('瓮安县珠藏镇新华村'))).toBe('522725106217');
  });
  it('a village that contradicts the named town or county is not resolved', () => {
    expect(r('墨冲镇鸡贾村').status).not.toBe('resolved');
    expect(r('罗甸县鸡贾村').status).not.toBe('resolved');
  });
  it('village names that contain town or county names', () => {
    expect(code(r('惠水县好花红镇三都村'))).toBe('522731102200');
    expect(code(r('都匀市平浪镇平浪村'))).toBe('522701107200');
    expect(code(r('都匀市平浪镇平浪社区'))).toBe('522701107001');
    expect(r('都匀市平浪镇').status).toBe('unresolved');
    expect(code(r('福泉市陆坪镇街道社区'))).toBe('522702103001');
  });
});

describe('homophone typos', () => {
  it('resolves a same-pinyin village name inside a named town', () => {
    const a = r('都匀市匀东镇鸡假村');
    expect(code(a)).toBe(JIJIA);
    if (a.status === 'resolved') {
      expect(a.spans.find((s) => s.level === 'village')?.via).toBe('homophone');
      expect(a.confidence).toBeLessThan(0.95);
    }
  });
  it('compares the typed character by its usual reading only', () => {
    // 万 has the rare reading mo: 麻万 after 麻万镇 is 麻万社区 (bare), not a typo of 麻抹社区.
    expect(code(r('独山县麻万镇麻万5组'))).toBe('522726113001');
  });
  it('a mistyped long name is not taken for the shorter name inside it', () => {
    // 铁厂东坪村 (贵定县云雾镇) mistyped: 东坪村 and 铁厂村 of the same town are inside the text.
    expect(code(r('贵定县云雾镇铁长东坪村'))).toBe('522723112208');
    expect(code(r('贵定县云雾镇铁厂动坪村'))).toBe('522723112208');
  });
  it('does not guess without the town', () => {
    expect(r('都匀市鸡假村').status).toBe('unresolved');
    expect(r('鸡假村').status).toBe('unresolved');
  });
});

describe('outside the region', () => {
  it.each(['贵阳市', '遵义', '四川省成都市', '黔东南州凯里市', '北京市朝阳区建国路88号', '遵义市新场村', '广西南宁', '镇远县', '贵州省贵阳新园村'])('%s', (s) => {
    expect(r(s).status).toBe('outside');
  });
  it('names that differ only in script: the spelling written wins', () => {
    expect(code(r('迴龙村'))).toBe('522702106202');
    expect(code(r('回龙村'))).toBe('522727001202');
    expect(r('回龍村').status).toBe('ambiguous');
  });
  it('street names and person names are not places', () => {
    expect(code(r('都匀市匀东镇鸡贾村成都路12号'))).toBe(JIJIA);
    expect(r('成都路12号').status).toBe('unresolved');
  });
});

describe('unresolved', () => {
  it.each(['', '   ', '都匀市', '三都水族自治县', '贵州省黔南州', '都匀市广惠街道', '13812345678', '不知道', '😀', "'; DROP TABLE x; --"])('%j', (s) => {
    expect(r(s).status).toBe('unresolved');
  });
});

describe('learned aliases', () => {
  it('a clerk-assigned name variant or address text resolves, and builds only on a copy', () => {
    const ix = buildAddressIndex(extract5227(), { learned: [{ text: '老鸡场', code: JIJIA }, { text: '匀东镇老街卫生院后面', code: '522701111210' }] });
    expect(code(ix.resolve('都匀市匀东镇老鸡场3组'))).toBe(JIJIA);
    expect(code(ix.resolve('匀东镇 老街卫生院后面'))).toBe('522701111210');
    expect(ix.learn([{ text: 'x', code: '999' }])).toEqual({ added: 0, skipped: 1 });
    expect(idx.resolve('都匀市匀东镇老鸡场3组').status).toBe('unresolved');
  });
});

describe('hostile input', () => {
  it('never throws, always one of the four answers, in bounded time', () => {
    const statuses = new Set(['resolved', 'ambiguous', 'outside', 'unresolved']);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })), (s) => {
        const a = r(s);
        expect(statuses.has(a.status)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    const huge = '<div>'.repeat(50_000) + '鸡贾村'.repeat(100_000);
    const t = performance.now();
    expect(statuses.has(r(huge).status)).toBe(true);
    expect(performance.now() - t).toBeLessThan(200);
  });
  it('random address-like soup never yields a village for pure garbage', () => {
    const junk = fc.array(fc.constantFrom('啊', '的', '一', '是', '快递', '电话', '😀', '1', 'a', ' ', '，', '<', '>', 'SELECT', '收'), { maxLength: 40 }).map((xs) => xs.join(''));
    fc.assert(fc.property(junk, (s) => { expect(r(s).status).not.toBe('resolved'); }), { numRuns: 1000 });
  });
});
