import type { Problem } from '../types.ts';
import type { Instance } from './instance.ts';

/** Integer scale of Solomon distances and times inside the solver. */
export const SOLOMON_SCALE = 10_000;

export interface SolomonOptions {
  /** Fixed cost per vehicle in distance units (default 1000: minimise vehicles first, then distance). */
  vehicleFixedCost?: number;
}

/**
 * Reader for Solomon VRPTW files (pure function of the text). Distances are Euclidean in double
 * precision (no rounding); travel time = distance; service must start inside [ready, due]; routes
 * return by the depot's due date. Inside the solver distances are scaled by SOLOMON_SCALE and
 * rounded, travel times are rounded UP so integer-feasible routes are feasible in doubles.
 */
export function readSolomon(text: string, opts: SolomonOptions = {}, fallbackName = 'instance'): Instance {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const name = lines.find((l) => l !== '') ?? fallbackName;
  let vehicles = Infinity;
  let capacity = NaN;
  const rows: number[][] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    if (/^VEHICLE/i.test(lines[i]!)) {
      for (let j = i + 1; j < lines.length; j++) {
        const nums = lines[j]!.split(/\s+/).map(Number);
        if (nums.length >= 2 && nums.every((x) => Number.isFinite(x)) && lines[j] !== '') {
          vehicles = nums[0]!;
          capacity = nums[1]!;
          i = j;
          break;
        }
      }
    } else if (/^CUSTOMER/i.test(lines[i]!)) {
      for (let j = i + 1; j < lines.length; j++) {
        const l = lines[j]!;
        if (l === '') continue;
        const nums = l.split(/\s+/).map(Number);
        if (nums.length < 7 || !nums.every((x) => Number.isFinite(x))) continue;
        rows.push(nums);
      }
      break;
    }
  }
  if (!Number.isFinite(capacity)) throw new Error('Solomon: missing VEHICLE NUMBER/CAPACITY');
  if (rows.length === 0) throw new Error('Solomon: no customer rows');
  const n = rows.length;
  const S = SOLOMON_SCALE;
  const coords: [number, number][] = rows.map((r) => [r[1]!, r[2]!]);
  const d = new Float64Array(n * n);
  const dist = new Int32Array(n * n);
  const time = new Int32Array(n * n);
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      const v = Math.hypot(coords[a]![0] - coords[b]![0], coords[a]![1] - coords[b]![1]);
      d[a * n + b] = v;
      dist[a * n + b] = Math.round(v * S);
      time[a * n + b] = Math.ceil(v * S - 1e-7);
    }
  const problem: Problem = {
    numNodes: n,
    depots: [0],
    demand: rows.map((r, k) => (k === 0 ? 0 : r[3]!)),
    twEarly: rows.map((r) => r[4]! * S),
    twLate: rows.map((r) => r[5]! * S),
    serviceTime: rows.map((r, k) => (k === 0 ? 0 : r[6]! * S)),
    distance: dist,
    duration: time,
    coords,
    vehicleTypes: [
      {
        capacity,
        ...(Number.isFinite(vehicles) ? { count: vehicles } : {}),
        fixedCost: Math.round((opts.vehicleFixedCost ?? 1000) * S),
      },
    ],
  };
  return {
    name,
    kind: 'vrptw',
    problem,
    nodeIds: rows.map((r) => r[0]!),
    coords,
    capacity,
    ...(Number.isFinite(vehicles) ? { vehicles } : {}),
    routeCost(routes: number[][]): number {
      let total = 0;
      for (const r of routes) {
        let last = 0;
        for (const v of r) {
          total += d[last * n + v]!;
          last = v;
        }
        total += d[last * n]!;
      }
      return total;
    },
    displayCost: (c) => Math.round(c * 10) / 10,
  };
}
