import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client.ts';
import { API } from './hooks.ts';
import type { ListResponse } from './types.ts';

// Parcels (issue 4, docs/parcels.md). Personal data comes masked from the API and is shown as is.

export interface AddressCandidate {
  code: string;
  name: string;
  town: string;
  county: string;
}

export interface ParcelSummary {
  id: string;
  partnerCode: string;
  waybillNo: string;
  outletId: string | null;
  countyCode: string | null;
  recipientName: string | null;
  recipientPhone: string | null;
  address: string | null;
  villageCode: string | null;
  villageName: string | null;
  addressStatus: string | null;
  addressConfidence: number | null;
  addressCandidates: AddressCandidate[] | null;
  weightKg: number;
  pieces: number;
  service: string;
  codYuan: number;
  status: string;
  statusAt: string;
  exceptionKind: string | null;
  closedAt: string | null;
  purged: boolean;
  createdAt: string;
}

export interface ParcelEvent {
  eventId: string;
  type: string;
  upu: string | null;
  eventTime: string;
  recordedAt: string;
  voided: boolean;
  voids?: string;
  reason?: string;
  proof?: { kind: string; ref: string; recipientType: string; proxyName?: string };
}

export interface ParcelDetail extends ParcelSummary {
  events: ParcelEvent[];
}

export interface ManifestResult {
  manifestId: string;
  accepted: number;
  duplicates: number;
  addressExceptions: number;
  parcels: { waybillNo: string; parcelId: string | null; result: string; addressStatus?: string }[];
}

export interface AssignResult {
  parcelId: string;
  villageCode: string;
  villageName: string;
  learned: string | null;
  alsoAssigned: string[];
}

export interface HandoverScan {
  waybillNo: string;
  damaged?: boolean;
  note?: string;
}

export interface HandoverBody {
  partnerCode: string;
  outletCode: string;
  scans: HandoverScan[];
  postSigner: string;
  partnerSigner: string;
  signatureRef?: string;
}

export interface Handover {
  id: string;
  partnerCode: string;
  outletId: string;
  countyCode: string;
  counts: { received: number; damaged: number; missing: number; unexpected: number };
  signedBy: { post: string; partner: string };
  signatureRef: string | null;
  signedAt: string;
  items: { waybillNo: string; parcelId: string | null; result: string; note?: string }[];
}

export function useParcels(params: { county?: string; waybill?: string; status?: string; partner?: string; limit: number; offset: number }, enabled = true) {
  return useQuery({
    queryKey: ['parcels', params],
    queryFn: ({ signal }) => request<ListResponse<ParcelSummary>>(`${API}/parcels`, { query: { ...params }, signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Search by recipient phone: the number travels in the body (never in a URL); results masked. */
export function usePhoneSearch(params: { phone: string; county?: string; limit: number; offset: number } | undefined) {
  return useQuery({
    queryKey: ['parcels', 'phone', params],
    queryFn: ({ signal }) => request<ListResponse<ParcelSummary>>(`${API}/parcels/search`, { method: 'POST', body: params, signal }),
    enabled: Boolean(params),
    placeholderData: keepPreviousData,
  });
}

export function useParcel(id: string | undefined) {
  return useQuery({
    queryKey: ['parcel', id],
    queryFn: ({ signal }) => request<ParcelDetail>(`${API}/parcels/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: Boolean(id),
  });
}

export function useAddressQueue(params: { county?: string; limit: number; offset: number }) {
  return useQuery({
    queryKey: ['parcels', 'address-queue', params],
    queryFn: ({ signal }) => request<ListResponse<ParcelSummary>>(`${API}/parcels/address-queue`, { query: { ...params }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useAssignVillage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, villageCode }: { id: string; villageCode: string }) =>
      request<AssignResult>(`${API}/parcels/${encodeURIComponent(id)}/village`, { method: 'POST', body: { villageCode } }),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ['parcels'] }), qc.invalidateQueries({ queryKey: ['parcel'] })]),
  });
}

export function useSignHandover() {
  return useMutation({
    mutationFn: (body: HandoverBody) => request<Handover>(`${API}/handovers`, { method: 'POST', body }),
  });
}

export function useHandover(id: string | undefined) {
  return useQuery({
    queryKey: ['handover', id],
    queryFn: ({ signal }) => request<Handover>(`${API}/handovers/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: Boolean(id),
    retry: false,
  });
}
