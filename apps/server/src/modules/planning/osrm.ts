import type { LonLat } from '@cuntong/domain/network/types.ts';
import type { DistanceMatrix, DistanceProvider } from '@cuntong/planner';

/**
 * Road distances from an OSRM server's table API (`/table/v1/driving/…?annotations=distance`).
 * Used only when a URL is configured (OSRM_URL); wrap it in `cachedProvider`. Pairs OSRM cannot
 * route (null) fall back to great circle × detour factor, so a plan never fails on a gap.
 */
export function osrmProvider(baseUrl: string, fallback: DistanceProvider, opts: { timeoutMs?: number; fetchImpl?: typeof fetch } = {}): DistanceProvider {
  const url = baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetchImpl ?? fetch;
  return {
    name: `osrm:${url}`,
    async matrix(points: readonly LonLat[]): Promise<DistanceMatrix> {
      const n = points.length;
      const coords = points.map((p) => `${p[0].toFixed(6)},${p[1].toFixed(6)}`).join(';');
      const res = await doFetch(`${url}/table/v1/driving/${coords}?annotations=distance`, { signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000) });
      if (!res.ok) throw new Error(`OSRM table: HTTP ${res.status}`);
      const body = (await res.json()) as { code?: string; distances?: Array<Array<number | null>> };
      if (body.code !== 'Ok' || !body.distances) throw new Error(`OSRM table: ${body.code ?? 'no distances'}`);
      const fb = await fallback.matrix(points);
      const out = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const v = body.distances[i]?.[j];
          out[i * n + j] = typeof v === 'number' && Number.isFinite(v) ? v : (fb.distanceM[i * n + j] ?? 0);
        }
      }
      return { n, distanceM: out };
    },
  };
}
