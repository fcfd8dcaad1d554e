/**
 * The delivery network (issue 2): outlets, express partners and their county agreements, delivery
 * routes (投递段), bus lines (交邮合作), carriers, vehicles and village visit rules.
 * Field names follow docs/api.md. Money in fen, distances in metres, durations in seconds,
 * coordinates WGS84 lon/lat, weekdays 1 (Mon) … 7 (Sun), dates "YYYY-MM-DD".
 */
import type { Division, VillageKind } from '../divisions/divisions.ts';

/** Weekday number: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

/** [lon, lat] WGS84. */
export type LonLat = readonly [number, number];

// ---------------------------------------------------------------------------------------------
// Outlets
// ---------------------------------------------------------------------------------------------

export const OUTLET_KINDS = ['postal_office', 'agency_office', 'franchise_point', 'express_station', 'village_station'] as const;
export type OutletKind = (typeof OUTLET_KINDS)[number];

/** Chinese labels; the first one is the display label, the others are accepted on import. */
export const OUTLET_KIND_LABELS: Readonly<Record<OutletKind, readonly string[]>> = {
  postal_office: ['邮政所', '支局', '邮政支局', '邮政局所'],
  agency_office: ['代办所', '邮政代办所'],
  franchise_point: ['社会加盟网点', '加盟网点', '社会网点'],
  express_station: ['快递驿站', '驿站', '快递超市'],
  village_station: ['村邮站', '村级寄递物流综合服务站', '村级服务站'],
};

export const SERVICE_CODES = [
  'parcel_delivery',
  'parcel_sending',
  'pickup_station',
  'newspaper_subscription',
  'court_filing',
  'tax',
  'police',
  'bill_collection',
  'vehicle_insurance',
  'vehicle_administration',
  'tobacco',
] as const;
export type ServiceCode = (typeof SERVICE_CODES)[number];

/** Chinese labels; the first one is the display label, the others are accepted on import. */
export const SERVICE_LABELS: Readonly<Record<ServiceCode, readonly string[]>> = {
  parcel_delivery: ['快递投递', '投递', '包裹投递'],
  parcel_sending: ['寄件', '收寄', '包裹寄递'],
  pickup_station: ['代收自提', '自提', '取件', '代收点'],
  newspaper_subscription: ['报刊订阅', '订报'],
  court_filing: ['法院立案', '跨域立案', '诉讼服务'],
  tax: ['邮税', '税务', '代征税款'],
  police: ['警邮', '警邮合作'],
  bill_collection: ['代收代缴', '代收费'],
  vehicle_insurance: ['代理车险', '车险'],
  vehicle_administration: ['车驾管', '车驾管业务'],
  tobacco: ['烟草', '烟草销售'],
};

export interface Outlet {
  /** `out_…`, derived from the code (see `idFromCode`). */
  id: string;
  /** Business code, 2–32 of A–Z 0–9 - _ (e.g. PO522701111). Unique. */
  code: string;
  name: string;
  kind: OutletKind;
  /** Town (9 digits) or village-level (12 digits) division the outlet sits in. */
  divisionCode: string;
  countyCode: string;
  townCode: string;
  lon: number;
  lat: number;
  coordinatesApproximate: boolean;
  /** "08:00-18:00" (every day) or "1-5 08:00-18:00; 6-7 09:00-12:00,14:00-17:00" (see parseOpeningHours). */
  openingHours: string;
  /** Pickup shelf slots (格口); 0 when the outlet keeps no parcels for pickup. */
  capacitySlots: number;
  contactName: string | null;
  contactPhone: string | null;
  services: ServiceCode[];
  active: boolean;
}

// ---------------------------------------------------------------------------------------------
// Partners and agreements (邮快合作)
// ---------------------------------------------------------------------------------------------

export const PARTNER_CATALOGUE = [
  { code: 'ZTO', name: '中通快递' },
  { code: 'YTO', name: '圆通速递' },
  { code: 'STO', name: '申通快递' },
  { code: 'YUNDA', name: '韵达速递' },
  { code: 'JT', name: '极兔速递' },
  { code: 'JD', name: '京东物流' },
  { code: 'SF', name: '顺丰速运' },
  { code: 'EMS', name: '中国邮政速递物流' },
] as const;
export type KnownPartnerCode = (typeof PARTNER_CATALOGUE)[number]['code'];

export interface Partner {
  /** Upper-case code, 2–16 of A–Z 0–9 _ (ZTO, YTO, …). */
  code: string;
  name: string;
  active: boolean;
}

export interface Agreement {
  /** `agr_…` */
  id: string;
  partnerCode: string;
  countyCode: string;
  /** Paid to the post per parcel delivered to the door. */
  doorRateFen: number;
  /** Per parcel left at a station for pickup. */
  stationRateFen: number;
  /** Extra per parcel for remote villages. */
  remoteSurchargeFen: number;
  /** "YYYY-MM-DD" inclusive. */
  validFrom: string;
  /** "YYYY-MM-DD" inclusive; absent = open-ended. */
  validTo?: string;
  /** Delivery promise from handover, hours. */
  promiseHours: number;
  /** Settlement terms (migration 0032); absent on input = the database default. Paid per returned parcel. */
  returnRateFen?: number;
  /** Deducted per parcel lost after the handover. */
  lossDeductionFen?: number;
  /** Deducted per parcel damaged after the handover. */
  damageDeductionFen?: number;
  /** Deducted per parcel delivered later than the promise. */
  lateDeductionFen?: number;
}

