/**
 * Pure validators of network entities. Each returns `{errors, warnings}` as FieldErrors with a dotted
 * path (`stops[2].days`). Errors make the entity unacceptable; warnings are plausibility notes
 * (coordinates outside the region's bounding box, a route longer than its working day, …).
 */
import type { FieldError } from '../errors.ts';
import { parseOpeningHours, isWeekday, isDepartureTime } from './rules.ts';
import {
  OUTLET_KINDS,
  SERVICE_CODES,
  VEHICLE_TYPES,
  type Agreement,
  type BusLine,
  type Carrier,
  type DeliveryRoute,
  type DivisionLookup,
  type Outlet,
  type Partner,
  type Vehicle,
  type Village,
  type VillageCoordinates,
  type VisitRule,
} from './types.ts';

export interface ValidationResult {
  errors: FieldError[];
  warnings: FieldError[];
}

export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** Qiannan (5227) with a margin of ~10 km: real extent about 106.2–108.3 E, 25.1–27.5 N. */
export const QIANNAN_BBOX: BBox = { minLon: 105.9, minLat: 24.9, maxLon: 108.5, maxLat: 27.7 };
/** Mainland China and Hainan, roughly: anything outside is certainly wrong. */
export const CHINA_BBOX: BBox = { minLon: 73.4, minLat: 18.0, maxLon: 135.1, maxLat: 53.6 };

export interface ValidationContext {
  divisions: DivisionLookup;
  /** Region code every division must start with (default "5227"). */
  region?: string;
  /** Plausibility box: outside gives a warning (default QIANNAN_BBOX). */
  bbox?: BBox;
  /** When given, referenced outlet ids must be in it. */
  outletIds?: { has(id: string): boolean };
  /** When given, agreement partner codes must be in it. */
  partnerCodes?: { has(code: string): boolean };
}

export const CODE_RE = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;
export const PARTNER_CODE_RE = /^[A-Z][A-Z0-9_]{1,15}$/;
/** Mainland mobile (1[3-9]xxxxxxxxx) or landline with area code (0854-8221234, ext. allowed). */
export const PHONE_RE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/;

class Collector implements ValidationResult {
  errors: FieldError[] = [];
  warnings: FieldError[] = [];
  error(path: string, message: string): void {
    this.errors.push({ path, message });
  }
  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }
  result(): ValidationResult {
    return { errors: this.errors, warnings: this.warnings };
  }
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);

function text(c: Collector, path: string, v: unknown, max = 100): void {
  if (typeof v !== 'string' || v.trim() === '') c.error(path, 'is required');
  else if (v.length > max) c.error(path, `is longer than ${max} characters`);
}

function intRange(c: Collector, path: string, v: unknown, min: number, max: number): void {
  if (!isInt(v)) c.error(path, 'must be an integer');
  else if (v < min || v > max) c.error(path, `must be between ${min} and ${max}`);
}

function days(c: Collector, path: string, v: unknown, allowEmpty = false): void {
  if (!Array.isArray(v)) {
    c.error(path, 'must be a list of weekdays 1-7');
    return;
  }
  if (v.length === 0 && !allowEmpty) c.error(path, 'needs at least one weekday');
  const seen = new Set<number>();
  v.forEach((d: unknown, i) => {
    if (!isWeekday(d)) c.error(`${path}[${i}]`, `${String(d)} is not a weekday (1 = Mon … 7 = Sun)`);
    else if (seen.has(d)) c.error(`${path}[${i}]`, `weekday ${d} is repeated`);
    else seen.add(d);
  });
}

