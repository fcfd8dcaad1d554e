import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { offsetPoint } from '@cuntong/domain/network/geo.ts';
import type { Weekday } from '@cuntong/domain/network/types.ts';
import { candidatePatterns, DEFAULT_COSTS, deliveryRoutesFromPlan, greatCircleProvider, planWeek, type PlanBusLine, type PlanInput, type PlanVehicle, type PlanVillage, type WeeklyPlan } from './index.ts';

const DEPOT = { id: 'out_a', name: 'A', countyCode: '522732', lon: 107.87, lat: 25.98 } as const;
const MON_SAT: Weekday[] = [1, 2, 3, 4, 5, 6];
const ALL: Weekday[] = [1, 2, 3, 4, 5, 6, 7];

function village(code: string, bearing: number, km: number, extra: Partial<PlanVillage> = {}): PlanVillage {
  const [lon, lat] = offsetPoint([DEPOT.lon, DEPOT.lat], bearing, km * 1000);
  return { code, countyCode: '522732', lon, lat, minVisitsPerWeek: 3, allowedDays: MON_SAT, serviceS: 600, parcelsPerWeek: 12, depotId: DEPOT.id, ...extra };
}
const ebike = (id: string, days: Weekday[] = MON_SAT): PlanVehicle => ({ id, code: id.toUpperCase(), depotId: DEPOT.id, vehicleType: 'e_bike', capacityKg: 60, speedKmh: 15, workingDays: days, maxDurationS: 8 * 3600 });

/** Every village's visit days, re-derived from the plan's routes and bus services (not from its own report). */
function visitDays(plan: WeeklyPlan): Map<string, Set<Weekday>> {
  const m = new Map<string, Set<Weekday>>();
  const add = (code: string, d: Weekday) => m.set(code, (m.get(code) ?? new Set<Weekday>()).add(d));
  for (const r of plan.routes) for (const s of r.stops) add(s.villageCode, r.day);
  for (const b of plan.bus) for (const d of b.days) add(b.villageCode, d);
  return m;
}

describe('visit-day patterns', () => {
  it('spreads visits evenly over the feasible days', () => {
    expect(candidatePatterns(3, MON_SAT)).toEqual([[1, 3, 5], [2, 4, 6]]);
    expect(candidatePatterns(2, MON_SAT)).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(candidatePatterns(7, ALL)).toEqual([ALL]);
    expect(candidatePatterns(5, ALL)).toHaveLength(7);
    for (const p of candidatePatterns(5, ALL)) expect(new Set(p).size).toBe(5);
  });
});

