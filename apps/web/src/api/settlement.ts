import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client.ts';
import { API } from './hooks.ts';
import type { ListResponse } from './types.ts';

// Monthly statements per partner and county, issued snapshots, disputes (docs/settlement.md).

export interface StatementLine {
  id: string;
  kind: string;
  agreementId: string;
  unitFen: number;
  quantity: number;
  amountFen: number;
  parcels: { parcelId: string; waybillNo: string; date: string }[];
}

export interface Statement {
  partnerCode: string;
  countyCode: string;
  month: string;
  lines: StatementLine[];
  totalFen: number;
  unrated: { parcelId: string; waybillNo: string; kind: string; date: string }[];
}

export interface Dispute {
  id: string;
  statementId: string;
  lineId: string;
  partnerCode: string;
  waybillNos: string[] | null;
  reason: string;
  status: 'open' | 'accepted' | 'rejected' | string;
  resolution: string | null;
  adjustmentFen: number | null;
  openedAt: string;
  resolvedAt: string | null;
}

export interface IssuedSummary {
  id: string;
  partnerCode: string;
  countyCode: string;
  month: string;
  totalFen: number;
  contentHash: string;
  issuedAt: string;
}

export interface IssuedStatement extends Statement {
  id: string;
  issuedAt: string;
  contentHash: string;
  disputes: Dispute[];
}

export interface StatementKey {
  partner: string;
  county: string;
  month: string;
}

export function useStatement(key: StatementKey | undefined) {
  return useQuery({
    queryKey: ['statement', key],
    queryFn: ({ signal }) => request<Statement>(`${API}/settlement/statement`, { query: { ...key }, signal }),
    enabled: Boolean(key),
  });
}

export function useIssue() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (k: StatementKey) => request<IssuedStatement & { reissued: boolean }>(`${API}/settlement/statements`, { method: 'POST', body: { partnerCode: k.partner, countyCode: k.county, month: k.month } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['statements'] }),
  });
}

export function useIssuedStatements(params: { partner?: string; month?: string }) {
  return useQuery({
    queryKey: ['statements', params],
    queryFn: ({ signal }) => request<ListResponse<IssuedSummary>>(`${API}/settlement/statements`, { query: { ...params }, signal }),
  });
}

export function useIssuedStatement(id: string | undefined) {
  return useQuery({
    queryKey: ['statements', 'one', id],
    queryFn: ({ signal }) => request<IssuedStatement>(`${API}/settlement/statements/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: Boolean(id),
  });
}

export function useDisputes(status: string | undefined) {
  return useQuery({
    queryKey: ['disputes', status ?? ''],
    queryFn: ({ signal }) => request<ListResponse<Dispute>>(`${API}/settlement/disputes`, { query: { status }, signal }),
  });
}

export function useResolveDispute() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; status: 'accepted' | 'rejected'; resolution: string; adjustmentFen?: number }) =>
      request<Dispute>(`${API}/settlement/disputes/${encodeURIComponent(id)}/resolve`, { method: 'POST', body }),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ['disputes'] }), qc.invalidateQueries({ queryKey: ['statements'] })]),
  });
}

// Station keepers' commissions (村邮站佣金): per station and month, each parcel listed.

export interface CommissionOverview {
  month: string;
  unitFen: number;
  total: number;
  quantity: number;
  amountFen: number;
  items: { stationId: string; stationCode: string; stationName: string; countyCode: string; quantity: number; amountFen: number }[];
}

export interface Commission {
  stationId: string;
  stationCode: string;
  stationName: string;
  month: string;
  unitFen: number;
  quantity: number;
  amountFen: number;
  parcels: { parcelId: string; waybillNo: string; partnerCode: string; date: string; status: string }[];
}

export function useCommissionOverview(month: string, county: string | undefined) {
  return useQuery({
    queryKey: ['commissions', 'overview', month, county ?? ''],
    queryFn: ({ signal }) => request<CommissionOverview>(`${API}/settlement/commissions/overview`, { query: { month, ...(county ? { county } : {}) }, signal }),
  });
}

export function useCommission(station: string | undefined, month: string) {
  return useQuery({
    queryKey: ['commissions', station, month],
    queryFn: ({ signal }) => request<Commission>(`${API}/settlement/commissions`, { query: { station, month }, signal }),
    enabled: Boolean(station),
  });
}
