/**
 * Public problem and result types of the solver. All quantities are integers in the caller's
 * units (scale distances/times before calling, e.g. metres and seconds, or ×10 000 for Solomon).
 */

export interface VehicleType {
  /** Capacity in demand units. */
  capacity: number;
  /** Number of vehicles of this type available (default: one per client, i.e. unlimited). */
  count?: number;
  /** Fixed cost paid once per used vehicle (default 0). */
  fixedCost?: number;
  /** Node index of the depot this type starts from and returns to (default: problem.depots[0]). */
  depot?: number;
  /** Maximum route duration (travel + service + waiting), default unlimited. */
  maxDuration?: number;
  /** Speed factor: travel time of this type = round(duration / speedFactor). Default 1. */
  speedFactor?: number;
  /** Optional shift window [earliest departure, latest return]; defaults to the depot's window. */
  twEarly?: number;
  twLate?: number;
}

export interface Problem {
  /** Number of nodes (depots and clients), indices 0..numNodes-1. */
  numNodes: number;
  /** Node indices that are depots (not to be visited). */
  depots: number[];
  /** Demand per node (depots: 0). */
  demand: ArrayLike<number>;
  /** Service time per node (default 0). */
  serviceTime?: ArrayLike<number>;
  /** Time windows per node: service must START in [twEarly, twLate]. For depots: shift window. */
  twEarly?: ArrayLike<number>;
  twLate?: ArrayLike<number>;
  /**
   * Distances: a flat row-major numNodes×numNodes matrix, a matrix of rows, or a function
   * (i, j) → distance given by the caller (evaluated once per pair at the start).
   */
  distance: ArrayLike<number> | ArrayLike<ArrayLike<number>> | ((i: number, j: number) => number);
  /** Travel durations (same forms); default: equal to distance. */
  duration?: ArrayLike<number> | ArrayLike<ArrayLike<number>> | ((i: number, j: number) => number);
  /** Optional planar coordinates per node (used only to filter SWAP* route pairs by polar sectors). */
  coords?: ArrayLike<readonly [number, number]>;
  vehicleTypes: VehicleType[];
}

export interface SolveOptions {
  seed?: number;
  /** Wall-clock budget, measured with `clock` (the only clock input). */
  timeLimitMs?: number;
  /** Deterministic budget: number of genetic iterations (children). Tests use this. */
  maxIterations?: number;
  /** Clock in milliseconds, injected (default performance.now). */
  clock?: () => number;
  /** Parallel workers for solveParallel (default 1). */
  threads?: number;
  /** Granular neighbourhood size (default 20). */
  granularity?: number;
  /** Stop as soon as a feasible solution with cost ≤ target is found. */
  targetCost?: number;
  /** Called on each new best feasible solution (cost, elapsed ms). */
  onImprovement?: (cost: number, elapsedMs: number) => void;
}

export interface Route {
  /** Index into problem.vehicleTypes. */
  vehicleType: number;
  /** Depot node index. */
  depot: number;
  /** Client node indices in visiting order (no depots). */
  visits: number[];
}

export interface Violations {
  /** Total load above capacity over all routes. */
  excessLoad: number;
  /** Total time warp (lateness at time windows, duration above max) over all routes. */
  timeWarp: number;
  /** Vehicles used above the available count (per type, summed). */
  excessVehicles: number;
}

export interface SolveStats {
  iterations: number;
  restarts: number;
  elapsedMs: number;
  /** Elapsed ms when the best solution was found. */
  bestAtMs: number;
  bestAtIteration: number;
  threads: number;
  /** Route-decomposition rounds (large instances under a time limit) and rounds that improved. */
  decompositions?: number;
  decompositionGains?: number;
}

export interface Solution {
  routes: Route[];
  /** distance + fixed vehicle costs. */
  cost: number;
  distance: number;
  feasible: boolean;
  /** Clients not in any route (only for clients that cannot be served at all, e.g. demand > every capacity). */
  unassigned: number[];
  violations: Violations;
  stats: SolveStats;
}
