import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DivisionExtract } from '../divisions/divisions.ts';
import { buildDemoNetwork, indexDivisions } from './demo.ts';
import {
  exportBusLineRows,
  exportOutletRows,
  exportRouteRows,
  exportVillageCoordinateRows,
  parseBusLineRows,
  parseOutletRows,
  parseRouteRows,
  parseTrips,
  parseVillageCoordinateRows,
  parseServices,
  type ImportContext,
} from './import.ts';
import type { OutletRef } from './types.ts';

const extract = JSON.parse(readFileSync(new URL('../../../../data/divisions/5227.json', import.meta.url), 'utf8')) as DivisionExtract;
const divisions = indexDivisions(extract.divisions);
const net = buildDemoNetwork(extract);
const outletsByCode = new Map<string, OutletRef>(net.outlets.map((o) => [o.code, o]));
const villagesByCode = new Map(net.villages.map((v) => [v.code, { lon: v.lon, lat: v.lat, serviceS: v.visitRule.serviceS }]));
const ctx: ImportContext = { divisions, outlets: outletsByCode, villages: villagesByCode };
const codeById = new Map(net.outlets.map((o) => [o.id, o.code]));

const ZH_HEADER = ['编码', '名称', '类型', '行政区划代码', '经度', '纬度', '营业时间', '格口数', '联系人', '联系电话', '服务'];
const goodRow = ['PO522701111X', '匀东镇邮政所（新）', '邮政所', '522701111', '107.62', '26.22', '08:00-18:00', '100', '王明', '0854-8221234', '快递投递、法院立案，tax'];

