/**
 * Distance providers: where road distances between points come from. The planner asks one matrix
 * per outlet (outlet + its villages). Default: great circle × a detour factor (1.4 on Guizhou
 * mountain roads). Other providers (an OSRM table API in the server) implement the same interface;
 * `cachedProvider` memoises matrices by their point list. Travel times are derived from the
 * distance and each vehicle's mountain speed (VEHICLE_SPECS), whatever the provider.
 */
import { DEFAULT_DETOUR_FACTOR, type LonLat } from '@cuntong/domain/network/types.ts';
import { greatCircleM } from '@cuntong/domain/network/geo.ts';

export interface DistanceMatrix {
  /** Number of points. */
  n: number;
  /** Row-major n×n road metres (i → j). */
  distanceM: Float64Array;
}

export interface DistanceProvider {
  /** Describes the source, e.g. "great-circle×1.4" or "osrm:http://…"; stored with the plan. */
  readonly name: string;
  matrix(points: readonly LonLat[]): DistanceMatrix | Promise<DistanceMatrix>;
}

/** Great-circle distance × detour factor. Pure and synchronous. */
export function greatCircleProvider(detourFactor: number = DEFAULT_DETOUR_FACTOR): DistanceProvider {
  return {
    name: `great-circle×${detourFactor}`,
    matrix(points) {
      const n = points.length;
      const d = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const m = greatCircleM(points[i] as LonLat, points[j] as LonLat) * detourFactor;
          d[i * n + j] = m;
          d[j * n + i] = m;
        }
      }
      return { n, distanceM: d };
    },
  };
}

/** Memoises another provider's matrices by point list (least recently used out beyond `maxEntries`). */
export function cachedProvider(inner: DistanceProvider, maxEntries = 512): DistanceProvider & { hits: () => number } {
  const cache = new Map<string, DistanceMatrix>();
  let hits = 0;
  return {
    name: inner.name,
    hits: () => hits,
    async matrix(points) {
      const key = points.map((p) => `${p[0].toFixed(6)},${p[1].toFixed(6)}`).join(';');
      const hit = cache.get(key);
      if (hit) {
        hits++;
        cache.delete(key);
        cache.set(key, hit);
        return hit;
      }
      const m = await inner.matrix(points);
      cache.set(key, m);
      if (cache.size > maxEntries) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return m;
    },
  };
}
