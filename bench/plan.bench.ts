// Weekly plan benchmark: the whole Qiannan demo network (all outlets, routes and villages, bus
// lines), planned with @cuntong/planner, compared with the demo's starting routes under the same
// distance model (great circle × 1.4) and cost parameters.
//   npm run bench:plan -- [--seed N] [--time-limit SECONDS] [--iterations N] [--no-bus] [--json out.json]
import { writeFileSync } from 'node:fs';
import { buildDemoNetwork } from '../packages/domain/src/network/demo.ts';
import { cachedProvider, DEFAULT_COSTS, evaluateCurrentRoutes, greatCircleProvider, planInputFromNetwork, planWeek } from '../packages/planner/src/index.ts';
import { loadRegionExtract } from '../apps/server/src/modules/divisions/reference.ts';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const seed = Number(flag('seed') ?? 1);
const timeLimitS = Number(flag('time-limit') ?? 50);
const iterations = Number(flag('iterations') ?? 60);
const useBus = !args.includes('--no-bus');
const jsonOut = flag('json');

const t0 = performance.now();
const net = buildDemoNetwork(loadRegionExtract('5227'));
const tNet = performance.now();
const provider = cachedProvider(greatCircleProvider());
const before = await evaluateCurrentRoutes(net, provider, DEFAULT_COSTS);
const { input, warnings } = planInputFromNetwork(net, provider, { options: { seed, timeLimitMs: timeLimitS * 1000, solverIterations: iterations, useBus, clock: () => performance.now() } });
const tPlan0 = performance.now();
const plan = await planWeek(input);
const tPlan = performance.now();

const km = (m: number) => (m / 1000).toFixed(1);
const h = (s: number) => (s / 3600).toFixed(1);
const yuan = (f: number) => (f / 100).toFixed(0);
const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)}%`;
const met = plan.frequency.filter((f) => f.met).length;
console.log(`Qiannan demo network: ${net.routes.length} routes, ${net.villages.length} villages, ${net.busLines.length} bus lines, ${input.depots.length} outlets with routes`);
console.log(`distance model: ${provider.name}; costs: per km ${JSON.stringify(DEFAULT_COSTS.perKmFen)} fen, ${DEFAULT_COSTS.perHourFen} fen/h; seed ${seed}, solver ${iterations} iterations per (outlet, day), time limit ${timeLimitS} s, bus ${useBus ? 'on' : 'off'}`);
console.log('');
console.log('                     weekly km   weekly h          trips   cost ¥/week (carrier + bus)');
console.log(`current routes       ${km(before.totals.distanceM).padStart(9)}   ${h(before.totals.durationS).padStart(8)}   ${String(before.totals.trips).padStart(12)}   ${yuan(before.totals.costFen)}`);
console.log(`weekly plan          ${km(plan.totals.distanceM).padStart(9)}   ${h(plan.totals.durationS).padStart(8)}   ${String(plan.totals.trips).padStart(12)}   ${yuan(plan.totals.costFen)} (${yuan(plan.totals.carrierCostFen)} + ${yuan(plan.totals.busFeeFen)})`);
console.log(`change               ${pct(plan.totals.distanceM, before.totals.distanceM).padStart(9)}   ${pct(plan.totals.durationS, before.totals.durationS).padStart(8)}   ${pct(plan.totals.trips, before.totals.trips).padStart(12)}   ${pct(plan.totals.costFen, before.totals.costFen)}`);
console.log('');
const perDay = [1, 2, 3, 4, 5, 6, 7].map((d) => plan.routes.filter((r) => r.day === d).reduce((a, r) => a + r.durationS, 0) / 3600);
const beforeDay = [1, 2, 3, 4, 5, 6, 7].map((d) => before.days.filter((r) => r.day === d).reduce((a, r) => a + r.durationS, 0) / 3600);
console.log(`carrier hours per weekday, Mon..Sun: plan ${perDay.map((x) => x.toFixed(0)).join(' / ')}; current ${beforeDay.map((x) => x.toFixed(0)).join(' / ')}`);
const longest = Math.max(...plan.routes.map((r) => r.returnS - 8 * 3600));
console.log(`longest carrier day in the plan: ${(longest / 3600).toFixed(1)} h (limit 8 h); trips with a reload (2nd loop): ${plan.routes.filter((r) => r.trip > 1).length}`);
const visitsBefore = net.villages.reduce((a, v) => a + v.plannedVisitsPerWeek, 0);
const visitsAfter = plan.frequency.reduce((a, f) => a + f.visitsPerWeek, 0);
const carrierVisitsAfter = plan.frequency.reduce((a, f) => a + f.carrierDays.length, 0);
const aboveBefore = net.villages.filter((v) => v.plannedVisitsPerWeek > v.visitRule.minVisitsPerWeek).length;
console.log(`village visit-days per week: current ${visitsBefore} (${aboveBefore} villages above their rule); plan ${visitsAfter} (${carrierVisitsAfter} by carrier, the rest by bus)`);
console.log(`villages whose visit rule is met: ${met} / ${plan.frequency.length} (${((met / plan.frequency.length) * 100).toFixed(1)}%)`);
console.log(`bus-served villages: ${plan.bus.length} (fees ¥${yuan(plan.totals.busFeeFen)}/week, carrier cost saved ¥${yuan(plan.bus.reduce((a, b) => a + b.carrierCostSavedFen, 0))}/week)`);
console.log(`routes over a limit: ${plan.routes.filter((r) => r.overLimit).length}; cross-outlet suggestions: ${plan.suggestions.length}; warnings: ${warnings.length + plan.warnings.length}`);
console.log(`search: ${plan.stats.patternMoves} pattern moves, ${plan.stats.problems} distinct (outlet, day) problems, ${plan.stats.solverCalls} solver calls, ${plan.stats.solverImproved} improved by the solver${plan.stats.timedOut ? ', time limit reached' : ''}`);
console.log(`time: plan ${((tPlan - tPlan0) / 1000).toFixed(1)} s (network build ${((tNet - t0) / 1000).toFixed(1)} s, total ${((tPlan - t0) / 1000).toFixed(1)} s)`);
for (const w of [...warnings, ...plan.warnings].slice(0, 10)) console.log(`  warning: ${w}`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ before: before.totals, plan: plan.totals, met, villages: plan.frequency.length, bus: plan.bus.length, stats: plan.stats, seconds: (tPlan - tPlan0) / 1000 }, null, 2));
if (met !== plan.frequency.length) process.exitCode = 1;
