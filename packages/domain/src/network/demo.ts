/**
 * The Qiannan demo network: a deterministic, plausible delivery network over the real division list
 * of 黔南州 (5227). County seats are at their real approximate coordinates; towns and villages are
 * placed deterministically around them (all flagged `coordinatesApproximate`). See docs/demo-network.md.
 * Pure: same extract and seed → deep-equal output.
 */
import type { Division, DivisionExtract } from '../divisions/divisions.ts';
import { bearingDeg, greatCircleM, offsetPoint, rngFor, routeMetrics, tourOrder } from './geo.ts';
import { defaultVisitRule, distinctDays, isSubdistrict, townSeatCommunities } from './rules.ts';
import {
  DEFAULT_MAX_DURATION_S,
  PARTNER_CATALOGUE,
  VEHICLE_SPECS,
  WEEKDAYS,
  idFromCode,
  type Agreement,
  type BusLine,
  type BusStop,
  type BusTrip,
  type Carrier,
  type DeliveryRoute,
  type LonLat,
  type Outlet,
  type Partner,
  type ServiceCode,
  type Vehicle,
  type VehicleType,
  type Village,
  type Weekday,
} from './types.ts';

/** Real approximate coordinates of the 12 county seats of Qiannan (public gazetteer values). */
export const QIANNAN_COUNTY_SEATS: Readonly<Record<string, { short: string; seat: string; lon: number; lat: number }>> = {
  '522701': { short: '都匀', seat: '都匀市区', lon: 107.518, lat: 26.259 },
  '522702': { short: '福泉', seat: '福泉市区', lon: 107.520, lat: 26.686 },
  '522722': { short: '荔波', seat: '玉屏街道', lon: 107.886, lat: 25.412 },
  '522723': { short: '贵定', seat: '金南街道', lon: 107.233, lat: 26.578 },
  '522725': { short: '瓮安', seat: '雍阳街道', lon: 107.471, lat: 27.078 },
  '522726': { short: '独山', seat: '井城街道', lon: 107.545, lat: 25.823 },
  '522727': { short: '平塘', seat: '金盆街道', lon: 107.323, lat: 25.832 },
  '522728': { short: '罗甸', seat: '斛兴街道', lon: 106.752, lat: 25.426 },
  '522729': { short: '长顺', seat: '长寨街道', lon: 106.447, lat: 26.023 },
  '522730': { short: '龙里', seat: '冠山街道', lon: 106.979, lat: 26.453 },
  '522731': { short: '惠水', seat: '涟江街道', lon: 106.657, lat: 26.132 },
  '522732': { short: '三都', seat: '三合街道', lon: 107.870, lat: 25.983 },
};

/** Convenience-service outlet counts of the branch (domain.md §5). */
export const DEMO_SERVICE_TOTALS = { court_filing: 274, tax: 98, police: 26 } as const;

export const HEJIANG = {
  townCode: '522732111',
  outletCode: 'AG522732111-01',
  routeCode: 'R522732111-HJ',
  /** 尧吕村 → 合江村 → 巴佑村 → 小河村 */
  villageCodes: ['522732111285', '522732111282', '522732111283', '522732111284'],
  targetLengthM: 20_000,
} as const;

export const YUNDONG = {
  townCode: '522701111',
  /** 鸡贾村, 羊列村, 摆茶村, 甲登村 */
  villageCodes: ['522701111212', '522701111210', '522701111211', '522701111215'],
} as const;

export interface DemoCounty {
  code: string;
  name: string;
  shortName: string;
  lon: number;
  lat: number;
}

export interface DemoTown {
  code: string;
  name: string;
  countyCode: string;
  lon: number;
  lat: number;
  /** 街道: part of the county seat. */
  subdistrict: boolean;
  coordinatesApproximate: true;
  /** The town's postal office. */
  outletId: string;
}

export interface DemoNetwork {
  region: string;
  seed: number;
  counties: DemoCounty[];
  towns: DemoTown[];
  villages: Village[];
  outlets: Outlet[];
  partners: Partner[];
  agreements: Agreement[];
  routes: DeliveryRoute[];
  busLines: BusLine[];
  carriers: Carrier[];
  vehicles: Vehicle[];
}

