import { describe, expect, it } from 'vitest';
import type { Division } from '../divisions/divisions.ts';
import {
  validateAgreement,
  validateBusLine,
  validateCarrier,
  validateOutlet,
  validatePartner,
  validateRoute,
  validateVehicle,
  validateVillage,
  validateVillageCoordinates,
  validateVisitRule,
  findAgreementOverlaps,
  isIsoDate,
  type ValidationContext,
} from './validate.ts';
import { defaultVisitRule, formatDays, parseDays, parseOpeningHours, townSeatCommunities } from './rules.ts';
import { greatCircleM, offsetPoint, tourOrder, routeMetrics, stableHash, seededRandom } from './geo.ts';
import type { Agreement, BusLine, Carrier, DeliveryRoute, Outlet, Vehicle, Village } from './types.ts';

const divs: Division[] = [
  { code: '522701', name: '都匀市', shortName: '都匀市', level: 'county', parent: '5227' },
  { code: '522701001', name: '广惠街道', shortName: '广惠街道', level: 'town', parent: '522701' },
  { code: '522701001001', name: '广惠社区居民委员会', shortName: '广惠社区', level: 'village', parent: '522701001', kind: 'community' },
  { code: '522701111', name: '匀东镇', shortName: '匀东镇', level: 'town', parent: '522701' },
  { code: '522701111001', name: '坝固社区居民委员会', shortName: '坝固社区', level: 'village', parent: '522701111', kind: 'community' },
  { code: '522701111002', name: '王司社区居民委员会', shortName: '王司社区', level: 'village', parent: '522701111', kind: 'community' },
  { code: '522701111212', name: '鸡贾村村民委员会', shortName: '鸡贾村', level: 'village', parent: '522701111', kind: 'village' },
  { code: '522701111210', name: '羊列村村民委员会', shortName: '羊列村', level: 'village', parent: '522701111', kind: 'village' },
  { code: '532301', name: '楚雄市', shortName: '楚雄市', level: 'county', parent: '5323' },
];
const ctx: ValidationContext = { divisions: new Map(divs.map((d) => [d.code, d])) };

const outlet: Outlet = {
  id: 'out_po522701111',
  code: 'PO522701111',
  name: '匀东镇邮政所',
  kind: 'postal_office',
  divisionCode: '522701111',
  countyCode: '522701',
  townCode: '522701111',
  lon: 107.62,
  lat: 26.22,
  coordinatesApproximate: true,
  openingHours: '1-6 08:00-17:30; 7 09:00-12:00',
  capacitySlots: 100,
  contactName: '王明',
  contactPhone: '0854-8221234',
  services: ['parcel_delivery', 'court_filing'],
  active: true,
};

const paths = (r: { errors: Array<{ path: string }> }) => r.errors.map((e) => e.path);
const wpaths = (r: { warnings: Array<{ path: string }> }) => r.warnings.map((e) => e.path);

describe('validateOutlet', () => {
  it('accepts a good outlet', () => {
    expect(validateOutlet(outlet, ctx)).toEqual({ errors: [], warnings: [] });
  });
  it.each([
    ['code', { code: 'po 1' }],
    ['code', { code: '' }],
    ['name', { name: ' ' }],
    ['kind', { kind: 'post' }],
    ['divisionCode', { divisionCode: '522701999' }], // unknown
    ['divisionCode', { divisionCode: '522701' }], // county level
    ['divisionCode', { divisionCode: '532301001' }], // outside the region
    ['divisionCode', { divisionCode: '52270111' }], // wrong length
    ['townCode', { townCode: '522701001' }],
    ['countyCode', { countyCode: '522702' }],
    ['lon', { lon: 200 }],
    ['lat', { lat: -91 }],
    ['lon', { lon: Number.NaN }],
    ['lon', { lon: 2.35, lat: 48.85 }], // Paris: not in China
    ['openingHours', { openingHours: '8-18' }],
    ['openingHours', { openingHours: '18:00-08:00' }],
    ['openingHours', { openingHours: '1-5 08:00-18:00; 5-7 09:00-12:00' }],
    ['capacitySlots', { capacitySlots: -1 }],
    ['capacitySlots', { capacitySlots: 1.5 }],
    ['contactPhone', { contactPhone: '12345' }],
    ['services[0]', { services: ['massage'] }],
    ['services[1]', { services: ['tax', 'tax'] }],
  ] as Array<[string, Partial<Outlet>]>)('rejects %s in %j', (path, patch) => {
    expect(paths(validateOutlet({ ...outlet, ...patch } as Outlet, ctx))).toContain(path);
  });
  it('requires a village station to sit in a village-level division', () => {
    expect(paths(validateOutlet({ ...outlet, kind: 'village_station' }, ctx))).toContain('divisionCode');
    expect(paths(validateOutlet({ ...outlet, kind: 'village_station', divisionCode: '522701111212' }, ctx))).toEqual([]);
  });
  it('warns (does not reject) outside the region box, and notices swapped coordinates', () => {
    const far = validateOutlet({ ...outlet, lon: 116.4, lat: 39.9 }, ctx);
    expect(far.errors).toEqual([]);
    expect(wpaths(far)).toEqual(['lon']);
    const swapped = validateOutlet({ ...outlet, lon: 26.22, lat: 107.62 }, ctx);
    expect(swapped.errors.map((e) => e.message).join(' ')).toMatch(/swapped/);
  });
  it('accepts mobile and landline phones, null contacts, and 24:00 closing', () => {
    expect(paths(validateOutlet({ ...outlet, contactPhone: '13885412345', contactName: null }, ctx))).toEqual([]);
    expect(paths(validateOutlet({ ...outlet, contactPhone: null, openingHours: '00:00-24:00' }, ctx))).toEqual([]);
  });
  it('warns about a pickup station without slots and an outlet without services', () => {
    expect(wpaths(validateOutlet({ ...outlet, services: ['pickup_station'], capacitySlots: 0 }, ctx))).toContain('capacitySlots');
    expect(wpaths(validateOutlet({ ...outlet, services: [] }, ctx))).toContain('services');
  });
});

