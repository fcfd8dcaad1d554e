import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Principal, canReadCounty } from '@cuntong/domain/access.ts';
import { conflict, forbidden, invalid, notFound } from '@cuntong/domain/errors.ts';
import { type AgreementTerms, type Fact, type Statement, buildStatement, localDate, monthRange } from '@cuntong/domain/settlement/statement.ts';
import type { DB } from '../../db/schema.ts';
import { newId } from '../../ids.ts';
import { appendAudit, canonicalJson } from '../audit/audit.repository.ts';
import * as repo from './settlement.repository.ts';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const dateText = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));

function toFact(r: repo.FactRow): Fact | null {
  const kind = r.type === 'delivered' ? 'door' : r.type === 'delivered_to_station' ? 'station' : r.type === 'returned_to_partner' ? 'return' : r.reason === 'loss' ? 'loss' : r.reason === 'damage' ? 'damage' : null;
  if (!kind) return null;
  return { parcelId: r.parcel_id, waybillNo: r.waybill_no, kind, at: new Date(r.event_time).toISOString(), remote: r.remote === true, manifestedAt: new Date(r.created_at).toISOString() };
}

/**
 * Monthly statements per partner and county, computed from the event log at the agreement rates in
 * force on each date; issued statements are stored as snapshots (content-addressed: issuing the same
 * month twice gives the same statement) and partners dispute their lines.
 */
export class SettlementService {
  constructor(private readonly db: Kysely<DB>, private readonly opts: { clock: () => Date; stationCommissionFen: number }) {}

  private scope(p: Principal, partnerCode: string, countyCode: string) {
    if (p.role === 'partner') {
      if (p.partnerCode !== partnerCode) throw notFound('statement.not_found', 'no such statement');
    } else if (!['admin', 'county_manager'].includes(p.role) || !canReadCounty(p, countyCode)) throw forbidden('scope.county', 'statements are for administrators and the county’s manager');
  }

  async compute(p: Principal, partnerCode: string, countyCode: string, month: string): Promise<Statement & { contentHash: string }> {
    if (!MONTH.test(month)) throw invalid('statement.month', 'month is YYYY-MM', [{ path: 'month', message: 'YYYY-MM' }]);
    if (!/^\d{6}$/.test(countyCode)) throw invalid('statement.county', 'county is a 6-digit division code', [{ path: 'county', message: '6 digits' }]);
    this.scope(p, partnerCode, countyCode);
    const { start, end } = monthRange(month);
    const [rows, agreements] = await Promise.all([repo.facts(this.db, partnerCode, countyCode, start, end), repo.agreements(this.db, partnerCode, countyCode)]);
    const terms: AgreementTerms[] = agreements.map((a) => ({
      id: a.id, validFrom: dateText(a.valid_from), validTo: a.valid_to ? dateText(a.valid_to) : null,
      doorRateFen: a.door_rate_fen, stationRateFen: a.station_rate_fen, remoteSurchargeFen: a.remote_surcharge_fen, returnRateFen: a.return_rate_fen,
      lossDeductionFen: a.loss_deduction_fen, damageDeductionFen: a.damage_deduction_fen, lateDeductionFen: a.late_deduction_fen, promiseHours: a.promise_hours,
    }));
    const s = buildStatement({ partnerCode, countyCode, month, facts: rows.map(toFact).filter((f): f is Fact => f !== null), agreements: terms });
    return { ...s, contentHash: createHash('sha256').update(canonicalJson(s)).digest('hex') };
  }

  /** Issues the month's statement: stored once per content (a re-issue of unchanged facts is the same statement). */
  async issue(p: Principal, partnerCode: string, countyCode: string, month: string) {
    if (p.role === 'partner') throw forbidden('auth.role', 'statements are issued by the post');
    const s = await this.compute(p, partnerCode, countyCode, month);
    const now = this.opts.clock();
    return this.db.transaction().execute(async (tx) => {
      const existing = await repo.findStatement(tx, partnerCode, countyCode, month, s.contentHash);
      if (existing) return { id: existing.id, reissued: true, ...s };
      const id = newId('stm');
      await repo.insertStatement(tx, { id, partner_code: partnerCode, county_code: countyCode, month, content_hash: s.contentHash, total_fen: s.totalFen, body: JSON.stringify(s), issued_at: now, issued_by: p.id });
      await appendAudit(tx, p, { action: 'settlement.issue', objectType: 'statement', objectId: id, detail: { partnerCode, countyCode, month, totalFen: s.totalFen, contentHash: s.contentHash } }, now);
      return { id, reissued: false, ...s };
    });
  }

