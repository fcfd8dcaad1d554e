import { describe, expect, it } from 'vitest';
import { cachedProvider, greatCircleProvider } from '@cuntong/planner';
import { osrmProvider } from './osrm.ts';

describe('OSRM table provider', () => {
  const pts = [[107.87, 25.98], [107.9, 26.0], [107.95, 26.05]] as const;
  it('asks the table API for distances, falls back to great circle × factor for unroutable pairs, and is cached', async () => {
    const calls: string[] = [];
    const fake = (async (url: string | URL | Request) => {
      calls.push(String(url));
      return new Response(JSON.stringify({ code: 'Ok', distances: [[0, 4100, null], [4000, 0, 7000], [9000, 7100, 0]] }), { status: 200 });
    }) as typeof fetch;
    const gc = greatCircleProvider(1.4);
    const p = cachedProvider(osrmProvider('http://osrm.local:5000/', gc, { fetchImpl: fake }));
    const m = await p.matrix(pts);
    expect(calls).toEqual(['http://osrm.local:5000/table/v1/driving/107.870000,25.980000;107.900000,26.000000;107.950000,26.050000?annotations=distance']);
    expect(m.distanceM[1]).toBe(4100);
    expect(m.distanceM[3]).toBe(4000);
    const fb = (gc.matrix(pts) as { distanceM: Float64Array }).distanceM[2];
    expect(m.distanceM[2]).toBeCloseTo(fb ?? -1, 6);
    await p.matrix(pts);
    expect(calls).toHaveLength(1);
    expect(p.name).toBe('osrm:http://osrm.local:5000');
  });
  it('fails loudly on an OSRM error', async () => {
    const fake = (async () => new Response(JSON.stringify({ code: 'InvalidQuery' }), { status: 200 })) as typeof fetch;
    await expect(osrmProvider('http://x', greatCircleProvider(), { fetchImpl: fake }).matrix(pts)).rejects.toThrow(/InvalidQuery/);
  });
});
