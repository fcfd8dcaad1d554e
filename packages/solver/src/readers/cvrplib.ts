import type { Problem, VehicleType } from '../types.ts';
import type { Instance } from './instance.ts';

/**
 * Reader for TSPLIB/CVRPLIB CVRP files (pure function of the text). Supports NODE_COORD_SECTION
 * with EUC_2D (nint, as CVRPLIB), CEIL_2D, FLOOR_2D, MAN_2D, MAX_2D, ATT, GEO, and EXPLICIT matrices
 * (FULL_MATRIX, LOWER_ROW, UPPER_ROW, LOWER_DIAG_ROW, UPPER_DIAG_ROW, LOWER_COL, UPPER_COL), DEMAND_SECTION, DEPOT_SECTION, and the
 * optional keys VEHICLES, DISTANCE (maximum route length) and SERVICE_TIME.
 */
export function readCvrplib(text: string, fallbackName = 'instance'): Instance {
  const lines = text.split(/\r?\n/);
  const header = new Map<string, string>();
  const coordsById = new Map<number, [number, number]>();
  const demandById = new Map<number, number>();
  const depotIds: number[] = [];
  const weights: number[] = [];
  const order: number[] = [];
  let section = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' ) continue;
    if (line === 'EOF') break;
    const kv = /^([A-Z_]+)\s*:\s*(.*)$/.exec(line);
    if (kv) {
      header.set(kv[1]!, kv[2]!.trim().replace(/^"|"$/g, ''));
      section = '';
      continue;
    }
    if (/^[A-Z_]+_SECTION\s*:?$/.test(line)) {
      section = line.replace(/\s*:$/, '');
      continue;
    }
    const nums = line.split(/\s+/).map(Number);
    switch (section) {
      case 'NODE_COORD_SECTION': {
        const id = nums[0]!;
        coordsById.set(id, [nums[1]!, nums[2]!]);
        order.push(id);
        break;
      }
      case 'DEMAND_SECTION':
        demandById.set(nums[0]!, nums[1]!);
        break;
      case 'DEPOT_SECTION':
        for (const v of nums) if (v !== -1 && Number.isFinite(v)) depotIds.push(v);
        break;
      case 'EDGE_WEIGHT_SECTION':
        for (const v of nums) if (Number.isFinite(v)) weights.push(v);
        break;
      default:
        break;
    }
  }
  const dim = Number(header.get('DIMENSION') ?? order.length);
  if (!Number.isInteger(dim) || dim <= 0) throw new Error('CVRPLIB: missing or bad DIMENSION');
  const capacity = Number(header.get('CAPACITY'));
  if (!Number.isFinite(capacity)) throw new Error('CVRPLIB: missing CAPACITY');
  // node ids: from the coordinate section if any, else 1..dim
  const ids = order.length === dim ? order.slice() : Array.from({ length: dim }, (_, i) => i + 1);
  const index = new Map<number, number>();
  ids.forEach((id, i) => index.set(id, i));
  const coords: [number, number][] = ids.map((id) => coordsById.get(id) ?? [0, 0]);
  const demand = ids.map((id) => demandById.get(id) ?? 0);
  const depots = (depotIds.length > 0 ? depotIds : [ids[0]!]).map((id) => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`CVRPLIB: depot ${id} is not a node`);
    return i;
  });
  for (const d of depots) demand[d] = 0;

  const type = (header.get('EDGE_WEIGHT_TYPE') ?? 'EUC_2D').toUpperCase();
  const dist = new Int32Array(dim * dim);
  if (type === 'EXPLICIT') {
    const fmt = (header.get('EDGE_WEIGHT_FORMAT') ?? 'FULL_MATRIX').toUpperCase();
    fillExplicit(dist, dim, weights, fmt);
  } else {
    const f = metric(type);
    for (let i = 0; i < dim; i++)
      for (let j = 0; j < dim; j++) dist[i * dim + j] = i === j ? 0 : f(coords[i]!, coords[j]!);
  }
  const service = Number(header.get('SERVICE_TIME') ?? 0);
  const maxLen = header.has('DISTANCE') ? Number(header.get('DISTANCE')) : undefined;
  const vehicles = header.has('VEHICLES') ? Number(header.get('VEHICLES')) : undefined;
  const serviceTime = ids.map((_, i) => (depots.includes(i) ? 0 : service));
  const vehicleTypes: VehicleType[] = depots.map((d) => ({
    capacity,
    depot: d,
    ...(vehicles !== undefined ? { count: vehicles } : {}),
    ...(maxLen !== undefined && Number.isFinite(maxLen) ? { maxDuration: maxLen } : {}),
  }));
  const problem: Problem = {
    numNodes: dim,
    depots,
    demand,
    ...(service > 0 ? { serviceTime } : {}),
    distance: dist,
    coords,
    vehicleTypes,
  };
  const name = header.get('NAME') ?? fallbackName;
  return {
    name,
    kind: 'cvrp',
    problem,
    nodeIds: ids,
    coords,
    capacity,
    ...(vehicles !== undefined ? { vehicles } : {}),
    routeCost(routes: number[][]): number {
      let total = 0;
      for (const r of routes) {
        let last = depots[0]!;
        for (const v of r) {
          total += dist[last * dim + v]!;
          last = v;
        }
        total += dist[last * dim + depots[0]!]!;
      }
      return total;
    },
    displayCost: (c) => Math.round(c),
  };
}