  async getIssued(p: Principal, id: string) {
    const row = await repo.getStatement(this.db, id);
    if (!row) throw notFound('statement.not_found', 'no such statement');
    this.scope(p, row.partner_code, row.county_code);
    const body = (typeof row.body === 'string' ? JSON.parse(row.body) : row.body) as Statement;
    const disputes = await repo.listDisputes(this.db, { statementId: id });
    return { id: row.id, issuedAt: new Date(row.issued_at).toISOString(), contentHash: row.content_hash, ...body, disputes: disputes.map(presentDispute) };
  }

  async listIssued(p: Principal, f: { partnerCode?: string; month?: string }) {
    const partnerCode = p.role === 'partner' ? p.partnerCode : f.partnerCode;
    const countyPrefix = p.role === 'admin' || p.role === 'partner' ? undefined : p.countyCode;
    if (p.role !== 'partner' && !['admin', 'county_manager'].includes(p.role)) throw forbidden('auth.role', 'statements are for administrators, county managers and partners');
    const rows = await repo.listStatements(this.db, { ...(partnerCode ? { partnerCode } : {}), ...(countyPrefix ? { countyPrefix } : {}), ...(f.month ? { month: f.month } : {}) });
    return { items: rows.map((r) => ({ id: r.id, partnerCode: r.partner_code, countyCode: r.county_code, month: r.month, totalFen: Number(r.total_fen), contentHash: r.content_hash, issuedAt: new Date(r.issued_at).toISOString() })), total: rows.length };
  }

  // ---------------------------------------------------------------- disputes
  async dispute(p: Principal, statementId: string, input: { lineId: string; reason: string; waybillNos?: string[] }) {
    if (p.role !== 'partner' || !p.partnerCode) throw forbidden('auth.role', 'partners dispute their statements');
    const st = await this.getIssued(p, statementId);
    const line = st.lines.find((l) => l.id === input.lineId);
    if (!line) throw invalid('dispute.line', `no line ${input.lineId} in this statement`, [{ path: '/lineId', message: 'unknown line' }]);
    const onLine = new Set(line.parcels.map((x) => x.waybillNo));
    const bad = (input.waybillNos ?? []).filter((w) => !onLine.has(w));
    if (bad.length) throw invalid('dispute.waybills', `not on that line: ${bad.slice(0, 5).join(', ')}`, [{ path: '/waybillNos', message: 'not on the line' }]);
    const now = this.opts.clock();
    const id = newId('dsp');
    await this.db.transaction().execute(async (tx) => {
      await repo.insertDispute(tx, { id, statement_id: statementId, line_id: input.lineId, partner_code: p.partnerCode!, waybill_nos: input.waybillNos ?? [], reason: input.reason, opened_by: p.id, opened_at: now });
      await appendAudit(tx, p, { action: 'settlement.dispute', objectType: 'statement', objectId: statementId, detail: { disputeId: id, lineId: input.lineId } }, now);
    });
    return presentDispute((await repo.getDispute(this.db, id))!);
  }

