/**
 * Normalisation of a free-text address before matching: traditional → simplified (a single-char
 * map precomputed once from opencc's dictionaries), full-width → half-width (NFKC), and removal of
 * everything that is not a Han character, an ASCII digit or letter (spaces, punctuation, emoji,
 * markup). The result keeps, for every kept character, its offset in the original input, so that
 * matches can be reported as spans of what the user typed.
 */
import TSCharacters from 'opencc-js/dict/TSCharacters';
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev';
import HKVariantsRev from 'opencc-js/dict/HKVariantsRev';

/** Inputs longer than this (UTF-16 units) are cut before any work: bounded time on hostile input. */
export const MAX_INPUT_LENGTH = 512;
/** At most this many characters are kept after normalisation. */
export const MAX_NORMALIZED_LENGTH = 160;

function parseDict(dict: string, into: Map<string, string>, through?: Map<string, string>): void {
  for (const entry of dict.split('|')) {
    const sp = entry.indexOf(' ');
    if (sp <= 0) continue;
    const from = entry.slice(0, sp);
    const to = entry.slice(sp + 1).split(' ')[0];
    if (!to || [...from].length !== 1 || [...to].length !== 1 || from === to) continue;
    if (into.has(from)) continue;
    into.set(from, through?.get(to) ?? to);
  }
}

let charMap: Map<string, string> | undefined;

/**
 * Traditional (and Taiwan/Hong Kong variant) → simplified, one character to one character.
 * Built on first use from opencc's TSCharacters, TWVariantsRev and HKVariantsRev (~5 ms), then kept.
 * Phrase-level conversion is not needed for place names: the same map is applied to the index,
 * so a character that opencc would convert differently in context still compares equal on both sides.
 */
export function t2sCharMap(): Map<string, string> {
  if (charMap) return charMap;
  const ts = new Map<string, string>();
  parseDict(TSCharacters, ts);
  const m = new Map<string, string>(ts);
  // Variant forms (裡, 着 ...) first go to the standard traditional form, then to simplified.
  parseDict(TWVariantsRev, m, ts);
  parseDict(HKVariantsRev, m, ts);
  // Some simplifications are too eager for place names written in simplified already
  // (乾 → 干 would break 乾 in a name); the index goes through the same map, so this is harmless.
  charMap = m;
  return m;
}

export interface Normalized {
  /** Han characters, ASCII digits and lower-case ASCII letters only. */
  text: string;
  /** For each UTF-16 unit of `text`, its offset in the original input. */
  offsets: number[];
  /**
   * For each UTF-16 unit of `text`: 1 if a segment starts there (start of text, after removed
   * spaces or punctuation, or where digits/letters and Han characters meet), else 0.
   */
  boundary: Uint8Array;
  /** The original input was longer than MAX_INPUT_LENGTH and was cut. */
  truncated: boolean;
}

const isHan = (cp: number) =>
  (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x3134f) || cp === 0x3007;

/** Chinese numerals written inside addresses, kept so that 二组 stays a group number. */
export function normalizeAddress(input: string): Normalized {
  const map = t2sCharMap();
  const truncated = input.length > MAX_INPUT_LENGTH;
  const src = truncated ? input.slice(0, MAX_INPUT_LENGTH) : input;
  let text = '';
  const offsets: number[] = [];
  const starts: number[] = [];
  let inTag = false;
  // Segment tracking: 0 none yet, 1 Han, 2 digit/letter; `gap` when something was dropped.
  let prevClass = 0;
  let gap = true;
  const push = (s: string, at: number, cls: number) => {
    if (gap || cls !== prevClass) starts.push(text.length);
    gap = false;
    prevClass = cls;
    text += s;
    for (let u = 0; u < s.length; u++) offsets.push(at);
  };
  for (let i = 0; i < src.length && text.length < MAX_NORMALIZED_LENGTH; ) {
    const cp = src.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    let ch = String.fromCodePoint(cp);
    const at = i;
    i += width;
    // Markup: drop whatever sits between < and > (tags), keep the text around them.
    if (ch === '<' || ch === '＜') { inTag = true; gap = true; continue; }
    if (inTag) { if (ch === '>' || ch === '＞') inTag = false; continue; }
    if (cp < 0x80) {
      if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x61 && cp <= 0x7a)) push(ch, at, 2);
      else if (cp >= 0x41 && cp <= 0x5a) push(ch.toLowerCase(), at, 2);
      else gap = true;
      continue;
    }
    if (!isHan(cp)) {
      // Full-width forms, circled digits, compatibility ideographs: NFKC, then keep what is useful.
      const n = ch.normalize('NFKC');
      let kept = false;
      for (const c of n) {
        const k = c.codePointAt(0) ?? 0;
        if ((k >= 0x30 && k <= 0x39) || (k >= 0x61 && k <= 0x7a)) { push(c, at, 2); kept = true; }
        else if (k >= 0x41 && k <= 0x5a) { push(c.toLowerCase(), at, 2); kept = true; }
        else if (isHan(k)) { push(map.get(c) ?? c, at, 1); kept = true; }
      }
      if (!kept) gap = true;
      continue;
    }
    push(map.get(ch) ?? ch, at, 1);
  }
  const boundary = new Uint8Array(text.length);
  for (const p of starts) if (p < boundary.length) boundary[p] = 1;
  return { text, offsets, boundary, truncated };
}

/** Normalised text only (used for names in the index and learned aliases). */
export function normalizeText(input: string): string {
  return normalizeAddress(input).text;
}