/** Checks lon/lat: finite, in range, in China (errors), inside the region box (warning). */
export function checkCoordinates(c: { error(p: string, m: string): void; warn(p: string, m: string): void }, lon: unknown, lat: unknown, bbox: BBox, prefix = ''): void {
  const pLon = `${prefix}lon`;
  const pLat = `${prefix}lat`;
  if (typeof lon !== 'number' || !Number.isFinite(lon)) {
    c.error(pLon, 'must be a number (decimal degrees)');
    return;
  }
  if (typeof lat !== 'number' || !Number.isFinite(lat)) {
    c.error(pLat, 'must be a number (decimal degrees)');
    return;
  }
  const swapped = lat >= CHINA_BBOX.minLon && lat <= CHINA_BBOX.maxLon && lon >= CHINA_BBOX.minLat && lon <= CHINA_BBOX.maxLat;
  if (lon < -180 || lon > 180) c.error(pLon, `${lon} is outside -180..180`);
  if (lat < -90 || lat > 90) c.error(pLat, `${lat} is outside -90..90${swapped ? ' (lon and lat look swapped)' : ''}`);
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return;
  if (lon < CHINA_BBOX.minLon || lon > CHINA_BBOX.maxLon || lat < CHINA_BBOX.minLat || lat > CHINA_BBOX.maxLat) {
    c.error(`${prefix}lon`, `(${lon}, ${lat}) is not in China${swapped ? ' (lon and lat look swapped)' : ''}`);
    return;
  }
  if (lon < bbox.minLon || lon > bbox.maxLon || lat < bbox.minLat || lat > bbox.maxLat) {
    c.warn(`${prefix}lon`, `(${lon}, ${lat}) is outside the region (${bbox.minLon}–${bbox.maxLon} E, ${bbox.minLat}–${bbox.maxLat} N)`);
  }
}

/** A division code that must exist, be inside the region and be of one of the given levels. */
function divisionRef(c: Collector, ctx: ValidationContext, path: string, code: unknown, levels: ReadonlyArray<'county' | 'town' | 'village'>): boolean {
  const lengths = { county: 6, town: 9, village: 12 } as const;
  if (typeof code !== 'string' || !/^\d+$/.test(code) || !levels.some((l) => code.length === lengths[l])) {
    c.error(path, `must be a ${levels.join(' or ')} division code (${levels.map((l) => lengths[l]).join(' or ')} digits)`);
    return false;
  }
  const region = ctx.region ?? '5227';
  if (!code.startsWith(region)) {
    c.error(path, `${code} is outside region ${region}`);
    return false;
  }
  const d = ctx.divisions.get(code);
  if (!d) {
    c.error(path, `unknown division code ${code}`);
    return false;
  }
  if (!levels.includes(d.level as 'county' | 'town' | 'village')) {
    c.error(path, `${code} (${d.name}) is a ${d.level}, expected ${levels.join(' or ')}`);
    return false;
  }
  return true;
}

function isoDate(c: Collector, path: string, v: unknown): boolean {
  if (typeof v !== 'string' || !isIsoDate(v)) {
    c.error(path, 'must be a date YYYY-MM-DD');
    return false;
  }
  return true;
}

/** A real calendar date "YYYY-MM-DD". */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0;
  return d <= dim;
}

// ---------------------------------------------------------------------------------------------

