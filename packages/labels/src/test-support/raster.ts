// Test helpers: render a PDF page to a grey bitmap with poppler's pdftoppm and decode barcodes with zxing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { createRequire } from 'node:module';
import type { BarcodeFormat, DecodeHintType as HintType } from '@zxing/library';

// CommonJS package: loaded with require so the helper also runs under plain Node/tsx.
const zx = createRequire(import.meta.url)('@zxing/library') as typeof import('@zxing/library');
const { BinaryBitmap, DecodeHintType, HybridBinarizer, MultiFormatReader, RGBLuminanceSource } = zx;
export const Formats = { CODE_128: zx.BarcodeFormat.CODE_128, QR_CODE: zx.BarcodeFormat.QR_CODE };

export interface Gray {
  width: number;
  height: number;
  /** 0 = black … 255 = white */
  data: Uint8ClampedArray;
}

/** Renders one page; `area` (mm from the top-left) renders only that part. */
export function rasterize(pdf: Uint8Array, page: number, dpi = 300, area?: { x: number; y: number; w: number; h: number }): Gray {
  const dir = mkdtempSync(join(tmpdir(), 'cuntong-labels-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    const px = (mm: number) => String(Math.round((mm / 25.4) * dpi));
    const crop = area ? ['-x', px(area.x), '-y', px(area.y), '-W', px(area.w), '-H', px(area.h)] : [];
    execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), ...crop, '-png', '-gray', '-singlefile', join(dir, 'in.pdf'), join(dir, 'out')]);
    const png = PNG.sync.read(readFileSync(join(dir, 'out.png')));
    const data = new Uint8ClampedArray(png.width * png.height);
    for (let i = 0; i < data.length; i++) data[i] = png.data[i * 4] ?? 255;
    return { width: png.width, height: png.height, data };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'cuntong-labels-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'in.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function decode(img: Gray, format: BarcodeFormat): string {
  const reader = new MultiFormatReader();
  const hints = new Map<HintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [format]],
    [DecodeHintType.TRY_HARDER, true],
  ]);
  const source = new RGBLuminanceSource(img.data, img.width, img.height);
  return reader.decode(new BinaryBitmap(new HybridBinarizer(source)), hints).getText();
}

/** Darkest pixel value in a rectangle given in mm. */
export function minInRect(img: Gray, dpi: number, x: number, y: number, w: number, h: number): number {
  const px = (mm: number) => Math.round((mm / 25.4) * dpi);
  let min = 255;
  for (let r = px(y); r < px(y + h); r++) {
    for (let c = px(x); c < px(x + w); c++) min = Math.min(min, img.data[r * img.width + c] ?? 255);
  }
  return min;
}

/** A rectangle of the image, in mm. */
export function crop(img: Gray, dpi: number, x: number, y: number, w: number, h: number): Gray {
  const px = (mm: number) => Math.round((mm / 25.4) * dpi);
  const x0 = px(x);
  const y0 = px(y);
  const width = Math.min(px(w), img.width - x0);
  const height = Math.min(px(h), img.height - y0);
  const data = new Uint8ClampedArray(width * height);
  for (let r = 0; r < height; r++) data.set(img.data.subarray((y0 + r) * img.width + x0, (y0 + r) * img.width + x0 + width), r * width);
  return { width, height, data };
}
