/**
 * Barcode geometry, drawn as vector shapes: Code 128 from bwip-js `raw()` (bar/space widths, no
 * PNG encoding) and QR from the `qrcode` package's module matrix (~10× faster than bwip-js QR).
 */
import { createRequire } from 'node:module';
import bwipjs from 'bwip-js/node';

const require = createRequire(import.meta.url);

interface QrLib {
  create(text: string, opts: { errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H'; maskPattern?: number }): { modules: { size: number; get(r: number, c: number): number | boolean } };
}
const QRCode = require('qrcode') as QrLib;

export interface Code128 {
  /** Alternating bar, space, bar… widths in modules, starting and ending with a bar. */
  widths: number[];
  /** Total width in modules, without quiet zones. */
  modules: number;
}

/** Minimum quiet zone on each side, in modules (ISO/IEC 15417 asks for 10). */
export const CODE128_QUIET_MODULES = 10;

/** Code 128 symbol patterns (bar/space widths) for values 0–106; 106 is the 7-element stop. */
const PATTERNS = (
  '212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132 122231 113222 ' +
  '123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 212123 212321 ' +
  '232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 ' +
  '313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 314111 221411 431111 111224 ' +
  '111422 121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 ' +
  '111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 ' +
  '114311 411113 411311 113141 114131 311141 411131 211412 211214 211232 2331112'
)
  .split(' ')
  .map((p) => Array.from(p, Number));

/**
 * Fast path for all-digit strings of even length (our domestic numbers): pure subset C, which is
 * also what bwip-js produces for them (a test compares the two). ~50× faster than bwip-js.
 */
function code128C(digits: string): Code128 {
  const values = [105];
  for (let i = 0; i < digits.length; i += 2) values.push(Number(digits.slice(i, i + 2)));
  let sum = 105;
  for (let i = 1; i < values.length; i++) sum += i * (values[i] ?? 0);
  values.push(sum % 103, 106);
  const widths: number[] = [];
  for (const v of values) widths.push(...(PATTERNS[v] ?? []));
  return { widths, modules: widths.reduce((a, b) => a + b, 0) };
}

export function code128(text: string): Code128 {
  if (text.length >= 2 && text.length % 2 === 0 && /^\d+$/.test(text)) return code128C(text);
  return code128Bwip(text);
}

/** Any text, with bwip-js's subset optimisation. */
export function code128Bwip(text: string): Code128 {
  const res = bwipjs.raw('code128', text, {});
  const first = res[0];
  if (!first || !('sbs' in first)) throw new Error('bwip-js returned no Code 128 pattern');
  const widths = first.sbs;
  return { widths, modules: widths.reduce((a, b) => a + b, 0) };
}

export interface QrMatrix {
  size: number;
  get(r: number, c: number): boolean;
}

/**
 * QR module matrix. The mask is chosen by the standard penalty score by default: fixing it saves
 * ~60 % of QR time but some masks create finder-like patterns (zxing failed on mask 0 and 3 for
 * a 14-digit number), so the label renderer keeps the standard choice.
 */
export function qrMatrix(text: string, level: 'L' | 'M' | 'Q' | 'H' = 'M', maskPattern?: number): QrMatrix {
  const m = QRCode.create(text, maskPattern === undefined ? { errorCorrectionLevel: level } : { errorCorrectionLevel: level, maskPattern }).modules;
  return { size: m.size, get: (r, c) => Boolean(m.get(r, c)) };
}

/**
 * Module width in mm so that the symbol plus both quiet zones fits `availableMm`, at most `maxMm`,
 * rounded down to a whole number of printer dots (0.125 mm at 203 dpi) when at least 2 dots.
 */
export function moduleWidthMm(modules: number, availableMm: number, maxMm = 0.5, dotMm = 0.125): number {
  const raw = Math.min(maxMm, availableMm / (modules + 2 * CODE128_QUIET_MODULES));
  const snapped = Math.floor(raw / dotMm + 1e-9) * dotMm;
  return snapped >= 2 * dotMm ? snapped : raw;
}
