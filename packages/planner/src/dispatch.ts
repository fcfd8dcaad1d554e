/**
 * Daily dispatch (core, pure): the parcels waiting at an outlet on a morning → which carrier run
 * or bus trip takes each parcel, in the plan's stop order, with load checks; what cannot go today
 * says when it goes (the village's next service day) and why. Call it again with `nowS` when
 * parcels arrive late: runs and trips that have left are skipped (re-dispatch).
 * The parcels and manifests (PDF) live in the server's parcel module; this is the decision only.
 */
import type { Weekday } from '@cuntong/domain/network/types.ts';
import type { BusService, DayRoute, PlanBusLine, PlanVehicle } from './types.ts';

export interface DispatchParcel {
  id: string;
  villageCode: string;
  weightKg: number;
}

export interface DispatchInput {
  day: Weekday;
  outletId: string;
  /** The accepted plan's day routes (all days: the next service day is looked up in them). */
  routes: readonly DayRoute[];
  bus: readonly BusService[];
  busLines: readonly PlanBusLine[];
  vehicles: readonly PlanVehicle[];
  parcels: readonly DispatchParcel[];
  /** Seconds after midnight: runs and bus trips leaving before this are gone (re-dispatch). */
  nowS?: number;
  /** Parcels already in bags for a bus trip today (tripId → count), e.g. from an earlier dispatch. */
  busLoaded?: ReadonlyMap<string, number>;
  /** Kilograms already on a run (`${vehicleId}#${trip}` → kg), e.g. from an earlier dispatch. */
  runLoaded?: ReadonlyMap<string, number>;
  /** Runs (`${vehicleId}#${trip}`) that have left whatever the clock says (marked departed). */
  leftRuns?: ReadonlySet<string>;
  /** Bus trips that are gone today whatever the clock says (bag handed over, or the bus was missed or full). */
  leftTrips?: ReadonlySet<string>;
}

export interface RunLoad {
  vehicleId: string;
  vehicleCode: string;
  trip: number;
  departureS: number;
  capacityKg: number;
  loadKg: number;
  stops: Array<{ villageCode: string; arrival: string; parcelIds: string[] }>;
}

export interface BusBag {
  tripId: string;
  lineCode: string;
  departure: string;
  villageCode: string;
  arrival: string;
  parcelIds: string[];
}

export interface Deferred {
  parcelId: string;
  villageCode: string;
  /** Next weekday the village is served (carrier or bus), or null when the plan never serves it. */
  nextDay: Weekday | null;
  reason: string;
}

export interface DispatchResult {
  runs: RunLoad[];
  bags: BusBag[];
  deferred: Deferred[];
  /** A bus option was full or gone and the parcel went on a carrier run instead. */
  notes: string[];
}

