import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DivisionExtract } from '../divisions/divisions.ts';
import { buildDemoNetwork, indexDivisions, apportion, HEJIANG, YUNDONG, QIANNAN_COUNTY_SEATS } from './demo.ts';
import { greatCircleM, stableHash } from './geo.ts';
import { validateAgreement, validateBusLine, validateCarrier, validateOutlet, validatePartner, validateRoute, validateVehicle, validateVillage, findAgreementOverlaps, QIANNAN_BBOX, type ValidationResult } from './validate.ts';
import { DEFAULT_DETOUR_FACTOR } from './types.ts';

const extract = JSON.parse(readFileSync(new URL('../../../../data/divisions/5227.json', import.meta.url), 'utf8')) as DivisionExtract;
const net = buildDemoNetwork(extract);
const divisions = indexDivisions(extract.divisions);
const committees = extract.divisions.filter((d) => d.level === 'village' && d.kind === 'village');
const townsDiv = extract.divisions.filter((d) => d.level === 'town');

/** Distinct weekdays each village is served, over active routes (stop days ∩ working days). */
function visitsPerWeek(n = net): Map<string, number> {
  const days = new Map<string, Set<number>>();
  for (const r of n.routes) {
    if (!r.active) continue;
    for (const s of r.stops) {
      const set = days.get(s.villageCode) ?? new Set<number>();
      for (const d of s.days) if (r.workingDays.includes(d)) set.add(d);
      days.set(s.villageCode, set);
    }
  }
  return new Map([...days].map(([k, v]) => [k, v.size]));
}