/** Division lookup (a Map) for validators and parsers. */
export function indexDivisions(divisions: readonly Division[]): Map<string, Division> {
  return new Map(divisions.map((d) => [d.code, d]));
}

/** Largest-remainder apportionment of `total` by `weights` (ties → lower index). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left--;
  }
  return out;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '吴', '罗', '韦', '蒙', '潘', '石', '龙', '莫', '陆', '姚', '何', '周', '赵', '谢', '岑', '欧', '金', '柏', '梁', '余', '田'];
const GIVEN = ['国', '建', '明', '华', '文', '志', '永', '红', '春', '秀', '兰', '英', '金', '光', '德', '成', '林', '平', '福', '贵', '军', '勇', '梅', '芳', '丽', '海', '云', '江', '兴', '发', '顺', '富', '先', '学', '正', '昌', '荣', '祥', '忠', '安', '飞', '莲', '桃', '仙'];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  const x = list[Math.floor(rnd() * list.length)];
  if (x === undefined) throw new Error('pick from an empty list');
  return x;
}

function personName(rnd: () => number): string {
  const n = rnd() < 0.7 ? 2 : 1;
  let s = pick(rnd, SURNAMES);
  for (let i = 0; i < n; i++) s += pick(rnd, GIVEN);
  return s;
}

function digits(rnd: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(rnd() * 10));
  return s;
}

function mobile(rnd: () => number): string {
  return `1${pick(rnd, ['3', '5', '8'])}${digits(rnd, 9)}`;
}

function landline(rnd: () => number): string {
  return `0854-8${digits(rnd, 6)}`;
}

function seededShuffle<T>(list: readonly T[], rnd: () => number): T[] {
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const x = a[i] as T;
    a[i] = a[j] as T;
    a[j] = x;
  }
  return a;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function hhmm(minutes: number): string {
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

interface Pos {
  lon: number;
  lat: number;
}
const ll = (p: Pos): LonLat => [p.lon, p.lat];

/**
 * Builds the demo network from the division extract (5227). Deterministic for a seed.
 * Throws if a county of the extract has no known seat coordinates.
 */
