export type { Problem, VehicleType, SolveOptions, Solution, Route, Violations, SolveStats } from './types.ts';
export { solve } from './solve.ts';
export { solveParallel } from './parallel.ts';
export { Rng } from './rng.ts';
export { readCvrplib } from './readers/cvrplib.ts';
export { readSolomon, SOLOMON_SCALE } from './readers/solomon.ts';
export type { Instance } from './readers/instance.ts';
export { readInstance } from './readers/detect.ts';
export { checkSolution, type CheckResult } from './check.ts';