export function validateOutlet(o: Outlet, ctx: ValidationContext): ValidationResult {
  const c = new Collector();
  if (typeof o.code !== 'string' || !CODE_RE.test(o.code)) c.error('code', 'must be 2-32 characters A-Z, 0-9, "-" or "_", starting with a letter or digit');
  text(c, 'name', o.name);
  if (!(OUTLET_KINDS as readonly string[]).includes(o.kind)) c.error('kind', `must be one of ${OUTLET_KINDS.join(', ')}`);
  if (divisionRef(c, ctx, 'divisionCode', o.divisionCode, ['town', 'village'])) {
    if (o.kind === 'village_station' && o.divisionCode.length !== 12) c.error('divisionCode', 'a village station (村邮站) must sit in a village-level division (12 digits)');
    if (o.countyCode !== undefined && o.countyCode !== o.divisionCode.slice(0, 6)) c.error('countyCode', `must be ${o.divisionCode.slice(0, 6)}, the county of divisionCode`);
    if (o.townCode !== undefined && o.townCode !== o.divisionCode.slice(0, 9)) c.error('townCode', `must be ${o.divisionCode.slice(0, 9)}, the town of divisionCode`);
  }
  checkCoordinates(c, o.lon, o.lat, ctx.bbox ?? QIANNAN_BBOX);
  if (typeof o.openingHours !== 'string') c.error('openingHours', 'is required (e.g. "08:00-18:00")');
  else {
    const h = parseOpeningHours(o.openingHours);
    if (!h.ok) c.error('openingHours', h.message);
  }
  intRange(c, 'capacitySlots', o.capacitySlots, 0, 100_000);
  if (o.contactName !== null && o.contactName !== undefined && (typeof o.contactName !== 'string' || o.contactName.length > 50)) c.error('contactName', 'must be at most 50 characters');
  if (o.contactPhone !== null && o.contactPhone !== undefined && (typeof o.contactPhone !== 'string' || !PHONE_RE.test(o.contactPhone))) {
    c.error('contactPhone', 'must be a mobile number (11 digits, 1[3-9]…) or a landline with area code (0854-8221234)');
  }
  if (!Array.isArray(o.services)) c.error('services', 'must be a list of service codes');
  else {
    const seen = new Set<string>();
    o.services.forEach((s, i) => {
      if (!(SERVICE_CODES as readonly string[]).includes(s)) c.error(`services[${i}]`, `unknown service "${String(s)}"; expected one of ${SERVICE_CODES.join(', ')}`);
      else if (seen.has(s)) c.error(`services[${i}]`, `service ${s} is repeated`);
      seen.add(s);
    });
    if (o.services.length === 0) c.warn('services', 'the outlet offers no service');
    if (o.services.includes('pickup_station') && o.capacitySlots === 0) c.warn('capacitySlots', 'a pickup station with no shelf slots');
  }
  if (typeof o.active !== 'boolean') c.error('active', 'must be true or false');
  if (typeof o.coordinatesApproximate !== 'boolean') c.error('coordinatesApproximate', 'must be true or false');
  return c.result();
}

export function validateVillageCoordinates(v: VillageCoordinates, ctx: ValidationContext): ValidationResult {
  const c = new Collector();
  divisionRef(c, ctx, 'code', v.code, ['village']);
  checkCoordinates(c, v.lon, v.lat, ctx.bbox ?? QIANNAN_BBOX);
  return c.result();
}

export function validateVisitRule(rule: VisitRule, kind?: 'village' | 'community', prefix = 'visitRule.'): ValidationResult {
  const c = new Collector();
  intRange(c, `${prefix}minVisitsPerWeek`, rule.minVisitsPerWeek, 0, 7);
  days(c, `${prefix}allowedDays`, rule.allowedDays);
  intRange(c, `${prefix}serviceS`, rule.serviceS, 0, 4 * 3600);
  if (isInt(rule.minVisitsPerWeek) && Array.isArray(rule.allowedDays) && new Set(rule.allowedDays).size < rule.minVisitsPerWeek) {
    c.error(`${prefix}allowedDays`, `${new Set(rule.allowedDays).size} allowed days cannot hold ${rule.minVisitsPerWeek} visits a week`);
  }
  if (kind === 'village' && isInt(rule.minVisitsPerWeek) && rule.minVisitsPerWeek < 3) {
    c.warn(`${prefix}minVisitsPerWeek`, 'below the universal-service standard of 3 visits a week for a village committee (周三班)');
  }
  return c.result();
}

