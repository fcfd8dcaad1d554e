export type { Problem, VehicleType, SolveOptions, Solution, Route, Violations, SolveStats } from './types.ts';
export { solve } from './solve.ts';
export { Rng } from './rng.ts';
