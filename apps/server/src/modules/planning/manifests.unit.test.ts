import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pdfText } from '@cuntong/labels/test-support/raster.ts';
import { renderRunManifest, renderTripManifest } from './manifests.ts';

// The manifests as text (poppler's pdftotext): what the carrier and the bus crew get on paper.
const parcel = (i: number, masked = false) => ({
  waybillNo: `ZT9${String(i).padStart(9, '0')}`, name: masked ? '李*花' : '李春花', phone: masked ? '139******21' : '13987654321', pieces: 1, weightG: 1200, codFen: i % 5 === 0 ? 2550 : 0,
});
/** pdftotext keeps or drops the spaces between runs of text as it sees fit: compare without them. */
const flat = (s: string) => s.replace(/\s+/g, '');
const pages = (pdf: Buffer) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', ['-'], { input: pdf, encoding: 'utf8' }))?.[1]);

describe('dispatch manifests (PDF)', () => {
  it('a long run spans pages: every parcel once, continued stops repeat their heading, signature boxes on every page, recipients masked even if given in full', () => {
    const stops = Array.from({ length: 6 }, (_, k) => ({ villageCode: `52273211120${k}`, villageName: `村${k}`, arrival: `09:0${k}`, parcels: Array.from({ length: 20 }, (_, i) => parcel(k * 100 + i)) }));
    const pdf = renderRunManifest({ outlet: '周覃镇邮政所', date: '2026-12-07', dispatchId: 'dsp_t', run: { id: 'drn_t', vehicleCode: 'R1', routeName: '周覃—水龙投递段', vehicleType: 'motorcycle', carriers: [{ name: '韦国强', vehicle: '贵J·M1234' }], trip: 2, departure: '13:30', capacityKg: 200 }, stops });
    const text = pdfText(pdf);
    const n = pages(pdf);
    expect(n).toBeGreaterThan(2);
    for (const st of stops) for (const p of st.parcels) expect(text.split(p.waybillNo).length - 1).toBe(1);
    expect(text).toContain('（续）');
    expect(text.split('投递员签字').length - 1).toBe(n);
    expect(flat(text)).toContain(`第${n}/${n}页`);
    expect(text).not.toContain('13987654321');
    expect(text).not.toContain('李春花');
    expect(text).toContain('李*花');
    expect(flat(text)).toContain('合计：120票120件144.0kg代收货款¥612.00'); // 24 parcels with ¥25.50
    expect(flat(text)).toContain('R1第2趟');
    expect(flat(text)).toContain('投递段：周覃—水龙投递段车型：摩托车投递员：韦国强（贵J·M1234）');
  });

  it('a bus trip: bags with seals and stops, parcel counts, unsealed bags marked, the crew signs', () => {
    const pdf = renderTripManifest({
      outlet: '三都县邮政分公司', date: '2026-12-07', dispatchId: 'dsp_t', trip: { id: 'trp_t', lineCode: 'B7', lineName: '三都—九阡', departure: '07:30' },
      bags: [
        { sealNo: 'QN-7001', villageCode: '522732111201', villageName: '水各村', stopName: '水各路口', arrival: '08:05', parcels: [parcel(1, true), parcel(2, true)] },
        { sealNo: null, villageCode: '522732111202', villageName: '拉揽村', stopName: '', arrival: '08:30', parcels: [parcel(3, true)] },
      ],
    });
    const text = pdfText(pdf);
    expect(flat(text)).toContain('B7三都—九阡');
    expect(text).toContain('QN-7001');
    expect(text).toContain('水各村（水各路口）');
    expect(text).toContain('拉揽村（522732111202）');
    expect(text).toContain('（未施封）');
    expect(flat(text)).toContain('合计：2袋3件3.6kg');
    expect(text).toContain('班车驾乘人员签字');
    expect(text).toContain('139******21');
  });
});
