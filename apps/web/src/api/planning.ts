import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client.ts';
import { API } from './hooks.ts';
import type { FeatureCollection, ListResponse } from './types.ts';

// Weekly plans (issue 6, docs/planning.md): /api/v1/plans.

export interface PlanTotals {
  distanceM: number;
  durationS: number;
  carrierCostFen: number;
  busFeeFen: number;
  costFen: number;
  trips: number;
}

export interface PlanSummary {
  id: string;
  scope: string;
  countyCode: string | null;
  status: 'draft' | 'accepted' | 'superseded' | string;
  params: Record<string, unknown>;
  distanceModel: string;
  totals: PlanTotals;
  baseline: PlanTotals;
  villages: number;
  villagesMet: number;
  busVillages: number;
  elapsedMs: number;
  createdBy: string | null;
  createdAt: string;
  acceptedBy: string | null;
  acceptedAt: string | null;
}

export interface PlanStop {
  villageCode: string;
  arrivalS: number;
  arrival: string;
  legM: number;
  parcels: number;
}

export interface PlanDayRoute {
  day: number;
  vehicleId: string;
  vehicleCode: string;
  trip: number;
  depotId: string;
  vehicleType: string;
  stops: PlanStop[];
  distanceM: number;
  durationS: number;
  returnS: number;
  loadKg: number;
  costFen: number;
  overLimit: boolean;
}

export interface PlanChange {
  before: number;
  after: number;
  delta: number;
  percent: number;
}

export interface PlanBusService {
  villageCode: string;
  lineId: string;
  lineCode: string;
  tripId: string;
  days: number[];
  arrival: string;
  parcelsPerVisit: number;
  weeklyFeeFen: number;
  carrierCostSavedFen: number;
  reason: string;
}

export interface PlanBusLoad {
  tripId: string;
  lineCode: string;
  day: number;
  parcels: number;
  capacityParcels: number;
  villages: string[];
}

export interface PlanFrequency {
  villageCode: string;
  depotId: string;
  minVisitsPerWeek: number;
  allowedDays: number[];
  pattern: number[];
  carrierDays: number[];
  busDays: number[];
  visitsPerWeek: number;
  mode: string;
  met: boolean;
  reason?: string;
  busNote?: string;
}

export interface PlanSuggestion {
  kind: string;
  villageCode: string;
  fromDepotId: string;
  toDepotId: string;
  estimatedSavingFen: number;
  reason: string;
}

export interface PlanDetail extends PlanSummary {
  comparison: { distanceM: PlanChange; durationS: PlanChange; costFen: PlanChange; trips: PlanChange };
  days: { day: number; routes: PlanDayRoute[]; distanceM: number; durationS: number; stops: number }[];
  bus: PlanBusService[];
  busLoads: PlanBusLoad[];
  frequency: PlanFrequency[];
  suggestions: PlanSuggestion[];
  warnings: string[];
  routesWritten?: number;
}

export interface PlanCreate {
  county?: string;
  timeLimitS?: number;
  seed?: number;
  solverIterations?: number;
  useBus?: boolean;
}

export function usePlans(params: { county?: string; status?: string; limit: number; offset: number }) {
  return useQuery({
    queryKey: ['plans', params],
    queryFn: ({ signal }) => request<ListResponse<PlanSummary>>(`${API}/plans`, { query: { ...params }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function usePlan(id: string | undefined) {
  return useQuery({
    queryKey: ['plan', id],
    queryFn: ({ signal }) => request<PlanDetail>(`${API}/plans/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: Boolean(id),
  });
}

/** GeoJSON of a plan (routes as lines, stops and bus-served villages as points), one weekday or all. */
export function usePlanGeoJson(id: string | undefined, day: number | undefined) {
  return useQuery({
    queryKey: ['plan-geojson', id, day ?? 0],
    queryFn: ({ signal }) => request<FeatureCollection>(`${API}/plans/${encodeURIComponent(id ?? '')}/geojson`, { query: { day }, signal }),
    enabled: Boolean(id),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}

export function useAcceptPlan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => request<PlanDetail>(`${API}/plans/${encodeURIComponent(id)}/accept`, { method: 'POST' }),
    onSuccess: (plan) => {
      qc.setQueryData(['plan', plan.id], plan);
      return Promise.all([qc.invalidateQueries({ queryKey: ['plans'] }), qc.invalidateQueries({ queryKey: ['list', 'routes'] }), qc.invalidateQueries({ queryKey: ['item', 'routes'] })]);
    },
  });
}

export interface ParcelRef {
  id: string;
  waybillNo: string;
}

export interface PlanDispatch {
  planId: string;
  outletId: string;
  day: number;
  parcels: number;
  unaddressed: ParcelRef[];
  runs: { vehicleId: string; vehicleCode: string; trip: number; departureS: number; capacityKg: number; loadKg: number; stops: { villageCode: string; arrival: string; parcels: ParcelRef[] }[] }[];
  bags: { tripId: string; lineCode: string; departure: string; villageCode: string; arrival: string; parcels: ParcelRef[] }[];
  deferred: { parcelId: string; waybillNo: string; villageCode: string; nextDay: number | null; reason: string }[];
  notes: string[];
}

/** Read-only dispatch preview: the parcels waiting at an outlet → the plan's runs and bus bags of a weekday. */
export function usePlanDispatch(id: string | undefined, q: { outlet: string; day: number; now?: string } | undefined) {
  return useQuery({
    queryKey: ['plan-dispatch', id, q],
    queryFn: ({ signal }) => request<PlanDispatch>(`${API}/plans/${encodeURIComponent(id ?? '')}/dispatch`, { query: { ...q }, signal }),
    enabled: Boolean(id && q),
  });
}
