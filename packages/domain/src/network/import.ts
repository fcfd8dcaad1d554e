/**
 * Import-row parsers and export-row builders for outlets, village coordinates, routes and bus lines.
 * Rows come from CSV or Excel already read by the server: either arrays of cells with the header as the
 * first array, or records keyed by header text. Row numbers are the ones the spreadsheet shows (the
 * header is row 1). Headers are accepted in Chinese, in English, or as exported ("经度/lon").
 * Export rows use the same columns, so an export re-imports unchanged. Pure.
 */
import type { FieldError } from '../errors.ts';
import { routeMetrics } from './geo.ts';
import { formatDays, parseDays, isDepartureTime, VILLAGE_SERVICE_S } from './rules.ts';
import {
  DEFAULT_MAX_DURATION_S,
  OUTLET_KINDS,
  OUTLET_KIND_LABELS,
  SERVICE_CODES,
  SERVICE_LABELS,
  VEHICLE_SPECS,
  VEHICLE_TYPES,
  idFromCode,
  type BusLine,
  type BusStop,
  type BusTrip,
  type DeliveryRoute,
  type DivisionLookup,
  type LonLat,
  type Outlet,
  type OutletKind,
  type OutletLookup,
  type RouteStop,
  type ServiceCode,
  type VehicleType,
  type VillageCoordinates,
  type Weekday,
} from './types.ts';
import { validateBusLine, validateOutlet, validateRoute, validateVillageCoordinates, type BBox, type ValidationResult } from './validate.ts';

export type ImportRows = ReadonlyArray<Readonly<Record<string, string>>> | ReadonlyArray<readonly string[]>;

export interface ImportRejection extends FieldError {
  row: number;
}

export interface ImportResult<T> {
  valid: T[];
  /** Errors: the row (or, for routes and bus lines, the whole route/line) is not imported. */
  rejected: ImportRejection[];
  /** Plausibility notes that do not block the import (e.g. coordinates outside the region box). */
  warnings: ImportRejection[];
}

export interface ColumnSpec {
  /** English key, also the property name where it maps one to one. */
  key: string;
  /** Chinese header; the first is used on export, all are accepted on import. */
  zh: readonly string[];
  /** Other accepted English spellings (the key is always accepted). */
  en?: readonly string[];
  required: boolean;
}

export const OUTLET_COLUMNS: readonly ColumnSpec[] = [
  { key: 'code', zh: ['编码', '网点编码', '网点代码'], required: true },
  { key: 'name', zh: ['名称', '网点名称'], required: true },
  { key: 'kind', zh: ['类型', '网点类型'], en: ['type'], required: true },
  { key: 'divisionCode', zh: ['行政区划代码', '区划代码'], en: ['division'], required: true },
  { key: 'lon', zh: ['经度'], en: ['lng', 'longitude'], required: true },
  { key: 'lat', zh: ['纬度'], en: ['latitude'], required: true },
  { key: 'openingHours', zh: ['营业时间'], en: ['hours'], required: true },
  { key: 'capacitySlots', zh: ['格口数', '格口'], en: ['slots'], required: false },
  { key: 'contactName', zh: ['联系人'], en: ['contact'], required: false },
  { key: 'contactPhone', zh: ['联系电话', '电话'], en: ['phone'], required: false },
  { key: 'services', zh: ['服务', '服务项目', '便民服务'], required: true },
  { key: 'coordinatesApproximate', zh: ['坐标近似', '近似坐标'], en: ['approximate'], required: false },
  { key: 'active', zh: ['启用', '状态'], required: false },
];

export const VILLAGE_COLUMNS: readonly ColumnSpec[] = [
  { key: 'code', zh: ['编码', '村编码', '行政区划代码', '村代码'], en: ['villageCode'], required: true },
  { key: 'name', zh: ['名称', '村名', '村名称'], en: ['villageName'], required: false },
  { key: 'lon', zh: ['经度'], en: ['lng', 'longitude'], required: true },
  { key: 'lat', zh: ['纬度'], en: ['latitude'], required: true },
  { key: 'coordinatesApproximate', zh: ['坐标近似', '近似坐标'], en: ['approximate'], required: false },
];

