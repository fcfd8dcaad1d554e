import type { Individual } from './genetic.ts';

/**
 * Elite exchange between worker threads through one SharedArrayBuffer holding the best feasible
 * solution found by any island (cost + giant tour), guarded by an Atomics spin lock.
 * Layout: Int32 [lock, version, length, pad], Float64 cost at byte 16, Int32 giant tour from byte 24.
 */
export function createShared(nC: number): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(24 + 4 * Math.max(1, nC));
  new Float64Array(sab, 16, 1)[0] = Infinity;
  return sab;
}

export function islandExchange(sab: SharedArrayBuffer): (best: Individual | null) => Int32Array[] | null {
  const head = new Int32Array(sab, 0, 4);
  const cost = new Float64Array(sab, 16, 1);
  const tour = new Int32Array(sab, 24);
  let seen = 0;
  const lock = (): void => {
    while (Atomics.compareExchange(head, 0, 0, 1) !== 0) {
      /* spin: critical sections are a copy of n integers */
    }
  };
  const unlock = (): void => {
    Atomics.store(head, 0, 0);
  };
  return (best) => {
    let got: Int32Array | null = null;
    lock();
    try {
      const shared = cost[0]!;
      if (best && best.cost < shared - 1e-9 && best.giant.length <= tour.length) {
        tour.set(best.giant);
        head[2] = best.giant.length;
        cost[0] = best.cost;
        head[1] = head[1]! + 1;
        seen = head[1]!;
      } else if (head[1]! !== seen) {
        seen = head[1]!;
        if (!best || shared < best.cost - 1e-9) got = tour.slice(0, head[2]!);
      }
    } finally {
      unlock();
    }
    return got ? [got] : null;
  };
}
