import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildDemoNetwork } from '@cuntong/domain/network/demo.ts';
import { DEFAULT_COSTS, cachedProvider, evaluateCurrentRoutes, greatCircleProvider, planGeoJson, planInputFromNetwork, planWeek } from '@cuntong/planner';
import type { Weekday } from '@cuntong/domain/network/types.ts';
import { loadRegionExtract } from '../../modules/divisions/reference.ts';

export function register(program: Command): void {
  program
    .command('plan')
    .description('weekly plan (periodic routing + bus co-transport) of the demo network, whole region or one county; prints a JSON summary (docs/planning.md)')
    .option('--county <code>', 'plan one county (6 digits)')
    .option('--time-limit <seconds>', 'wall-clock budget', '50')
    .option('--iterations <n>', 'solver iterations per (outlet, day); 0 = heuristics only', '60')
    .option('--seed <n>', 'seed', '1')
    .option('--detour <factor>', 'road distance = great circle × factor', '1.4')
    .option('--no-bus', 'do not use bus co-transport')
    .option('--json <file>', 'write the whole plan (routes, bus, frequency) as JSON')
    .option('--geojson <file>', 'write the plan as GeoJSON')
    .option('--day <1-7>', 'GeoJSON of one weekday only')
    .action(async (o: { county?: string; timeLimit: string; iterations: string; seed: string; detour: string; bus: boolean; json?: string; geojson?: string; day?: string }) => {
      const net = buildDemoNetwork(loadRegionExtract());
      const inScope = <T extends { countyCode: string }>(xs: T[]) => (o.county ? xs.filter((x) => x.countyCode === o.county) : xs);
      const src = { outlets: inScope(net.outlets), villages: inScope(net.villages), routes: inScope(net.routes), busLines: inScope(net.busLines) };
      const provider = cachedProvider(greatCircleProvider(Number(o.detour)));
      const before = await evaluateCurrentRoutes(src, provider, DEFAULT_COSTS);
      const { input, warnings } = planInputFromNetwork(src, provider, { options: { seed: Number(o.seed), timeLimitMs: Number(o.timeLimit) * 1000, solverIterations: Number(o.iterations), useBus: o.bus, clock: () => performance.now() } });
      const plan = await planWeek(input);
      if (o.json) writeFileSync(o.json, JSON.stringify(plan, null, 2));
      if (o.geojson) writeFileSync(o.geojson, JSON.stringify(planGeoJson(plan, input, o.day ? (Number(o.day) as Weekday) : undefined)));
      const met = plan.frequency.filter((f) => f.met).length;
      console.log(JSON.stringify({
        scope: o.county ?? net.region, distanceModel: provider.name, before: before.totals, plan: plan.totals,
        villages: plan.frequency.length, villagesMet: met, busVillages: plan.bus.length, suggestions: plan.suggestions.length,
        warnings: [...warnings, ...plan.warnings].length, stats: plan.stats,
      }, null, 2));
      if (met !== plan.frequency.length) process.exitCode = 1;
    });
}
