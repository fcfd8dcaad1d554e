import { describe, expect, it } from 'vitest';
import { offsetPoint } from '@cuntong/domain/network/geo.ts';
import type { Weekday } from '@cuntong/domain/network/types.ts';
import { DEFAULT_COSTS, dispatchDay, greatCircleProvider, planWeek, type PlanBusLine, type PlanVehicle, type PlanVillage, type WeeklyPlan } from './index.ts';

const DEPOT = { id: 'out_a', countyCode: '522732', lon: 107.87, lat: 25.98 };
const MON_SAT: Weekday[] = [1, 2, 3, 4, 5, 6];
const at = (bearing: number, km: number) => offsetPoint([DEPOT.lon, DEPOT.lat], bearing, km * 1000);
const v = (code: string, b: number, km: number): PlanVillage => {
  const [lon, lat] = at(b, km);
  return { code, countyCode: '522732', lon, lat, minVisitsPerWeek: 3, allowedDays: MON_SAT, serviceS: 600, parcelsPerWeek: 12, depotId: DEPOT.id };
};
const near = v('522732111001', 90, 2);
const remote = v('522732111002', 200, 15);
const vehicle: PlanVehicle = { id: 'rte_1', code: 'R1', depotId: DEPOT.id, vehicleType: 'e_bike', capacityKg: 60, speedKmh: 15, workingDays: MON_SAT, maxDurationS: 8 * 3600 };
const line: PlanBusLine = {
  id: 'bus_b1', code: 'B1', countyCode: '522732',
  stops: [{ seq: 1, outletId: DEPOT.id, lon: DEPOT.lon, lat: DEPOT.lat }, { seq: 2, villageCode: remote.code, lon: remote.lon, lat: remote.lat }],
  trips: [{ id: 'trp_b1_1', departure: '07:30', days: [1, 2, 3, 4, 5, 6, 7], capacityParcels: 40, feePerParcelFen: 100 }],
};

let plan: WeeklyPlan;
const base = async () => {
  plan ??= await planWeek({ depots: [DEPOT], villages: [near, remote], vehicles: [vehicle], busLines: [line], costs: DEFAULT_COSTS, distance: greatCircleProvider(), options: { seed: 1, solverIterations: 0 } });
  const nearDays = plan.frequency.find((f) => f.villageCode === near.code)!.carrierDays;
  return { plan, nearDays, input: { outletId: DEPOT.id, routes: plan.routes, bus: plan.bus, busLines: [line], vehicles: [vehicle] } };
};
const parcels = (code: string, n: number, kg = 1.5, prefix = code.slice(-3)) => Array.from({ length: n }, (_, i) => ({ id: `pcl_${prefix}_${String(i).padStart(3, '0')}`, villageCode: code, weightKg: kg }));

