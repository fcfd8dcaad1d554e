import { describe, expect, it } from 'vitest';
import { MAX_INPUT_LENGTH, MAX_NORMALIZED_LENGTH, normalizeAddress, normalizeText, t2sCharMap } from './normalize.ts';

describe('normalizeAddress', () => {
  it('converts traditional to simplified characters', () => {
    expect(normalizeText('貴州省黔南州都勻市壩固鎮雞賈村')).toBe('贵州省黔南州都匀市坝固镇鸡贾村');
    expect(normalizeText('三都水族自治縣大河鎮小河村村委會')).toBe('三都水族自治县大河镇小河村村委会');
    expect(t2sCharMap().get('鎮')).toBe('镇');
  });
  it('folds full-width digits and letters, lower-cases ASCII letters', () => {
    expect(normalizeText('鸡贾村２组１２号ＡＢ')).toBe('鸡贾村2组12号ab');
    expect(normalizeText('①组')).toBe('1组');
  });
  it('drops spaces, punctuation, emoji and markup tags but keeps their text', () => {
    expect(normalizeText(' 都匀市，匀东镇 / 鸡 贾 村😀！')).toBe('都匀市匀东镇鸡贾村');
    expect(normalizeText('<b>鸡贾村</b>')).toBe('鸡贾村');
    expect(normalizeText("'; DROP TABLE x; --")).toBe('droptablex');
  });
  it('keeps the offset of every kept character in the original input', () => {
    const input = '都 匀市😀鸡贾村';
    const n = normalizeAddress(input);
    expect(n.text).toBe('都匀市鸡贾村');
    expect(n.offsets).toEqual([0, 2, 3, 6, 7, 8]);
  });
  it('marks segment starts: after removed characters and where digits meet Han', () => {
    const n = normalizeAddress('张三 138遵义');
    expect(n.text).toBe('张三138遵义');
    expect([...n.boundary]).toEqual([1, 0, 1, 0, 0, 1, 0]);
  });
  it('bounds the work on huge input', () => {
    const huge = '啊'.repeat(1_000_000);
    const t = performance.now();
    const n = normalizeAddress(huge);
    expect(performance.now() - t).toBeLessThan(100);
    expect(n.truncated).toBe(true);
    expect(n.text.length).toBeLessThanOrEqual(MAX_NORMALIZED_LENGTH);
    // Leading padding does not push the address out of the window.
    expect(normalizeAddress(' '.repeat(MAX_INPUT_LENGTH * 4) + '鸡贾村').text).toBe('鸡贾村');
  });
  it('keeps astral Han characters and drops lone surrogates', () => {
    expect(normalizeText('𠀀村\ud800x')).toBe('𠀀村x');
  });
});
