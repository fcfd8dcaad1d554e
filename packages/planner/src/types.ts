/**
 * Weekly plan (periodic routing) types. Units in names: metres, seconds, kilograms, fen (1/100 ¥).
 * Weekdays 1 (Mon) … 7 (Sun); coordinates WGS84 [lon, lat].
 */
import type { LonLat, VehicleType, Weekday } from '@cuntong/domain/network/types.ts';
import type { DistanceProvider } from './distance.ts';

export interface PlanDepot {
  /** Outlet id (`out_…`). */
  id: string;
  name?: string;
  countyCode: string;
  lon: number;
  lat: number;
}

export interface PlanVillage {
  code: string;
  name?: string;
  countyCode: string;
  lon: number;
  lat: number;
  minVisitsPerWeek: number;
  allowedDays: Weekday[];
  serviceS: number;
  /** Expected parcels per week (inbound); spread evenly over the week's visits. */
  parcelsPerWeek: number;
  /** Home outlet: villages are planned from this outlet (current routes decide it). */
  depotId: string;
}

/** A route template: one carrier with a vehicle, leaving its home outlet on working days. */
export interface PlanVehicle {
  /** The delivery route id this template comes from (`rte_…`), or a new id. */
  id: string;
  code: string;
  name?: string;
  depotId: string;
  vehicleType: VehicleType;
  capacityKg: number;
  speedKmh: number;
  workingDays: Weekday[];
  maxDurationS: number;
}

export interface PlanBusStop {
  seq: number;
  villageCode?: string;
  outletId?: string;
  lon: number;
  lat: number;
}

export interface PlanBusTrip {
  id: string;
  /** "HH:MM" from the first stop. */
  departure: string;
  days: Weekday[];
  capacityParcels: number;
  feePerParcelFen: number;
}

export interface PlanBusLine {
  id: string;
  code: string;
  name?: string;
  countyCode: string;
  stops: PlanBusStop[];
  trips: PlanBusTrip[];
}

export interface CostParams {
  /** Cost of a vehicle-kilometre, fen (fuel/electricity, wear). Per vehicle type. */
  perKmFen: Record<VehicleType, number>;
  /** Cost of a carrier hour, fen. */
  perHourFen: number;
}

export interface PlanOptions {
  seed?: number;
  /** Wall-clock budget of the whole plan, ms (measured with `clock`); the result then depends on machine speed. */
  timeLimitMs?: number;
  /** Solver iterations per (outlet, day) problem; deterministic budget (default 60). 0 = do not call the solver. */
  solverIterations?: number;
  /** Passes of the pattern local search (default 4). */
  patternPasses?: number;
  /** Consider bus co-transport (default true). */
  useBus?: boolean;
  /** Average bus speed along a line, km/h (arrival times at village stops; default 30). */
  busSpeedKmh?: number;
  /** Morning departure of carriers, seconds after midnight (default 08:00). */
  shiftStartS?: number;
  /** Average parcel weight, kg (default 1.5). */
  kgPerParcel?: number;
  /** Injected clock, ms. Only used with timeLimitMs. */
  clock?: () => number;
  /** Called as the plan advances (fraction 0..1 and the phase), e.g. for a job's progress. */
  onProgress?: (fraction: number, stage: 'distances' | 'patterns' | 'bus' | 'solver' | 'report') => void;
}

export interface PlanInput {
  depots: PlanDepot[];
  villages: PlanVillage[];
  vehicles: PlanVehicle[];
  busLines: PlanBusLine[];
  costs: CostParams;
  distance: DistanceProvider;
  options?: PlanOptions;
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

export interface PlannedStop {
  villageCode: string;
  /** Seconds after midnight. */
  arrivalS: number;
  /** "HH:MM" */
  arrival: string;
  /** Road metres from the previous stop (or the outlet). */
  legM: number;
  parcels: number;
}

export interface DayRoute {
  day: Weekday;
  vehicleId: string;
  vehicleCode: string;
  /** 1 = first loop of the day; 2, 3 … when the carrier comes back to reload and goes out again. */
  trip: number;
  depotId: string;
  vehicleType: VehicleType;
  stops: PlannedStop[];
  distanceM: number;
  /** Travel + service, seconds. */
  durationS: number;
  /** Back at the outlet, seconds after midnight. */
  returnS: number;
  loadKg: number;
  costFen: number;
  /** Duration or capacity exceeded (should not happen; reported when it does). */
  overLimit: boolean;
}

export interface BusService {
  villageCode: string;
  lineId: string;
  lineCode: string;
  tripId: string;
  /** Days the village gets its parcels by this trip. */
  days: Weekday[];
  /** "HH:MM" expected at the village stop. */
  arrival: string;
  parcelsPerVisit: number;
  weeklyFeeFen: number;
  /** Weekly carrier cost saved by not visiting (km + hours of the detours). */
  carrierCostSavedFen: number;
  reason: string;
}

export interface BusTripLoad {
  tripId: string;
  lineCode: string;
  day: Weekday;
  parcels: number;
  capacityParcels: number;
  villages: string[];
}

export interface FrequencyRow {
  villageCode: string;
  depotId: string;
  minVisitsPerWeek: number;
  allowedDays: Weekday[];
  /** The visit-day pattern (carrier days when served by carrier). */
  pattern: Weekday[];
  carrierDays: Weekday[];
  busDays: Weekday[];
  /** Distinct allowed days with a carrier visit or a bus drop. */
  visitsPerWeek: number;
  mode: 'carrier' | 'bus' | 'none';
  met: boolean;
  reason?: string;
  /** For a village on a bus line still served by carrier: why the bus was not used. */
  busNote?: string;
}

export interface Totals {
  distanceM: number;
  durationS: number;
  carrierCostFen: number;
  busFeeFen: number;
  costFen: number;
  /** Trips (loops from the outlet) in the week. */
  trips: number;
}

export interface Suggestion {
  kind: 'move_village';
  villageCode: string;
  fromDepotId: string;
  toDepotId: string;
  /** Estimated weekly saving, fen (round-trip distance difference; not verified by re-solving). */
  estimatedSavingFen: number;
  reason: string;
}

export interface WeeklyPlan {
  routes: DayRoute[];
  bus: BusService[];
  busLoads: BusTripLoad[];
  frequency: FrequencyRow[];
  totals: Totals;
  suggestions: Suggestion[];
  warnings: string[];
  stats: { depots: number; problems: number; solverCalls: number; solverImproved: number; patternMoves: number; elapsedMs: number; timedOut: boolean };
}

export type { LonLat, Weekday, VehicleType };