type Metric = (a: [number, number], b: [number, number]) => number;

function metric(type: string): Metric {
  switch (type) {
    case 'EUC_2D':
      return (a, b) => Math.floor(Math.hypot(a[0] - b[0], a[1] - b[1]) + 0.5);
    case 'CEIL_2D':
      return (a, b) => Math.ceil(Math.hypot(a[0] - b[0], a[1] - b[1]));
    case 'FLOOR_2D':
      return (a, b) => Math.floor(Math.hypot(a[0] - b[0], a[1] - b[1]));
    case 'MAN_2D':
      return (a, b) => Math.floor(Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + 0.5);
    case 'MAX_2D':
      return (a, b) => Math.max(Math.floor(Math.abs(a[0] - b[0]) + 0.5), Math.floor(Math.abs(a[1] - b[1]) + 0.5));
    case 'ATT':
      return (a, b) => {
        const r = Math.sqrt(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) / 10);
        const t = Math.floor(r + 0.5);
        return t < r ? t + 1 : t;
      };
    case 'GEO': {
      const rad = (x: number): number => {
        const deg = Math.trunc(x);
        return (Math.PI * (deg + (5 * (x - deg)) / 3)) / 180;
      };
      return (a, b) => {
        const RRR = 6378.388;
        const q1 = Math.cos(rad(a[1]) - rad(b[1]));
        const q2 = Math.cos(rad(a[0]) - rad(b[0]));
        const q3 = Math.cos(rad(a[0]) + rad(b[0]));
        return Math.floor(RRR * Math.acos(0.5 * ((1 + q1) * q2 - (1 - q1) * q3)) + 1);
      };
    }
    default:
      throw new Error(`CVRPLIB: unsupported EDGE_WEIGHT_TYPE ${type}`);
  }
}

function fillExplicit(dist: Int32Array, n: number, w: number[], fmt: string): void {
  let k = 0;
  const set = (i: number, j: number): void => {
    const v = w[k++];
    if (v === undefined) throw new Error('CVRPLIB: EDGE_WEIGHT_SECTION too short');
    dist[i * n + j] = v;
    dist[j * n + i] = v;
  };
  switch (fmt) {
    case 'FULL_MATRIX':
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          const v = w[k++];
          if (v === undefined) throw new Error('CVRPLIB: EDGE_WEIGHT_SECTION too short');
          dist[i * n + j] = v;
        }
      return;
    case 'LOWER_ROW':
    case 'UPPER_COL':
      for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) set(i, j);
      return;
    case 'UPPER_ROW':
    case 'LOWER_COL':
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) set(i, j);
      return;
    case 'LOWER_DIAG_ROW':
    case 'UPPER_DIAG_COL':
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) set(i, j);
      return;
    case 'UPPER_DIAG_ROW':
    case 'LOWER_DIAG_COL':
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) set(i, j);
      return;
    default:
      throw new Error(`CVRPLIB: unsupported EDGE_WEIGHT_FORMAT ${fmt}`);
  }
}
