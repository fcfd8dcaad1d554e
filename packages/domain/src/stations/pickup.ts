/**
 * Station rules, pure: pickup codes, shelf slots, the lockout, reminder and return schedule.
 */
export const CODE_DIGITS = 6;

/** A 6-digit pickup code from a CSPRNG integer in [0, 10^6) (the caller draws it; never from the waybill). */
export function formatCode(n: number): string {
  return String(Math.trunc(n) % 10 ** CODE_DIGITS).padStart(CODE_DIGITS, '0');
}
export function isCode(s: string): boolean {
  return /^\d{6}$/.test(s);
}

const SHELVES = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
export const SLOTS_PER_SHELF = 50;
/** The first free slot (A01…A50, B01…), given the slots in use. */
export function freeSlot(used: ReadonlySet<string>): string {
  for (let i = 0; i < SHELVES.length * SLOTS_PER_SHELF * 10; i++) {
    const shelf = SHELVES[Math.floor(i / SLOTS_PER_SHELF) % SHELVES.length]!;
    const round = Math.floor(i / (SHELVES.length * SLOTS_PER_SHELF));
    const slot = `${shelf}${round ? round + 1 : ''}${String((i % SLOTS_PER_SHELF) + 1).padStart(2, '0')}`;
    if (!used.has(slot)) return slot;
  }
  throw new Error('no free shelf slot');
}

export interface LockoutPolicy {
  /** Wrong attempts allowed at one station within the window before pickups by code lock. */
  maxFailures: number;
  windowS: number;
}
export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, windowS: 900 };

/**
 * Whether pickups by code are locked at a station, and until when: `failures` are the times of
 * wrong attempts since the last unlock. Locked while maxFailures of them fall inside the window.
 */
export function lockedUntil(failures: readonly Date[], now: Date, policy: LockoutPolicy = DEFAULT_LOCKOUT): Date | null {
  const recent = failures.filter((t) => now.getTime() - t.getTime() < policy.windowS * 1000).sort((a, b) => a.getTime() - b.getTime());
  if (recent.length < policy.maxFailures) return null;
  // Unlocks when the oldest of the last maxFailures failures leaves the window.
  const pivot = recent[recent.length - policy.maxFailures]!;
  return new Date(pivot.getTime() + policy.windowS * 1000);
}

export interface HoldPolicy {
  /** Days after arrival at which reminders go out (e.g. [2, 4]). */
  reminderDays: number[];
  /** Days after arrival at which an uncollected parcel goes back to the partner. */
  returnDays: number;
}
export const DEFAULT_HOLD: HoldPolicy = { reminderDays: [2, 4], returnDays: 7 };

/** What is due for a waiting parcel: the next reminder (its number), a return, or nothing. */
export function holdAction(arrivedAt: Date, remindersSent: number, now: Date, policy: HoldPolicy = DEFAULT_HOLD): { kind: 'return' } | { kind: 'remind'; n: number } | null {
  const days = (now.getTime() - arrivedAt.getTime()) / 86_400_000;
  if (days >= policy.returnDays) return { kind: 'return' };
  const due = policy.reminderDays.filter((d) => days >= d).length;
  return due > remindersSent ? { kind: 'remind', n: remindersSent + 1 } : null;
}

/** Parses "2,4" into [2, 4] (env STATION_REMINDER_DAYS). */
export function parseDays(text: string | undefined, dflt: number[]): number[] {
  if (!text) return dflt;
  const xs = text.split(',').map((x) => Number(x.trim())).filter((x) => Number.isFinite(x) && x > 0);
  return xs.length ? xs.sort((a, b) => a - b) : dflt;
}