describe('the frequency rule holds on plans (property)', () => {
  const arbDays = fc.subarray(ALL, { minLength: 1 }).map((d) => [...d].sort() as Weekday[]);
  const arbVillage = fc.record({ bearing: fc.integer({ min: 0, max: 359 }), km: fc.double({ min: 0.5, max: 12, noNaN: true }), allowed: arbDays, min: fc.integer({ min: 1, max: 7 }), parcels: fc.integer({ min: 0, max: 40 }), service: fc.integer({ min: 60, max: 1200 }) });
  const arbNet = fc.record({
    villages: fc.array(arbVillage, { minLength: 1, maxLength: 14 }),
    vehicles: fc.array(fc.record({ days: arbDays, type: fc.constantFrom('e_bike', 'motorcycle') as fc.Arbitrary<'e_bike' | 'motorcycle'> }), { minLength: 1, maxLength: 3 }),
    bus: fc.option(fc.record({ days: arbDays, fee: fc.integer({ min: 0, max: 300 }), cap: fc.integer({ min: 1, max: 60 }), stops: fc.integer({ min: 1, max: 4 }) }), { nil: undefined }),
    seed: fc.integer({ min: 1, max: 1000 }),
    solver: fc.constantFrom(0, 0, 5),
  });
  it('every village with enough carrier days or a bus is visited on at least its minimum of allowed days, never twice a day, within limits', async () => {
    await fc.assert(
      fc.asyncProperty(arbNet, async (n) => {
        const villages = n.villages.map((v, i) => village(`5227321110${String(i).padStart(2, '0')}`, v.bearing, v.km, { allowedDays: v.allowed, minVisitsPerWeek: Math.min(v.min, v.allowed.length), parcelsPerWeek: v.parcels, serviceS: v.service }));
        const vehicles = n.vehicles.map((v, i): PlanVehicle => ({ ...ebike(`rte_${i}`, v.days), vehicleType: v.type, capacityKg: v.type === 'e_bike' ? 60 : 120, speedKmh: v.type === 'e_bike' ? 15 : 22 }));
        const busLines: PlanBusLine[] = n.bus
          ? [{ id: 'bus_1', code: 'B1', countyCode: '522732', stops: [{ seq: 1, outletId: DEPOT.id, lon: DEPOT.lon, lat: DEPOT.lat }, ...villages.slice(0, n.bus.stops).map((v, i) => ({ seq: i + 2, villageCode: v.code, lon: v.lon, lat: v.lat }))], trips: [{ id: 'trp_1', departure: '07:00', days: n.bus.days, capacityParcels: n.bus.cap, feePerParcelFen: n.bus.fee }] }]
          : [];
        const plan = await planWeek({ depots: [DEPOT], villages, vehicles, busLines, costs: DEFAULT_COSTS, distance: greatCircleProvider(), options: { seed: n.seed, solverIterations: n.solver } });
        const working = new Set(vehicles.flatMap((v) => v.workingDays));
        const seen = visitDays(plan);
        for (const v of villages) {
          const days = [...(seen.get(v.code) ?? [])];
          expect(days.every((d) => v.allowedDays.includes(d)), `${v.code} visited outside its allowed days`).toBe(true);
          const row = plan.frequency.find((f) => f.villageCode === v.code);
          expect(row?.visitsPerWeek).toBe(days.length);
          const carrierCan = v.allowedDays.filter((d) => working.has(d)).length >= v.minVisitsPerWeek;
          if (carrierCan) expect(days.length, `${v.code} rule`).toBeGreaterThanOrEqual(v.minVisitsPerWeek);
          expect(row?.met).toBe(days.length >= v.minVisitsPerWeek);
        }
        // a village at most once per day; bus trips within capacity
        for (const d of ALL) {
          const codes = plan.routes.filter((r) => r.day === d).flatMap((r) => r.stops.map((s) => s.villageCode));
          expect(new Set(codes).size).toBe(codes.length);
        }
        for (const l of plan.busLoads) expect(l.parcels).toBeLessThanOrEqual(l.capacityParcels);
        for (const b of plan.bus) for (const r of plan.routes) expect(r.stops.some((s) => s.villageCode === b.villageCode)).toBe(false);
        // 8 h days are plenty for ≤ 14 villages within 12 km: every trip within its limits
        expect(plan.routes.filter((r) => r.overLimit)).toEqual([]);
      }),
      { numRuns: 60, seed: 20261130 },
    );
  });
});

describe('bus versus carrier (handmade case with a known answer)', () => {
  // A near village (2 km) and a remote one (15 km: a 30 km round trip, about 2 h on an e-bike)
  // on a daily bus from the outlet. Carrier cost of the remote village: ≈ 3 × (30 km × ¥0.10 +
  // 2.2 h × ¥30) ≈ ¥207/week; bus: 12 parcels × fee.
  const near = village('522732111001', 90, 2);
  const remote = village('522732111002', 200, 15);
  const line = (fee: number, cap = 40, days: Weekday[] = ALL): PlanBusLine => ({
    id: 'bus_b1', code: 'B1', countyCode: '522732',
    stops: [{ seq: 1, outletId: DEPOT.id, lon: DEPOT.lon, lat: DEPOT.lat }, { seq: 2, villageCode: remote.code, lon: remote.lon, lat: remote.lat }],
    trips: [{ id: 'trp_b1_1', departure: '07:30', days, capacityParcels: cap, feePerParcelFen: fee }],
  });
  const input = (busLines: PlanBusLine[], vehicles = [ebike('rte_1')]): PlanInput => ({ depots: [DEPOT], villages: [near, remote], vehicles, busLines, costs: DEFAULT_COSTS, distance: greatCircleProvider(), options: { seed: 1, solverIterations: 0 } });

  it('a cheap daily bus serves the remote village; the carrier keeps the near one', async () => {
    const plan = await planWeek(input([line(100)]));
    expect(plan.bus.map((b) => b.villageCode)).toEqual([remote.code]);
    const b = plan.bus[0]!;
    expect(b.weeklyFeeFen).toBe(1200);
    expect(b.carrierCostSavedFen).toBeGreaterThan(15_000);
    expect(b.days).toEqual(MON_SAT); // the bus runs daily; the rule allows Mon–Sat
    expect(b.arrival > '07:30').toBe(true);
    expect(plan.routes.flatMap((r) => r.stops.map((s) => s.villageCode))).toEqual([near.code, near.code, near.code]);
    expect(plan.frequency.every((f) => f.met)).toBe(true);
    expect(plan.frequency.find((f) => f.villageCode === remote.code)?.mode).toBe('bus');
  });
  it('an expensive bus loses: the carrier keeps both', async () => {
    const plan = await planWeek(input([line(5000)]));
    expect(plan.bus).toEqual([]);
    expect(plan.frequency.find((f) => f.villageCode === remote.code)).toMatchObject({ mode: 'carrier', met: true, visitsPerWeek: 3 });
    expect(plan.frequency.find((f) => f.villageCode === remote.code)?.busNote).toMatch(/^carrier kept: bus B1 would cost ¥600\.00\/week/);
  });
  it('a full bus (capacity below a drop) or a bus on too few days is not used', async () => {
    const full = await planWeek(input([line(100, 1)]));
    expect(full.bus).toEqual([]);
    expect(full.frequency.find((f) => f.villageCode === remote.code)?.busNote).toMatch(/no room/);
    const rare = await planWeek(input([line(100, 40, [1, 3])]));
    expect(rare.bus).toEqual([]);
    expect(rare.frequency.find((f) => f.villageCode === remote.code)?.busNote).toMatch(/runs on 2 allowed days, fewer than 3/);
  });
  it('the bus meets the rule where carriers cannot: carriers work Mon and Tue only', async () => {
    const plan = await planWeek(input([line(5000)], [ebike('rte_1', [1, 2])]));
    expect(plan.frequency.find((f) => f.villageCode === remote.code)).toMatchObject({ mode: 'bus', met: true });
    expect(plan.frequency.find((f) => f.villageCode === near.code)).toMatchObject({ met: false, visitsPerWeek: 2 });
  });
});