describe('parseOutletRows', () => {
  it('reads Chinese headers, Chinese kinds and services, with spreadsheet row numbers', () => {
    const r = parseOutletRows([ZH_HEADER, goodRow, ['', '', '', '', '', '', '', '', '', '', ''], ['VS522701111212', '鸡贾村村邮站', '村邮站', '522701111212', '107.6', '26.2', '08:00-20:00', '30', '', '', 'parcel_delivery,pickup_station']], ctx);
    expect(r.rejected).toEqual([]);
    expect(r.valid).toHaveLength(2);
    expect(r.valid[0]).toMatchObject({ id: 'out_po522701111x', code: 'PO522701111X', kind: 'postal_office', countyCode: '522701', townCode: '522701111', lon: 107.62, lat: 26.22, capacitySlots: 100, services: ['parcel_delivery', 'court_filing', 'tax'], coordinatesApproximate: false, active: true });
    expect(r.valid[1]).toMatchObject({ kind: 'village_station', contactName: null, contactPhone: null, townCode: '522701111' });
  });

  it('reads records keyed by English or combined headers', () => {
    const rec = { code: 'ES1', name: '驿站', type: 'express_station', division: '522701001', lng: '107.5', latitude: '26.25', hours: '1-7 08:00-21:00', slots: '300', contact: '', phone: '13885412345', services: 'pickup_station' };
    const r = parseOutletRows([rec], ctx);
    expect(r.rejected).toEqual([]);
    expect(r.valid[0]).toMatchObject({ code: 'ES1', kind: 'express_station', divisionCode: '522701001', capacitySlots: 300, contactPhone: '13885412345' });
    const combined = parseOutletRows([{ '编码/code': 'ES2', '名称/name': 'x', '类型/kind': '快递驿站', '行政区划代码/divisionCode': '522701001', '经度 (lon)': '107.5', '纬度（lat）': '26.25', '营业时间/openingHours': '08:00-21:00', '服务/services': '代收自提' }], ctx);
    expect(combined.rejected).toEqual([]);
    expect(combined.valid).toHaveLength(1);
  });

  it('reports a missing required column once, and imports nothing', () => {
    const header = ZH_HEADER.filter((h) => h !== '纬度');
    const row = goodRow.filter((_, i) => i !== 5);
    const r = parseOutletRows([header, row, row], ctx);
    expect(r.valid).toEqual([]);
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0]).toMatchObject({ row: 1, path: 'lat' });
    expect(r.rejected[0]?.message).toMatch(/missing required column.*纬度\/lat/);
    expect(parseOutletRows([], ctx).rejected[0]?.message).toMatch(/empty/);
  });

  it('reports an unknown column once, at row 1, and still reads the rows', () => {
    const r = parseOutletRows([[...ZH_HEADER, '备注x'], [...goodRow, 'note']], ctx);
    expect(r.rejected).toEqual([expect.objectContaining({ row: 1, path: '备注x' })]);
    expect(r.valid).toHaveLength(1);
  });

  it('rejects bad codes, kinds, services and coordinates with row and column', () => {
    const rows = [
      ZH_HEADER,
      goodRow,
      ['bad code', ...goodRow.slice(1)],
      [goodRow[0] + 'A', goodRow[1], '邮局', ...goodRow.slice(3)],
      [goodRow[0] + 'B', ...goodRow.slice(1, 3), '522701999', ...goodRow.slice(4)],
      [goodRow[0] + 'C', ...goodRow.slice(1, 4), '207.6', ...goodRow.slice(5)],
      [goodRow[0] + 'D', ...goodRow.slice(1, 4), '东经107', ...goodRow.slice(5)],
      [goodRow[0] + 'E', ...goodRow.slice(1, 10), '按摩'],
      [goodRow[0] + 'F', ...goodRow.slice(1, 6), '8点到18点', ...goodRow.slice(7)],
      [goodRow[0] + 'G', ...goodRow.slice(1, 4), '26.22', '107.62', ...goodRow.slice(6)],
    ] as string[][];
    const r = parseOutletRows(rows, ctx);
    expect(r.valid.map((o) => o.code)).toEqual([goodRow[0]]);
    const at = (row: number) => r.rejected.filter((x) => x.row === row).map((x) => x.path);
    expect(at(3)).toEqual(['code']);
    expect(at(4)).toEqual(['kind']);
    expect(at(5)).toEqual(['divisionCode']);
    expect(at(6)).toEqual(['lon']);
    expect(at(7)).toEqual(['lon']);
    expect(at(8)).toEqual(['services']);
    expect(at(9)).toEqual(['openingHours']);
    expect(r.rejected.find((x) => x.row === 10)?.message).toMatch(/swapped/);
    expect(r.rejected.find((x) => x.row === 4)?.message).toMatch(/postal_office \(邮政所\)/);
  });

  it('warns, without rejecting, about coordinates outside the region', () => {
    const r = parseOutletRows([ZH_HEADER, [...goodRow.slice(0, 4), '116.4', '39.9', ...goodRow.slice(6)]], ctx);
    expect(r.valid).toHaveLength(1);
    expect(r.warnings).toEqual([expect.objectContaining({ row: 2, path: 'lon' })]);
  });

  it('detects duplicate codes inside the file', () => {
    const r = parseOutletRows([ZH_HEADER, goodRow, goodRow, [goodRow[0]?.toLowerCase() ?? '', ...goodRow.slice(1)]], ctx);
    expect(r.valid).toHaveLength(1);
    expect(r.rejected).toEqual([
      { row: 3, path: 'code', message: `duplicate code ${goodRow[0]} (first at row 2)` },
      { row: 4, path: 'code', message: `duplicate code ${goodRow[0]} (first at row 2)` },
    ]);
  });

  it('round-trips the demo outlets: export → import gives the same outlets', () => {
    const rows = exportOutletRows(net.outlets);
    expect(rows[0]?.[0]).toBe('编码/code');
    const r = parseOutletRows(rows, ctx);
    expect(r.rejected).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.valid).toEqual(net.outlets);
    expect(exportOutletRows(r.valid)).toEqual(rows);
  });

  it('parses services by code or label', () => {
    expect(parseServices('警邮 邮税;车驾管|代理车险')).toEqual({ ok: true, value: ['police', 'tax', 'vehicle_administration', 'vehicle_insurance'] });
    expect(parseServices('')).toEqual({ ok: true, value: [] });
  });
});