export const ROUTE_COLUMNS: readonly ColumnSpec[] = [
  { key: 'routeCode', zh: ['投递段编码', '段道编码', '邮路编码'], required: true },
  { key: 'routeName', zh: ['投递段名称', '段道名称', '邮路名称'], required: true },
  { key: 'outletCode', zh: ['网点编码', '所属网点编码'], required: true },
  { key: 'vehicleType', zh: ['交通工具', '车辆类型'], en: ['vehicle'], required: true },
  { key: 'capacityKg', zh: ['载重(kg)', '载重'], required: false },
  { key: 'workingDays', zh: ['工作日', '班期'], required: false },
  { key: 'maxDurationMin', zh: ['最长时长(分钟)', '最长时长'], required: false },
  { key: 'seq', zh: ['顺序', '序号', '站序'], en: ['order'], required: true },
  { key: 'villageCode', zh: ['村编码', '行政村代码', '村代码'], required: true },
  { key: 'villageName', zh: ['村名', '行政村'], required: false },
  { key: 'days', zh: ['投递日', '频次日', '投递频次'], required: true },
  { key: 'active', zh: ['启用', '状态'], required: false },
];

export const BUS_LINE_COLUMNS: readonly ColumnSpec[] = [
  { key: 'lineCode', zh: ['线路编码', '班线编码'], required: true },
  { key: 'lineName', zh: ['线路名称', '班线名称'], required: true },
  { key: 'operator', zh: ['运营单位', '承运单位', '运营商'], required: true },
  { key: 'countyCode', zh: ['县代码', '县区划代码'], required: true },
  { key: 'trips', zh: ['班次'], required: true },
  { key: 'seq', zh: ['站序', '顺序', '序号'], required: true },
  { key: 'stopName', zh: ['站名', '站点名称'], required: true },
  { key: 'villageCode', zh: ['村编码', '村代码'], required: false },
  { key: 'outletCode', zh: ['网点编码'], required: false },
  { key: 'lon', zh: ['经度'], en: ['lng', 'longitude'], required: false },
  { key: 'lat', zh: ['纬度'], en: ['latitude'], required: false },
  { key: 'active', zh: ['启用', '状态'], required: false },
];

// ---------------------------------------------------------------------------------------------
// Table reading
// ---------------------------------------------------------------------------------------------

function normHeader(h: string): string {
  return h
    .normalize('NFKC')
    .replace(/^\uFEFF/, '')
    .replace(/[\s_*]/g, '')
    .toLowerCase();
}

function headerIndex(columns: readonly ColumnSpec[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const c of columns) {
    m.set(normHeader(c.key), c.key);
    for (const z of c.zh) {
      m.set(normHeader(z), c.key);
      m.set(normHeader(z.replace(/[(（].*?[)）]/g, '')), c.key);
    }
    for (const e of c.en ?? []) m.set(normHeader(e), c.key);
  }
  return m;
}

/** Resolves a header cell to a column key: "经度", "lon", "经度/lon", "经度 (lon)", "载重（kg）". */
function resolveHeader(h: string, index: Map<string, string>): string | undefined {
  const n = normHeader(h);
  const direct = index.get(n) ?? index.get(n.replace(/\(.*?\)/g, ''));
  if (direct) return direct;
  for (const part of n.split(/[/|]/)) {
    const k = index.get(part) ?? index.get(part.replace(/\(.*?\)/g, ''));
    if (k) return k;
  }
  const m = /^(.*?)\((.*)\)$/.exec(n);
  if (m) return index.get(m[1] ?? '') ?? index.get(m[2] ?? '');
  return undefined;
}

export function exportHeader(c: ColumnSpec): string {
  return `${c.zh[0] ?? c.key}/${c.key}`;
}

interface TableRow {
  row: number;
  get(key: string): string;
  has(key: string): boolean;
}

interface Table {
  rows: TableRow[];
  headerErrors: ImportRejection[];
  /** A required column is missing: nothing can be imported. */
  fatal: boolean;
  present: Set<string>;
}