  async resolve(p: Principal, disputeId: string, input: { status: 'accepted' | 'rejected'; resolution: string; adjustmentFen?: number }) {
    const d = await repo.getDispute(this.db, disputeId);
    if (!d) throw notFound('dispute.not_found', 'no such dispute');
    const st = await repo.getStatement(this.db, d.statement_id);
    if (!st || !['admin', 'county_manager'].includes(p.role) || !canReadCounty(p, st.county_code)) throw notFound('dispute.not_found', 'no such dispute');
    const now = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      if (!(await repo.resolveDispute(tx, disputeId, { status: input.status, resolution: input.resolution, adjustment_fen: input.adjustmentFen ?? null, resolved_by: p.id, resolved_at: now }))) throw conflict('dispute.closed', 'the dispute is already resolved');
      await appendAudit(tx, p, { action: 'settlement.resolve', objectType: 'dispute', objectId: disputeId, detail: { status: input.status, adjustmentFen: input.adjustmentFen ?? null } }, now);
    });
    return presentDispute((await repo.getDispute(this.db, disputeId))!);
  }

  async disputes(p: Principal, f: { status?: string }) {
    if (p.role !== 'partner' && !['admin', 'county_manager'].includes(p.role)) throw forbidden('auth.role', 'disputes are for administrators, county managers and partners');
    const rows = await repo.listDisputes(this.db, { ...(p.role === 'partner' ? { partnerCode: p.partnerCode ?? '-' } : {}), ...(f.status ? { status: f.status } : {}) });
    return { items: rows.map(presentDispute), total: rows.length };
  }

  // ---------------------------------------------------------------- station commissions
  /** A station keeper's monthly commission: parcels received at the station × the commission rate. */
  async commission(p: Principal, stationId: string, month: string) {
    if (!MONTH.test(month)) throw invalid('statement.month', 'month is YYYY-MM', [{ path: 'month', message: 'YYYY-MM' }]);
    const st = await repo.station(this.db, stationId);
    const allowed = st && (p.role === 'station_keeper' ? p.outletId === st.id : ['admin', 'county_manager'].includes(p.role) && canReadCounty(p, st.county_code));
    if (!st || !allowed) throw notFound('station.not_found', `no station ${stationId}`);
    const { start, end } = monthRange(month);
    const rows = await repo.stationParcels(this.db, st.id, start, end);
    const unit = this.opts.stationCommissionFen;
    return {
      stationId: st.id, stationCode: st.code, stationName: st.name, month, unitFen: unit, quantity: rows.length, amountFen: unit * rows.length,
      parcels: rows.map((r) => ({ parcelId: r.parcel_id, waybillNo: r.waybill_no, partnerCode: r.partner_code, date: localDate(new Date(r.arrived_at).toISOString()), status: r.status })),
    };
  }

  /**
   * The month's commission per station: a keeper gets the own station, a county manager the
   * county's stations, an administrator every station (or one county's).
   */
  async commissionOverview(p: Principal, month: string, county?: string) {
    if (!MONTH.test(month)) throw invalid('statement.month', 'month is YYYY-MM', [{ path: 'month', message: 'YYYY-MM' }]);
    if (p.role !== 'station_keeper' && !['admin', 'county_manager'].includes(p.role)) throw forbidden('auth.role', 'commissions are for station keepers, county managers and administrators');
    if (county && !canReadCounty(p, county)) throw forbidden('scope.county', 'that county is outside your scope');
    const { start, end } = monthRange(month);
    const scope = p.role === 'admin' ? county : (county ?? p.countyCode);
    const rows = (await repo.stationTotals(this.db, scope, start, end)).filter((r) => p.role !== 'station_keeper' || r.id === p.outletId);
    const unit = this.opts.stationCommissionFen;
    const items = rows.map((r) => ({ stationId: r.id, stationCode: r.code, stationName: r.name, countyCode: r.county_code, quantity: Number(r.n), amountFen: unit * Number(r.n) }));
    return { month, unitFen: unit, items, total: items.length, quantity: items.reduce((a, x) => a + x.quantity, 0), amountFen: items.reduce((a, x) => a + x.amountFen, 0) };
  }
}

function presentDispute(d: NonNullable<Awaited<ReturnType<typeof repo.getDispute>>>) {
  return {
    id: d.id, statementId: d.statement_id, lineId: d.line_id, partnerCode: d.partner_code, waybillNos: d.waybill_nos, reason: d.reason, status: d.status,
    resolution: d.resolution, adjustmentFen: d.adjustment_fen, openedAt: new Date(d.opened_at).toISOString(), resolvedAt: d.resolved_at ? new Date(d.resolved_at).toISOString() : null,
  };
}