describe('daily dispatch', () => {
  it('puts parcels on the carrier run or the bus bag the plan says, and defers unknown villages', async () => {
    const { nearDays, input } = await base();
    const day = nearDays[0]!;
    const r = dispatchDay({ ...input, day, parcels: [...parcels(near.code, 3), ...parcels(remote.code, 2), ...parcels('522732111099', 1)] });
    expect(r.runs).toHaveLength(1);
    expect(r.runs[0]!.stops.find((s) => s.villageCode === near.code)!.parcelIds).toHaveLength(3);
    expect(r.runs[0]!.loadKg).toBe(4.5);
    expect(r.bags).toEqual([expect.objectContaining({ tripId: 'trp_b1_1', villageCode: remote.code, parcelIds: ['pcl_002_000', 'pcl_002_001'] })]);
    expect(r.deferred).toEqual([{ parcelId: 'pcl_099_000', villageCode: '522732111099', nextDay: null, reason: 'the plan does not serve this village from this outlet' }]);
  });
  it('respects the bus capacity and the run capacity; the rest waits for the next service day', async () => {
    const { nearDays, input } = await base();
    const day = nearDays[0]!;
    const r = dispatchDay({ ...input, day, parcels: [...parcels(near.code, 50), ...parcels(remote.code, 41)] });
    expect(r.bags[0]!.parcelIds).toHaveLength(40);
    expect(r.runs[0]!.loadKg).toBeLessThanOrEqual(60);
    expect(r.runs[0]!.stops[0]!.parcelIds).toHaveLength(40); // 40 × 1.5 kg = 60 kg
    const deferred = r.deferred;
    expect(deferred.filter((d) => d.villageCode === near.code)).toHaveLength(10);
    expect(deferred.find((d) => d.villageCode === near.code)).toMatchObject({ nextDay: nearDays[1], reason: 'the runs visiting the village today are full' });
    expect(deferred.filter((d) => d.villageCode === remote.code)).toEqual([{ parcelId: 'pcl_002_040', villageCode: remote.code, nextDay: (day + 1) as Weekday, reason: 'bus B1 07:30 is full (40 parcels)' }]);
  });
  it('re-dispatches late parcels: the bus and the run have left, so they wait for the next service day', async () => {
    const { nearDays, input } = await base();
    const day = nearDays[0]!;
    const r = dispatchDay({ ...input, day, nowS: 9 * 3600, parcels: [...parcels(near.code, 1), ...parcels(remote.code, 1)] });
    expect(r.bags).toEqual([]);
    expect(r.deferred.map((d) => d.reason)).toEqual(['the runs visiting the village today have left', 'bus B1 07:30 has left']);
  });
  it('a village not served today waits for its next pattern day', async () => {
    const { nearDays, input } = await base();
    const off = MON_SAT.find((d) => !nearDays.includes(d))!;
    const r = dispatchDay({ ...input, day: off, parcels: parcels(near.code, 2) });
    expect(r.deferred.map((d) => [d.nextDay, d.reason])).toEqual([[nearDays.find((d) => d > off) ?? nearDays[0], 'the village is not served today'], [nearDays.find((d) => d > off) ?? nearDays[0], 'the village is not served today']]);
  });
  it('a run marked departed takes no more parcels, even before its planned time', async () => {
    const { nearDays, input } = await base();
    const day = nearDays[0]!;
    const run = dispatchDay({ ...input, day, parcels: parcels(near.code, 1) }).runs[0]!;
    const r = dispatchDay({ ...input, day, leftRuns: new Set([`${run.vehicleId}#${run.trip}`]), parcels: parcels(near.code, 1) });
    expect(r.runs[0]!.stops.flatMap((s) => s.parcelIds)).toEqual([]);
    expect(r.deferred).toEqual([{ parcelId: 'pcl_001_000', villageCode: near.code, nextDay: nearDays[1], reason: 'the runs visiting the village today have left' }]);
  });
  it('a missed or full bus sends its parcels to the next trip of the line that stops at the village, and says so', async () => {
    const { nearDays, input } = await base();
    const day = nearDays[0]!;
    const two: PlanBusLine = { ...line, trips: [...line.trips, { id: 'trp_b1_2', departure: '14:00', days: [1, 2, 3, 4, 5, 6, 7], capacityParcels: 1, feePerParcelFen: 100 }] };
    const r = dispatchDay({ ...input, busLines: [two], day, leftTrips: new Set(['trp_b1_1']), parcels: parcels(remote.code, 2) });
    expect(r.bags).toEqual([expect.objectContaining({ tripId: 'trp_b1_2', departure: '14:00', villageCode: remote.code, parcelIds: ['pcl_002_000'] })]);
    expect(r.notes).toEqual(['pcl_002_000: bus B1 07:30 is gone (missed, full or handed over); on the B1 14:00 trip']);
    // the later trip holds one parcel: the second waits (the remote village has no carrier run)
    expect(r.deferred).toEqual([expect.objectContaining({ parcelId: 'pcl_002_001', reason: 'bus B1 07:30 is gone (missed, full or handed over)' })]);
  });
});
