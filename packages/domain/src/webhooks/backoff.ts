/**
 * Retry schedule of webhook deliveries (Standard Webhooks' example): after the first attempt,
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h — about 75 hours in all, well past the 24
 * hours promised. Each delay gets ±20 % jitter from an injected random source so a recovering
 * endpoint is not hit by every queued message at once.
 */
export const RETRY_DELAYS_S = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_S.length + 1;

/** Delay before attempt `attempt + 1` after `attempt` failed (1-based), or null: give up. */
export function retryDelayS(attempt: number, random: () => number, retryAfterS?: number): number | null {
  const base = RETRY_DELAYS_S[attempt - 1];
  if (base === undefined) return null;
  const jittered = base * (0.8 + 0.4 * random());
  // Retry-After (429/503) is honoured when it asks for more patience, capped at a day.
  const delay = retryAfterS !== undefined && retryAfterS > jittered ? Math.min(retryAfterS, 86400) : jittered;
  return Math.round(delay * 1000) / 1000;
}

/** Total time the schedule keeps trying, without jitter (s). */
export const RETRY_WINDOW_S = RETRY_DELAYS_S.reduce((a, b) => a + b, 0);

export type Outcome = 'delivered' | 'retry' | 'gone' | 'give_up';

/** What an HTTP answer means for a delivery: 2xx done; 410 disables the endpoint; else retry. */
export function classifyResponse(status: number | null): 'delivered' | 'gone' | 'failed' {
  if (status !== null && status >= 200 && status < 300) return 'delivered';
  if (status === 410) return 'gone';
  return 'failed';
}
