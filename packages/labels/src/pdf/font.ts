/**
 * The embedded CJK font: Noto Sans SC Regular from the npm package @expo-google-fonts/noto-sans-sc
 * (a full TrueType font; the @fontsource slices draw nothing in PDF). One subset per document:
 * glyphs are added on first use and keep their subset id for the whole document, so pages can be
 * written out before the font (which goes at the end of the file).
 *
 * Reading the bundled TTF is the one file read of this package; pass `bytes` to avoid it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface FkGlyph {
  id: number;
  advanceWidth: number;
}
interface FkSubset {
  includeGlyph(glyph: number | FkGlyph): number;
  encode(): Uint8Array;
}
interface FkFont {
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight: number;
  italicAngle: number;
  postscriptName: string;
  bbox: { minX: number; minY: number; maxX: number; maxY: number };
  glyphForCodePoint(cp: number): FkGlyph;
  createSubset(): FkSubset;
}
interface Fontkit {
  create(buffer: Uint8Array): FkFont;
}

export const NOTO_SANS_SC_PATH = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

let cachedBytes: Uint8Array | undefined;
/** The TTF bytes (10.5 MB), read once per process. */
export function notoSansScBytes(): Uint8Array {
  cachedBytes ??= readFileSync(NOTO_SANS_SC_PATH);
  return cachedBytes;
}

/** What the content builders need from a font: CID hex for `Tj` and advance widths. */
export interface TextFont {
  encode(text: string): string;
  width(text: string, size: number): number;
}

interface GlyphInfo {
  /** CID = glyph id in the subset (CIDToGIDMap /Identity). */
  cid: number;
  /** Advance width in 1/1000 em. */
  w: number;
}

/** A font subset that grows as text is encoded. */
export class SubsetFont implements TextFont {
  private readonly font: FkFont;
  private readonly subset: FkSubset;
  private readonly glyphs = new Map<number, GlyphInfo>();
  /** cid → unicode code point (for ToUnicode) */
  readonly cidToUnicode = new Map<number, number>();
  readonly cidWidths = new Map<number, number>();
  private readonly scale: number;
  readonly ascent: number;
  readonly descent: number;

  constructor(bytes: Uint8Array = notoSansScBytes()) {
    const fontkit = require('fontkit') as Fontkit;
    this.font = fontkit.create(bytes);
    this.subset = this.font.createSubset();
    this.scale = 1000 / this.font.unitsPerEm;
    this.ascent = this.font.ascent * this.scale;
    this.descent = this.font.descent * this.scale;
  }

  private glyph(cp: number): GlyphInfo {
    let g = this.glyphs.get(cp);
    if (!g) {
      const fg = this.font.glyphForCodePoint(cp);
      if (fg.id === 0 && cp !== 0x3f) {
        // Not in the font: draw '?' rather than an invisible .notdef.
        g = this.glyph(0x3f);
      } else {
        const cid = this.subset.includeGlyph(fg.id);
        g = { cid, w: Math.round(fg.advanceWidth * this.scale) };
        if (!this.cidToUnicode.has(cid)) this.cidToUnicode.set(cid, cp);
        this.cidWidths.set(cid, g.w);
      }
      this.glyphs.set(cp, g);
    }
    return g;
  }

  /** Hex string of 2-byte CIDs for a `<…> Tj` operand. */
  encode(text: string): string {
    let out = '';
    for (const ch of text) {
      const cid = this.glyph(ch.codePointAt(0) ?? 0x3f).cid;
      out += HEX4[cid] ?? cid.toString(16).padStart(4, '0');
    }
    return out;
  }

  /** Width of `text` in points at `size`. */
  width(text: string, size: number): number {
    let w = 0;
    for (const ch of text) w += this.glyph(ch.codePointAt(0) ?? 0x3f).w;
    return (w * size) / 1000;
  }

  /** The PDF objects of the font, given object numbers (Type0, CIDFont, descriptor, file, ToUnicode). */
  objects(nums: { type0: number; cid: number; descriptor: number; file: number; toUnicode: number }, deflate: (b: Uint8Array) => Uint8Array): Array<{ num: number; dict: string; stream?: Uint8Array }> {
    const file = deflate(this.subset.encode());
    const tag = 'CUNTNG';
    const name = `/${tag}+${this.font.postscriptName.replace(/[^A-Za-z0-9-]/g, '')}`;
    const s = this.scale;
    const b = this.font.bbox;
    const bbox = [b.minX, b.minY, b.maxX, b.maxY].map((v) => Math.round(v * s)).join(' ');
    const cids = [...this.cidWidths.keys()].sort((x, y) => x - y);
    let w = '';
    for (const cid of cids) w += `${cid} [${this.cidWidths.get(cid)}] `;
    const toUnicode = deflate(Buffer.from(this.toUnicodeCMap(), 'latin1'));
    return [
      { num: nums.type0, dict: `<< /Type /Font /Subtype /Type0 /BaseFont ${name} /Encoding /Identity-H /DescendantFonts [${nums.cid} 0 R] /ToUnicode ${nums.toUnicode} 0 R >>` },
      {
        num: nums.cid,
        dict: `<< /Type /Font /Subtype /CIDFontType2 /BaseFont ${name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${nums.descriptor} 0 R /DW 1000 /W [${w}] /CIDToGIDMap /Identity >>`,
      },
      {
        num: nums.descriptor,
        dict: `<< /Type /FontDescriptor /FontName ${name} /Flags 4 /FontBBox [${bbox}] /ItalicAngle ${this.font.italicAngle} /Ascent ${Math.round(this.ascent)} /Descent ${Math.round(this.descent)} /CapHeight ${Math.round(this.font.capHeight * s)} /StemV 80 /FontFile2 ${nums.file} 0 R >>`,
      },
      { num: nums.file, dict: `<< /Filter /FlateDecode /Length ${file.length} >>`, stream: file },
      { num: nums.toUnicode, dict: `<< /Filter /FlateDecode /Length ${toUnicode.length} >>`, stream: toUnicode },
    ];
  }

  private toUnicodeCMap(): string {
    const entries = [...this.cidToUnicode.entries()].sort((a, b) => a[0] - b[0]);
    const chunks: string[] = [];
    for (let i = 0; i < entries.length; i += 100) {
      const part = entries.slice(i, i + 100);
      chunks.push(`${part.length} beginbfchar\n${part.map(([cid, cp]) => `<${cid.toString(16).padStart(4, '0')}> <${utf16Hex(cp)}>`).join('\n')}\nendbfchar`);
    }
    return [
      '/CIDInit /ProcSet findresource begin',
      '12 dict begin',
      'begincmap',
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
      '/CMapName /Adobe-Identity-UCS def',
      '/CMapType 2 def',
      '1 begincodespacerange',
      '<0000> <ffff>',
      'endcodespacerange',
      ...chunks,
      'endcmap',
      'CMapName currentdict /CMap defineresource pop',
      'end',
      'end',
    ].join('\n');
  }
}

function utf16Hex(cp: number): string {
  if (cp < 0x10000) return cp.toString(16).padStart(4, '0');
  const v = cp - 0x10000;
  return ((0xd800 + (v >> 10)).toString(16) + (0xdc00 + (v & 0x3ff)).toString(16)).padStart(8, '0');
}

const HEX4: string[] = Array.from({ length: 65536 }, (_, i) => i.toString(16).padStart(4, '0'));
