// Types of the API contract (docs/api.md). Kept here until packages/contracts exports them.

export type Role = 'admin' | 'county_manager' | 'outlet_clerk' | 'carrier' | 'station_keeper' | 'partner';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  countyCode?: string;
  outletId?: string;
  partnerCode?: string;
  active?: boolean;
}

export interface FieldErrorItem {
  path: string;
  message: string;
  row?: number;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: FieldErrorItem[];
}

export interface ListResponse<T> {
  items: T[];
  total: number;
}

export interface Division {
  code: string;
  name: string;
  shortName: string;
  level: string;
  parent?: string;
  kind?: string;
  pinyin?: string;
  /** Pinyin initials (鸡贾村 → jj). */
  initials?: string;
}

export interface DivisionDetail extends Division {
  path?: Division[];
  childCount?: number;
}

export interface VisitRule {
  minVisitsPerWeek: number;
  allowedDays: number[];
  serviceS: number;
}

export interface Village {
  code: string;
  name: string;
  shortName: string;
  townCode: string;
  countyCode: string;
  kind?: string;
  lon: number;
  lat: number;
  coordinatesApproximate: boolean;
  visitRule: VisitRule;
  plannedVisitsPerWeek: number;
  stationOutletId?: string;
  remote?: boolean;
}

export const OUTLET_KINDS = ['postal_office', 'agency_office', 'franchise_point', 'express_station', 'village_station'] as const;
export type OutletKind = (typeof OUTLET_KINDS)[number];

export const OUTLET_SERVICES = [
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

export interface Outlet {
  id: string;
  code: string;
  name: string;
  kind: OutletKind;
  divisionCode: string;
  countyCode: string;
  townCode: string;
  lon: number;
  lat: number;
  coordinatesApproximate: boolean;
  openingHours: string;
  capacitySlots: number;
  contactName: string;
  contactPhone: string;
  services: string[];
  active: boolean;
}

export interface Partner {
  code: string;
  name: string;
  active: boolean;
}

export interface Agreement {
  id: string;
  partnerCode: string;
  countyCode: string;
  doorRateFen: number;
  stationRateFen: number;
  remoteSurchargeFen: number;
  validFrom: string;
  validTo?: string;
  promiseHours: number;
  /** Settlement terms (docs/settlement.md); optional when creating (database defaults). */
  returnRateFen?: number;
  lossDeductionFen?: number;
  damageDeductionFen?: number;
  lateDeductionFen?: number;
}

export interface RouteStop {
  seq: number;
  villageCode: string;
  days: number[];
}

export interface DeliveryRoute {
  id: string;
  code: string;
  name: string;
  outletId: string;
  countyCode: string;
  vehicleType: string;
  capacityKg: number;
  carrierIds: string[];
  workingDays: number[];
  maxDurationS: number;
  stops: RouteStop[];
  lengthM: number;
  durationS: number;
  active: boolean;
}

export interface BusStop {
  seq: number;
  name: string;
  villageCode?: string;
  outletId?: string;
  lon: number;
  lat: number;
}

export interface BusTrip {
  id: string;
  departure: string;
  days: number[];
  capacityParcels: number;
  feePerParcelFen: number;
}

export interface BusLine {
  id: string;
  code: string;
  name: string;
  operator: string;
  countyCode: string;
  stops: BusStop[];
  trips: BusTrip[];
  active: boolean;
}

/** Carriers and vehicles: the contract names only the endpoints, so fields are read loosely. */
export type LooseRecord = Record<string, unknown> & { id?: string };

export interface KpiFigure {
  key: string;
  /** null = not recorded (shown as "—", never as 0). */
  value: number | null;
  /** 'count' | 'ratio' (0…1) | 'hours' (others shown as given). */
  unit: string;
  /** How the figure is computed, per language (a plain string is accepted too). */
  formula: string | { zh: string; en: string };
}

export interface KpiTrendPoint {
  date: string;
  parcelsIn: number | null;
  delivered: number | null;
  parcelsOut: number | null;
  exceptions: number | null;
}

export type KpiByCounty = { countyCode: string; countyName: string } & Record<string, number | string | null>;

export interface KpiSummary {
  scope: { countyCode?: string };
  from: string;
  to: string;
  figures: KpiFigure[];
  byCounty: KpiByCounty[];
  trend: KpiTrendPoint[];
}

export interface ImportResult {
  imported: number;
  rejected: FieldErrorItem[];
  /** Plausibility notes that did not block the import. */
  warnings?: FieldErrorItem[];
}

export interface ConsoleConfig {
  mapTileUrl?: string;
  mapTileAttribution?: string;
}

// GeoJSON of GET /api/v1/map/network
export type Position = [number, number];
export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] };

export interface MapFeatureProperties {
  type: 'village' | 'outlet' | 'route' | 'bus_line' | 'county' | string;
  code?: string;
  id?: string;
  name?: string;
  kind?: string;
  visitsPerWeek?: number;
  minVisitsPerWeek?: number;
  [key: string]: unknown;
}

export interface MapFeature {
  type: 'Feature';
  id?: string | number;
  geometry: Geometry | null;
  properties: MapFeatureProperties;
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: MapFeature[];
}
