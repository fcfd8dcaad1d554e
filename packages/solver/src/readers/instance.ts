import type { Problem } from '../types.ts';

/** A benchmark instance read from text: the solver problem plus the file's own conventions. */
export interface Instance {
  name: string;
  kind: 'cvrp' | 'vrptw';
  problem: Problem;
  /** Node number as written in the file, for each node index of the problem. */
  nodeIds: number[];
  /** Coordinates per node index (as in the file). */
  coords: [number, number][];
  capacity: number;
  /** Vehicles available, when the file says so. */
  vehicles?: number;
  /** Total cost of routes (node indices, depots excluded) in the file's own convention. */
  routeCost(routes: number[][]): number;
  /** Rounds a cost for display (CVRPLIB: integer; Solomon: one decimal). */
  displayCost(cost: number): number;
}
