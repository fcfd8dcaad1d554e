import { useQuery } from '@tanstack/react-query';

// Public tracking (GET /api/v1/track/{waybillNo}, docs/parcels.md "Public tracking"): no token is
// sent, so a stale session in this browser never turns a lookup into a 401 or a logout.

export interface TrackEvent {
  type: string;
  eventTime: string;
  place: string | null;
}

export interface TrackAnswer {
  waybillNo: string;
  partner: string;
  status: string;
  recipientName: string;
  recipientPhone: string;
  destination: string | null;
  events: TrackEvent[];
}

/** What intake accepts (packages/domain manifest.ts), so no parcel has a number outside it. */
const WAYBILL = /^[A-Za-z0-9-]{6,40}$/;

/** Spaces (also inner ones, as typed from a label or pasted) removed; null when it cannot be a waybill number. */
export function normalizeWaybill(raw: string): string | null {
  const w = raw.replace(/[\s\u3000]+/g, '');
  return WAYBILL.test(w) ? w : null;
}

export type TrackFailure = { kind: 'not_found' } | { kind: 'rate_limited'; retryAfterS: number | null } | { kind: 'network' } | { kind: 'server'; status: number; message: string };

export class TrackError extends Error {
  constructor(readonly failure: TrackFailure) {
    super(failure.kind);
    this.name = 'TrackError';
  }
}

export async function fetchTrack(waybillNo: string, signal?: AbortSignal): Promise<TrackAnswer> {
  let res: Response;
  try {
    res = await fetch(`/api/v1/track/${encodeURIComponent(waybillNo)}`, { headers: { Accept: 'application/json' }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new TrackError({ kind: 'network' });
  }
  if (res.ok) return (await res.json()) as TrackAnswer;
  if (res.status === 404) throw new TrackError({ kind: 'not_found' });
  if (res.status === 429) {
    const after = Number(res.headers.get('retry-after'));
    throw new TrackError({ kind: 'rate_limited', retryAfterS: Number.isFinite(after) && after > 0 ? after : null });
  }
  const text = await res.text().catch(() => '');
  let message = res.statusText || `HTTP ${res.status}`;
  try {
    const p = JSON.parse(text) as { detail?: string; title?: string };
    message = p.detail ?? p.title ?? message;
  } catch {
    // not problem+json (a proxy's error page)
  }
  throw new TrackError({ kind: 'server', status: res.status, message });
}

export function useTrack(waybillNo: string | null) {
  return useQuery({
    queryKey: ['track', waybillNo],
    queryFn: ({ signal }) => fetchTrack(waybillNo ?? '', signal),
    enabled: waybillNo !== null,
    // A villager reloads to see news: keep answers short-lived. Retry only what may pass on a retry.
    staleTime: 10_000,
    // Fetch even when the phone says it is offline: a lookup that fails shows the network state
    // with a retry button instead of a spinner that waits for the connection.
    networkMode: 'always',
    retry: (count, err) => err instanceof TrackError && (err.failure.kind === 'network' || (err.failure.kind === 'server' && err.failure.status >= 500)) && count < 2,
  });
}