export function validateVillage(v: Village, ctx: ValidationContext): ValidationResult {
  const c = new Collector();
  if (divisionRef(c, ctx, 'code', v.code, ['village'])) {
    if (v.townCode !== v.code.slice(0, 9)) c.error('townCode', `must be ${v.code.slice(0, 9)}`);
    if (v.countyCode !== v.code.slice(0, 6)) c.error('countyCode', `must be ${v.code.slice(0, 6)}`);
  }
  checkCoordinates(c, v.lon, v.lat, ctx.bbox ?? QIANNAN_BBOX);
  const r = validateVisitRule(v.visitRule, v.kind);
  c.errors.push(...r.errors);
  c.warnings.push(...r.warnings);
  intRange(c, 'plannedVisitsPerWeek', v.plannedVisitsPerWeek, 0, 7);
  if (isInt(v.plannedVisitsPerWeek) && isInt(v.visitRule.minVisitsPerWeek) && v.plannedVisitsPerWeek < v.visitRule.minVisitsPerWeek) {
    c.warn('plannedVisitsPerWeek', `${v.plannedVisitsPerWeek} planned visits a week, below the minimum ${v.visitRule.minVisitsPerWeek}`);
  }
  return c.result();
}

export function validateRoute(r: DeliveryRoute, ctx: ValidationContext): ValidationResult {
  const c = new Collector();
  if (typeof r.code !== 'string' || !CODE_RE.test(r.code)) c.error('code', 'must be 2-32 characters A-Z, 0-9, "-" or "_"');
  text(c, 'name', r.name);
  text(c, 'outletId', r.outletId, 64);
  if (typeof r.outletId === 'string' && ctx.outletIds && !ctx.outletIds.has(r.outletId)) c.error('outletId', `unknown outlet ${r.outletId}`);
  const countyOk = divisionRef(c, ctx, 'countyCode', r.countyCode, ['county']);
  if (!(VEHICLE_TYPES as readonly string[]).includes(r.vehicleType)) c.error('vehicleType', `must be one of ${VEHICLE_TYPES.join(', ')}`);
  intRange(c, 'capacityKg', r.capacityKg, 1, 10_000);
  if (!Array.isArray(r.carrierIds) || r.carrierIds.some((x) => typeof x !== 'string' || x === '')) c.error('carrierIds', 'must be a list of carrier ids');
  else if (new Set(r.carrierIds).size !== r.carrierIds.length) c.error('carrierIds', 'has a carrier twice');
  days(c, 'workingDays', r.workingDays);
  intRange(c, 'maxDurationS', r.maxDurationS, 1, 24 * 3600);
  intRange(c, 'lengthM', r.lengthM, 0, 2_000_000);
  intRange(c, 'durationS', r.durationS, 0, 7 * 24 * 3600);
  if (isInt(r.durationS) && isInt(r.maxDurationS) && r.durationS > r.maxDurationS) {
    c.warn('durationS', `typical duration ${Math.round(r.durationS / 60)} min exceeds the working day of ${Math.round(r.maxDurationS / 60)} min`);
  }
  if (!Array.isArray(r.stops) || r.stops.length === 0) c.error('stops', 'a route needs at least one village stop');
  else {
    const working = new Set(Array.isArray(r.workingDays) ? r.workingDays : []);
    const seenVillage = new Map<string, number>();
    r.stops.forEach((s, i) => {
      const p = `stops[${i}]`;
      if (s.seq !== i + 1) c.error(`${p}.seq`, `must be ${i + 1}: stops are numbered 1, 2, 3… in order`);
      if (divisionRef(c, ctx, `${p}.villageCode`, s.villageCode, ['village'])) {
        if (countyOk && !s.villageCode.startsWith(r.countyCode)) c.warn(`${p}.villageCode`, `${s.villageCode} is outside the route's county ${r.countyCode}`);
        const first = seenVillage.get(s.villageCode);
        if (first !== undefined) c.error(`${p}.villageCode`, `village ${s.villageCode} is already stop ${first + 1}`);
        else seenVillage.set(s.villageCode, i);
      }
      days(c, `${p}.days`, s.days);
      if (Array.isArray(s.days)) {
        const off = s.days.filter((d) => isWeekday(d) && !working.has(d));
        if (off.length > 0) c.error(`${p}.days`, `day(s) ${off.join(',')} are not working days of the route`);
      }
    });
  }
  if (typeof r.active !== 'boolean') c.error('active', 'must be true or false');
  return c.result();
}