// ---------------------------------------------------------------------------------------------
// Vehicles, carriers, routes (投递段)
// ---------------------------------------------------------------------------------------------

export const VEHICLE_TYPES = ['e_bike', 'motorcycle', 'van'] as const;
export type VehicleType = (typeof VEHICLE_TYPES)[number];

export interface VehicleSpec {
  capacityKg: number;
  /** Average speed on mountain roads, including slopes and hairpins. */
  speedKmh: number;
  labels: readonly string[];
}

export const VEHICLE_SPECS: Readonly<Record<VehicleType, VehicleSpec>> = {
  e_bike: { capacityKg: 60, speedKmh: 15, labels: ['电动车', '电瓶车', '电动三轮车'] },
  motorcycle: { capacityKg: 120, speedKmh: 22, labels: ['摩托车', '邮政摩托'] },
  van: { capacityKg: 600, speedKmh: 28, labels: ['面包车', '厢式车', '汽车', '邮车'] },
};

/** Road distance ≈ great-circle distance × this factor on Guizhou mountain roads. */
export const DEFAULT_DETOUR_FACTOR = 1.4;
/** Default longest working day of a carrier on a route: 8 hours. */
export const DEFAULT_MAX_DURATION_S = 8 * 3600;

export interface Vehicle {
  /** `veh_…` */
  id: string;
  /** Plate or internal number. */
  code: string;
  type: VehicleType;
  capacityKg: number;
  speedKmh: number;
  outletId: string;
  countyCode: string;
  active: boolean;
}

export interface Carrier {
  /** `car_…` */
  id: string;
  name: string;
  phone: string | null;
  outletId: string;
  countyCode: string;
  vehicleId: string | null;
  active: boolean;
}

export interface RouteStop {
  /** 1-based order along the route. */
  seq: number;
  villageCode: string;
  /** Weekdays this stop is served (a subset of the route's working days). */
  days: Weekday[];
}

export interface DeliveryRoute {
  /** `rte_…` */
  id: string;
  code: string;
  name: string;
  /** Home outlet the carrier leaves from and returns to. */
  outletId: string;
  countyCode: string;
  vehicleType: VehicleType;
  capacityKg: number;
  carrierIds: string[];
  workingDays: Weekday[];
  maxDurationS: number;
  stops: RouteStop[];
  /** Closed loop outlet → stops in order → outlet, road metres (great circle × detour factor). */
  lengthM: number;
  /** lengthM at the vehicle's mountain speed + service time of every stop. */
  durationS: number;
  active: boolean;
}

// ---------------------------------------------------------------------------------------------
// Bus lines (交邮合作)
// ---------------------------------------------------------------------------------------------

export interface BusStop {
  seq: number;
  name: string;
  villageCode?: string;
  outletId?: string;
  lon: number;
  lat: number;
}

export interface BusTrip {
  /** `trp_…` */
  id: string;
  /** "HH:MM" departure from the first stop. */
  departure: string;
  days: Weekday[];
  capacityParcels: number;
  feePerParcelFen: number;
}

export interface BusLine {
  /** `bus_…` */
  id: string;
  code: string;
  name: string;
  operator: string;
  countyCode: string;
  stops: BusStop[];
  trips: BusTrip[];
  active: boolean;
}

// ---------------------------------------------------------------------------------------------
// Villages (operational view of village-level divisions)
// ---------------------------------------------------------------------------------------------

export interface VisitRule {
  minVisitsPerWeek: number;
  allowedDays: Weekday[];
  /** Service time per visit at the village, seconds. */
  serviceS: number;
}

export interface Village {
  code: string;
  name: string;
  shortName: string;
  townCode: string;
  countyCode: string;
  kind: VillageKind;
  lon: number;
  lat: number;
  coordinatesApproximate: boolean;
  visitRule: VisitRule;
  /** Distinct weekdays on which at least one active route serves the village. */
  plannedVisitsPerWeek: number;
  stationOutletId?: string;
}

/** Coordinates of one village, as imported from a file. */
export interface VillageCoordinates {
  code: string;
  lon: number;
  lat: number;
  coordinatesApproximate: boolean;
}

// ---------------------------------------------------------------------------------------------
// Lookups given to validators and parsers (a Map satisfies them)
// ---------------------------------------------------------------------------------------------

export interface DivisionLookup {
  get(code: string): Division | undefined;
}

export interface OutletRef {
  id: string;
  code: string;
  countyCode: string;
  lon: number;
  lat: number;
}

export interface OutletLookup {
  get(code: string): OutletRef | undefined;
}

/** Prefixed, readable, deterministic id from a business code: ('out', 'PO522701111') → out_po522701111. */
export function idFromCode(prefix: 'out' | 'rte' | 'bus' | 'car' | 'veh' | 'agr' | 'trp', code: string): string {
  return `${prefix}_${code.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '')}`;
}
