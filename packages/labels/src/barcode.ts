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

export function code128(text: string): Code128 {
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