function readTable(input: ImportRows, columns: readonly ColumnSpec[]): Table {
  const index = headerIndex(columns);
  let header: string[];
  let bodies: Array<{ row: number; cells: readonly string[] }>;
  if (input.length === 0) {
    header = [];
    bodies = [];
  } else if (Array.isArray(input[0])) {
    const arr = input as ReadonlyArray<readonly string[]>;
    header = (arr[0] ?? []).map((h) => String(h ?? ''));
    bodies = arr.slice(1).map((cells, i) => ({ row: i + 2, cells: cells.map((x) => (x === null || x === undefined ? '' : String(x))) }));
  } else {
    const recs = input as ReadonlyArray<Readonly<Record<string, string>>>;
    const keys: string[] = [];
    const seen = new Set<string>();
    for (const r of recs) for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), keys.push(k));
    header = keys;
    bodies = recs.map((r, i) => ({ row: i + 2, cells: keys.map((k) => (r[k] === null || r[k] === undefined ? '' : String(r[k]))) }));
  }
  const headerErrors: ImportRejection[] = [];
  const colOf = new Map<string, number>();
  header.forEach((h, i) => {
    if (h.trim() === '') return;
    const key = resolveHeader(h, index);
    if (!key) {
      headerErrors.push({ row: 1, path: h, message: `unknown column "${h}"; expected: ${columns.map(exportHeader).join(', ')}` });
      return;
    }
    if (colOf.has(key)) {
      headerErrors.push({ row: 1, path: key, message: `column "${h}" repeats column ${key}` });
      return;
    }
    colOf.set(key, i);
  });
  const missing = columns.filter((c) => c.required && !colOf.has(c.key));
  if (input.length === 0) {
    headerErrors.push({ row: 1, path: '', message: `the file is empty; expected a header row: ${columns.map(exportHeader).join(', ')}` });
  } else if (missing.length > 0) {
    headerErrors.push({ row: 1, path: missing.map((c) => c.key).join(','), message: `missing required column(s): ${missing.map(exportHeader).join(', ')}` });
  }
  const rows: TableRow[] = [];
  for (const b of bodies) {
    if (b.cells.every((c) => c.trim() === '')) continue;
    rows.push({
      row: b.row,
      get: (key) => {
        const i = colOf.get(key);
        return i === undefined ? '' : (b.cells[i] ?? '').trim();
      },
      has: (key) => colOf.has(key),
    });
  }
  return { rows, headerErrors, fatal: missing.length > 0 || input.length === 0, present: new Set(colOf.keys()) };
}

// ---------------------------------------------------------------------------------------------
// Cell parsers
// ---------------------------------------------------------------------------------------------

type Cell<T> = { ok: true; value: T } | { ok: false; message: string };

function num(s: string): Cell<number> {
  const t = s.replace(/[°\s]/g, '');
  if (t === '') return { ok: false, message: 'is required' };
  const n = Number(t);
  return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: `"${s}" is not a number` };
}

function int(s: string, fallback?: number): Cell<number> {
  if (s === '' && fallback !== undefined) return { ok: true, value: fallback };
  const n = num(s);
  if (!n.ok) return n;
  return Number.isInteger(n.value) ? n : { ok: false, message: `"${s}" is not a whole number` };
}

function bool(s: string, fallback: boolean): Cell<boolean> {
  const t = s.trim().toLowerCase();
  if (t === '') return { ok: true, value: fallback };
  if (['是', 'true', '1', 'y', 'yes', '启用', '有效', '近似'].includes(t)) return { ok: true, value: true };
  if (['否', 'false', '0', 'n', 'no', '停用', '无效', '精确'].includes(t)) return { ok: true, value: false };
  return { ok: false, message: `"${s}" is not yes/no (是/否, true/false)` };
}

function fromLabels<T extends string>(s: string, codes: readonly T[], labels: Readonly<Record<T, readonly string[]>>, what: string): Cell<T> {
  const t = s.trim();
  const lower = t.toLowerCase();
  for (const c of codes) if (c === lower) return { ok: true, value: c };
  for (const c of codes) if (labels[c].includes(t)) return { ok: true, value: c };
  return { ok: false, message: `unknown ${what} "${s}"; expected one of ${codes.map((c) => `${c} (${labels[c][0] ?? c})`).join(', ')}` };
}

export function parseOutletKind(s: string): Cell<OutletKind> {
  return fromLabels(s, OUTLET_KINDS, OUTLET_KIND_LABELS, 'outlet kind');
}

const VEHICLE_LABELS = Object.fromEntries(VEHICLE_TYPES.map((t) => [t, VEHICLE_SPECS[t].labels])) as Record<VehicleType, readonly string[]>;
export function parseVehicleType(s: string): Cell<VehicleType> {
  return fromLabels(s.replace(/-/g, '_'), VEHICLE_TYPES, VEHICLE_LABELS, 'vehicle type');
}

