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
let codeMap: Map<number, number> | undefined;

/** The same map on UTF-16 code units (BMP characters only), for the hot loop. */
function t2sCodeMap(): Map<number, number> {
  if (codeMap) return codeMap;
  const m = new Map<number, number>();
  for (const [from, to] of t2sCharMap()) if (from.length === 1 && to.length === 1) m.set(from.charCodeAt(0), to.charCodeAt(0));
  codeMap = m;
  return m;
}

/** Output under construction (module-level functions: no closure per call). */
interface Out { codes: number[]; offsets: number[]; starts: number[]; prevClass: number; gap: boolean }

function emit(o: Out, code: number, at: number, cls: number): void {
  if (o.gap || cls !== o.prevClass) o.starts.push(o.codes.length);
  o.gap = false;
  o.prevClass = cls;
  o.codes.push(code);
  o.offsets.push(at);
}

/** Emits an ASCII digit or letter (lower-cased); returns false for anything else. */
function emitAscii(o: Out, c: number, at: number): boolean {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a)) { emit(o, c, at, 2); return true; }
  if (c >= 0x41 && c <= 0x5a) { emit(o, c + 32, at, 2); return true; }
  return false;
}

export function normalizeAddress(input: string): Normalized {
  const map = t2sCodeMap();
  const truncated = input.length > MAX_INPUT_LENGTH;
  let src = input;
  if (truncated) {
    // Padding (runs of spaces) does not use up the budget; the rest is cut.
    src = input.slice(0, 8 * MAX_INPUT_LENGTH).replace(/\s+/g, ' ').slice(0, MAX_INPUT_LENGTH);
  }
  // Segment tracking: class 1 Han, 2 digit/letter; `gap` when something was dropped.
  const o: Out = { codes: [], offsets: [], starts: [], prevClass: 0, gap: true };
  let inTag = false;
  const n = src.length;
  for (let i = 0; i < n && o.codes.length < MAX_NORMALIZED_LENGTH; ) {
    const at = i;
    const c = src.charCodeAt(i);
    i++;
    // Markup: drop whatever sits between < and > (tags), keep the text around them.
    if (inTag) { if (c === 0x3e || c === 0xff1e) inTag = false; continue; }
    if (c === 0x3c || c === 0xff1c) { inTag = true; o.gap = true; continue; }
    if (c < 0x80) { if (!emitAscii(o, c, at)) o.gap = true; continue; }
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || c === 0x3007) { emit(o, map.get(c) ?? c, at, 1); continue; }
    if (c >= 0xd800 && c <= 0xdbff && i < n) {
      const lo = src.charCodeAt(i);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        i++;
        const cp = ((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
        if (isHan(cp)) { emit(o, c, at, 1); emit(o, lo, at, 1); }
        else o.gap = true; // emoji and other symbols
        continue;
      }
    }
    // Full-width forms, circled digits, compatibility ideographs: NFKC, then keep what is useful.
    const norm = String.fromCharCode(c).normalize('NFKC');
    let kept = false;
    for (let k = 0; k < norm.length; k++) {
      const d = norm.charCodeAt(k);
      if (emitAscii(o, d, at)) kept = true;
      else if (isHan(d)) { emit(o, map.get(d) ?? d, at, 1); kept = true; }
    }
    if (!kept) o.gap = true;
  }
  let text = '';
  for (let k = 0; k < o.codes.length; k += 1024) text += String.fromCharCode(...o.codes.slice(k, k + 1024));
  const boundary = new Uint8Array(text.length);
  for (const p of o.starts) if (p < boundary.length) boundary[p] = 1;
  return { text, offsets: o.offsets, boundary, truncated };
}

/** Normalised text only (used for learned aliases and tests). */
export function normalizeText(input: string): string {
  return normalizeAddress(input).text;
}

/**
 * Fast path for division names at index time: names are Han characters already, so only the
 * traditional → simplified map applies; anything else takes the full path.
 */
export function normalizeName(name: string): string {
  const map = t2sCodeMap();
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf))) return normalizeText(name);
    const m = map.get(c);
    out += m === undefined ? name[i] : String.fromCharCode(m);
  }
  return out;
}
