/**
 * Toneless pinyin readings of single characters (pinyin-pro), cached: a homophone typo from a
 * pinyin input method has the same syllables and any tone, and polyphonic characters (贾: jia, gu)
 * match on any of their readings.
 */
import { pinyin } from 'pinyin-pro';

const cache = new Map<string, string[]>();

export function charPinyin(ch: string): string[] {
  const hit = cache.get(ch);
  if (hit) return hit;
  let r: string[];
  try {
    r = pinyin(ch, { toneType: 'none', multiple: true, type: 'array' }).map((s) => s.replace(/ü/g, 'v')).filter((s) => /^[a-z]+$/.test(s));
  } catch {
    r = [];
  }
  if (r.length === 0) r = [ch];
  cache.set(ch, r);
  return r;
}
