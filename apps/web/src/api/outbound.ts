import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, authHeaders, handleStatus, request } from './client.ts';
import { API } from './hooks.ts';
import type { FieldErrorItem, ListResponse, Problem } from './types.ts';

// Outbound 黔货出山 (issue 7, docs/outbound.md). Recipients come masked from the API.

export interface ShipperContact {
  name: string;
  phone: string;
  role?: string;
}

export interface Shipper {
  id: string;
  code: string;
  name: string;
  kind: 'company' | 'coop' | 'individual';
  countyCode: string;
  pickupDivisionCode: string;
  pickupRegionText: string;
  pickupAddress: string;
  contacts: ShipperContact[];
  products: string[];
  pricing: 'public' | 'contract';
  contract: { discountPercent?: number } | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ShipperInput {
  code: string;
  name: string;
  kind: Shipper['kind'];
  pickupDivisionCode: string;
  pickupAddress: string;
  contacts: ShipperContact[];
  products: string[];
  pricing: 'public';
}

export interface TariffZone {
  id: string;
  name: string;
  provinces: string[];
  firstWeightG: number;
  firstPriceFen: number;
  stepWeightG: number;
  stepPriceFen: number;
}

export interface TariffVersion {
  version: string;
  originCode: string;
  validFrom: string | null;
  supersededAt: string | null;
  supersededBy: string | null;
  current: boolean;
  createdBy: string | null;
  createdAt: string | null;
  tariff: { version: string; volumetricDivisor: number; maxWeightG: number; zones: TariffZone[] };
}

export interface QuoteLine {
  kind: string;
  label: string;
  quantity: number;
  unitFen: number;
  amountFen: number;
}

export interface QuoteResult {
  totalFen: number;
  zoneId: string;
  zoneName: string;
  actualWeightG: number;
  volumetricWeightG: number;
  chargeableWeightG: number;
  billedWeightG: number;
  lines: QuoteLine[];
  tariffVersion: string;
  contractId?: string;
  destinationCode: string;
  destination: string;
}

export interface QuoteBody {
  address?: string;
  destinationCode?: string;
  weightG: number;
  shipperId?: string;
  dimensions?: { lengthCm: number; widthCm: number; heightCm: number };
}

export interface Order {
  id: string;
  shipperId: string;
  countyCode: string;
  importId: string | null;
  externalNo: string | null;
  waybillNo: string;
  recipient: { name: string; phone: string; address: string };
  destination: string;
  weightG: number;
  product: string | null;
  category: string;
  quantity: number;
  priceFen: number;
  tariffVersion: string;
  status: string;
  statusAt: string;
  labelsPrinted: number;
  createdAt: string;
}

export interface ImportReport {
  importId: string | null;
  mode: 'all' | 'valid';
  total: number;
  imported: number;
  skippedEmpty: number;
  rejectedRows: number;
  rejected: FieldErrorItem[];
  firstWaybillNo: string | null;
  lastWaybillNo: string | null;
  elapsedMs: number;
}

export interface PickupTask {
  id: string;
  shipperId: string;
  countyCode: string;
  plannedDate: string;
  expectedParcels: number;
  routeId: string | null;
  vehicleId: string | null;
  status: string;
  collected: number;
  note: string | null;
  createdAt: string | null;
}

export interface OutboundSummary {
  county: string | null;
  from: string | null;
  to: string | null;
  totalParcels: number;
  totalWeightG: number;
  byCounty: { countyCode: string; countyName: string; parcels: number; weightG: number }[];
  byCategory: { category: string; parcels: number; weightG: number }[];
}

export function useShippers(params: { county?: string; q?: string; limit: number; offset: number }) {
  return useQuery({
    queryKey: ['shippers', params],
    queryFn: ({ signal }) => request<ListResponse<Shipper>>(`${API}/shippers`, { query: { ...params }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useCreateShipper() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ShipperInput) => request<Shipper>(`${API}/shippers`, { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['shippers'] }),
  });
}

export function useTariffs() {
  return useQuery({
    queryKey: ['tariffs'],
    queryFn: ({ signal }) => request<{ items: TariffVersion[] }>(`${API}/tariffs`, { signal }),
  });
}

export function useQuote() {
  return useMutation({ mutationFn: (body: QuoteBody) => request<QuoteResult>(`${API}/quotes`, { method: 'POST', body }) });
}

export function useOrders(params: { county?: string; importId?: string; shipperId?: string; waybillNo?: string; limit: number; offset: number }) {
  return useQuery({
    queryKey: ['orders', params],
    queryFn: ({ signal }) => request<ListResponse<Order>>(`${API}/orders`, { query: { ...params }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function usePickupTasks(params: { county?: string; date?: string; status?: string; limit: number; offset: number }) {
  return useQuery({
    queryKey: ['pickup-tasks', params],
    queryFn: ({ signal }) => request<ListResponse<PickupTask>>(`${API}/pickup-tasks`, { query: { ...params }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useCreatePickupTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { shipperId: string; plannedDate: string; expectedParcels: number; routeId: string; note?: string }) =>
      request<PickupTask>(`${API}/pickup-tasks`, { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['pickup-tasks'] }),
  });
}

export function useOutboundSummary(params: { county?: string; from?: string; to?: string }) {
  return useQuery({
    queryKey: ['outbound-summary', params],
    queryFn: ({ signal }) => request<OutboundSummary>(`${API}/outbound/summary`, { query: { ...params }, signal }),
    placeholderData: keepPreviousData,
  });
}

export interface LabelJob {
  jobId: string;
  labels: number;
  reprints: number;
}

/** POST /api/v1/labels and saves the PDF/ZPL it streams (the token is needed, so no plain link). */
export async function downloadLabels(body: { orderIds?: string[]; importId?: string; format: 'thermal' | 'a4' | 'zpl' }): Promise<LabelJob> {
  const res = await fetch(`${API}/labels`, { method: 'POST', headers: { ...authHeaders(), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) {
    handleStatus(res.status);
    let problem: Problem = { status: res.status, title: res.statusText || `HTTP ${res.status}` };
    try {
      problem = (await res.json()) as Problem;
    } catch {
      // not JSON
    }
    throw new ApiError(res.status, problem);
  }
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const match = /filename="?([^";]+)"?/i.exec(disposition);
  const name = match?.[1] ?? `labels.${body.format === 'zpl' ? 'zpl' : 'pdf'}`;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { jobId: res.headers.get('x-label-job') ?? '', labels: Number(res.headers.get('x-labels') ?? 0), reprints: Number(res.headers.get('x-reprints') ?? 0) };
}
