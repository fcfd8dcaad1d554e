import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client.ts';
import { API } from './hooks.ts';
import type { ListResponse } from './types.ts';

// Village stations (村邮站): shelf, inbound with a pickup code, pickup by code or ID check, notifications.

export interface ShelfItem {
  parcelId: string;
  waybillNo: string;
  partnerCode: string;
  shelfSlot: string;
  basis: string;
  arrivedAt: string;
  reminders: number;
  status: 'waiting' | 'picked_up' | 'returned' | string;
  closedAt: string | null;
  pickupProof: string | null;
  recipientName: string | null;
  recipientPhone: string | null;
}

export interface InboundResult {
  parcelId: string;
  waybillNo: string;
  stationId: string;
  shelfSlot: string;
  basis: string;
  repeated: boolean;
}

export interface PickupResult {
  parcelId: string;
  waybillNo: string;
  shelfSlot: string;
  status: string;
}

export interface StationNotification {
  id: string;
  kind: string;
  parcelId: string;
  stationId: string;
  to: string | null;
  text: string;
  status: string;
  provider: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt?: string | null;
}

const base = (station: string) => `${API}/stations/${encodeURIComponent(station)}`;

export function useShelf(station: string | undefined, params: { status?: string; limit: number; offset: number }) {
  return useQuery({
    queryKey: ['station-shelf', station, params],
    queryFn: ({ signal }) => request<ListResponse<ShelfItem>>(`${base(station ?? '')}/parcels`, { query: { ...params }, signal }),
    enabled: Boolean(station),
    placeholderData: keepPreviousData,
  });
}

export function useStationNotifications(station: string | undefined, params: { limit: number; offset: number }) {
  return useQuery({
    queryKey: ['station-notifications', station, params],
    queryFn: ({ signal }) => request<ListResponse<StationNotification>>(`${API}/notifications`, { query: { station, ...params }, signal }),
    enabled: Boolean(station),
    placeholderData: keepPreviousData,
  });
}

function useStationMutation<B, R>(station: string | undefined, path: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: B) => request<R>(`${base(station ?? '')}${path}`, { method: 'POST', body }),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ['station-shelf', station] }), qc.invalidateQueries({ queryKey: ['station-notifications', station] })]),
  });
}

export const useInbound = (station: string | undefined) => useStationMutation<{ waybillNo: string; partnerCode?: string }, InboundResult>(station, '/inbound');
export const usePickupByCode = (station: string | undefined) => useStationMutation<{ code: string; phoneLast4: string }, PickupResult>(station, '/pickup');
export const usePickupById = (station: string | undefined) =>
  useStationMutation<{ waybillNo: string; documentType: 'resident_id' | 'passport' | 'other'; documentLast4: string; receivedBy?: string }, PickupResult>(station, '/pickup/id-check');
export const useUnlock = (station: string | undefined) => useStationMutation<Record<string, never>, { stationId: string; unlockedAt: string }>(station, '/pickup/unlock');
