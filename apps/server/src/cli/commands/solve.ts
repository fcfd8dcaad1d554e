import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { checkSolution, readInstance, solveParallel } from '@cuntong/solver';

interface SolveCliOptions {
  timeLimit: string;
  seed: string;
  threads: string;
  vehicleCost?: string;
  iterations?: string;
}

export function register(program: Command): void {
  program
    .command('solve <file>')
    .description('solve a CVRPLIB (.vrp) or Solomon VRPTW (.txt) instance; prints one JSON object')
    .option('--time-limit <seconds>', 'time limit in seconds', '10')
    .option('--seed <n>', 'random seed', '1')
    .option('--threads <n>', 'worker threads (islands exchanging their best solution)', '1')
    .option('--iterations <n>', 'iteration limit (deterministic for a seed)')
    .option('--vehicle-cost <n>', 'Solomon: fixed cost per vehicle in distance units (default 1000: vehicles first)')
    .action(async (file: string, opts: SolveCliOptions) => {
      // performance.now() counts from process start: the whole run, start-up included, fits the limit
      const timeLimit = Number(opts.timeLimit);
      if (!(timeLimit > 0)) throw new Error(`--time-limit must be a positive number of seconds`);
      const text = readFileSync(file, 'utf8');
      const inst = readInstance(text, file, opts.vehicleCost !== undefined ? { vehicleFixedCost: Number(opts.vehicleCost) } : {});
      // keep a small margin for reading, worker start-up and output
      const budgetMs = Math.max(100, timeLimit * 1000 - performance.now() - 200);
      const sol = await solveParallel(inst.problem, {
        seed: Number(opts.seed),
        timeLimitMs: budgetMs,
        threads: Number(opts.threads),
        ...(opts.iterations !== undefined ? { maxIterations: Number(opts.iterations) } : {}),
      });
      const visits = sol.routes.map((r) => r.visits);
      const check = checkSolution(inst.problem, sol);
      const cost = inst.displayCost(inst.routeCost(visits));
      const out = {
        instance: inst.name,
        cost,
        routes: visits.map((r) => r.map((v) => inst.nodeIds[v]!)),
        feasible: sol.feasible && check.feasible,
        seconds: Math.round(performance.now() / 10) / 100,
        vehicles: visits.length,
        distance: cost,
        ...(sol.unassigned.length > 0 ? { unassigned: sol.unassigned.map((v) => inst.nodeIds[v]!) } : {}),
        ...(check.feasible ? {} : { errors: check.errors.slice(0, 10) }),
        iterations: sol.stats.iterations,
      };
      process.stdout.write(JSON.stringify(out) + '\n');
    });
}
