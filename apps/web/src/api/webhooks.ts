import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, request } from './client.ts';
import { API } from './hooks.ts';
import type { ListResponse } from './types.ts';

// Webhook deliveries to partners and their status vocabularies (docs/webhooks.md; administrators).

export interface WebhookDelivery {
  id: string;
  partnerCode: string;
  waybillNo: string | null;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed' | string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  replays: number;
  createdAt: string;
}

export interface WebhookDeliveryDetail {
  id: string;
  status: string;
  body: unknown;
  log: { attempt: number; at: string; durationMs: number | null; statusCode: number | null; error: string | null }[];
}

export interface WebhookEndpoint {
  url: string;
  status: string;
  disabledReason: string | null;
  disabledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StatusVocabulary {
  partnerCode: string;
  mapping: Record<string, string>;
  defaults: Record<string, string>;
  overridden: string[];
}

export function useDeliveries(params: { partner?: string; status?: string; waybill?: string; limit: number; offset: number }) {
  return useQuery({
    queryKey: ['webhook-deliveries', params],
    queryFn: ({ signal }) => request<ListResponse<WebhookDelivery>>(`${API}/webhooks/deliveries`, { query: { ...params }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useDelivery(id: string | undefined) {
  return useQuery({
    queryKey: ['webhook-delivery', id],
    queryFn: ({ signal }) => request<WebhookDeliveryDetail>(`${API}/webhooks/deliveries/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: Boolean(id),
  });
}

export function useReplay() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => request<{ replayed: number }>(`${API}/webhooks/deliveries/${encodeURIComponent(id)}/replay`, { method: 'POST' }),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ['webhook-deliveries'] }), qc.invalidateQueries({ queryKey: ['webhook-delivery'] })]),
  });
}

/** The partner's endpoint; null when none is registered (404). */
export function useEndpoint(code: string | undefined) {
  return useQuery({
    queryKey: ['webhook-endpoint', code],
    queryFn: async ({ signal }) => {
      try {
        return await request<WebhookEndpoint>(`${API}/partners/${encodeURIComponent(code ?? '')}/webhook`, { signal });
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    enabled: Boolean(code),
    retry: false,
  });
}

export function useVocabulary(code: string | undefined) {
  return useQuery({
    queryKey: ['status-mapping', code],
    queryFn: ({ signal }) => request<StatusVocabulary>(`${API}/partners/${encodeURIComponent(code ?? '')}/status-mapping`, { signal }),
    enabled: Boolean(code),
  });
}

export function useSaveVocabulary(code: string | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (mapping: Record<string, string>) => request<StatusVocabulary>(`${API}/partners/${encodeURIComponent(code ?? '')}/status-mapping`, { method: 'PUT', body: { mapping } }),
    onSuccess: (v) => qc.setQueryData(['status-mapping', code], v),
  });
}
