import { describe, expect, it } from 'vitest';
import { barcodeGeometry, LABEL_H_MM, LABEL_W_MM, LAYOUT, maskedParty } from './label.ts';
import { renderLabelsPdfBuffer, sheetSlots } from './labels-pdf.ts';
import { crop, decode, Formats as BarcodeFormat, minInRect, pdfText, rasterize } from './test-support/raster.ts';
import { SAMPLE_LABEL } from './test-support/fixtures.ts';

const PT_PER_MM = 72 / 25.4;
const mediaBoxes = (pdf: Buffer) => [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Number(m[1]), Number(m[2])]);

describe('thermal label PDF', () => {
  const labels = [SAMPLE_LABEL, { ...SAMPLE_LABEL, waybillNo: 'EE473124829CN', reprint: true }];
  const pdf = renderLabelsPdfBuffer(labels, { info: { creationDate: '2026-11-30T08:00:00Z' } });

  it('has one 100 × 150 mm page per label', () => {
    const boxes = mediaBoxes(pdf);
    expect(boxes).toHaveLength(2);
    for (const [w = 0, h = 0] of boxes) {
      expect(Math.abs(w / PT_PER_MM - 100)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(h / PT_PER_MM - 150)).toBeLessThanOrEqual(0.5);
    }
  });

  it.each([
    [1, '95270000000013'],
    [2, 'EE473124829CN'],
  ])('page %i: Code 128 and QR decode back to %s at 300 dpi, and the quiet zones are blank', (page, no) => {
    const img = rasterize(pdf, page, 300);
    expect(Math.abs(img.width - (LABEL_W_MM / 25.4) * 300)).toBeLessThanOrEqual(1.5);
    expect(decode(img, BarcodeFormat.CODE_128)).toBe(no);
    // zxing's QR detector takes the black 收 box for a finder pattern on the full page, so the QR is
    // decoded from the contents zone (a scanner is aimed at it the same way).
    expect(decode(crop(img, 300, 50, LAYOUT.contents.top, 50, LAYOUT.contents.bottom - LAYOUT.contents.top), BarcodeFormat.QR_CODE)).toBe(no);
    const g = barcodeGeometry(no);
    expect(g.quietMm / g.moduleMm).toBeGreaterThanOrEqual(10);
    const inset = 0.15; // anti-aliasing at the first/last bar edge
    expect(minInRect(img, 300, g.x - g.quietMm, g.y, g.quietMm - inset, g.height)).toBeGreaterThan(200);
    expect(minInRect(img, 300, g.x + g.width + inset, g.y, g.quietMm - inset, g.height)).toBeGreaterThan(200);
    expect(minInRect(img, 300, g.x, g.y, g.width, g.height)).toBeLessThan(50);
  });

  it('never contains the full name, phone or room number in its text layer, only the masked forms', () => {
    const text = pdfText(pdf).replace(/\s+/g, '');
    for (const secret of ['张小娟', '13812345678', '王建国', '0854-8221234', '8221234', '2单元301', '5栋', '45号']) {
      expect(text).not.toContain(secret);
    }
    const r = maskedParty(SAMPLE_LABEL.recipient);
    expect(text).toContain('张*娟');
    expect(text).toContain('138******78');
    expect(text).toContain(r.address);
    expect(text).toContain('王*');
    expect(text).toContain('0854-******4');
    expect(text).toContain('广东深圳南山区');
    expect(text).toContain('重印REPRINT');
    // Also not in the raw bytes (e.g. metadata)
    expect(pdf.includes('13812345678')).toBe(false);
  });

  it('prints the reprint mark only on reprints', () => {
    const one = pdfText(renderLabelsPdfBuffer([SAMPLE_LABEL]));
    expect(one).not.toContain('REPRINT');
  });

  it('embeds one subset of Noto Sans SC and no other font', () => {
    const s = pdf.toString('latin1');
    expect(s.match(/\/Subtype \/Type0/g)).toHaveLength(1);
    expect(s).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    expect(s).toContain('/FontFile2');
  });
});

