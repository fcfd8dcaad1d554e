/** @cuntong/planner: weekly plans (periodic routing) with bus co-transport. Pure; see docs/planning.md. */
export type * from './types.ts';
export { planWeek } from './plan.ts';
export { candidatePatterns, feasibleDays, daysLabel } from './patterns.ts';
export { greatCircleProvider, cachedProvider, type DistanceProvider, type DistanceMatrix } from './distance.ts';
export { planGeoJson, type FeatureCollection, type Feature } from './geojson.ts';
export { DEFAULT_COSTS, defaultParcelsPerWeek, planInputFromNetwork, evaluateCurrentRoutes, deliveryRoutesFromPlan, type NetworkPlanSource, type BaselineDay } from './network.ts';
export { dispatchDay, clock as secondsOfDay, type DispatchInput, type DispatchParcel, type DispatchResult, type RunLoad, type BusBag, type Deferred } from './dispatch.ts';
