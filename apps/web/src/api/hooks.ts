import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, type QueryParams } from './client.ts';
import type {
  ConsoleConfig,
  DeliveryRoute,
  Division,
  DivisionDetail,
  FeatureCollection,
  KpiSummary,
  ListResponse,
  User,
  Village,
} from './types.ts';

// TanStack Query hooks. List resources share one key shape: ['list', resource, params].

export const API = '/api/v1';

export function useList<T>(resource: string, params: QueryParams, enabled = true) {
  return useQuery({
    queryKey: ['list', resource, params],
    queryFn: ({ signal }) => request<ListResponse<T>>(`${API}/${resource}`, { query: params, signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useItem<T>(resource: string, id: string | undefined) {
  return useQuery({
    queryKey: ['item', resource, id],
    queryFn: ({ signal }) => request<T>(`${API}/${resource}/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: Boolean(id),
  });
}

/** POST /resource (no id) or PATCH /resource/{id}; invalidates the resource's lists and items. */
export function useSave<T, B = Partial<T>>(resource: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: B }) =>
      id
        ? request<T>(`${API}/${resource}/${encodeURIComponent(id)}`, { method: 'PATCH', body })
        : request<T>(`${API}/${resource}`, { method: 'POST', body }),
    onSuccess: () => invalidateResource(qc, resource),
  });
}

export function useAction<T = unknown>(resource: string, action: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => request<T>(`${API}/${resource}/${encodeURIComponent(id)}/${action}`, { method: 'POST' }),
    onSuccess: () => invalidateResource(qc, resource),
  });
}

export function invalidateResource(qc: ReturnType<typeof useQueryClient>, resource: string) {
  return Promise.all([
    qc.invalidateQueries({ queryKey: ['list', resource] }),
    qc.invalidateQueries({ queryKey: ['item', resource] }),
  ]);
}

export function useMe(enabled: boolean) {
  return useQuery({
    queryKey: ['me'],
    queryFn: ({ signal }) => request<User>(`${API}/auth/me`, { signal }),
    enabled,
    retry: false,
    staleTime: 5 * 60_000,
  });
}

export function useConsoleConfig() {
  return useQuery({
    queryKey: ['config'],
    queryFn: async ({ signal }) => {
      try {
        return await request<ConsoleConfig>(`${API}/config`, { signal });
      } catch {
        return {} satisfies ConsoleConfig; // no config endpoint: no tiles
      }
    },
    staleTime: Infinity,
    retry: false,
  });
}

export function useCounties(enabled = true) {
  return useQuery({
    queryKey: ['counties'],
    queryFn: ({ signal }) =>
      request<ListResponse<Division>>(`${API}/divisions`, { query: { parent: '5227', level: 'county', limit: 100 }, signal }),
    staleTime: Infinity,
    enabled,
    select: (data) => data.items,
  });
}

export function useDivisions(params: QueryParams, enabled = true) {
  return useQuery({
    queryKey: ['divisions', params],
    queryFn: ({ signal }) => request<ListResponse<Division>>(`${API}/divisions`, { query: params, signal }),
    staleTime: 10 * 60_000,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useDivision(code: string | undefined) {
  return useQuery({
    queryKey: ['division', code],
    queryFn: ({ signal }) => request<DivisionDetail>(`${API}/divisions/${code ?? ''}`, { signal }),
    enabled: Boolean(code),
    staleTime: 10 * 60_000,
  });
}

export interface KpiParams {
  /** Only when an admin picks a county; otherwise the server scopes by the caller (county managers). */
  county?: string;
  from: string;
  to: string;
}

const ymd = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The dashboard's default period: the last 30 days, today included (local time). */
export function defaultKpiPeriod(now = new Date()): { from: string; to: string } {
  const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 29);
  return { from: ymd(from), to: ymd(now) };
}

export function kpiQuery(params: KpiParams) {
  const query = { from: params.from, to: params.to, ...(params.county ? { county: params.county } : {}) };
  return {
    queryKey: ['kpi', query] as const,
    queryFn: ({ signal }: { signal?: AbortSignal }) => request<KpiSummary>(`${API}/kpi/summary`, { query, signal }),
  };
}

export function useKpiSummary(params: KpiParams) {
  return useQuery({ ...kpiQuery(params), placeholderData: keepPreviousData });
}

export function useNetworkMap(county: string | undefined) {
  return useQuery({
    queryKey: ['map', county ?? ''],
    queryFn: ({ signal }) => request<FeatureCollection>(`${API}/map/network`, { query: { county }, signal }),
    staleTime: 60_000,
  });
}

export function useVillages(params: QueryParams, enabled = true) {
  return useList<Village>('villages', { limit: 1000, ...params }, enabled);
}

export function useRoute(id: string | undefined) {
  return useItem<DeliveryRoute>('routes', id);
}