export function dispatchDay(input: DispatchInput): DispatchResult {
  const now = input.nowS ?? 0;
  const capOf = new Map(input.vehicles.map((v) => [v.id, v.capacityKg]));
  const tripOf = new Map<string, { line: PlanBusLine; capacity: number; departureS: number; departure: string; days: readonly Weekday[] }>();
  for (const l of input.busLines) for (const t of l.trips) tripOf.set(t.id, { line: l, capacity: t.capacityParcels, departureS: clock(t.departure), departure: t.departure, days: t.days });
  const tripGone = (id: string, departureS: number) => departureS < now || (input.leftTrips?.has(id) ?? false);
  const runGone = (r: RunLoad) => r.departureS < now || (input.leftRuns?.has(`${r.vehicleId}#${r.trip}`) ?? false);

  const runs: RunLoad[] = input.routes
    .filter((r) => r.day === input.day && r.depotId === input.outletId)
    .map((r) => ({
      vehicleId: r.vehicleId, vehicleCode: r.vehicleCode, trip: r.trip, departureS: r.returnS - r.durationS, capacityKg: capOf.get(r.vehicleId) ?? Infinity,
      loadKg: input.runLoaded?.get(`${r.vehicleId}#${r.trip}`) ?? 0, stops: r.stops.map((s) => ({ villageCode: s.villageCode, arrival: s.arrival, parcelIds: [] as string[] })),
    }))
    .sort((a, b) => a.departureS - b.departureS || (a.vehicleCode < b.vehicleCode ? -1 : 1) || a.trip - b.trip);
  const busLoad = new Map(input.busLoaded ?? []);
  const bags = new Map<string, BusBag>();
  const deferred: Deferred[] = [];
  const notes: string[] = [];
  const outletVillages = new Set([...input.routes.filter((r) => r.depotId === input.outletId).flatMap((r) => r.stops.map((s) => s.villageCode))]);
  const busOf = new Map(input.bus.map((b) => [b.villageCode, b]));

  const serviceDays = (code: string): Weekday[] => {
    const days = new Set<Weekday>();
    for (const r of input.routes) if (r.stops.some((s) => s.villageCode === code)) days.add(r.day);
    for (const d of busOf.get(code)?.days ?? []) days.add(d);
    return [...days].sort((a, b) => a - b);
  };
  const nextDay = (code: string): Weekday | null => {
    const days = serviceDays(code);
    if (days.length === 0) return null;
    for (let k = 1; k <= 7; k++) {
      const d = (((input.day - 1 + k) % 7) + 1) as Weekday;
      if (days.includes(d)) return d;
    }
    return null;
  };

  /** The next trip of `line` today after `afterS` that stops at the village, has not left and has room. */
  function laterTrip(line: PlanBusLine, villageCode: string, afterS: number): string | undefined {
    if (!line.stops.some((s) => s.villageCode === villageCode)) return undefined;
    const next = line.trips
      .filter((t) => t.days.includes(input.day) && clock(t.departure) > afterS && !tripGone(t.id, clock(t.departure)) && (busLoad.get(t.id) ?? 0) + 1 <= t.capacityParcels)
      .sort((a, b) => clock(a.departure) - clock(b.departure));
    return next[0]?.id;
  }

  const parcels = [...input.parcels].sort((a, b) => (a.villageCode < b.villageCode ? -1 : a.villageCode > b.villageCode ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const p of parcels) {
    const bus = busOf.get(p.villageCode);
    let busReason: string | undefined;
    if (bus && bus.days.includes(input.day)) {
      const t = tripOf.get(bus.tripId);
      const loaded = busLoad.get(bus.tripId) ?? 0;
      if (!t) busReason = `bus trip ${bus.tripId} no longer exists`;
      else if (tripGone(bus.tripId, t.departureS)) busReason = input.leftTrips?.has(bus.tripId) && t.departureS >= now ? `bus ${bus.lineCode} ${t.departure} is gone (missed, full or handed over)` : `bus ${bus.lineCode} ${t.departure} has left`;
      else if (loaded + 1 > t.capacity) busReason = `bus ${bus.lineCode} ${t.departure} is full (${t.capacity} parcels)`;
      // the planned trip is gone or full: a later trip of the same line today that stops at the village
      const alt = !busReason ? bus.tripId : t ? laterTrip(t.line, p.villageCode, t.departureS) : undefined;
      if (alt) {
        const at = tripOf.get(alt)!;
        busLoad.set(alt, (busLoad.get(alt) ?? 0) + 1);
        const key = `${alt}|${p.villageCode}`;
        const shift = t ? at.departureS - t.departureS : 0;
        const bag = bags.get(key) ?? { tripId: alt, lineCode: bus.lineCode, departure: at.departure, villageCode: p.villageCode, arrival: hhmm(clock(bus.arrival) + shift), parcelIds: [] };
        bag.parcelIds.push(p.id);
        bags.set(key, bag);
        if (busReason) notes.push(`${p.id}: ${busReason}; on the ${bus.lineCode} ${at.departure} trip`);
        continue;
      }
    }
    // a carrier run visiting the village today that has not left and has room
    let placed = false;
    let full = false;
    for (const run of runs) {
      if (runGone(run)) continue;
      const stop = run.stops.find((s) => s.villageCode === p.villageCode);
      if (!stop) continue;
      if (run.loadKg + p.weightKg > run.capacityKg + 1e-9) {
        full = true;
        continue;
      }
      run.loadKg += p.weightKg;
      stop.parcelIds.push(p.id);
      placed = true;
      if (busReason) notes.push(`${p.id}: ${busReason}; on ${run.vehicleCode} trip ${run.trip}`);
      break;
    }
    if (placed) continue;
    const known = outletVillages.has(p.villageCode) || busOf.has(p.villageCode);
    const reason = !known
      ? 'the plan does not serve this village from this outlet'
      : busReason ?? (full ? 'the runs visiting the village today are full' : servedToday(runs, p.villageCode) && runs.some((r) => runGone(r) && r.stops.some((s) => s.villageCode === p.villageCode)) ? 'the runs visiting the village today have left' : 'the village is not served today');
    deferred.push({ parcelId: p.id, villageCode: p.villageCode, nextDay: known ? nextDay(p.villageCode) : null, reason });
  }
  return {
    runs: runs.map((r) => ({ ...r, loadKg: Math.round(r.loadKg * 10) / 10 })),
    bags: [...bags.values()].sort((a, b) => (a.tripId < b.tripId ? -1 : a.tripId > b.tripId ? 1 : a.villageCode < b.villageCode ? -1 : 1)),
    deferred,
    notes,
  };
}

function servedToday(runs: readonly RunLoad[], code: string): boolean {
  return runs.some((r) => r.stops.some((s) => s.villageCode === code));
}

function hhmm(s: number): string {
  const m = Math.floor(s / 60) % (24 * 60);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

export function clock(t: string): number {
  const [h, m] = t.split(':').map(Number);
  return ((h ?? 0) * 60 + (m ?? 0)) * 60;
}