/** "parcel_delivery, pickup_station" or "快递投递、代收自提" (codes or Chinese labels, , ， 、 ; separated). */
export function parseServices(s: string): Cell<ServiceCode[]> {
  const parts = s.split(/[,，、;；|\s]+/).filter((p) => p !== '');
  const out: ServiceCode[] = [];
  const bad: string[] = [];
  for (const p of parts) {
    const c = fromLabels(p, SERVICE_CODES, SERVICE_LABELS, 'service');
    if (c.ok) {
      if (!out.includes(c.value)) out.push(c.value);
    } else bad.push(p);
  }
  if (bad.length > 0) return { ok: false, message: `unknown service(s) ${bad.map((b) => `"${b}"`).join(', ')}; expected codes or labels: ${SERVICE_CODES.map((c) => `${c} (${SERVICE_LABELS[c][0] ?? c})`).join(', ')}` };
  return { ok: true, value: out };
}

/** Errors and warnings in spreadsheet order (stable within a row). */
function sortByRow<T>(r: ImportResult<T>): ImportResult<T> {
  r.rejected.sort((a, b) => a.row - b.row);
  r.warnings.sort((a, b) => a.row - b.row);
  return r;
}

function nullable(s: string): string | null {
  return s === '' ? null : s;
}

/** Row-level collector of parse errors. */
class RowErrors {
  list: ImportRejection[] = [];
  constructor(readonly row: number) {}
  take<T>(path: string, cell: Cell<T>): T | undefined {
    if (cell.ok) return cell.value;
    this.list.push({ row: this.row, path, message: cell.message });
    return undefined;
  }
  add(path: string, message: string): void {
    this.list.push({ row: this.row, path, message });
  }
}

function mergeValidation(row: number, v: ValidationResult, rejected: ImportRejection[], warnings: ImportRejection[], pathMap: (p: string) => string = (p) => p): void {
  for (const e of v.errors) rejected.push({ row, path: pathMap(e.path), message: e.message });
  for (const w of v.warnings) warnings.push({ row, path: pathMap(w.path), message: w.message });
}

export interface ImportContext {
  divisions: DivisionLookup;
  region?: string;
  bbox?: BBox;
  /** Outlets by code, for routes and bus lines. */
  outlets?: OutletLookup;
  /** Village coordinates (and service time), to compute route metrics and fill bus stop coordinates. */
  villages?: { get(code: string): { lon: number; lat: number; serviceS?: number } | undefined };
}

// ---------------------------------------------------------------------------------------------
// Outlets
// ---------------------------------------------------------------------------------------------

export function parseOutletRows(rows: ImportRows, ctx: ImportContext): ImportResult<Outlet> {
  const t = readTable(rows, OUTLET_COLUMNS);
  const result: ImportResult<Outlet> = { valid: [], rejected: [...t.headerErrors], warnings: [] };
  if (t.fatal) return result;
  const firstRowOfCode = new Map<string, number>();
  for (const r of t.rows) {
    const e = new RowErrors(r.row);
    const code = r.get('code').toUpperCase();
    const first = firstRowOfCode.get(code);
    if (code !== '' && first !== undefined) {
      e.add('code', `duplicate code ${code} (first at row ${first})`);
      result.rejected.push(...e.list);
      continue;
    }
    if (code !== '') firstRowOfCode.set(code, r.row);
    const kind = e.take('kind', parseOutletKind(r.get('kind')));
    const lon = e.take('lon', num(r.get('lon')));
    const lat = e.take('lat', num(r.get('lat')));
    const capacitySlots = e.take('capacitySlots', int(r.get('capacitySlots'), 0));
    const services = e.take('services', parseServices(r.get('services')));
    const approx = e.take('coordinatesApproximate', bool(r.get('coordinatesApproximate'), false));
    const active = e.take('active', bool(r.get('active'), true));
    const divisionCode = r.get('divisionCode');
    if (e.list.length > 0 || kind === undefined || lon === undefined || lat === undefined || capacitySlots === undefined || services === undefined || approx === undefined || active === undefined) {
      result.rejected.push(...e.list);
      continue;
    }
    const outlet: Outlet = {
      id: idFromCode('out', code),
      code,
      name: r.get('name'),
      kind,
      divisionCode,
      countyCode: divisionCode.slice(0, 6),
      townCode: divisionCode.slice(0, 9),
      lon,
      lat,
      coordinatesApproximate: approx,
      openingHours: r.get('openingHours'),
      capacitySlots,
      contactName: nullable(r.get('contactName')),
      contactPhone: nullable(r.get('contactPhone').replace(/\s/g, '')),
      services,
      active,
    };
    const before = result.rejected.length;
    mergeValidation(r.row, validateOutlet(outlet, ctx), result.rejected, result.warnings, (p) => p.replace(/\[\d+\]$/, ''));
    if (result.rejected.length === before) result.valid.push(outlet);
  }
  return sortByRow(result);
}