describe('parseVillageCoordinateRows', () => {
  it('round-trips the demo village coordinates', () => {
    const coords = net.villages.map((v) => ({ code: v.code, lon: v.lon, lat: v.lat, coordinatesApproximate: v.coordinatesApproximate }));
    const rows = exportVillageCoordinateRows(coords, divisions);
    const r = parseVillageCoordinateRows(rows, ctx);
    expect(r.rejected).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.valid).toEqual(coords);
    expect(exportVillageCoordinateRows(r.valid, divisions)).toEqual(rows);
  });

  it('rejects non-village codes, bad coordinates and duplicates; warns on a mismatched name', () => {
    const r = parseVillageCoordinateRows(
      [
        ['村编码', '村名', '经度', '纬度'],
        ['522701111212', '鸡贾村', '107.6', '26.2'],
        ['522701111', '', '107.6', '26.2'],
        ['522701111210', '', '107.6', ''],
        ['522701111212', '', '107.6', '26.2'],
        ['522701111211', '甲登村', '107.6', '26.2'],
        ['522701111215', '', '107.6', '-95'],
      ],
      ctx,
    );
    expect(r.valid.map((v) => v.code)).toEqual(['522701111212', '522701111211']);
    expect(r.rejected.map((x) => [x.row, x.path])).toEqual([[3, 'code'], [4, 'lat'], [5, 'code'], [7, 'lat']]);
    expect(r.rejected[2]?.message).toMatch(/first at row 2/);
    expect(r.warnings).toEqual([expect.objectContaining({ row: 6, path: 'name' })]);
  });
});

describe('parseRouteRows', () => {
  it('round-trips the demo routes (carriers are not part of the file)', () => {
    const rows = exportRouteRows(net.routes, codeById, divisions);
    expect(rows.length - 1).toBe(net.routes.reduce((a, r) => a + r.stops.length, 0));
    const r = parseRouteRows(rows, ctx);
    expect(r.rejected).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.valid).toEqual(net.routes.map((x) => ({ ...x, carrierIds: [] })));
    expect(exportRouteRows(r.valid, codeById, divisions)).toEqual(rows);
  });

  it('accepts Chinese days and vehicle labels, blank repeated route columns, and rows out of order', () => {
    const r = parseRouteRows(
      [
        ['投递段编码', '投递段名称', '网点编码', '交通工具', '顺序', '村编码', '投递日'],
        ['R-T1', '测试段', 'PO522701111', '摩托车', '2', '522701111210', '二四六'],
        ['R-T1', '', '', '', '1', '522701111212', '一三五'],
      ],
      ctx,
    );
    expect(r.rejected).toEqual([]);
    expect(r.valid).toHaveLength(1);
    expect(r.valid[0]).toMatchObject({ id: 'rte_r_t1', vehicleType: 'motorcycle', capacityKg: 120, outletId: 'out_po522701111', countyCode: '522701', workingDays: [1, 2, 3, 4, 5, 6], maxDurationS: 28800 });
    expect(r.valid[0]?.stops).toEqual([
      { seq: 1, villageCode: '522701111212', days: [1, 3, 5] },
      { seq: 2, villageCode: '522701111210', days: [2, 4, 6] },
    ]);
    expect(r.valid[0]?.lengthM).toBeGreaterThan(0);
  });

  it('rejects the whole route when a row is bad, pointing at the bad row', () => {
    const header = ['routeCode', 'routeName', 'outletCode', 'vehicleType', 'workingDays', 'seq', 'villageCode', 'days'];
    const r = parseRouteRows(
      [
        header,
        ['R-A', 'A', 'PO522701111', 'e_bike', '1-6', '1', '522701111212', '1,3,5'],
        ['R-A', 'A', 'PO522701111', 'e_bike', '1-6', '2', '522701111210', '8'],
        ['R-B', 'B', 'PO522701111', 'e_bike', '1-6', '1', '522701111212', '1,3,5'],
        ['R-B', 'B', 'PO522701111', 'van', '1-6', '1', '522701111210', '1,3,5'],
        ['R-C', 'C', 'PO_NOPE', 'e_bike', '1-6', '1', '522701111212', '1,3,5'],
        ['R-D', 'D', 'PO522701111', 'e_bike', '1-5', '1', '522701111212', '6'],
        ['R-E', 'E', 'PO522701111', 'e_bike', '1-6', '1', '522701111212', '1'],
        ['R-E', 'E', 'PO522701111', 'e_bike', '1-6', '2', '522701111212', '2'],
        ['R-F', 'F', 'PO522701111', 'e_bike', '1-6', '1', '522701111', '1'],
        ['R-OK', 'OK', 'PO522701111', 'e_bike', '1-6', '1', '522701111212', '1,3,5'],
      ],
      ctx,
    );
    expect(r.valid.map((x) => x.code)).toEqual(['R-OK']);
    const at = (row: number) => r.rejected.filter((x) => x.row === row).map((x) => `${x.path}: ${x.message}`);
    expect(at(3)[0]).toMatch(/^days: .*outside 1-7/);
    expect(at(2)[0]).toMatch(/route R-A is not imported/);
    expect(at(5)).toEqual(expect.arrayContaining([expect.stringMatching(/^vehicleType: "van" differs/), expect.stringMatching(/^seq: duplicate stop 1/)]));
    expect(at(6)[0]).toMatch(/^outletCode: unknown outlet PO_NOPE/);
    expect(at(7)[0]).toMatch(/^days: .*not working days/);
    expect(at(9)[0]).toMatch(/^villageCode: village 522701111212 is already a stop/);
    expect(at(10)[0]).toMatch(/^villageCode: /);
  });

  it('reports missing columns once', () => {
    const r = parseRouteRows([['routeCode', 'seq'], ['R1', '1']], ctx);
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0]?.message).toMatch(/投递段名称\/routeName/);
  });
});