describe('opening hours and days', () => {
  it('parses the documented forms', () => {
    expect(parseOpeningHours('08:00-18:00')).toEqual({ ok: true, value: [{ days: [1, 2, 3, 4, 5, 6, 7], intervals: [{ from: 480, to: 1080 }] }] });
    const r = parseOpeningHours('1-5 08:00-12:00,14:00-17:30; 6 09:00-12:00; 7 closed');
    expect(r.ok && r.value.map((s) => s.days)).toEqual([[1, 2, 3, 4, 5], [6], [7]]);
    expect(r.ok && r.value[2]?.intervals).toEqual([]);
    expect(parseOpeningHours('一至五 08:00-18:00').ok).toBe(true);
    expect(parseOpeningHours('08:00-12:00,11:00-17:00').ok).toBe(false);
    expect(parseOpeningHours('25:00-26:00').ok).toBe(false);
    expect(parseOpeningHours('').ok).toBe(false);
  });
  it('parses weekdays in digits, ranges, Chinese and English', () => {
    const days = (s: string) => {
      const r = parseDays(s);
      return r.ok ? r.value : r.message;
    };
    expect(days('1,3,5')).toEqual([1, 3, 5]);
    expect(days('1、3、5')).toEqual([1, 3, 5]);
    expect(days('135')).toEqual([1, 3, 5]);
    expect(days('一三五')).toEqual([1, 3, 5]);
    expect(days('周二、四、六')).toEqual([2, 4, 6]);
    expect(days('星期一至星期五')).toEqual([1, 2, 3, 4, 5]);
    expect(days('每天')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(days('周日')).toEqual([7]);
    expect(days('mon,wed,fri')).toEqual([1, 3, 5]);
    expect(days('5,1,3,3')).toEqual([1, 3, 5]);
    expect(days('8')).toMatch(/outside 1-7/);
    expect(days('0')).toMatch(/outside 1-7/);
    expect(days('5-1')).toMatch(/range/);
    expect(days('sometimes')).toMatch(/not a list of weekdays/);
    expect(days('')).toMatch(/no days/);
    expect(formatDays([5, 1, 3])).toBe('1,3,5');
  });
  it('validates ISO dates', () => {
    expect(isIsoDate('2026-01-01')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-1')).toBe(false);
  });
});

describe('visit rules', () => {
  it('gives 3/week to village committees, 7 to seat communities, 5 to other communities', () => {
    const seat = townSeatCommunities(divs);
    expect([...seat].sort()).toEqual(['522701001001', '522701111001']);
    const rule = (code: string) => defaultVisitRule(divs.find((d) => d.code === code) as Division, seat.has(code));
    expect(rule('522701111212').minVisitsPerWeek).toBe(3);
    expect(rule('522701001001').minVisitsPerWeek).toBe(7);
    expect(rule('522701111001').minVisitsPerWeek).toBe(7);
    expect(rule('522701111002').minVisitsPerWeek).toBe(5);
  });
  it('checks a rule can be met', () => {
    expect(validateVisitRule({ minVisitsPerWeek: 3, allowedDays: [1, 3, 5], serviceS: 600 }).errors).toEqual([]);
    expect(paths(validateVisitRule({ minVisitsPerWeek: 4, allowedDays: [1, 3, 5], serviceS: 600 }))).toContain('visitRule.allowedDays');
    expect(paths(validateVisitRule({ minVisitsPerWeek: 8, allowedDays: [1], serviceS: 600 }))).toContain('visitRule.minVisitsPerWeek');
    expect(paths(validateVisitRule({ minVisitsPerWeek: 1, allowedDays: [0 as 1, 1], serviceS: -5 }))).toEqual(['visitRule.allowedDays[0]', 'visitRule.serviceS']);
    expect(wpaths(validateVisitRule({ minVisitsPerWeek: 2, allowedDays: [1, 4], serviceS: 600 }, 'village'))).toEqual(['visitRule.minVisitsPerWeek']);
  });
  it('validates a village and its coordinates', () => {
    const v: Village = { code: '522701111212', name: '鸡贾村村民委员会', shortName: '鸡贾村', townCode: '522701111', countyCode: '522701', kind: 'village', lon: 107.6, lat: 26.2, coordinatesApproximate: true, visitRule: { minVisitsPerWeek: 3, allowedDays: [1, 2, 3, 4, 5, 6], serviceS: 600 }, plannedVisitsPerWeek: 3 };
    expect(validateVillage(v, ctx)).toEqual({ errors: [], warnings: [] });
    expect(paths(validateVillage({ ...v, townCode: '522701001' }, ctx))).toEqual(['townCode']);
    expect(wpaths(validateVillage({ ...v, plannedVisitsPerWeek: 2 }, ctx))).toEqual(['plannedVisitsPerWeek']);
    expect(paths(validateVillageCoordinates({ code: '522701111', lon: 107.6, lat: 26.2, coordinatesApproximate: false }, ctx))).toEqual(['code']);
    expect(paths(validateVillageCoordinates({ code: '522701111212', lon: 107.6, lat: 95, coordinatesApproximate: false }, ctx))).toEqual(['lat']);
  });
});

const route: DeliveryRoute = {
  id: 'rte_r1',
  code: 'R522701111-01',
  name: '匀东镇邮政所 鸡贾村—羊列村投递段',
  outletId: 'out_po522701111',
  countyCode: '522701',
  vehicleType: 'e_bike',
  capacityKg: 60,
  carrierIds: ['car_1'],
  workingDays: [1, 2, 3, 4, 5, 6],
  maxDurationS: 28800,
  stops: [
    { seq: 1, villageCode: '522701111212', days: [1, 3, 5] },
    { seq: 2, villageCode: '522701111210', days: [2, 4, 6] },
  ],
  lengthM: 12000,
  durationS: 4000,
  active: true,
};

describe('validateRoute', () => {
  it('accepts a good route', () => {
    expect(validateRoute(route, { ...ctx, outletIds: new Set(['out_po522701111']) })).toEqual({ errors: [], warnings: [] });
  });
  it.each([
    ['code', { code: 'r 1' }],
    ['outletId', { outletId: '' }],
    ['countyCode', { countyCode: '522799' }],
    ['countyCode', { countyCode: '522701111' }],
    ['vehicleType', { vehicleType: 'horse' }],
    ['capacityKg', { capacityKg: 0 }],
    ['carrierIds', { carrierIds: ['a', 'a'] }],
    ['workingDays', { workingDays: [] }],
    ['workingDays[1]', { workingDays: [1, 9] }],
    ['maxDurationS', { maxDurationS: 0 }],
    ['lengthM', { lengthM: -1 }],
    ['stops', { stops: [] }],
    ['stops[1].seq', { stops: [{ seq: 1, villageCode: '522701111212', days: [1] }, { seq: 3, villageCode: '522701111210', days: [1] }] }],
    ['stops[1].villageCode', { stops: [{ seq: 1, villageCode: '522701111212', days: [1] }, { seq: 2, villageCode: '522701111212', days: [2] }] }],
    ['stops[0].villageCode', { stops: [{ seq: 1, villageCode: '522701111999', days: [1] }] }],
    ['stops[0].villageCode', { stops: [{ seq: 1, villageCode: '522701111', days: [1] }] }],
    ['stops[0].days', { stops: [{ seq: 1, villageCode: '522701111212', days: [7] }] }], // not a working day
    ['stops[0].days[0]', { stops: [{ seq: 1, villageCode: '522701111212', days: [0] }] }],
    ['stops[0].days', { stops: [{ seq: 1, villageCode: '522701111212', days: [] }] }],
  ] as Array<[string, Partial<DeliveryRoute>]>)('rejects %s in %j', (path, patch) => {
    expect(paths(validateRoute({ ...route, ...patch } as DeliveryRoute, ctx))).toContain(path);
  });
  it('rejects an unknown outlet when outlets are given, and warns when the day is too long', () => {
    expect(paths(validateRoute(route, { ...ctx, outletIds: new Set() }))).toEqual(['outletId']);
    expect(wpaths(validateRoute({ ...route, durationS: 30000 }, ctx))).toEqual(['durationS']);
  });
});

const bus: BusLine = {
  id: 'bus_b1',
  code: 'B522701-01',
  name: '都匀—匀东镇城乡客运班线',
  operator: '都匀城乡公交客运有限公司',
  countyCode: '522701',
  stops: [
    { seq: 1, name: '都匀汽车客运站', outletId: 'out_po522701001', lon: 107.518, lat: 26.259 },
    { seq: 2, name: '鸡贾村', villageCode: '522701111212', lon: 107.6, lat: 26.2 },
  ],
  trips: [{ id: 'trp_b1_1', departure: '07:30', days: [1, 2, 3, 4, 5, 6, 7], capacityParcels: 40, feePerParcelFen: 100 }],
  active: true,
};

describe('validateBusLine', () => {
  it('accepts a good line', () => {
    expect(validateBusLine(bus, ctx)).toEqual({ errors: [], warnings: [] });
  });
  it.each([
    ['operator', { operator: '' }],
    ['stops', { stops: [bus.stops[0]] }],
    ['stops[1]', { stops: [bus.stops[0], { seq: 2, name: '路边', lon: 107.6, lat: 26.2 }] }],
    ['stops[1].villageCode', { stops: [bus.stops[0], { seq: 2, name: 'x', villageCode: '522701111', lon: 107.6, lat: 26.2 }] }],
    ['stops[1].lat', { stops: [bus.stops[0], { seq: 2, name: 'x', villageCode: '522701111212', lon: 107.6, lat: 126.2 }] }],
    ['trips', { trips: [] }],
    ['trips[0].departure', { trips: [{ id: 't', departure: '7:30', days: [1], capacityParcels: 40, feePerParcelFen: 100 }] }],
    ['trips[0].departure', { trips: [{ id: 't', departure: '24:00', days: [1], capacityParcels: 40, feePerParcelFen: 100 }] }],
    ['trips[0].capacityParcels', { trips: [{ id: 't', departure: '07:30', days: [1], capacityParcels: 0, feePerParcelFen: 100 }] }],
    ['trips[0].feePerParcelFen', { trips: [{ id: 't', departure: '07:30', days: [1], capacityParcels: 1, feePerParcelFen: -1 }] }],
    ['trips[0].days', { trips: [{ id: 't', departure: '07:30', days: [], capacityParcels: 1, feePerParcelFen: 1 }] }],
    ['trips[1].id', { trips: [bus.trips[0], bus.trips[0]] }],
  ] as Array<[string, Partial<BusLine>]>)('rejects %s', (path, patch) => {
    expect(paths(validateBusLine({ ...bus, ...patch } as BusLine, ctx))).toContain(path);
  });
});

const agreement: Agreement = { id: 'agr_zto_522701', partnerCode: 'ZTO', countyCode: '522701', doorRateFen: 120, stationRateFen: 80, remoteSurchargeFen: 50, validFrom: '2026-01-01', promiseHours: 72 };

describe('partners, agreements, carriers, vehicles', () => {
  it('validates agreements', () => {
    expect(validateAgreement(agreement, { ...ctx, partnerCodes: new Set(['ZTO']) })).toEqual({ errors: [], warnings: [] });
    expect(paths(validateAgreement({ ...agreement, partnerCode: 'XX' }, { ...ctx, partnerCodes: new Set(['ZTO']) }))).toEqual(['partnerCode']);
    expect(paths(validateAgreement({ ...agreement, partnerCode: 'zto' }, ctx))).toEqual(['partnerCode']);
    expect(paths(validateAgreement({ ...agreement, doorRateFen: -1 }, ctx))).toEqual(['doorRateFen']);
    expect(paths(validateAgreement({ ...agreement, remoteSurchargeFen: 0.5 }, ctx))).toEqual(['remoteSurchargeFen']);
    expect(paths(validateAgreement({ ...agreement, validTo: '2025-12-31' }, ctx))).toEqual(['validTo']);
    expect(paths(validateAgreement({ ...agreement, validTo: '2026-01-01' }, ctx))).toEqual([]);
    expect(paths(validateAgreement({ ...agreement, validFrom: '2026-02-30' }, ctx))).toEqual(['validFrom']);
    expect(paths(validateAgreement({ ...agreement, promiseHours: 0 }, ctx))).toEqual(['promiseHours']);
    expect(paths(validateAgreement({ ...agreement, countyCode: '522701111' }, ctx))).toEqual(['countyCode']);
    expect(wpaths(validateAgreement({ ...agreement, stationRateFen: 200 }, ctx))).toEqual(['stationRateFen']);
  });
  it('finds overlapping agreements of a partner in a county', () => {
    const a2 = { ...agreement, id: 'agr_2', validFrom: '2026-06-01' };
    expect(findAgreementOverlaps([agreement, a2])).toHaveLength(1);
    expect(findAgreementOverlaps([{ ...agreement, validTo: '2026-05-31' }, a2])).toEqual([]);
    expect(findAgreementOverlaps([agreement, { ...a2, countyCode: '522702' }])).toEqual([]);
  });
  it('validates partners, carriers and vehicles', () => {
    expect(validatePartner({ code: 'YUNDA', name: '韵达速递', active: true }).errors).toEqual([]);
    expect(paths(validatePartner({ code: '1A', name: '', active: true }))).toEqual(['code', 'name']);
    const carrier: Carrier = { id: 'car_1', name: '韦国华', phone: '13885400000', outletId: 'out_po522701111', countyCode: '522701', vehicleId: null, active: true };
    expect(validateCarrier(carrier, ctx).errors).toEqual([]);
    expect(paths(validateCarrier({ ...carrier, phone: '123', name: '' }, ctx))).toEqual(['name', 'phone']);
    const vehicle: Vehicle = { id: 'veh_1', code: 'EB-1', type: 'e_bike', capacityKg: 60, speedKmh: 15, outletId: 'out_po522701111', countyCode: '522701', active: true };
    expect(validateVehicle(vehicle, ctx).errors).toEqual([]);
    expect(paths(validateVehicle({ ...vehicle, type: 'bus' as 'van', capacityKg: 0, speedKmh: 0 }, ctx))).toEqual(['type', 'capacityKg', 'speedKmh']);
  });
});

describe('geometry helpers', () => {
  it('computes great-circle distances', () => {
    // 都匀 → 贵阳 is about 110 km as the crow flies
    expect(greatCircleM([107.518, 26.259], [106.63, 26.647])).toBeGreaterThan(95_000);
    expect(greatCircleM([107.518, 26.259], [106.63, 26.647])).toBeLessThan(105_000);
    expect(greatCircleM([107, 26], [107, 26])).toBe(0);
    // one degree of latitude ≈ 111.2 km
    expect(Math.round(greatCircleM([107, 26], [107, 27]) / 100)).toBe(1112);
    const p = offsetPoint([107, 26], 90, 5000);
    expect(Math.abs(greatCircleM([107, 26], p) - 5000)).toBeLessThan(1);
  });
  it('orders a tour without crossings', () => {
    const depot = [107, 26] as const;
    const square = [offsetPoint(depot, 0, 1000), offsetPoint(depot, 45, 1414), offsetPoint(depot, 90, 1000), offsetPoint(depot, 20, 1100)];
    const order = tourOrder(depot, square);
    const len = routeMetrics(depot, order.map((i) => square[i] as [number, number]), 'e_bike', 0, 1).lengthM;
    expect(len).toBeLessThan(4200);
    expect(new Set(order).size).toBe(4);
  });
  it('computes route metrics from length, speed and service time', () => {
    const m = routeMetrics([107, 26], [offsetPoint([107, 26], 0, 5000)], 'e_bike', 600);
    expect(Math.abs(m.lengthM - 14_000)).toBeLessThan(5);
    expect(Math.abs(m.durationS - (14_000 / (15 / 3.6) + 600))).toBeLessThan(3);
  });
  it('has a seeded PRNG and a stable hash', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(stableHash({ a: 1 })).toBe(stableHash({ a: 1 }));
    expect(stableHash({ a: 1 })).not.toBe(stableHash({ a: 2 }));
    expect(stableHash({ a: 1 })).toMatch(/^[0-9a-f]{16}$/);
  });
});