export function buildDemoNetwork(extract: DivisionExtract, seed = 1): DemoNetwork {
  const all = [...extract.divisions].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const countiesDiv = all.filter((d) => d.level === 'county' && d.code.startsWith(extract.region));
  const townsOf = new Map<string, Division[]>();
  const villagesOf = new Map<string, Division[]>();
  for (const d of all) {
    if (d.level === 'town' && d.parent) townsOf.set(d.parent, [...(townsOf.get(d.parent) ?? []), d]);
    if (d.level === 'village' && d.parent) villagesOf.set(d.parent, [...(villagesOf.get(d.parent) ?? []), d]);
  }
  const seatCommunities = townSeatCommunities(all);

  const counties: DemoCounty[] = [];
  const towns: DemoTown[] = [];
  const townPos = new Map<string, Pos>();
  const villagePos = new Map<string, Pos>();
  const outlets: Outlet[] = [];
  let hejiangOutletPos: Pos | undefined;

  // ---- placement -----------------------------------------------------------------------------
  for (const c of countiesDiv) {
    const seatInfo = QIANNAN_COUNTY_SEATS[c.code];
    if (!seatInfo) throw new Error(`no seat coordinates for county ${c.code} ${c.name}`);
    counties.push({ code: c.code, name: c.name, shortName: seatInfo.short, lon: seatInfo.lon, lat: seatInfo.lat });
    const seat: LonLat = [seatInfo.lon, seatInfo.lat];
    const cTowns = townsOf.get(c.code) ?? [];
    const subs = cTowns.filter(isSubdistrict);
    const rural = cTowns.filter((t) => !isSubdistrict(t));
    const rnd = rngFor(seed, `county:${c.code}`);
    subs.forEach((t, i) => {
      const p = i === 0 ? { lon: seat[0], lat: seat[1] } : toPos(offsetPoint(seat, rnd() * 360, 2000 + rnd() * 3000));
      townPos.set(t.code, p);
    });
    const base = rnd() * 360;
    rural.forEach((t, i) => {
      const br = base + (i * 360) / rural.length + (rnd() - 0.5) * 20;
      townPos.set(t.code, toPos(offsetPoint(seat, br, 8000 + rnd() * 25000)));
    });
    for (const t of cTowns) {
      const tp = townPos.get(t.code) as Pos;
      towns.push({ code: t.code, name: t.name, countyCode: c.code, lon: tp.lon, lat: tp.lat, subdistrict: isSubdistrict(t), coordinatesApproximate: true, outletId: idFromCode('out', `PO${t.code}`) });
      placeVillages(t, tp);
    }
  }

  function placeVillages(t: Division, tp: Pos): void {
    const rnd = rngFor(seed, `town:${t.code}`);
    const T: LonLat = ll(tp);
    const vs = villagesOf.get(t.code) ?? [];
    const special = new Set<string>();
    if (t.code === HEJIANG.townCode) {
      // A regular pentagon: agency office, 尧吕, 合江, 巴佑, 小河 — closed loop ≈ 20 km of road.
      const side = HEJIANG.targetLengthM / 1.4 / 5;
      const R = side / (2 * Math.sin(Math.PI / 5));
      const b0 = rnd() * 360;
      const C = offsetPoint(T, b0, 5000);
      hejiangOutletPos = toPos(offsetPoint(C, b0 + 180, R));
      HEJIANG.villageCodes.forEach((code, k) => {
        villagePos.set(code, toPos(offsetPoint(C, b0 + 180 + 72 * (k + 1), R)));
        special.add(code);
      });
    }
    if (t.code === YUNDONG.townCode) {
      const b1 = rnd() * 360;
      YUNDONG.villageCodes.forEach((code, k) => {
        villagePos.set(code, toPos(offsetPoint(T, b1 + (k - 1.5) * 14 + (rnd() - 0.5) * 6, 3000 + k * 1200 + rnd() * 800)));
        special.add(code);
      });
    }
    const sub = isSubdistrict(t);
    vs.forEach((v, i) => {
      const br = i * 137.508 + rnd() * 40;
      const r = rnd();
      if (special.has(v.code)) return;
      let dist: number;
      if (v.kind === 'community') dist = seatCommunities.has(v.code) && !sub ? 200 + r * 800 : sub ? 400 + r * 2100 : 800 + r * 2200;
      else dist = (sub ? 1500 : 1000) + Math.sqrt(r) * (sub ? 6500 : 7000);
      villagePos.set(v.code, toPos(offsetPoint(T, br, dist)));
    });
  }

  // ---- outlets ---------------------------------------------------------------------------------
  const townOutlet = new Map<string, Outlet>();
  for (const c of counties) {
    const cTowns = (townsOf.get(c.code) ?? []);
    for (const t of cTowns) {
      const rnd = rngFor(seed, `po:${t.code}`);
      const tp = townPos.get(t.code) as Pos;
      const sub = isSubdistrict(t);
      const first = cTowns.find(isSubdistrict)?.code === t.code;
      const services: ServiceCode[] = ['parcel_delivery', 'parcel_sending', 'pickup_station', 'newspaper_subscription', 'bill_collection'];
      if (sub) services.push('vehicle_insurance');
      if (first) services.push('vehicle_administration');
      if (!sub && rnd() < 0.3) services.push('tobacco');
      const o: Outlet = {
        id: idFromCode('out', `PO${t.code}`),
        code: `PO${t.code}`,
        name: sub ? `${c.shortName}${t.name.replace(/街道$/, '')}邮政支局` : `${t.name}邮政所`,
        kind: 'postal_office',
        divisionCode: t.code,
        countyCode: c.code,
        townCode: t.code,
        lon: tp.lon,
        lat: tp.lat,
        coordinatesApproximate: true,
        openingHours: sub ? '1-5 08:00-18:00; 6-7 09:00-17:00' : '1-6 08:00-17:30; 7 09:00-12:00',
        capacitySlots: sub ? 200 : 80 + 20 * Math.floor(rnd() * 4),
        contactName: personName(rnd),
        contactPhone: landline(rnd),
        services,
        active: true,
      };
      outlets.push(o);
      townOutlet.set(t.code, o);
      if (t.code === HEJIANG.townCode && hejiangOutletPos) {
        const r2 = rngFor(seed, `ag:${HEJIANG.outletCode}`);
        outlets.push({
          id: idFromCode('out', HEJIANG.outletCode),
          code: HEJIANG.outletCode,
          name: '合江代办所',
          kind: 'agency_office',
          divisionCode: t.code,
          countyCode: c.code,
          townCode: t.code,
          lon: hejiangOutletPos.lon,
          lat: hejiangOutletPos.lat,
          coordinatesApproximate: true,
          openingHours: '1-6 08:30-17:30',
          capacitySlots: 60,
          contactName: personName(r2),
          contactPhone: mobile(r2),
          services: ['parcel_delivery', 'parcel_sending', 'pickup_station', 'newspaper_subscription', 'bill_collection'],
          active: true,
        });
      }
    }
    // franchise point and express stations in the county seat
    const subs = cTowns.filter(isSubdistrict);
    const seatTown = subs[0] ?? cTowns[0];
    if (seatTown) {
      const rnd = rngFor(seed, `seat-shops:${c.code}`);
      const sp = townPos.get(seatTown.code) as Pos;
      const fp = toPos(offsetPoint(ll(sp), rnd() * 360, 500 + rnd() * 1000));
      outlets.push({
        id: idFromCode('out', `FP${c.code}-01`),
        code: `FP${c.code}-01`,
        name: `${c.shortName}${seatTown.name.replace(/街道$/, '')}社会加盟网点`,
        kind: 'franchise_point',
        divisionCode: seatTown.code,
        countyCode: c.code,
        townCode: seatTown.code,
        lon: fp.lon,
        lat: fp.lat,
        coordinatesApproximate: true,
        openingHours: '08:30-20:00',
        capacitySlots: 150,
        contactName: personName(rnd),
        contactPhone: mobile(rnd),
        services: ['parcel_sending', 'pickup_station', 'bill_collection'],
        active: true,
      });
      const hosts = [seatTown, subs[1] ?? seatTown];
      hosts.forEach((h, k) => {
        const hp = townPos.get(h.code) as Pos;
        const p = toPos(offsetPoint(ll(hp), rnd() * 360, 300 + rnd() * 1200));
        const code = `ES${c.code}-${pad2(k + 1)}`;
        outlets.push({
          id: idFromCode('out', code),
          code,
          name: `${c.shortName}${h.name.replace(/街道$/, '')}快递驿站${k === 0 || h !== seatTown ? '' : '二店'}`,
          kind: 'express_station',
          divisionCode: h.code,
          countyCode: c.code,
          townCode: h.code,
          lon: p.lon,
          lat: p.lat,
          coordinatesApproximate: true,
          openingHours: '08:00-21:00',
          capacitySlots: 300,
          contactName: personName(rnd),
          contactPhone: mobile(rnd),
          services: ['parcel_delivery', 'parcel_sending', 'pickup_station'],
          active: true,
        });
      });
    }
  }
  // village stations (村邮站) in every village committee
  const stationOf = new Map<string, Outlet>();
  for (const d of all) {
    if (d.level !== 'village' || d.kind !== 'village' || !d.parent) continue;
    const p = villagePos.get(d.code);
    if (!p) continue;
    const rnd = rngFor(seed, `vs:${d.code}`);
    const code = `VS${d.code}`;
    const o: Outlet = {
      id: idFromCode('out', code),
      code,
      name: `${d.shortName}村邮站`,
      kind: 'village_station',
      divisionCode: d.code,
      countyCode: d.code.slice(0, 6),
      townCode: d.parent,
      lon: p.lon,
      lat: p.lat,
      coordinatesApproximate: true,
      openingHours: '08:00-20:00',
      capacitySlots: 20 + 10 * Math.floor(rnd() * 5),
      contactName: personName(rnd),
      contactPhone: mobile(rnd),
      services: ['parcel_delivery', 'pickup_station'],
      active: true,
    };
    outlets.push(o);
    stationOf.set(d.code, o);
  }

  // ---- convenience services: 274 court filing, 98 tax, 26 police -------------------------------
  const townCounts = counties.map((c) => (townsOf.get(c.code) ?? []).length);
  const quotas = {
    court_filing: apportion(DEMO_SERVICE_TOTALS.court_filing, townCounts),
    tax: apportion(DEMO_SERVICE_TOTALS.tax, townCounts),
    police: apportion(DEMO_SERVICE_TOTALS.police, townCounts),
  };
  counties.forEach((c, ci) => {
    const inCounty = outlets.filter((o) => o.countyCode === c.code);
    const postal = inCounty.filter((o) => o.kind === 'postal_office');
    const seatPostal = postal.filter((o) => isSubdistrict(townDiv(o.townCode)));
    const ruralPostal = postal.filter((o) => !isSubdistrict(townDiv(o.townCode)));
    const agency = inCounty.filter((o) => o.kind === 'agency_office');
    const stations = inCounty.filter((o) => o.kind === 'village_station');
    const court = [...postal, ...agency, ...seededShuffle(stations, rngFor(seed, `court:${c.code}`))];
    const tax = [...seatPostal, ...seededShuffle(ruralPostal, rngFor(seed, `tax:${c.code}`))];
    const police = [...seatPostal.slice(0, 1), ...seededShuffle([...seatPostal.slice(1), ...ruralPostal], rngFor(seed, `police:${c.code}`))];
    const grant = (list: Outlet[], n: number, s: ServiceCode): void => {
      if (list.length < n) throw new Error(`county ${c.code}: only ${list.length} candidates for ${n} ${s} outlets`);
      for (const o of list.slice(0, n)) o.services.push(s);
    };
    grant(court, quotas.court_filing[ci] ?? 0, 'court_filing');
    grant(tax, quotas.tax[ci] ?? 0, 'tax');
    grant(police, quotas.police[ci] ?? 0, 'police');
  });
  function townDiv(code: string): Division {
    const t = all.find((d) => d.code === code);
    if (!t) throw new Error(`unknown town ${code}`);
    return t;
  }

  // ---- routes, vehicles, carriers --------------------------------------------------------------
  const routes: DeliveryRoute[] = [];
  const vehicles: Vehicle[] = [];
  const carriers: Carrier[] = [];
  const divByCode = indexDivisions(all);
  const ruleOf = (code: string) => {
    const d = divByCode.get(code) as Division;
    return defaultVisitRule(d, seatCommunities.has(code));
  };

  function addRoute(code: string, name: string, hub: Outlet, stopCodes: string[], workingDays: Weekday[], daysFor: (code: string, index: number) => Weekday[], keepOrder = false): void {
    const pts = stopCodes.map((s) => ll(villagePos.get(s) as Pos));
    const order = keepOrder ? stopCodes.map((_, i) => i) : tourOrder(ll(hub), pts);
    const ordered = order.map((i) => stopCodes[i] as string);
    const orderedPts = order.map((i) => pts[i] as LonLat);
    const service = ordered.map((s) => ruleOf(s).serviceS);
    let vehicleType: VehicleType = 'e_bike';
    let m = routeMetrics(ll(hub), orderedPts, vehicleType, service);
    if (m.lengthM > 35_000) {
      vehicleType = m.lengthM > 90_000 ? 'van' : 'motorcycle';
      m = routeMetrics(ll(hub), orderedPts, vehicleType, service);
    }
    const spec = VEHICLE_SPECS[vehicleType];
    const rnd = rngFor(seed, `route:${code}`);
    const vehId = idFromCode('veh', code);
    const plate = vehicleType === 'e_bike' ? `EB-${code}` : `黔J${pick(rnd, ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'K'])}${String(10000 + (vehicles.length * 7919) % 90000).slice(-5)}`;
    vehicles.push({ id: vehId, code: plate, type: vehicleType, capacityKg: spec.capacityKg, speedKmh: spec.speedKmh, outletId: hub.id, countyCode: hub.countyCode, active: true });
    const nCarriers = workingDays.length >= 7 ? 2 : 1;
    const carrierIds: string[] = [];
    for (let k = 1; k <= nCarriers; k++) {
      const id = idFromCode('car', `${code}_${k}`);
      carrierIds.push(id);
      carriers.push({ id, name: personName(rnd), phone: mobile(rnd), outletId: hub.id, countyCode: hub.countyCode, vehicleId: vehId, active: true });
    }
    routes.push({
      id: idFromCode('rte', code),
      code,
      name,
      outletId: hub.id,
      countyCode: hub.countyCode,
      vehicleType,
      capacityKg: spec.capacityKg,
      carrierIds,
      workingDays,
      maxDurationS: DEFAULT_MAX_DURATION_S,
      stops: ordered.map((s, i) => ({ seq: i + 1, villageCode: s, days: daysFor(s, i) })),
      lengthM: m.lengthM,
      durationS: m.durationS,
      active: true,
    });
  }

  const short = (code: string): string => divByCode.get(code)?.shortName ?? code;
  const MWF: Weekday[] = [1, 3, 5];
  const TTS: Weekday[] = [2, 4, 6];
  const MON_SAT: Weekday[] = [1, 2, 3, 4, 5, 6];

  for (const t of towns) {
    const hub = townOutlet.get(t.code) as Outlet;
    const vs = villagesOf.get(t.code) ?? [];
    const taken = new Set<string>();
    let n = 0;
    const nextCode = (): string => `R${t.code}-${pad2(++n)}`;
    if (t.code === HEJIANG.townCode) {
      const ag = outlets.find((o) => o.code === HEJIANG.outletCode) as Outlet;
      addRoute(HEJIANG.routeCode, '合江代办所投递段（尧吕—合江—巴佑—小河）', ag, [...HEJIANG.villageCodes], MWF, () => [...MWF], true);
      for (const c of HEJIANG.villageCodes) taken.add(c);
    }
    if (t.code === YUNDONG.townCode) {
      const code = nextCode();
      const stops = [...YUNDONG.villageCodes];
      addRoute(code, '', hub, stops, MON_SAT, (_s, i) => [...(i % 2 === 0 ? MWF : TTS)]);
      nameLast(hub);
      for (const c of stops) taken.add(c);
    }
    // communities: daily (seat) or weekdays, one e-bike route per ≤ 12 communities
    const communities = vs.filter((v) => v.kind === 'community' && !taken.has(v.code)).map((v) => v.code);
    for (const chunk of sweepChunks(hub, communities, 12, Infinity)) {
      addRoute(nextCode(), '', hub, chunk, [...WEEKDAYS], (s) => {
        const r = ruleOf(s);
        return r.minVisitsPerWeek >= 7 ? [...WEEKDAYS] : [1, 2, 3, 4, 5];
      });
      nameLast(hub);
    }
    // village committees: 3 a week (MWF / TTS alternating along the tour), 6 a week in a 街道
    const committees = vs.filter((v) => v.kind === 'village' && !taken.has(v.code)).map((v) => v.code);
    for (const chunk of sweepChunks(hub, committees, 8, 70_000)) {
      addRoute(nextCode(), '', hub, chunk, MON_SAT, (_s, i) => (t.subdistrict ? [...MON_SAT] : [...(i % 2 === 0 ? MWF : TTS)]));
      nameLast(hub);
    }
  }

  function nameLast(hub: Outlet): void {
    const r = routes[routes.length - 1];
    if (!r) return;
    const first = r.stops[0]?.villageCode ?? '';
    const last = r.stops[r.stops.length - 1]?.villageCode ?? '';
    r.name = r.stops.length === 1 ? `${hub.name} ${short(first)}投递段` : `${hub.name} ${short(first)}—${short(last)}投递段`;
  }

  /** Sweep: sort by bearing from the hub (starting after the widest gap), cut into chunks. */
  function sweepChunks(hub: Outlet, codes: string[], maxStops: number, maxRoadM: number): string[][] {
    if (codes.length === 0) return [];
    const withB = codes.map((c) => ({ c, b: bearingDeg(ll(hub), ll(villagePos.get(c) as Pos)) })).sort((x, y) => x.b - y.b || (x.c < y.c ? -1 : 1));
    let gapAt = 0;
    let gap = -1;
    withB.forEach((x, i) => {
      const next = withB[(i + 1) % withB.length] as { b: number };
      const g = (next.b - x.b + 360) % 360 || (withB.length === 1 ? 360 : 0);
      if (g > gap) {
        gap = g;
        gapAt = (i + 1) % withB.length;
      }
    });
    const sorted = [...withB.slice(gapAt), ...withB.slice(0, gapAt)].map((x) => x.c);
    const nChunks = Math.ceil(sorted.length / maxStops);
    const size = Math.ceil(sorted.length / nChunks);
    const chunks: string[][] = [];
    let cur: string[] = [];
    for (const c of sorted) {
      const trial = [...cur, c];
      const pts = trial.map((x) => ll(villagePos.get(x) as Pos));
      const order = tourOrder(ll(hub), pts);
      const len = routeMetrics(ll(hub), order.map((i) => pts[i] as LonLat), 'e_bike', 0).lengthM;
      if (cur.length > 0 && (cur.length >= size || len > maxRoadM)) {
        chunks.push(cur);
        cur = [c];
      } else cur = trial;
    }
    if (cur.length > 0) chunks.push(cur);
    return chunks;
  }

  // ---- villages (operational view) -------------------------------------------------------------
  const daysByVillage = new Map<string, Weekday[][]>();
  for (const r of routes) for (const s of r.stops) daysByVillage.set(s.villageCode, [...(daysByVillage.get(s.villageCode) ?? []), s.days]);
  const villages: Village[] = [];
  for (const d of all) {
    if (d.level !== 'village' || !d.parent) continue;
    const p = villagePos.get(d.code);
    if (!p) continue;
    const v: Village = {
      code: d.code,
      name: d.name,
      shortName: d.shortName,
      townCode: d.parent,
      countyCode: d.code.slice(0, 6),
      kind: d.kind ?? 'village',
      lon: p.lon,
      lat: p.lat,
      coordinatesApproximate: true,
      visitRule: ruleOf(d.code),
      plannedVisitsPerWeek: distinctDays(...(daysByVillage.get(d.code) ?? [])),
    };
    const st = stationOf.get(d.code);
    if (st) v.stationOutletId = st.id;
    villages.push(v);
  }

  // ---- partners and agreements -----------------------------------------------------------------
  const partners: Partner[] = PARTNER_CATALOGUE.map((p) => ({ code: p.code, name: p.name, active: true }));
  const agreements: Agreement[] = [];
  for (const p of partners) {
    for (const c of counties) {
      const rnd = rngFor(seed, `agr:${p.code}:${c.code}`);
      agreements.push({
        id: idFromCode('agr', `${p.code}_${c.code}`),
        partnerCode: p.code,
        countyCode: c.code,
        doorRateFen: 100 + 10 * Math.floor(rnd() * 6),
        stationRateFen: 60 + 10 * Math.floor(rnd() * 5),
        remoteSurchargeFen: 30 + 10 * Math.floor(rnd() * 6),
        validFrom: '2026-01-01',
        promiseHours: ['SF', 'JD', 'EMS'].includes(p.code) ? 48 : 72,
      });
    }
  }

  // ---- bus lines (交邮合作) ---------------------------------------------------------------------
  const busLines: BusLine[] = [];
  for (const c of counties) {
    const rnd = rngFor(seed, `bus:${c.code}`);
    const cTowns = towns.filter((t) => t.countyCode === c.code);
    const seatTown = cTowns.find((t) => t.subdistrict) ?? cTowns[0];
    if (!seatTown) continue;
    const seatOutlet = townOutlet.get(seatTown.code) as Outlet;
    const seat: LonLat = [c.lon, c.lat];
    const rural = cTowns.filter((t) => !t.subdistrict).map((t) => ({ t, b: bearingDeg(seat, ll(t)) })).sort((x, y) => x.b - y.b);
    if (rural.length === 0) continue;
    // start after the widest bearing gap so each line serves one direction
    let gapAt = 0;
    let gap = -1;
    rural.forEach((x, i) => {
      const next = rural[(i + 1) % rural.length] as { b: number };
      const g = (next.b - x.b + 360) % 360 || 360;
      if (g > gap) {
        gap = g;
        gapAt = (i + 1) % rural.length;
      }
    });
    const ring = [...rural.slice(gapAt), ...rural.slice(0, gapAt)].map((x) => x.t);
    const k = Math.min(ring.length, Math.max(2, Math.min(4, Math.round(ring.length / 2))));
    const sizes = apportion(ring.length, new Array<number>(k).fill(1));
    let at = 0;
    sizes.forEach((size, li) => {
      const group = chainFrom(seat, ring.slice(at, at + size));
      at += size;
      const code = `B${c.code}-${pad2(li + 1)}`;
      const stops: BusStop[] = [{ seq: 1, name: `${c.shortName}汽车客运站`, outletId: seatOutlet.id, lon: seatOutlet.lon, lat: seatOutlet.lat }];
      let prev: LonLat = ll(seatOutlet);
      for (const t of group) {
        const committees = (villagesOf.get(t.code) ?? []).filter((v) => v.kind === 'village');
        // the village of this town closest to the road from the previous stop
        const before = [...committees].sort((a, b) => greatCircleM(prev, ll(villagePos.get(a.code) as Pos)) + greatCircleM(ll(villagePos.get(a.code) as Pos), ll(t)) - (greatCircleM(prev, ll(villagePos.get(b.code) as Pos)) + greatCircleM(ll(villagePos.get(b.code) as Pos), ll(t))) || (a.code < b.code ? -1 : 1))[0];
        if (before) {
          const vp = villagePos.get(before.code) as Pos;
          stops.push({ seq: stops.length + 1, name: before.shortName, villageCode: before.code, lon: vp.lon, lat: vp.lat });
        }
        const o = townOutlet.get(t.code) as Outlet;
        stops.push({ seq: stops.length + 1, name: t.name, outletId: o.id, lon: o.lon, lat: o.lat });
        prev = ll(o);
      }
      // the line ends one village beyond its last town
      const lastTown = group[group.length - 1];
      if (lastTown) {
        const used = new Set(stops.map((s) => s.villageCode));
        const far = (villagesOf.get(lastTown.code) ?? [])
          .filter((v) => v.kind === 'village' && !used.has(v.code))
          .sort((a, b) => greatCircleM(seat, ll(villagePos.get(b.code) as Pos)) - greatCircleM(seat, ll(villagePos.get(a.code) as Pos)) || (a.code < b.code ? -1 : 1))[0];
        if (far) {
          const vp = villagePos.get(far.code) as Pos;
          stops.push({ seq: stops.length + 1, name: far.shortName, villageCode: far.code, lon: vp.lon, lat: vp.lat });
        }
      }
      const trips: BusTrip[] = [];
      const morning = 390 + 10 * Math.floor(rnd() * 13);
      const afternoon = 780 + 10 * Math.floor(rnd() * 16);
      const tripDays: Weekday[][] = [[...WEEKDAYS], rnd() < 0.5 ? [...WEEKDAYS] : [1, 2, 3, 4, 5]];
      [morning, afternoon].forEach((dep, ti) => {
        trips.push({
          id: idFromCode('trp', `${code}_${ti + 1}`),
          departure: hhmm(dep),
          days: tripDays[ti] ?? [...WEEKDAYS],
          capacityParcels: 20 + 5 * Math.floor(rnd() * 7),
          feePerParcelFen: 50 + 10 * Math.floor(rnd() * 11),
        });
      });
      const lastName = lastTown?.name ?? '';
      busLines.push({
        id: idFromCode('bus', code),
        code,
        name: `${c.shortName}—${lastName}城乡客运班线`,
        operator: `${c.shortName}城乡公交客运有限公司`,
        countyCode: c.code,
        stops,
        trips,
        active: true,
      });
    });
  }

  return { region: extract.region, seed, counties, towns, villages, outlets, partners, agreements, routes, busLines, carriers, vehicles };
}

/** Nearest-neighbour chain from `start` through the towns (a bus line runs outward, no return). */
function chainFrom(start: LonLat, towns: readonly DemoTown[]): DemoTown[] {
  const left = [...towns];
  const out: DemoTown[] = [];
  let cur = start;
  while (left.length > 0) {
    let bi = 0;
    left.forEach((t, i) => {
      const best = left[bi] as DemoTown;
      if (greatCircleM(cur, [t.lon, t.lat]) < greatCircleM(cur, [best.lon, best.lat])) bi = i;
    });
    const next = left.splice(bi, 1)[0] as DemoTown;
    out.push(next);
    cur = [next.lon, next.lat];
  }
  return out;
}

function toPos(p: LonLat): Pos {
  return { lon: p[0], lat: p[1] };
}