export function validateBusLine(b: BusLine, ctx: ValidationContext): ValidationResult {
  const c = new Collector();
  if (typeof b.code !== 'string' || !CODE_RE.test(b.code)) c.error('code', 'must be 2-32 characters A-Z, 0-9, "-" or "_"');
  text(c, 'name', b.name);
  text(c, 'operator', b.operator);
  divisionRef(c, ctx, 'countyCode', b.countyCode, ['county']);
  if (!Array.isArray(b.stops) || b.stops.length < 2) c.error('stops', 'a bus line needs at least two stops');
  else {
    b.stops.forEach((s, i) => {
      const p = `stops[${i}]`;
      if (s.seq !== i + 1) c.error(`${p}.seq`, `must be ${i + 1}: stops are numbered 1, 2, 3… in order`);
      text(c, `${p}.name`, s.name);
      if (s.villageCode === undefined && s.outletId === undefined) c.error(p, 'a stop must be tied to a village (villageCode) or an outlet (outletId)');
      if (s.villageCode !== undefined) divisionRef(c, ctx, `${p}.villageCode`, s.villageCode, ['village']);
      if (s.outletId !== undefined && ctx.outletIds && !ctx.outletIds.has(s.outletId)) c.error(`${p}.outletId`, `unknown outlet ${s.outletId}`);
      checkCoordinates(c, s.lon, s.lat, ctx.bbox ?? QIANNAN_BBOX, `${p}.`);
    });
  }
  if (!Array.isArray(b.trips) || b.trips.length === 0) c.error('trips', 'a bus line needs at least one trip');
  else {
    const ids = new Set<string>();
    b.trips.forEach((t, i) => {
      const p = `trips[${i}]`;
      if (typeof t.id === 'string' && t.id !== '') {
        if (ids.has(t.id)) c.error(`${p}.id`, `trip id ${t.id} is repeated`);
        ids.add(t.id);
      }
      if (typeof t.departure !== 'string' || !isDepartureTime(t.departure)) c.error(`${p}.departure`, 'must be a time HH:MM (00:00-23:59)');
      days(c, `${p}.days`, t.days);
      intRange(c, `${p}.capacityParcels`, t.capacityParcels, 1, 10_000);
      intRange(c, `${p}.feePerParcelFen`, t.feePerParcelFen, 0, 100_000);
    });
  }
  if (typeof b.active !== 'boolean') c.error('active', 'must be true or false');
  return c.result();
}

export function validatePartner(p: Partner): ValidationResult {
  const c = new Collector();
  if (typeof p.code !== 'string' || !PARTNER_CODE_RE.test(p.code)) c.error('code', 'must be 2-16 upper-case letters, digits or "_", starting with a letter (e.g. ZTO)');
  text(c, 'name', p.name);
  if (typeof p.active !== 'boolean') c.error('active', 'must be true or false');
  return c.result();
}