describe('labels with extreme data', () => {
  it('keeps the barcode decodable and its quiet zones blank when every text field is too long', () => {
    const long = '黔南布依族苗族自治州惠水县好花红镇好花红村'.repeat(4);
    const d = {
      ...SAMPLE_LABEL,
      waybillNo: '95271234567894',
      destination: '新疆 伊犁哈萨克自治州 察布查尔锡伯自治县',
      sortCode: 'XJ-0999-ILI-LONG',
      recipient: { name: '阿卜杜热合曼·买买提明·阿不都拉', phone: '13812345678-1234', address: long, region: '新疆维吾尔自治区伊犁哈萨克自治州察布查尔锡伯自治县' },
      sender: { name: '惠水县好花红米粉农民专业合作社联合社第一分社', organization: true, phone: '0854-6221234-801', address: long },
      product: '惠水米粉'.repeat(20),
      orderNo: 'TB'.padEnd(60, '7'),
      remark: '到了打13912345678 ' + '易碎'.repeat(40),
      quantity: 9999,
      weightG: 49_999,
      reprint: true,
    };
    const pdf = renderLabelsPdfBuffer([d]);
    const img = rasterize(pdf, 1, 300);
    expect(decode(img, BarcodeFormat.CODE_128)).toBe(d.waybillNo);
    const g = barcodeGeometry(d.waybillNo);
    expect(minInRect(img, 300, g.x - g.quietMm, g.y, g.quietMm - 0.15, g.height)).toBeGreaterThan(200);
    expect(minInRect(img, 300, g.x + g.width + 0.15, g.y, g.quietMm - 0.15, g.height)).toBeGreaterThan(200);
    const text = pdfText(pdf).replace(/\s+/g, '');
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('13912345678'); // phone in the buyer's remark
    expect(text).toContain('139******78');
    expect(text).toContain('…');
  });
});

describe('A4 sheets', () => {
  it('puts 6 labels on a page, scaled, inside the sheet', () => {
    const pdf = renderLabelsPdfBuffer(Array.from({ length: 7 }, (_, i) => ({ ...SAMPLE_LABEL, waybillNo: `9527000000${String(i).padStart(3, '0')}0` })), { format: 'a4', perSheet: 6 });
    const boxes = mediaBoxes(pdf);
    expect(boxes).toHaveLength(2);
    expect(Math.abs((boxes[0]?.[0] ?? 0) / PT_PER_MM - 210)).toBeLessThan(0.5);
    for (const s of sheetSlots(6)) {
      expect(s.xPt).toBeGreaterThanOrEqual(0);
      expect(s.yPt).toBeGreaterThanOrEqual(0);
      expect(s.xPt + LABEL_W_MM * s.scale * PT_PER_MM).toBeLessThanOrEqual(210 * PT_PER_MM + 0.01);
      expect(s.yPt + LABEL_H_MM * s.scale * PT_PER_MM).toBeLessThanOrEqual(297 * PT_PER_MM + 0.01);
    }
    // The second label of the first sheet (top right), rendered alone, decodes to its own number.
    const slot = sheetSlots(6)[1];
    if (!slot) throw new Error('no slot');
    const mm = (pt: number) => pt / PT_PER_MM;
    const area = { x: mm(slot.xPt), y: 297 - mm(slot.yPt) - LABEL_H_MM * slot.scale, w: LABEL_W_MM * slot.scale, h: LABEL_H_MM * slot.scale };
    const img = rasterize(pdf, 1, 300, area);
    expect(decode(img, BarcodeFormat.CODE_128)).toBe('95270000000010');
  });

  it('4-up sheets keep labels at ~96 % size', () => {
    expect(sheetSlots(4)[0]?.scale).toBeCloseTo(0.9567, 3);
  });
});