describe('determinism and folding into delivery routes', () => {
  const villages = Array.from({ length: 24 }, (_, i) => village(`5227321110${String(i).padStart(2, '0')}`, (i * 137) % 360, 1 + ((i * 7) % 11), i % 5 === 0 ? { minVisitsPerWeek: 7, allowedDays: ALL, serviceS: 900, parcelsPerWeek: 28 } : {}));
  const vehicles = [ebike('rte_1', ALL), ebike('rte_2'), { ...ebike('rte_3'), vehicleType: 'motorcycle' as const, capacityKg: 120, speedKmh: 22 }];
  const mk = (seed: number): PlanInput => ({ depots: [DEPOT], villages, vehicles, busLines: [], costs: DEFAULT_COSTS, distance: greatCircleProvider(), options: { seed, solverIterations: 20 } });
  it('gives the same plan for the same seed', async () => {
    const a = await planWeek(mk(7));
    const b = await planWeek(mk(7));
    expect(b).toEqual(a);
    expect(a.frequency.every((f) => f.met)).toBe(true);
  });
  it('folds day routes into delivery routes whose stop days reproduce the planned visit days', async () => {
    const plan = await planWeek(mk(3));
    const templates = vehicles.map((v) => ({ id: v.id, code: v.code, name: v.code, outletId: DEPOT.id, countyCode: '522732', vehicleType: v.vehicleType, capacityKg: v.capacityKg, carrierIds: [], workingDays: v.workingDays, maxDurationS: v.maxDurationS, stops: [], lengthM: 0, durationS: 0, active: true }));
    const outlet = { id: DEPOT.id, lon: DEPOT.lon, lat: DEPOT.lat } as Parameters<typeof deliveryRoutesFromPlan>[2][number];
    const vs = villages.map((v) => ({ code: v.code, lon: v.lon, lat: v.lat, visitRule: { minVisitsPerWeek: v.minVisitsPerWeek, allowedDays: v.allowedDays, serviceS: v.serviceS } })) as unknown as Parameters<typeof deliveryRoutesFromPlan>[3];
    const folded = deliveryRoutesFromPlan(templates, plan.routes, [outlet], vs);
    const fromRoutes = new Map<string, Set<number>>();
    for (const r of folded) {
      for (const s of r.stops) for (const d of s.days) fromRoutes.set(s.villageCode, (fromRoutes.get(s.villageCode) ?? new Set()).add(d));
      expect(r.stops.every((s) => s.days.every((d) => r.workingDays.includes(d)))).toBe(true);
    }
    const planned = visitDays(plan);
    for (const v of villages) expect([...(fromRoutes.get(v.code) ?? [])].sort()).toEqual([...(planned.get(v.code) ?? [])].sort());
  });
});