export function validateAgreement(a: Agreement, ctx: ValidationContext): ValidationResult {
  const c = new Collector();
  if (typeof a.partnerCode !== 'string' || !PARTNER_CODE_RE.test(a.partnerCode)) c.error('partnerCode', 'must be a partner code (e.g. ZTO)');
  else if (ctx.partnerCodes && !ctx.partnerCodes.has(a.partnerCode)) c.error('partnerCode', `unknown partner ${a.partnerCode}`);
  divisionRef(c, ctx, 'countyCode', a.countyCode, ['county']);
  intRange(c, 'doorRateFen', a.doorRateFen, 0, 100_000);
  intRange(c, 'stationRateFen', a.stationRateFen, 0, 100_000);
  intRange(c, 'remoteSurchargeFen', a.remoteSurchargeFen, 0, 100_000);
  if (isInt(a.doorRateFen) && isInt(a.stationRateFen) && a.stationRateFen > a.doorRateFen) {
    c.warn('stationRateFen', 'the station rate is higher than the door rate');
  }
  const fromOk = isoDate(c, 'validFrom', a.validFrom);
  if (a.validTo !== undefined && a.validTo !== null) {
    if (isoDate(c, 'validTo', a.validTo) && fromOk && a.validTo < a.validFrom) c.error('validTo', `must be on or after validFrom ${a.validFrom}`);
  }
  intRange(c, 'promiseHours', a.promiseHours, 1, 720);
  for (const k of ['returnRateFen', 'lossDeductionFen', 'damageDeductionFen', 'lateDeductionFen'] as const) if (a[k] !== undefined) intRange(c, k, a[k], 0, 100_000);
  return c.result();
}

/** Agreements of the same partner and county whose validity periods overlap (open end = forever). */
export function findAgreementOverlaps(agreements: readonly Agreement[]): FieldError[] {
  const out: FieldError[] = [];
  const groups = new Map<string, Array<{ a: Agreement; i: number }>>();
  agreements.forEach((a, i) => {
    const k = `${a.partnerCode}|${a.countyCode}`;
    const g = groups.get(k) ?? [];
    g.push({ a, i });
    groups.set(k, g);
  });
  for (const g of groups.values()) {
    for (let x = 0; x < g.length; x++) {
      for (let y = x + 1; y < g.length; y++) {
        const p = g[x];
        const q = g[y];
        if (!p || !q) continue;
        const pEnd = p.a.validTo ?? '9999-12-31';
        const qEnd = q.a.validTo ?? '9999-12-31';
        if (p.a.validFrom <= qEnd && q.a.validFrom <= pEnd) {
          out.push({ path: `[${q.i}].validFrom`, message: `overlaps agreement ${p.a.id || `#${p.i + 1}`} of ${p.a.partnerCode} in ${p.a.countyCode}` });
        }
      }
    }
  }
  return out;
}

export function validateCarrier(k: Carrier, ctx: ValidationContext): ValidationResult {
  const c = new Collector();
  text(c, 'name', k.name, 50);
  if (k.phone !== null && (typeof k.phone !== 'string' || !PHONE_RE.test(k.phone))) c.error('phone', 'must be a mobile number (11 digits) or a landline with area code');
  text(c, 'outletId', k.outletId, 64);
  if (typeof k.outletId === 'string' && ctx.outletIds && !ctx.outletIds.has(k.outletId)) c.error('outletId', `unknown outlet ${k.outletId}`);
  divisionRef(c, ctx, 'countyCode', k.countyCode, ['county']);
  if (typeof k.active !== 'boolean') c.error('active', 'must be true or false');
  return c.result();
}

export function validateVehicle(v: Vehicle, ctx: ValidationContext): ValidationResult {
  const c = new Collector();
  text(c, 'code', v.code, 32);
  if (!(VEHICLE_TYPES as readonly string[]).includes(v.type)) c.error('type', `must be one of ${VEHICLE_TYPES.join(', ')}`);
  intRange(c, 'capacityKg', v.capacityKg, 1, 10_000);
  if (typeof v.speedKmh !== 'number' || !(v.speedKmh > 0 && v.speedKmh <= 120)) c.error('speedKmh', 'must be a speed in km/h between 0 and 120');
  text(c, 'outletId', v.outletId, 64);
  if (typeof v.outletId === 'string' && ctx.outletIds && !ctx.outletIds.has(v.outletId)) c.error('outletId', `unknown outlet ${v.outletId}`);
  divisionRef(c, ctx, 'countyCode', v.countyCode, ['county']);
  if (typeof v.active !== 'boolean') c.error('active', 'must be true or false');
  return c.result();
}