describe('parseBusLineRows', () => {
  it('round-trips the demo bus lines', () => {
    const rows = exportBusLineRows(net.busLines, codeById);
    const r = parseBusLineRows(rows, ctx);
    expect(r.rejected).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.valid).toEqual(net.busLines);
    expect(exportBusLineRows(r.valid, codeById)).toEqual(rows);
  });

  it('fills stop coordinates from the outlet or village and parses the timetable', () => {
    const r = parseBusLineRows(
      [
        ['线路编码', '线路名称', '运营单位', '县代码', '班次', '站序', '站名', '村编码', '网点编码'],
        ['B-T', '都匀—匀东', '都匀客运', '522701', '7:30@每天/40/100；14:00@一至五/30/80', '1', '客运站', '', 'PO522701001'],
        ['B-T', '', '', '', '', '2', '鸡贾村', '522701111212', ''],
      ],
      ctx,
    );
    expect(r.rejected).toEqual([]);
    const line = r.valid[0];
    expect(line?.trips).toEqual([
      { id: 'trp_b_t_1', departure: '07:30', days: [1, 2, 3, 4, 5, 6, 7], capacityParcels: 40, feePerParcelFen: 100 },
      { id: 'trp_b_t_2', departure: '14:00', days: [1, 2, 3, 4, 5], capacityParcels: 30, feePerParcelFen: 80 },
    ]);
    const po = net.outlets.find((o) => o.code === 'PO522701001');
    expect(line?.stops[0]).toEqual({ seq: 1, name: '客运站', outletId: po?.id, lon: po?.lon, lat: po?.lat });
    expect(line?.stops[1]?.villageCode).toBe('522701111212');
  });

  it('rejects bad timetables, untied stops and unknown outlets', () => {
    expect(parseTrips('07:30 every day', 'B').ok).toBe(false);
    expect(parseTrips('25:00@1/1/1', 'B').ok).toBe(false);
    expect(parseTrips('07:30@9/1/1', 'B').ok).toBe(false);
    const header = ['lineCode', 'lineName', 'operator', 'countyCode', 'trips', 'seq', 'stopName', 'villageCode', 'outletCode', 'lon', 'lat'];
    const r = parseBusLineRows(
      [
        header,
        ['B1', 'L', 'op', '522701', '07:30@1-7/40/100', '1', 'a', '', 'PO_NOPE', '', ''],
        ['B1', 'L', 'op', '522701', '07:30@1-7/40/100', '2', 'b', '522701111212', '', '', ''],
        ['B2', 'L', 'op', '522701', 'soon', '1', 'a', '522701111212', '', '', ''],
        ['B2', 'L', 'op', '522701', 'soon', '2', 'b', '522701111210', '', '', ''],
        ['B3', 'L', 'op', '522701', '07:30@1-7/40/100', '1', 'a', '522701111212', '', '', ''],
        ['B3', 'L', 'op', '522701', '07:30@1-7/40/100', '2', 'roadside', '', '', '107.6', '26.2'],
      ],
      ctx,
    );
    expect(r.valid).toEqual([]);
    expect(r.rejected.find((x) => x.row === 2)?.path).toBe('outletCode');
    expect(r.rejected.find((x) => x.row === 4)?.path).toBe('trips');
    expect(r.rejected.find((x) => x.row === 7)?.message).toMatch(/tied to a village/);
  });
});
