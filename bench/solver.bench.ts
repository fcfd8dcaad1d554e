// Solver benchmark: runs the public CVRPLIB (X) and Solomon instances at one or more time limits
// and prints cost, best known, gap, vehicles and time, per instance and on average.
//   npm run bench:solver -- --set cvrp --limits 10 --only X-n101-k25,X-n106-k14
//   flags: --set cvrp|vrptw   --limits 10,60   --only A,B   --seed N   --threads N
//          --vehicle-cost N (Solomon fixed cost per vehicle, default 1000)   --json out.json
//          --cpu-clock: measure the limit in CPU time of this process (threads=1 only), so that a
//                       loaded machine does not shrink the search; wall time is then longer.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { checkSolution, readInstance, solveParallel } from '../packages/solver/src/index.ts';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const sets = (flag('set') ?? 'cvrp,vrptw').split(',') as ('cvrp' | 'vrptw')[];
const limits = (flag('limits') ?? '10,60').split(',').map(Number);
const only = flag('only')?.split(',');
const seed = Number(flag('seed') ?? 1);
const threads = Number(flag('threads') ?? 1);
const vehicleCost = flag('vehicle-cost');
const jsonOut = flag('json');
const cpuClock = args.includes('--cpu-clock');
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const dir = new URL('./instances/', import.meta.url);

interface Row {
  set: string;
  limit: number;
  instance: string;
  cost: number;
  bks: number;
  gap: number;
  vehicles: number;
  bksVehicles: number;
  seconds: number;
  cpuSeconds: number;
  feasible: boolean;
}

function bksTable(set: string): Map<string, Record<string, string>> {
  const lines = readFileSync(new URL(`${set}/bks.csv`, dir), 'utf8').trim().split(/\r?\n/);
  const head = lines[0]!.split(',');
  const out = new Map<string, Record<string, string>>();
  for (const l of lines.slice(1)) {
    const cells = l.split(',');
    const rec: Record<string, string> = {};
    head.forEach((h, i) => (rec[h] = cells[i] ?? ''));
    out.set(rec.instance!, rec);
  }
  return out;
}

const rows: Row[] = [];
const pad = (s: string | number, n: number): string => String(s).padStart(n);
console.log(
  `solver bench: sets=${sets.join(',')} limits=${limits.join(',')}s (${cpuClock ? 'CPU' : 'wall'} clock) seed=${seed} threads=${threads}`,
);
console.log('(timings depend on machine load; the baseline is the best-known solution of each instance)');
for (const set of sets) {
  const bks = bksTable(set);
  const files = readdirSync(new URL(`${set}/`, dir))
    .filter((f) => (set === 'cvrp' ? f.endsWith('.vrp') : f.endsWith('.txt')))
    .map((f) => ({ f, name: f.replace(/\.[^.]*$/, '') }))
    .filter(({ name }) => !only || only.includes(name))
    .sort((a, b) => {
      const na = Number(/-n(\d+)/.exec(a.name)?.[1] ?? 0);
      const nb = Number(/-n(\d+)/.exec(b.name)?.[1] ?? 0);
      return na - nb || a.name.localeCompare(b.name);
    });
  for (const limit of limits) {
    console.log(`\n[${set}] ${limit}s per instance`);
    console.log(`${'instance'.padEnd(14)}${pad('cost', 11)}${pad('bks', 11)}${pad('gap%', 8)}${pad('veh', 5)}${pad('bksVeh', 7)}${pad('time', 7)}${pad('cpu', 7)}  ok`);
    for (const { f, name } of files) {
      const text = readFileSync(new URL(`${set}/${f}`, dir), 'utf8');
      const inst = readInstance(text, f, vehicleCost !== undefined ? { vehicleFixedCost: Number(vehicleCost) } : {});
      const t0 = performance.now();
      const c0 = cpuMs();
      const sol = await solveParallel(inst.problem, {
        seed,
        timeLimitMs: limit * 1000,
        threads,
        ...(cpuClock && threads <= 1 ? { clock: cpuMs } : {}),
      });
      const seconds = (performance.now() - t0) / 1000;
      const cpuSeconds = (cpuMs() - c0) / 1000;
      const visits = sol.routes.map((r) => r.visits);
      const check = checkSolution(inst.problem, sol);
      const cost = inst.routeCost(visits);
      const b = bks.get(name);
      const bksCost = Number(set === 'cvrp' ? b?.bks_cost : b?.bks_hierarchical_distance);
      const bksVeh = Number(set === 'cvrp' ? b?.bks_routes : b?.bks_hierarchical_vehicles);
      const shown = inst.displayCost(cost);
      const gap = ((cost - bksCost) / bksCost) * 100;
      const row: Row = {
        set,
        limit,
        instance: name,
        cost: shown,
        bks: bksCost,
        gap,
        vehicles: visits.length,
        bksVehicles: bksVeh,
        seconds,
        cpuSeconds,
        feasible: sol.feasible && check.feasible,
      };
      rows.push(row);
      console.log(
        `${name.padEnd(14)}${pad(shown, 11)}${pad(bksCost, 11)}${pad(gap.toFixed(2), 8)}${pad(row.vehicles, 5)}${pad(bksVeh, 7)}${pad(seconds.toFixed(1), 7)}${pad(cpuSeconds.toFixed(1), 7)}  ${row.feasible ? 'yes' : 'NO ' + check.errors.slice(0, 2).join('; ')}`,
      );
    }
    const sub = rows.filter((r) => r.set === set && r.limit === limit);
    if (sub.length > 0) {
      const mean = sub.reduce((s, r) => s + r.gap, 0) / sub.length;
      const vehDiff = sub.reduce((s, r) => s + (r.vehicles - r.bksVehicles), 0);
      const sameVeh = sub.filter((r) => r.vehicles <= r.bksVehicles);
      const meanSame = sameVeh.length ? sameVeh.reduce((s, r) => s + r.gap, 0) / sameVeh.length : NaN;
      console.log(
        `mean gap ${mean.toFixed(2)}% over ${sub.length} instances; vehicles above BKS: ${vehDiff} in total` +
          (set === 'vrptw' ? `; mean distance gap on the ${sameVeh.length} with BKS vehicles: ${meanSame.toFixed(2)}%` : '') +
          `; infeasible: ${sub.filter((r) => !r.feasible).length}`,
      );
    }
  }
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(rows, null, 2));
