import { describe, expect, it } from 'vitest';
import { buildExtract, divisionStats, levelOfCode, shortRegionName, villageKind, villageShortName } from './divisions.ts';

describe('division names', () => {
  it('shortens committee names the way people write them', () => {
    expect(villageShortName('鸡贾村村民委员会')).toBe('鸡贾村');
    expect(villageShortName('文峰社区居民委员会')).toBe('文峰社区');
    expect(villageShortName('大寨村')).toBe('大寨村');
  });
  it('tells village committees from communities', () => {
    expect(villageKind('鸡贾村村民委员会')).toBe('village');
    expect(villageKind('文峰社区居民委员会')).toBe('community');
    expect(villageKind('纪念塔社区')).toBe('community');
  });
  it('shortens autonomous prefecture and county names', () => {
    expect(shortRegionName('黔南布依族苗族自治州')).toBe('黔南州');
    expect(shortRegionName('三都水族自治县')).toBe('三都县');
    expect(shortRegionName('贵州省')).toBe('贵州');
    expect(shortRegionName('都匀市')).toBe('都匀市');
  });
  it('knows levels by code length', () => {
    expect(levelOfCode('5227')).toBe('prefecture');
    expect(levelOfCode('522701111212')).toBe('village');
    expect(() => levelOfCode('123')).toThrow();
  });
});

describe('buildExtract', () => {
  const raw = {
    provinces: [{ code: '52', name: '贵州省' }, { code: '53', name: '云南省' }],
    prefectures: [{ code: '5227', name: '黔南布依族苗族自治州' }, { code: '5226', name: '黔东南苗族侗族自治州' }],
    counties: [{ code: '522701', name: '都匀市' }, { code: '522601', name: '凯里市' }],
    towns: [{ code: '522701111', name: '匀东镇' }],
    villages: [{ code: '522701111212', name: '鸡贾村村民委员会' }, { code: '522701111001', name: '新城社区居民委员会' }],
  };
  it('keeps only the region and counts it by level', () => {
    const ex = buildExtract('5227', raw, [{ alias: '坝固镇', code: '522701111', level: 'town' }, { alias: 'x', code: '530101', level: 'county' }], 'test');
    expect(ex.divisions.map((d) => d.code)).toEqual(['52', '5227', '522701', '522701111', '522701111001', '522701111212']);
    expect(divisionStats(ex.divisions)).toEqual({ prefecture: 1, county: 1, town: 1, village: 2, villageCommittee: 1 });
    expect(ex.aliases).toHaveLength(1);
  });
  it('takes a whole province', () => {
    const ex = buildExtract('52', raw, [], 'test');
    expect(divisionStats(ex.divisions).prefecture).toBe(2);
  });
  it('rejects a bad region code', () => {
    expect(() => buildExtract('5', raw, [], 'test')).toThrow(/region/);
    expect(() => buildExtract('5299', raw, [], 'test')).toThrow(/unknown prefecture/);
  });
});

describe('autonomous units', () => {
  it('strips several ethnic groups, whatever the length of the place name', () => {
    expect(shortRegionName('黔东南苗族侗族自治州')).toBe('黔东南州');
    expect(shortRegionName('松桃苗族自治县')).toBe('松桃县');
    expect(shortRegionName('务川仡佬族苗族自治县')).toBe('务川县');
  });
});
