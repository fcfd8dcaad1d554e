/**
 * Small geometry and determinism helpers for the network: great-circle distance, offsets in metres,
 * a nearest-neighbour + 2-opt tour, a seeded PRNG and a stable hash. Pure.
 */
import { DEFAULT_DETOUR_FACTOR, VEHICLE_SPECS, type LonLat, type VehicleType } from './types.ts';

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle (haversine) distance in metres between two [lon, lat] points. */
export function greatCircleM(a: LonLat, b: LonLat): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLon = (b[0] - a[0]) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Road distance estimate: great circle × detour factor (1.4 on mountain roads). */
export function roadM(a: LonLat, b: LonLat, detourFactor = DEFAULT_DETOUR_FACTOR): number {
  return greatCircleM(a, b) * detourFactor;
}

/** The point `distanceM` away from `from` in direction `bearingDeg` (0 = north, 90 = east). */
export function offsetPoint(from: LonLat, bearingDeg: number, distanceM: number): [number, number] {
  const d = distanceM / EARTH_RADIUS_M;
  const br = bearingDeg * RAD;
  const lat1 = from[1] * RAD;
  const lon1 = from[0] * RAD;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(br));
  const lon2 = lon1 + Math.atan2(Math.sin(br) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return [round6(lon2 / RAD), round6(lat2 / RAD)];
}

/** Bearing in degrees [0, 360) from a to b. */
export function bearingDeg(a: LonLat, b: LonLat): number {
  const lat1 = a[1] * RAD;
  const lat2 = b[1] * RAD;
  const dLon = (b[0] - a[0]) * RAD;
  const y = Math.sin(dLon) * Math.cos(lat2);
  const x = Math.cos(lat1) * Math.sin(lat2) - Math.sin(lat1) * Math.cos(lat2) * Math.cos(dLon);
  return (Math.atan2(y, x) / RAD + 360) % 360;
}

export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Length of the closed loop depot → points in order → depot, great-circle metres. */
export function loopGreatCircleM(depot: LonLat, points: readonly LonLat[]): number {
  let total = 0;
  let prev = depot;
  for (const p of points) {
    total += greatCircleM(prev, p);
    prev = p;
  }
  return total + greatCircleM(prev, depot);
}

export interface RouteMetrics {
  lengthM: number;
  durationS: number;
}

/**
 * Length and typical duration of a route: closed loop outlet → stops → outlet, great circle × detour
 * factor; duration = length at the vehicle's mountain speed + the service time of every stop.
 */
export function routeMetrics(
  outlet: LonLat,
  stops: readonly LonLat[],
  vehicleType: VehicleType,
  serviceS: number | readonly number[],
  detourFactor = DEFAULT_DETOUR_FACTOR,
): RouteMetrics {
  const lengthM = Math.round(loopGreatCircleM(outlet, stops) * detourFactor);
  const speedMs = (VEHICLE_SPECS[vehicleType].speedKmh * 1000) / 3600;
  let service = 0;
  stops.forEach((_, i) => {
    service += typeof serviceS === 'number' ? serviceS : (serviceS[i] ?? 0);
  });
  return { lengthM, durationS: Math.round(lengthM / speedMs + service) };
}

/**
 * Visiting order of `points` for a loop from `depot`: nearest neighbour, then 2-opt until no
 * improving move remains. Returns indices into `points`. Deterministic (ties → lower index).
 */
export function tourOrder(depot: LonLat, points: readonly LonLat[]): number[] {
  const n = points.length;
  if (n <= 1) return points.map((_, i) => i);
  const pt = (i: number): LonLat => points[i] as LonLat;
  const left = new Set(points.map((_, i) => i));
  const order: number[] = [];
  let cur: LonLat = depot;
  while (left.size > 0) {
    let best = -1;
    let bestD = Infinity;
    for (const i of left) {
      const d = greatCircleM(cur, pt(i));
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    order.push(best);
    left.delete(best);
    cur = pt(best);
  }
  // 2-opt over the closed loop with the depot fixed at both ends.
  const at = (k: number): LonLat => (k < 0 || k >= n ? depot : pt(order[k] as number));
  let improved = true;
  let guard = 0;
  while (improved && guard++ < 1000) {
    improved = false;
    for (let i = 0; i < n - 1; i++) {
      for (let j = i + 1; j < n; j++) {
        const before = greatCircleM(at(i - 1), at(i)) + greatCircleM(at(j), at(j + 1));
        const after = greatCircleM(at(i - 1), at(j)) + greatCircleM(at(i), at(j + 1));
        if (after < before - 1e-6) {
          const seg = order.slice(i, j + 1).reverse();
          order.splice(i, seg.length, ...seg);
          improved = true;
        }
      }
    }
  }
  return order;
}

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit FNV-1a of a string, for deriving per-entity seeds. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A PRNG for one named thing (e.g. a village code) under a global seed: stable when others change. */
export function rngFor(seed: number, key: string): () => number {
  return seededRandom(hash32(`${seed}:${key}`));
}

/** cyrb53-style 64-bit hash of a value's JSON, as 16 hex digits. Stable across runs and platforms. */
export function stableHash(value: unknown): string {
  const s = JSON.stringify(value) ?? 'undefined';
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
