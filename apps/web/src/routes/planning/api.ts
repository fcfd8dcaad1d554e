import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { download, request } from '../../api/client.ts';
import { API } from '../../api/hooks.ts';
import type { PlanCreate } from '../../api/planning.ts';

// Plan jobs and the committed daily dispatch (docs/planning.md): /api/v1/plans (202 + job),
// /api/v1/plan-jobs, /api/v1/outlets/{id}/dispatch/{date}, /api/v1/dispatch-runs, /api/v1/dispatch-bags.

export interface PlanJob {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  scope: string;
  countyCode: string | null;
  progress: number;
  stage: string | null;
  planId: string | null;
  error: string | null;
  createdAt: string;
}

/** Queues a plan; the caller follows the job with `usePlanJob`. */
export function useQueuePlan() {
  return useMutation({ mutationFn: (body: PlanCreate) => request<PlanJob>(`${API}/plans`, { method: 'POST', body }) });
}

/** Polls a plan job every second while it is queued or running. */
export function usePlanJob(id: string | undefined) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: ['plan-job', id],
    queryFn: async ({ signal }) => {
      const job = await request<PlanJob>(`${API}/plan-jobs/${encodeURIComponent(id ?? '')}`, { signal });
      if (job.status === 'done') void qc.invalidateQueries({ queryKey: ['plans'] });
      return job;
    },
    enabled: Boolean(id),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'done' || q.state.data.status === 'failed') ? false : 1000),
  });
}

export interface DParcel { id: string; waybillNo: string; weightG: number; codFen: number; status: string; note: string | null; scan?: string }
export interface DRun {
  id: string; vehicleId: string; vehicleCode: string; routeName: string; vehicleType: string; carriers: string[]; trip: number; departure: string; capacityKg: number; loadKg: number; parcels: number; departedAt: string | null;
  stops: Array<{ villageCode: string; villageName: string; arrival: string; parcels: DParcel[] }>;
}
export interface DBag {
  id: string; tripId: string; lineCode: string; departure: string; villageCode: string; villageName: string; arrival: string;
  status: 'open' | 'sealed' | 'departed' | 'received' | 'missed'; sealNo: string | null; departedAt: string | null; crew: string | null; receivedAt: string | null; missedReason: string | null;
  reconciliation: { sealOk: boolean; received: string[]; missing: string[]; unexpected: string[]; place: string } | null;
  parcels: DParcel[];
}
export interface DayDispatch {
  id: string; outletId: string; date: string; day: number; planId: string; commits: number; updatedAt: string;
  runs: DRun[]; bags: DBag[];
  deferred: Array<{ parcelId: string; waybillNo: string; villageCode: string; nextDay: number | null; reason: string }>;
  notes: string[];
}

const path = (outletId: string, date: string) => `${API}/outlets/${encodeURIComponent(outletId)}/dispatch/${date}`;

/** The committed dispatch of an outlet and date; null when none was committed yet. */
export function useDayDispatch(outletId: string | undefined, date: string | undefined) {
  return useQuery({
    queryKey: ['day-dispatch', outletId, date],
    queryFn: async ({ signal }) => (await request<{ items: DayDispatch[] }>(`${API}/dispatches`, { query: { outlet: outletId, date }, signal })).items[0] ?? null,
    enabled: Boolean(outletId && date),
  });
}

/** Every dispatch action answers with the whole dispatch: it replaces the cached one. */
function useDispatchAction<V>(fn: (v: V) => Promise<DayDispatch>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (d) => qc.setQueryData(['day-dispatch', d.outletId, d.date], d),
  });
}

export function useCommitDispatch() {
  return useDispatchAction((v: { outletId: string; date: string }) => request<DayDispatch>(path(v.outletId, v.date), { method: 'POST', body: {} }));
}
export function useDepartRun() {
  return useDispatchAction((runId: string) => request<DayDispatch>(`${API}/dispatch-runs/${encodeURIComponent(runId)}/depart`, { method: 'POST' }));
}
export function useBagAction() {
  return useDispatchAction((v: { bagId: string; action: 'seal' | 'handover' | 'receive' | 'missed'; body: Record<string, unknown> }) =>
    request<DayDispatch>(`${API}/dispatch-bags/${encodeURIComponent(v.bagId)}/${v.action}`, { method: 'POST', body: v.body }),
  );
}

export function downloadRunManifest(runId: string) {
  return download(`${API}/dispatch-runs/${encodeURIComponent(runId)}/manifest.pdf`, {}, `run-${runId}.pdf`);
}
export function downloadTripManifest(dispatchId: string, tripId: string) {
  return download(`${API}/dispatches/${encodeURIComponent(dispatchId)}/bus-trips/${encodeURIComponent(tripId)}/manifest.pdf`, {}, `bus-${tripId}.pdf`);
}
