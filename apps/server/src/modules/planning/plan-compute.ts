import {
  type CostParams,
  type DistanceProvider,
  type NetworkPlanSource,
  type PlanVehicle,
  type Totals,
  type WeeklyPlan,
  cachedProvider,
  evaluateCurrentRoutes,
  greatCircleProvider,
  planInputFromNetwork,
  planWeek,
} from '@cuntong/planner';
import { osrmProvider } from './osrm.ts';
import type { PlanPlaces } from './planning.repository.ts';

// The CPU-heavy part of a plan, without the database: runs in the plan worker thread
// (plan.thread.mjs), so the server's event loop keeps answering while a region plan runs.

export interface PlanSettings {
  timeLimitS: number;
  seed: number;
  solverIterations: number;
  useBus: boolean;
  detourFactor: number;
  costs: CostParams;
}
export interface ComputeRequest {
  src: NetworkPlanSource;
  settings: PlanSettings;
  osrmUrl?: string;
}
export interface ComputeResult {
  plan: WeeklyPlan;
  warnings: string[];
  baseline: Totals;
  distanceModel: string;
  places: PlanPlaces;
  vehicles: PlanVehicle[];
}

/** One cached provider per distance model for the life of the thread (matrices are reused across plans). */
const providers = new Map<string, DistanceProvider>();
function provider(detourFactor: number, osrmUrl?: string): DistanceProvider {
  const gc = greatCircleProvider(detourFactor);
  const key = osrmUrl ? `osrm:${osrmUrl}` : gc.name;
  let p = providers.get(key);
  if (!p) {
    p = cachedProvider(osrmUrl ? osrmProvider(osrmUrl, gc) : gc);
    providers.set(key, p);
  }
  return p;
}

export async function computePlan(req: ComputeRequest, onProgress: (fraction: number, stage: string) => void = () => {}): Promise<ComputeResult> {
  const { settings } = req;
  const dist = provider(settings.detourFactor, req.osrmUrl);
  const mono = () => performance.now();
  const { input, warnings } = planInputFromNetwork(req.src, dist, {
    costs: settings.costs,
    options: { seed: settings.seed, timeLimitMs: settings.timeLimitS * 1000, solverIterations: settings.solverIterations, useBus: settings.useBus, clock: mono, onProgress },
  });
  const baseline = await evaluateCurrentRoutes(req.src, dist, settings.costs);
  const plan = await planWeek(input);
  return {
    plan, warnings, baseline: baseline.totals, distanceModel: dist.name, vehicles: input.vehicles,
    places: {
      depots: input.depots.map((d) => ({ id: d.id, ...(d.name ? { name: d.name } : {}), lon: d.lon, lat: d.lat })),
      villages: input.villages.map((v) => ({ code: v.code, ...(v.name ? { name: v.name } : {}), lon: v.lon, lat: v.lat })),
    },
  };
}
