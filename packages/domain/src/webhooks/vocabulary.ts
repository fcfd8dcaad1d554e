import { STATUSES, type ParcelStatus } from '../parcels/status.ts';

/**
 * Each partner speaks its own status vocabulary: our parcel statuses → the partner's codes. The
 * default is a neutral English code set; a partner's mapping overrides any subset of it.
 */
export const DEFAULT_VOCABULARY: Record<ParcelStatus, string> = {
  manifested: 'ACCEPTED',
  at_outlet: 'ARRIVED_AT_OUTLET',
  sorted: 'SORTED',
  on_bus: 'IN_TRANSIT',
  at_stop: 'ARRIVED_AT_STOP',
  out_for_delivery: 'OUT_FOR_DELIVERY',
  delivery_failed: 'DELIVERY_FAILED',
  at_station: 'AWAITING_PICKUP',
  delivered: 'DELIVERED',
  picked_up: 'PICKED_UP',
  returned: 'RETURNED',
  exception: 'EXCEPTION',
};

export type Vocabulary = Record<ParcelStatus, string>;

export function isStatus(s: string): s is ParcelStatus {
  return (STATUSES as readonly string[]).includes(s);
}

/** The partner's full vocabulary: defaults overlaid with its own codes. */
export function vocabulary(overrides: Partial<Record<string, string>>): Vocabulary {
  const out: Vocabulary = { ...DEFAULT_VOCABULARY };
  for (const [k, v] of Object.entries(overrides)) if (isStatus(k) && v) out[k] = v;
  return out;
}

/** A code is 1–40 characters of letters, digits, _ - . : (no spaces, no markup). */
export const CODE_PATTERN = '^[A-Za-z0-9_.:\\-\\u4e00-\\u9fff]{1,40}$';
