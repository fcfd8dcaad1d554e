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

const primaryCache = new Map<string, string>();

/** The usual (context-free first) toneless reading of a character: what a typist most likely meant. */
export function charPrimaryPinyin(ch: string): string {
  const hit = primaryCache.get(ch);
  if (hit !== undefined) return hit;
  let r: string;
  try {
    r = pinyin(ch, { toneType: 'none' }).replace(/ü/g, 'v');
  } catch {
    r = ch;
  }
  if (!/^[a-z]+$/.test(r)) r = ch;
  primaryCache.set(ch, r);
  return r;
}
