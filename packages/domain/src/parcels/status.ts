/**
 * The parcel lifecycle as a pure projection of its event log (append-only, EPCIS-style).
 *
 * - Events are facts with a client-generated id; the current status is a function of the *set*
 *   of events (never of their arrival order): events are sorted by (eventTime, type precedence,
 *   eventId) and folded through the lifecycle graph.
 * - Offline devices upload late, so gaps are tolerated: an event is possible after another when
 *   its stage is *reachable* from the other's in the lifecycle graph (not only one step away).
 *   Any time-ordered subset of a valid lifecycle therefore folds without rejections, whatever
 *   order its events arrived in.
 * - Impossible transitions (e.g. "out for delivery" dated after "delivered", a second handover
 *   after sorting) are reported with a reason; the service refuses to store them.
 * - Corrections: a `void` event names an earlier event, which then no longer counts.
 * - Two different terminal facts (door-delivered and picked up at a station) are not resolved by
 *   last-writer-wins: the parcel goes to `exception` (conflicting_terminal) for a human.
 */

export const EVENT_TYPES = [
  'manifest_received',
  'handed_over',
  'sorted',
  'loaded_on_bus',
  'unloaded_at_stop',
  'out_for_delivery',
  'delivery_failed',
  'delivered_to_station',
  'delivered',
  'picked_up',
  'returned_to_partner',
  'exception',
  'void',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** Event types that staff devices may send (manifest_received is written by intake only). */
export const CLIENT_EVENT_TYPES: EventType[] = EVENT_TYPES.filter((t) => t !== 'manifest_received');

export const STATUSES = [
  'manifested',
  'at_outlet',
  'sorted',
  'on_bus',
  'at_stop',
  'out_for_delivery',
  'delivery_failed',
  'at_station',
  'delivered',
  'picked_up',
  'returned',
  'exception',
] as const;
export type ParcelStatus = (typeof STATUSES)[number];
/** Lifecycle stages: every status but the exception overlay. */
export type Stage = Exclude<ParcelStatus, 'exception'>;

export const TERMINAL: ReadonlySet<Stage> = new Set<Stage>(['delivered', 'picked_up', 'returned']);

/** The stage an event puts the parcel in (exception and void do not change the stage). */
export const STAGE_OF: Record<Exclude<EventType, 'exception' | 'void'>, Stage> = {
  manifest_received: 'manifested',
  handed_over: 'at_outlet',
  sorted: 'sorted',
  loaded_on_bus: 'on_bus',
  unloaded_at_stop: 'at_stop',
  out_for_delivery: 'out_for_delivery',
  delivery_failed: 'delivery_failed',
  delivered_to_station: 'at_station',
  delivered: 'delivered',
  picked_up: 'picked_up',
  returned_to_partner: 'returned',
};

/** One step of the lifecycle graph: from a stage, the stages the next event may put it in. */
const NEXT: Record<Stage, Stage[]> = {
  manifested: ['at_outlet'],
  at_outlet: ['sorted', 'on_bus', 'out_for_delivery', 'returned'],
  sorted: ['sorted', 'on_bus', 'out_for_delivery', 'returned'],
  on_bus: ['at_stop'],
  at_stop: ['out_for_delivery', 'at_station', 'delivered', 'on_bus'],
  out_for_delivery: ['delivered', 'at_station', 'delivery_failed'],
  delivery_failed: ['out_for_delivery', 'sorted', 'returned', 'at_station'],
  at_station: ['picked_up', 'returned'],
  delivered: [],
  picked_up: [],
  returned: [],
};

/** Transitive closure of NEXT: stage → stages reachable in one or more steps. */
const REACHABLE: Record<Stage, ReadonlySet<Stage>> = (() => {
  const out = {} as Record<Stage, Set<Stage>>;
  for (const s of Object.keys(NEXT) as Stage[]) {
    const seen = new Set<Stage>();
    const stack = [...NEXT[s]];
    while (stack.length) {
      const x = stack.pop()!;
      if (seen.has(x)) continue;
      seen.add(x);
      stack.push(...NEXT[x]);
    }
    out[s] = seen;
  }
  return out;
})();

export function canReach(from: Stage, to: Stage): boolean {
  return REACHABLE[from].has(to);
}

/** Precedence of types that share an event time (lifecycle order; void last). */
const PRECEDENCE: Record<EventType, number> = Object.fromEntries(EVENT_TYPES.map((t, i) => [t, i])) as Record<EventType, number>;

export const FAILURE_REASONS = ['recipient_absent', 'refused', 'address_wrong', 'phone_unreachable', 'rescheduled', 'weather_road', 'other'] as const;
export const EXCEPTION_KINDS = ['address', 'damage', 'loss', 'missing', 'other'] as const;
/** Why a parcel goes back to its partner (besides the failure reasons): left at a station past its days. */
export const RETURN_REASONS = ['not_collected'] as const;
export const PROOF_KINDS = ['signature', 'pickup_code', 'photo', 'id_check'] as const;

export interface DeliveryProof {
  kind: (typeof PROOF_KINDS)[number];
  /** Reference to the stored signature/photo, or the verified pickup code's id (never the code). */
  ref: string;
  recipientType: 'recipient' | 'proxy';
  /** A named proxy (代收人), required for proxies and for photo proof. */
  proxyName?: string;
}

export interface ParcelEvent {
  eventId: string;
  type: EventType;
  /** When it happened (device clock), ISO 8601. */
  eventTime: string;
  /** void: the event it cancels. */
  voids?: string;
  reason?: string;
  proof?: DeliveryProof;
}

export interface Rejection {
  eventId: string;
  code: string;
  reason: string;
}

export interface Transition {
  eventId: string;
  status: ParcelStatus;
  at: string;
}

export interface Projection {
  status: ParcelStatus | null;
  stage: Stage | null;
  /** Set while status is exception. */
  exception?: { kind: string; eventId: string };
  /** Status after each counted event, in event-time order (the parcel's history). */
  history: Transition[];
  /** Events that do not count: impossible at their place in time. */
  rejected: Rejection[];
  /** Ids of voided events. */
  voided: string[];
  /** Time of the terminal event, if the parcel is closed. */
  closedAt: string | null;
}

export function compareEvents(a: ParcelEvent, b: ParcelEvent): number {
  // The manifest creates the parcel: it comes first whatever the (device) clocks say.
  if ((a.type === 'manifest_received') !== (b.type === 'manifest_received')) return a.type === 'manifest_received' ? -1 : 1;
  const ta = Date.parse(a.eventTime);
  const tb = Date.parse(b.eventTime);
  if (ta !== tb) return ta - tb;
  const pa = PRECEDENCE[a.type];
  const pb = PRECEDENCE[b.type];
  if (pa !== pb) return pa - pb;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

/** Why `next` cannot follow a parcel at `stage`, or null when it can. */
export function transitionError(stage: Stage | null, terminalConflict: boolean, next: ParcelEvent): Rejection | null {
  const rej = (code: string, reason: string): Rejection => ({ eventId: next.eventId, code, reason });
  if (next.type === 'void') return null;
  if (next.type === 'manifest_received') {
    return stage === null ? null : rej('event.duplicate_manifest', 'the parcel has already been received on a manifest');
  }
  if (stage === null) return rej('event.before_manifest', 'no manifest event precedes this event');
  if (next.type === 'exception') return null;
  const to = STAGE_OF[next.type];
  if (TERMINAL.has(stage)) {
    if (TERMINAL.has(to) && !terminalConflict) return null; // a conflicting terminal fact: exception, decided by a human
    return rej('event.after_terminal', `the parcel was already ${stage} before this ${next.type}`);
  }
  if (!canReach(stage, to)) return rej('event.impossible_transition', `${next.type} cannot follow a parcel that is ${stage}`);
  return null;
}

/**
 * Folds a set of events (duplicates by id allowed: the first copy counts) into the current status.
 * Pure and deterministic: any permutation of the same set gives the same projection.
 */
export function project(events: readonly ParcelEvent[]): Projection {
  const byId = new Map<string, ParcelEvent>();
  for (const e of events) if (!byId.has(e.eventId)) byId.set(e.eventId, e);
  const voided = new Set<string>();
  for (const e of byId.values()) if (e.type === 'void' && e.voids && byId.has(e.voids) && byId.get(e.voids)!.type !== 'void') voided.add(e.voids);
  const counted = [...byId.values()].filter((e) => e.type !== 'void' && !voided.has(e.eventId)).sort(compareEvents);

  let stage: Stage | null = null;
  let exception: Projection['exception'];
  let terminalConflict = false;
  let closedAt: string | null = null;
  const history: Transition[] = [];
  const rejected: Rejection[] = [];
  for (const e of counted) {
    const err = transitionError(stage, terminalConflict, e);
    if (err) {
      rejected.push(err);
      continue;
    }
    if (e.type === 'exception') {
      exception = { kind: e.reason ?? 'other', eventId: e.eventId };
    } else {
      const to = STAGE_OF[e.type as keyof typeof STAGE_OF];
      if (stage !== null && TERMINAL.has(stage) && TERMINAL.has(to)) {
        terminalConflict = true;
        exception = { kind: 'conflicting_terminal', eventId: e.eventId };
      } else {
        stage = to;
        if (!terminalConflict) exception = undefined;
        if (TERMINAL.has(to)) closedAt = e.eventTime;
      }
    }
    history.push({ eventId: e.eventId, status: exception ? 'exception' : stage!, at: e.eventTime });
  }
  return {
    status: exception ? 'exception' : stage,
    stage,
    ...(exception ? { exception } : {}),
    history,
    rejected,
    voided: [...voided].sort(),
    closedAt: terminalConflict ? null : closedAt,
  };
}

/**
 * Whether adding `next` to the stored set is allowed: it must not be rejected itself, and it must
 * not make any stored event impossible (e.g. an earlier-dated "delivered" before a stored "out for
 * delivery"). A void must name a stored, non-void event and must not orphan later events.
 */
export function checkAppend(stored: readonly ParcelEvent[], next: ParcelEvent): Rejection | null {
  const ids = new Set(stored.map((e) => e.eventId));
  if (next.type === 'void') {
    if (!next.voids) return { eventId: next.eventId, code: 'event.void_target', reason: 'a void event must name the event it cancels (voids)' };
    const target = stored.find((e) => e.eventId === next.voids);
    if (!target) return { eventId: next.eventId, code: 'event.void_target', reason: `no event ${next.voids} on this parcel` };
    if (target.type === 'void' || target.type === 'manifest_received') return { eventId: next.eventId, code: 'event.void_target', reason: `a ${target.type} event cannot be voided` };
    if (stored.some((e) => e.type === 'void' && e.voids === next.voids)) return { eventId: next.eventId, code: 'event.void_target', reason: `event ${next.voids} is already voided` };
  }
  const before = project(stored);
  const after = project([...stored, next]);
  const was = new Set(before.rejected.map((r) => r.eventId));
  const own = after.rejected.find((r) => r.eventId === next.eventId);
  if (own) return own;
  const broken = after.rejected.find((r) => !was.has(r.eventId) && ids.has(r.eventId));
  if (broken) {
    return next.type === 'void'
      ? { eventId: next.eventId, code: 'event.void_orphans', reason: `voiding ${next.voids} would leave ${broken.eventId} impossible (${broken.reason}); void the later events first` }
      : { eventId: next.eventId, code: 'event.conflicts_later', reason: `this event would make the recorded event ${broken.eventId} impossible (${broken.reason})` };
  }
  return null;
}

export interface DeliveryRuleInput {
  event: ParcelEvent;
  /** Consent kinds on record for this parcel/recipient (door, station, proxy, locker). */
  consents: ReadonlySet<string>;
  /** The service the partner ordered; a manifest that orders station delivery counts as consent-by-agreement. */
  service: 'door' | 'station';
}

/**
 * 快递市场管理办法 (2024) Art. 28: no station delivery and no receipt on the recipient's behalf
 * without consent; "delivered" needs recorded proof.
 */
export function deliveryRuleError(input: DeliveryRuleInput): Rejection | null {
  const { event: e, consents } = input;
  const rej = (code: string, reason: string): Rejection => ({ eventId: e.eventId, code, reason });
  if (e.type === 'delivered_to_station') {
    if (input.service !== 'station' && !consents.has('station')) return rej('consent.station_missing', 'delivery to a station needs the recipient’s consent on record (or a station service on the manifest)');
  }
  if (e.type === 'delivered' || e.type === 'picked_up') {
    const p = e.proof;
    if (!p) return rej('proof.missing', `${e.type} needs proof: a signature, a pickup code, or a photo with a named proxy`);
    if (!p.ref || p.ref.trim() === '') return rej('proof.missing', 'the proof needs a reference (signature/photo id or pickup code check id)');
    if (e.type === 'delivered' && p.kind === 'id_check') return rej('proof.kind', 'door delivery is proven by a signature, a pickup code or a photo with a named proxy');
    if (e.type === 'picked_up' && p.kind !== 'pickup_code' && p.kind !== 'id_check' && p.kind !== 'signature') return rej('proof.kind', 'a pickup is proven by the pickup code, an ID check or a signature');
    if (p.kind === 'photo' && !p.proxyName) return rej('proof.proxy_name', 'photo proof needs the name of the person who took the parcel');
    if (p.recipientType === 'proxy') {
      if (!p.proxyName) return rej('proof.proxy_name', 'a proxy (代收人) must be named');
      if (!consents.has('proxy')) return rej('consent.proxy_missing', 'receipt by a proxy needs the recipient’s consent on record');
    }
  }
  if (e.type === 'delivery_failed' && !e.reason) return rej('event.reason_missing', 'a failed delivery needs a reason code');
  if (e.type === 'exception' && !e.reason) return rej('event.reason_missing', 'an exception needs a kind (address, damage, loss, missing, other)');
  return null;
}

/** UPU EMSEVT-like codes for partners (the mapping table is the contract; partners may override). */
export const UPU_CODE: Partial<Record<EventType, string>> = {
  manifest_received: 'EMA',
  handed_over: 'EMG',
  out_for_delivery: 'EDG',
  delivered_to_station: 'EDH',
  delivery_failed: 'EMH',
  delivered: 'EMI',
  picked_up: 'EMI',
};