export function exportOutletRows(outlets: readonly Outlet[]): string[][] {
  const rows: string[][] = [OUTLET_COLUMNS.map(exportHeader)];
  for (const o of outlets) {
    rows.push([
      o.code,
      o.name,
      o.kind,
      o.divisionCode,
      String(o.lon),
      String(o.lat),
      o.openingHours,
      String(o.capacitySlots),
      o.contactName ?? '',
      o.contactPhone ?? '',
      o.services.join(','),
      o.coordinatesApproximate ? 'true' : 'false',
      o.active ? 'true' : 'false',
    ]);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Village coordinates
// ---------------------------------------------------------------------------------------------

export function parseVillageCoordinateRows(rows: ImportRows, ctx: ImportContext): ImportResult<VillageCoordinates> {
  const t = readTable(rows, VILLAGE_COLUMNS);
  const result: ImportResult<VillageCoordinates> = { valid: [], rejected: [...t.headerErrors], warnings: [] };
  if (t.fatal) return result;
  const firstRowOfCode = new Map<string, number>();
  for (const r of t.rows) {
    const e = new RowErrors(r.row);
    const code = r.get('code');
    const first = firstRowOfCode.get(code);
    if (code !== '' && first !== undefined) {
      e.add('code', `duplicate village code ${code} (first at row ${first})`);
      result.rejected.push(...e.list);
      continue;
    }
    if (code !== '') firstRowOfCode.set(code, r.row);
    const lon = e.take('lon', num(r.get('lon')));
    const lat = e.take('lat', num(r.get('lat')));
    const approx = e.take('coordinatesApproximate', bool(r.get('coordinatesApproximate'), false));
    if (e.list.length > 0 || lon === undefined || lat === undefined || approx === undefined) {
      result.rejected.push(...e.list);
      continue;
    }
    const v: VillageCoordinates = { code, lon, lat, coordinatesApproximate: approx };
    const before = result.rejected.length;
    mergeValidation(r.row, validateVillageCoordinates(v, ctx), result.rejected, result.warnings);
    const name = r.get('name');
    const d = ctx.divisions.get(code);
    if (name !== '' && d && name !== d.name && name !== d.shortName) {
      result.warnings.push({ row: r.row, path: 'name', message: `"${name}" does not match ${code} (${d.shortName})` });
    }
    if (result.rejected.length === before) result.valid.push(v);
  }
  return sortByRow(result);
}

/** Village coordinates export; `divisions` supplies the names (informative column, checked on import). */
export function exportVillageCoordinateRows(villages: readonly VillageCoordinates[], divisions?: DivisionLookup): string[][] {
  const rows: string[][] = [VILLAGE_COLUMNS.map(exportHeader)];
  for (const v of villages) {
    rows.push([v.code, divisions?.get(v.code)?.shortName ?? '', String(v.lon), String(v.lat), v.coordinatesApproximate ? 'true' : 'false']);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Routes: one row per stop; route-level columns repeated (blank = same as the route's first row)
// ---------------------------------------------------------------------------------------------

const ROUTE_LEVEL = ['routeName', 'outletCode', 'vehicleType', 'capacityKg', 'workingDays', 'maxDurationMin', 'active'] as const;

interface Group {
  code: string;
  firstRow: number;
  level: Map<string, { value: string; row: number }>;
  rows: TableRow[];
  bad: boolean;
}

function groupRows(t: Table, codeKey: string, levelKeys: readonly string[], rejected: ImportRejection[]): Group[] {
  const groups = new Map<string, Group>();
  for (const r of t.rows) {
    const code = r.get(codeKey).toUpperCase();
    if (code === '') {
      rejected.push({ row: r.row, path: codeKey, message: 'is required' });
      continue;
    }
    let g = groups.get(code);
    if (!g) {
      g = { code, firstRow: r.row, level: new Map(), rows: [], bad: false };
      groups.set(code, g);
    }
    for (const k of levelKeys) {
      const v = r.get(k);
      if (v === '') continue;
      const seen = g.level.get(k);
      if (!seen) g.level.set(k, { value: v, row: r.row });
      else if (seen.value !== v) {
        rejected.push({ row: r.row, path: k, message: `"${v}" differs from "${seen.value}" given for ${code} at row ${seen.row}` });
        g.bad = true;
      }
    }
    g.rows.push(r);
  }
  return [...groups.values()];
}

function rejectGroup(g: Group, rejected: ImportRejection[], what: string): void {
  const badRows = new Set(rejected.map((x) => x.row));
  for (const r of g.rows) {
    if (!badRows.has(r.row)) rejected.push({ row: r.row, path: '', message: `${what} ${g.code} is not imported: it has rows with errors` });
  }
}

export function parseRouteRows(rows: ImportRows, ctx: ImportContext): ImportResult<DeliveryRoute> {
  const t = readTable(rows, ROUTE_COLUMNS);
  const result: ImportResult<DeliveryRoute> = { valid: [], rejected: [...t.headerErrors], warnings: [] };
  if (t.fatal) return result;
  for (const g of groupRows(t, 'routeCode', ROUTE_LEVEL, result.rejected)) {
    const lv = (k: string): string => g.level.get(k)?.value ?? '';
    const head = new RowErrors(g.firstRow);
    const vehicleType = head.take('vehicleType', parseVehicleType(lv('vehicleType')));
    const capacityKg = head.take('capacityKg', int(lv('capacityKg'), vehicleType ? VEHICLE_SPECS[vehicleType].capacityKg : 0));
    const maxMin = head.take('maxDurationMin', int(lv('maxDurationMin'), DEFAULT_MAX_DURATION_S / 60));
    const active = head.take('active', bool(lv('active'), true));
    let workingDays: Weekday[] | undefined;
    if (lv('workingDays') !== '') workingDays = head.take('workingDays', parseDays(lv('workingDays')));
    const outletCode = lv('outletCode').toUpperCase();
    const outlet = ctx.outlets?.get(outletCode);
    if (outletCode === '') head.add('outletCode', 'is required');
    else if (!outlet) head.add('outletCode', `unknown outlet ${outletCode}`);
    // stops
    const stops: Array<RouteStop & { row: number }> = [];
    const seqRow = new Map<number, number>();
    const villageRow = new Map<string, number>();
    const stopErrors: ImportRejection[] = [];
    for (const r of g.rows) {
      const e = new RowErrors(r.row);
      const seq = e.take('seq', int(r.get('seq')));
      const days = e.take('days', parseDays(r.get('days')));
      const villageCode = r.get('villageCode');
      if (villageCode === '') e.add('villageCode', 'is required');
      if (seq !== undefined) {
        const prev = seqRow.get(seq);
        if (prev !== undefined) e.add('seq', `duplicate stop ${seq} of route ${g.code} (first at row ${prev})`);
        else seqRow.set(seq, r.row);
      }
      if (villageCode !== '') {
        const prev = villageRow.get(villageCode);
        if (prev !== undefined) e.add('villageCode', `village ${villageCode} is already a stop of route ${g.code} (row ${prev})`);
        else villageRow.set(villageCode, r.row);
      }
      const name = r.get('villageName');
      const d = ctx.divisions.get(villageCode);
      if (name !== '' && d && name !== d.name && name !== d.shortName) result.warnings.push({ row: r.row, path: 'villageName', message: `"${name}" does not match ${villageCode} (${d.shortName})` });
      stopErrors.push(...e.list);
      if (seq !== undefined && days !== undefined && villageCode !== '') stops.push({ seq, villageCode, days, row: r.row });
    }
    stops.sort((a, b) => a.seq - b.seq);
    const route: DeliveryRoute = {
      id: idFromCode('rte', g.code),
      code: g.code,
      name: lv('routeName'),
      outletId: outlet?.id ?? '',
      countyCode: outlet?.countyCode ?? '',
      vehicleType: vehicleType ?? 'e_bike',
      capacityKg: capacityKg ?? 0,
      carrierIds: [],
      workingDays: workingDays ?? [...new Set(stops.flatMap((s) => s.days))].sort((a, b) => a - b),
      maxDurationS: (maxMin ?? 0) * 60,
      stops: stops.map((s, i) => ({ seq: i + 1, villageCode: s.villageCode, days: s.days })),
      lengthM: 0,
      durationS: 0,
      active: active ?? true,
    };
    const ok = head.list.length === 0 && stopErrors.length === 0 && !g.bad;
    result.rejected.push(...head.list, ...stopErrors);
    if (!ok) {
      rejectGroup(g, result.rejected, 'route');
      continue;
    }
    // metrics, when coordinates are known
    if (outlet && ctx.villages) {
      const pts: LonLat[] = [];
      const service: number[] = [];
      for (const s of route.stops) {
        const v = ctx.villages.get(s.villageCode);
        if (!v) break;
        pts.push([v.lon, v.lat]);
        service.push(v.serviceS ?? VILLAGE_SERVICE_S);
      }
      if (pts.length === route.stops.length) Object.assign(route, routeMetrics([outlet.lon, outlet.lat], pts, route.vehicleType, service));
    }
    const v = validateRoute(route, ctx);
    const rowOfPath = (p: string): number => {
      const m = /^stops\[(\d+)\]/.exec(p);
      return m ? (stops[Number(m[1])]?.row ?? g.firstRow) : g.firstRow;
    };
    const colOfPath = (p: string): string => {
      const m = /^stops\[\d+\]\.(\w+)/.exec(p);
      if (m) return m[1] ?? p;
      return p === 'maxDurationS' ? 'maxDurationMin' : p.replace(/\[\d+\]$/, '');
    };
    for (const w of v.warnings) result.warnings.push({ row: rowOfPath(w.path), path: colOfPath(w.path), message: w.message });
    if (v.errors.length > 0) {
      for (const er of v.errors) result.rejected.push({ row: rowOfPath(er.path), path: colOfPath(er.path), message: er.message });
      rejectGroup(g, result.rejected, 'route');
      continue;
    }
    result.valid.push(route);
  }
  return sortByRow(result);
}

export function exportRouteRows(routes: readonly DeliveryRoute[], outletCodeById: { get(id: string): string | undefined }, divisions?: DivisionLookup): string[][] {
  const rows: string[][] = [ROUTE_COLUMNS.map(exportHeader)];
  for (const r of routes) {
    for (const s of r.stops) {
      rows.push([
        r.code,
        r.name,
        outletCodeById.get(r.outletId) ?? '',
        r.vehicleType,
        String(r.capacityKg),
        formatDays(r.workingDays),
        String(Math.round(r.maxDurationS / 60)),
        String(s.seq),
        s.villageCode,
        divisions?.get(s.villageCode)?.shortName ?? '',
        formatDays(s.days),
        r.active ? 'true' : 'false',
      ]);
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Bus lines: one row per stop; line-level columns (incl. the trips timetable) repeated
// ---------------------------------------------------------------------------------------------

/**
 * Trips timetable cell: trips separated by ";", each `HH:MM@days/capacityParcels/feePerParcelFen`,
 * e.g. "07:30@1-7/40/100; 14:00@1,3,5/30/80". Trip ids are `trp_<line code>_<n>`.
 */
export function parseTrips(s: string, lineCode: string): Cell<BusTrip[]> {
  const out: BusTrip[] = [];
  const parts = s.replace(/；/g, ';').split(';').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, message: 'no trips; write e.g. "07:30@1-7/40/100" (departure@days/capacity/fee in fen)' };
  for (const [i, p] of parts.entries()) {
    const m = /^(\d{1,2}:\d{2})\s*@\s*([^/]+)\/\s*(\d+)\s*\/\s*(\d+)$/.exec(p.replace(/：/g, ':'));
    if (!m) return { ok: false, message: `trip "${p}" is not like "07:30@1-7/40/100" (departure@days/capacity/fee in fen)` };
    const dep = (m[1] ?? '').padStart(5, '0');
    if (!isDepartureTime(dep)) return { ok: false, message: `trip "${p}": "${m[1]}" is not a time HH:MM` };
    const days = parseDays(m[2] ?? '');
    if (!days.ok) return { ok: false, message: `trip "${p}": ${days.message}` };
    out.push({ id: idFromCode('trp', `${lineCode}_${i + 1}`), departure: dep, days: days.value, capacityParcels: Number(m[3]), feePerParcelFen: Number(m[4]) });
  }
  return { ok: true, value: out };
}

export function formatTrips(trips: readonly BusTrip[]): string {
  return trips.map((t) => `${t.departure}@${formatDays(t.days)}/${t.capacityParcels}/${t.feePerParcelFen}`).join('; ');
}

const BUS_LEVEL = ['lineName', 'operator', 'countyCode', 'trips', 'active'] as const;

export function parseBusLineRows(rows: ImportRows, ctx: ImportContext): ImportResult<BusLine> {
  const t = readTable(rows, BUS_LINE_COLUMNS);
  const result: ImportResult<BusLine> = { valid: [], rejected: [...t.headerErrors], warnings: [] };
  if (t.fatal) return result;
  for (const g of groupRows(t, 'lineCode', BUS_LEVEL, result.rejected)) {
    const lv = (k: string): string => g.level.get(k)?.value ?? '';
    const head = new RowErrors(g.firstRow);
    const trips = head.take('trips', parseTrips(lv('trips'), g.code));
    const active = head.take('active', bool(lv('active'), true));
    const stops: Array<BusStop & { row: number }> = [];
    const stopErrors: ImportRejection[] = [];
    const seqRow = new Map<number, number>();
    for (const r of g.rows) {
      const e = new RowErrors(r.row);
      const seq = e.take('seq', int(r.get('seq')));
      if (seq !== undefined) {
        const prev = seqRow.get(seq);
        if (prev !== undefined) e.add('seq', `duplicate stop ${seq} of line ${g.code} (first at row ${prev})`);
        else seqRow.set(seq, r.row);
      }
      const villageCode = r.get('villageCode');
      const outletCode = r.get('outletCode').toUpperCase();
      let outletId: string | undefined;
      let pos: { lon: number; lat: number } | undefined;
      if (outletCode !== '') {
        const o = ctx.outlets?.get(outletCode);
        if (!o) e.add('outletCode', `unknown outlet ${outletCode}`);
        else {
          outletId = o.id;
          pos = o;
        }
      }
      if (villageCode !== '' && !pos) pos = ctx.villages?.get(villageCode);
      let lon: number | undefined;
      let lat: number | undefined;
      if (r.get('lon') !== '' || r.get('lat') !== '') {
        lon = e.take('lon', num(r.get('lon')));
        lat = e.take('lat', num(r.get('lat')));
      } else if (pos) {
        lon = pos.lon;
        lat = pos.lat;
      } else e.add('lon', 'coordinates are required when the stop has no known village or outlet position');
      stopErrors.push(...e.list);
      if (seq !== undefined && lon !== undefined && lat !== undefined) {
        const stop: BusStop & { row: number } = { seq, name: r.get('stopName'), lon, lat, row: r.row };
        if (villageCode !== '') stop.villageCode = villageCode;
        if (outletId !== undefined) stop.outletId = outletId;
        stops.push(stop);
      }
    }
    stops.sort((a, b) => a.seq - b.seq);
    const line: BusLine = {
      id: idFromCode('bus', g.code),
      code: g.code,
      name: lv('lineName'),
      operator: lv('operator'),
      countyCode: lv('countyCode'),
      stops: stops.map(({ row: _row, ...s }, i) => ({ ...s, seq: i + 1 })),
      trips: trips ?? [],
      active: active ?? true,
    };
    result.rejected.push(...head.list, ...stopErrors);
    if (head.list.length > 0 || stopErrors.length > 0 || g.bad) {
      rejectGroup(g, result.rejected, 'bus line');
      continue;
    }
    const v = validateBusLine(line, ctx);
    const rowOfPath = (p: string): number => {
      const m = /^stops\[(\d+)\]/.exec(p);
      return m ? (stops[Number(m[1])]?.row ?? g.firstRow) : g.firstRow;
    };
    const colOfPath = (p: string): string => {
      if (/^trips/.test(p)) return 'trips';
      const m = /^stops\[\d+\]\.?(\w*)/.exec(p);
      if (m) return m[1] === 'name' ? 'stopName' : m[1] || 'villageCode';
      return p === 'name' ? 'lineName' : p;
    };
    for (const w of v.warnings) result.warnings.push({ row: rowOfPath(w.path), path: colOfPath(w.path), message: w.message });
    if (v.errors.length > 0) {
      for (const er of v.errors) result.rejected.push({ row: rowOfPath(er.path), path: colOfPath(er.path), message: er.message });
      rejectGroup(g, result.rejected, 'bus line');
      continue;
    }
    result.valid.push(line);
  }
  return sortByRow(result);
}

export function exportBusLineRows(lines: readonly BusLine[], outletCodeById: { get(id: string): string | undefined }): string[][] {
  const rows: string[][] = [BUS_LINE_COLUMNS.map(exportHeader)];
  for (const b of lines) {
    const trips = formatTrips(b.trips);
    for (const s of b.stops) {
      rows.push([
        b.code,
        b.name,
        b.operator,
        b.countyCode,
        trips,
        String(s.seq),
        s.name,
        s.villageCode ?? '',
        s.outletId !== undefined ? (outletCodeById.get(s.outletId) ?? '') : '',
        String(s.lon),
        String(s.lat),
        b.active ? 'true' : 'false',
      ]);
    }
  }
  return rows;
}