describe('buildDemoNetwork', () => {
  it('covers the 12 counties, 109 towns and every village-level unit', () => {
    expect(net.counties.map((c) => c.code).sort()).toEqual(Object.keys(QIANNAN_COUNTY_SEATS).sort());
    expect(net.towns).toHaveLength(109);
    expect(net.villages).toHaveLength(1464);
    expect(net.villages.filter((v) => v.kind === 'village')).toHaveLength(1195);
    for (const c of net.counties) {
      expect(net.routes.some((r) => r.countyCode === c.code), c.code).toBe(true);
      const lines = net.busLines.filter((b) => b.countyCode === c.code).length;
      expect(lines, c.code).toBeGreaterThanOrEqual(2);
      expect(lines, c.code).toBeLessThanOrEqual(4);
      expect(net.agreements.filter((a) => a.countyCode === c.code)).toHaveLength(8);
    }
  });

  it('puts every village committee on a route with at least 3 visits a week, and meets every visit rule', () => {
    const visits = visitsPerWeek();
    for (const v of committees) expect(visits.get(v.code) ?? 0, v.code).toBeGreaterThanOrEqual(3);
    for (const v of net.villages) {
      expect(visits.get(v.code) ?? 0, v.code).toBeGreaterThanOrEqual(v.visitRule.minVisitsPerWeek);
      expect(v.plannedVisitsPerWeek).toBe(visits.get(v.code) ?? 0);
    }
    // communities at a 街道 are served daily
    const subdistrictCommunity = net.villages.find((v) => v.kind === 'community' && divisions.get(v.townCode)?.name.endsWith('街道'));
    expect(subdistrictCommunity?.visitRule.minVisitsPerWeek).toBe(7);
    expect(visits.get(subdistrictCommunity?.code ?? '')).toBe(7);
  });

  it('visits each village on exactly one route, and orders stops 1..n', () => {
    const seen = new Set<string>();
    for (const r of net.routes) {
      r.stops.forEach((s, i) => {
        expect(s.seq).toBe(i + 1);
        expect(seen.has(s.villageCode), s.villageCode).toBe(false);
        seen.add(s.villageCode);
      });
    }
    expect(seen.size).toBe(1464);
  });

  it('has exactly one postal office per town and a village station in every village committee', () => {
    const po = net.outlets.filter((o) => o.kind === 'postal_office');
    expect(po).toHaveLength(109);
    expect(new Set(po.map((o) => o.townCode)).size).toBe(109);
    for (const t of townsDiv) expect(po.filter((o) => o.divisionCode === t.code), t.name).toHaveLength(1);
    const stations = net.outlets.filter((o) => o.kind === 'village_station');
    expect(new Set(stations.map((o) => o.divisionCode))).toEqual(new Set(committees.map((v) => v.code)));
    for (const s of stations) expect(s.services.slice(0, 2)).toEqual(['parcel_delivery', 'pickup_station']);
    for (const v of net.villages.filter((x) => x.kind === 'village')) expect(v.stationOutletId).toBe(`out_vs${v.code}`);
    expect(net.outlets.filter((o) => o.kind === 'franchise_point').length).toBeGreaterThan(0);
    expect(net.outlets.filter((o) => o.kind === 'express_station').length).toBeGreaterThan(0);
  });

  it('has 274 court filing, 98 tax and 26 police outlets, spread over the 12 counties', () => {
    const by = (s: string) => net.outlets.filter((o) => o.services.includes(s as never));
    expect(by('court_filing')).toHaveLength(274);
    expect(by('tax')).toHaveLength(98);
    expect(by('police')).toHaveLength(26);
    for (const s of ['court_filing', 'tax', 'police']) {
      expect(new Set(by(s).map((o) => o.countyCode)).size, s).toBe(12);
      for (const o of by(s)) expect(['postal_office', 'agency_office', 'village_station']).toContain(o.kind);
    }
    // proportional to towns: 都匀市 has 10 of 109 towns
    expect(by('court_filing').filter((o) => o.countyCode === '522701')).toHaveLength(25);
  });

  it('runs the Hejiang route 合江代办所 → 尧吕 → 合江 → 巴佑 → 小河, about 20 km', () => {
    const r = net.routes.find((x) => x.code === HEJIANG.routeCode);
    expect(r).toBeDefined();
    if (!r) return;
    const outlet = net.outlets.find((o) => o.id === r.outletId);
    expect(outlet?.name).toBe('合江代办所');
    expect(outlet?.kind).toBe('agency_office');
    expect(outlet?.townCode).toBe('522732111');
    expect(divisions.get('522732111')?.name).toBe('大河镇');
    expect(r.stops.map((s) => divisions.get(s.villageCode)?.shortName)).toEqual(['尧吕村', '合江村', '巴佑村', '小河村']);
    expect(r.lengthM).toBeGreaterThan(17_000);
    expect(r.lengthM).toBeLessThan(23_000);
    // recompute independently: closed loop great circle × 1.4
    const pos = (code: string) => {
      const v = net.villages.find((x) => x.code === code);
      if (!v) throw new Error(code);
      return [v.lon, v.lat] as const;
    };
    const pts = [[outlet?.lon ?? 0, outlet?.lat ?? 0] as const, ...r.stops.map((s) => pos(s.villageCode)), [outlet?.lon ?? 0, outlet?.lat ?? 0] as const];
    let gc = 0;
    for (let i = 1; i < pts.length; i++) gc += greatCircleM(pts[i - 1] as readonly [number, number], pts[i] as readonly [number, number]);
    expect(Math.abs(gc * DEFAULT_DETOUR_FACTOR - r.lengthM)).toBeLessThan(2);
  });

  it('serves 鸡贾村, 羊列村, 摆茶村 and 甲登村 of 匀东镇 on one route from the 匀东镇 postal office', () => {
    for (const code of YUNDONG.villageCodes) expect(divisions.get(code)?.parent).toBe('522701111');
    expect(YUNDONG.villageCodes.map((c) => divisions.get(c)?.shortName)).toEqual(['鸡贾村', '羊列村', '摆茶村', '甲登村']);
    const routes = net.routes.filter((r) => r.stops.some((s) => (YUNDONG.villageCodes as readonly string[]).includes(s.villageCode)));
    expect(routes).toHaveLength(1);
    const outlet = net.outlets.find((o) => o.id === routes[0]?.outletId);
    expect(outlet?.kind).toBe('postal_office');
    expect(outlet?.name).toBe('匀东镇邮政所');
    expect(routes[0]?.stops.map((s) => s.villageCode).sort()).toEqual([...YUNDONG.villageCodes].sort());
  });

  it('places everything inside Qiannan, approximately, at plausible distances', () => {
    const seatOf = (county: string) => net.counties.find((c) => c.code === county) ?? { lon: 0, lat: 0 };
    for (const t of net.towns) {
      const d = greatCircleM([t.lon, t.lat], [seatOf(t.countyCode).lon, seatOf(t.countyCode).lat]);
      expect(d, t.name).toBeLessThanOrEqual(35_000);
      if (!t.subdistrict) expect(d, t.name).toBeGreaterThanOrEqual(5_000);
    }
    const townOf = new Map(net.towns.map((t) => [t.code, t]));
    for (const v of net.villages) {
      expect(v.coordinatesApproximate).toBe(true);
      expect(v.lon).toBeGreaterThan(QIANNAN_BBOX.minLon);
      expect(v.lon).toBeLessThan(QIANNAN_BBOX.maxLon);
      expect(v.lat).toBeGreaterThan(QIANNAN_BBOX.minLat);
      expect(v.lat).toBeLessThan(QIANNAN_BBOX.maxLat);
      const t = townOf.get(v.townCode);
      const d = greatCircleM([v.lon, v.lat], [t?.lon ?? 0, t?.lat ?? 0]);
      if (v.kind === 'village') {
        expect(d, v.name).toBeGreaterThanOrEqual(1_000);
        expect(d, v.name).toBeLessThanOrEqual(8_000);
      }
    }
    for (const o of net.outlets) expect(o.coordinatesApproximate).toBe(true);
  });

  it('produces entities that pass their own validators', () => {
    const ctx = { divisions, outletIds: new Set(net.outlets.map((o) => o.id)), partnerCodes: new Set(net.partners.map((p) => p.code)) };
    const bad: Array<[string, ValidationResult]> = [];
    const check = (id: string, r: ValidationResult) => {
      if (r.errors.length > 0 || r.warnings.length > 0) bad.push([id, r]);
    };
    for (const o of net.outlets) check(o.code, validateOutlet(o, ctx));
    for (const r of net.routes) check(r.code, validateRoute(r, ctx));
    for (const b of net.busLines) check(b.code, validateBusLine(b, ctx));
    for (const v of net.villages) check(v.code, validateVillage(v, ctx));
    for (const a of net.agreements) check(a.id, validateAgreement(a, ctx));
    for (const p of net.partners) check(p.code, validatePartner(p));
    for (const c of net.carriers) check(c.id, validateCarrier(c, ctx));
    for (const v of net.vehicles) check(v.id, validateVehicle(v, ctx));
    expect(bad.slice(0, 3)).toEqual([]);
    expect(findAgreementOverlaps(net.agreements)).toEqual([]);
  });

  it('uses prefixed, unique, deterministic ids and consistent references', () => {
    const unique = (ids: string[], prefix: string) => {
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id.startsWith(prefix), id).toBe(true);
    };
    unique(net.outlets.map((o) => o.id), 'out_');
    unique(net.outlets.map((o) => o.code), '');
    unique(net.routes.map((o) => o.id), 'rte_');
    unique(net.busLines.map((o) => o.id), 'bus_');
    unique(net.carriers.map((o) => o.id), 'car_');
    unique(net.vehicles.map((o) => o.id), 'veh_');
    unique(net.agreements.map((o) => o.id), 'agr_');
    unique(net.busLines.flatMap((b) => b.trips.map((t) => t.id)), 'trp_');
    const carrierIds = new Set(net.carriers.map((c) => c.id));
    const vehicleIds = new Set(net.vehicles.map((v) => v.id));
    for (const r of net.routes) {
      expect(r.carrierIds.length).toBeGreaterThan(0);
      for (const c of r.carrierIds) expect(carrierIds.has(c)).toBe(true);
    }
    for (const c of net.carriers) expect(vehicleIds.has(c.vehicleId ?? '')).toBe(true);
    for (const b of net.busLines) {
      expect(b.stops.some((s) => s.villageCode !== undefined)).toBe(true);
      for (const t of b.trips) {
        expect(t.capacityParcels).toBeGreaterThanOrEqual(20);
        expect(t.capacityParcels).toBeLessThanOrEqual(50);
        expect(t.feePerParcelFen).toBeGreaterThanOrEqual(50);
        expect(t.feePerParcelFen).toBeLessThanOrEqual(150);
      }
    }
    for (const a of net.agreements) {
      expect(a.doorRateFen).toBeGreaterThanOrEqual(100);
      expect(a.doorRateFen).toBeLessThanOrEqual(150);
      expect(a.stationRateFen).toBeGreaterThanOrEqual(60);
      expect(a.stationRateFen).toBeLessThanOrEqual(100);
      expect(a.validFrom).toBe('2026-01-01');
    }
  });

  it('is deterministic: same seed, same network, stable hash; another seed differs but keeps its promises', () => {
    const again = buildDemoNetwork(extract);
    expect(again).toEqual(net);
    expect(stableHash(again)).toBe(stableHash(net));
    expect(stableHash(net)).toBe(DEMO_HASH_SEED_1);
    const other = buildDemoNetwork(extract, 2);
    expect(stableHash(other)).not.toBe(stableHash(net));
    expect(other.outlets.filter((o) => o.services.includes('court_filing'))).toHaveLength(274);
    const visits = visitsPerWeek(other);
    for (const v of committees) expect(visits.get(v.code) ?? 0).toBeGreaterThanOrEqual(3);
    const hj = other.routes.find((r) => r.code === HEJIANG.routeCode);
    expect(Math.abs((hj?.lengthM ?? 0) - 20_000)).toBeLessThan(3_000);
  });
});

describe('apportion', () => {
  it('splits by largest remainder and sums to the total', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(274, [10, 8, 8, 8, 13, 9, 11, 10, 7, 6, 11, 8]).reduce((a, b) => a + b, 0)).toBe(274);
    expect(apportion(5, [0, 0])).toEqual([0, 0]);
  });
});

/** Update deliberately when the generator changes (the demo data set changes with it). */
const DEMO_HASH_SEED_1 = 'aaa82f5807d5054b';
