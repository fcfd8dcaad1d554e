import { describe, expect, it } from 'vitest';
import { countyForms, prefectureForms, provinceForms, stripEthnic, townForms, villageForms } from './names.ts';

describe('name forms', () => {
  it('strips nationality names', () => {
    expect(stripEthnic('黔南布依族苗族')).toBe('黔南');
    expect(stripEthnic('三都水族')).toBe('三都');
    expect(stripEthnic('卡蒲毛南族')).toBe('卡蒲');
  });
  it('prefecture: full, 州, bare', () => {
    const f = prefectureForms('黔南布依族苗族自治州');
    expect(f.marked).toContain('黔南州');
    expect(f.marked).toContain('黔南布依族苗族自治州');
    expect(f.bare).toEqual(['黔南']);
    expect(prefectureForms('贵阳市')).toEqual({ marked: ['贵阳市'], bare: ['贵阳'] });
  });
  it('county: autonomous county forms', () => {
    const f = countyForms('三都水族自治县');
    expect(f.marked).toEqual(expect.arrayContaining(['三都水族自治县', '三都县', '三都自治县']));
    expect(f.bare).toEqual(['三都']);
    expect(countyForms('都匀市').bare).toEqual(['都匀']);
  });
  it('town: 镇 / 乡 / 街道 interchangeable, bare', () => {
    const f = townForms('匀东镇');
    expect(f.marked).toEqual(expect.arrayContaining(['匀东镇', '匀东乡', '匀东街道']));
    expect(f.bare).toEqual(['匀东']);
    expect(townForms('归兰水族乡').marked).toContain('归兰乡');
    expect(townForms('广惠街道').marked).toContain('广惠街道办事处');
  });
  it('village: committee forms and bare', () => {
    const f = villageForms('鸡贾村', '鸡贾村村民委员会');
    expect(f.marked).toEqual(expect.arrayContaining(['鸡贾村', '鸡贾村委会', '鸡贾村村民委员会', '鸡贾村民委员会']));
    expect(f.bare).toEqual(['鸡贾']);
    expect(villageForms('文峰社区').marked).toContain('文峰社区居委会');
  });
  it('province', () => {
    expect(provinceForms('贵州省')).toEqual({ marked: ['贵州省'], bare: ['贵州'] });
    expect(provinceForms('广西壮族自治区').bare).toEqual(['广西']);
  });
});
