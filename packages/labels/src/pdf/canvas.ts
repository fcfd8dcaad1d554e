/**
 * Content-stream builder in millimetres with the origin at the top-left of the drawing area
 * (labels are designed that way); converts to PDF points with the origin at the bottom-left.
 */
import type { TextFont } from './font.ts';
import { fmt, MM } from './writer.ts';

export interface TextStyle {
  sizePt: number;
  bold?: boolean;
  /** 0 = black, 1 = white */
  gray?: number;
  align?: 'left' | 'center' | 'right';
}

export class Canvas {
  private parts: string[] = [];

  constructor(readonly font: TextFont, readonly heightMm: number) {}

  raw(op: string): this {
    this.parts.push(op);
    return this;
  }

  private y(mm: number): number {
    return (this.heightMm - mm) * MM;
  }

  /** Filled rectangle (top-left corner, size) in mm. */
  fillRect(x: number, y: number, w: number, h: number, gray = 0): this {
    const g = gray === 0 ? '' : `${fmt(gray)} g `;
    const reset = gray === 0 ? '' : ' 0 g';
    this.parts.push(`${g}${fmt(x * MM)} ${fmt(this.y(y + h))} ${fmt(w * MM)} ${fmt(h * MM)} re f${reset}`);
    return this;
  }

  strokeRect(x: number, y: number, w: number, h: number, lineMm = 0.3): this {
    this.parts.push(`${fmt(lineMm * MM)} w ${fmt(x * MM)} ${fmt(this.y(y + h))} ${fmt(w * MM)} ${fmt(h * MM)} re S`);
    return this;
  }

  line(x1: number, y1: number, x2: number, y2: number, lineMm = 0.3, dash?: number): this {
    const d = dash ? `[${fmt(dash * MM)}] 0 d ` : '';
    const undash = dash ? ' [] 0 d' : '';
    this.parts.push(`${d}${fmt(lineMm * MM)} w ${fmt(x1 * MM)} ${fmt(this.y(y1))} m ${fmt(x2 * MM)} ${fmt(this.y(y2))} l S${undash}`);
    return this;
  }

  /**
   * Text with its baseline at `baselineMm`. `x` is the left edge, the centre or the right edge
   * depending on `align`. Returns the width drawn in mm.
   */
  text(s: string, x: number, baselineMm: number, style: TextStyle): number {
    if (s === '') return 0;
    const wMm = this.font.width(s, style.sizePt) / MM;
    const left = style.align === 'center' ? x - wMm / 2 : style.align === 'right' ? x - wMm : x;
    const fill = style.gray ? `${fmt(style.gray)} g ${fmt(style.gray)} G ` : '';
    const bold = style.bold ? `2 Tr ${fmt(style.sizePt * 0.035)} w ` : '';
    const reset = (style.bold ? ' 0 Tr' : '') + (style.gray ? ' 0 g 0 G' : '');
    this.parts.push(`BT ${fill}${bold}/F1 ${fmt(style.sizePt)} Tf ${fmt(left * MM)} ${fmt(this.y(baselineMm))} Td <${this.font.encode(s)}> Tj${reset} ET`);
    return wMm;
  }

  widthMm(s: string, sizePt: number): number {
    return this.font.width(s, sizePt) / MM;
  }

  /** Largest size ≤ `maxPt` (down to `minPt`) at which `s` fits in `widthMm`. */
  fitSize(s: string, widthMm: number, maxPt: number, minPt: number): number {
    const w = this.widthMm(s, maxPt);
    if (w <= widthMm) return maxPt;
    return Math.max(minPt, Math.floor(((maxPt * widthMm) / w) * 10) / 10);
  }

  /**
   * Breaks `s` into at most `maxLines` lines of `widthMm` (CJK text breaks anywhere); the last line
   * ends with … when the text does not fit.
   */
  wrap(s: string, sizePt: number, widthMm: number, maxLines: number): string[] {
    const lines: string[] = [];
    const chars = Array.from(s.trim());
    let cur = '';
    let curW = 0;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i] ?? '';
      const w = this.widthMm(ch, sizePt);
      if (curW + w > widthMm && cur !== '') {
        if (lines.length === maxLines - 1) {
          // last allowed line: truncate with an ellipsis
          let t = cur;
          while (t.length > 0 && this.widthMm(t + '…', sizePt) > widthMm) t = Array.from(t).slice(0, -1).join('');
          lines.push(t + '…');
          return lines;
        }
        lines.push(cur);
        cur = '';
        curW = 0;
      }
      cur += ch;
      curW += w;
    }
    if (cur !== '') lines.push(cur);
    return lines;
  }

  /** Draws a QR matrix (size × size modules, 1 = dark) as horizontal runs. */
  qr(modules: { size: number; get(r: number, c: number): boolean }, x: number, y: number, sizeMm: number): void {
    const m = sizeMm / modules.size;
    const ops: string[] = [];
    for (let r = 0; r < modules.size; r++) {
      let c = 0;
      while (c < modules.size) {
        if (!modules.get(r, c)) {
          c++;
          continue;
        }
        const start = c;
        while (c < modules.size && modules.get(r, c)) c++;
        ops.push(`${fmt((x + start * m) * MM)} ${fmt(this.y(y + (r + 1) * m))} ${fmt((c - start) * m * MM)} ${fmt(m * MM + 0.01)} re`);
      }
    }
    this.parts.push(ops.join('\n') + ' f');
  }

  toString(): string {
    return this.parts.join('\n');
  }
}
