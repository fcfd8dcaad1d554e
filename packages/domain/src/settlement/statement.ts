/**
 * Monthly settlement statement of one partner in one county, pure: facts (from the event log) in,
 * priced lines out, each line naming its parcels. Rates are those of the agreement in force on
 * each parcel's local (UTC+8) date. Deterministic: the same facts give the same statement.
 */
export const LINE_KINDS = ['door', 'station', 'remote_surcharge', 'return', 'deduction_loss', 'deduction_damage', 'deduction_late'] as const;
export type LineKind = (typeof LINE_KINDS)[number];

export interface AgreementTerms {
  id: string;
  validFrom: string; // YYYY-MM-DD
  validTo: string | null;
  doorRateFen: number;
  stationRateFen: number;
  remoteSurchargeFen: number;
  returnRateFen: number;
  lossDeductionFen: number;
  damageDeductionFen: number;
  lateDeductionFen: number;
  promiseHours: number;
}

export interface Fact {
  parcelId: string;
  waybillNo: string;
  kind: 'door' | 'station' | 'return' | 'loss' | 'damage';
  at: string; // ISO instant of the event
  remote: boolean;
  /** When the parcel was manifested (for lateness). */
  manifestedAt: string;
}

export interface Line {
  id: string;
  kind: LineKind;
  agreementId: string;
  unitFen: number;
  quantity: number;
  amountFen: number;
  parcels: Array<{ parcelId: string; waybillNo: string; date: string }>;
}

export interface Statement {
  partnerCode: string;
  countyCode: string;
  month: string;
  lines: Line[];
  totalFen: number;
  /** Facts with no agreement in force on their date: not priced, listed for follow-up. */
  unrated: Array<{ parcelId: string; waybillNo: string; kind: string; date: string }>;
}

const OFFSET_MS = 8 * 3600_000;
/** The local (China Standard Time) date of an instant. */
export function localDate(iso: string): string {
  return new Date(Date.parse(iso) + OFFSET_MS).toISOString().slice(0, 10);
}
/** The UTC instants bounding a local month "YYYY-MM". */
export function monthRange(month: string): { start: Date; end: Date } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new Error(`not a month: ${month}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  return { start: new Date(Date.UTC(y, mo - 1, 1) - OFFSET_MS), end: new Date(Date.UTC(y, mo, 1) - OFFSET_MS) };
}

export function agreementOn(agreements: readonly AgreementTerms[], date: string): AgreementTerms | null {
  const fit = agreements.filter((a) => a.validFrom <= date && (a.validTo === null || a.validTo >= date));
  fit.sort((a, b) => (a.validFrom < b.validFrom ? 1 : a.validFrom > b.validFrom ? -1 : a.id < b.id ? -1 : 1));
  return fit[0] ?? null;
}

export function buildStatement(input: { partnerCode: string; countyCode: string; month: string; facts: readonly Fact[]; agreements: readonly AgreementTerms[] }): Statement {
  // One fact per (parcel, kind): the earliest.
  const first = new Map<string, Fact>();
  for (const f of input.facts) {
    if (localDate(f.at).slice(0, 7) !== input.month) continue;
    const k = `${f.parcelId}|${f.kind}`;
    const prev = first.get(k);
    if (!prev || f.at < prev.at) first.set(k, f);
  }
  const lines = new Map<string, Line>();
  const unrated: Statement['unrated'] = [];
  const add = (kind: LineKind, a: AgreementTerms, unitFen: number, f: Fact, date: string) => {
    const id = `${kind}:${a.id}:${unitFen}`;
    const line = lines.get(id) ?? { id, kind, agreementId: a.id, unitFen, quantity: 0, amountFen: 0, parcels: [] };
    line.quantity++;
    line.amountFen += unitFen;
    line.parcels.push({ parcelId: f.parcelId, waybillNo: f.waybillNo, date });
    lines.set(id, line);
  };
  for (const f of first.values()) {
    const date = localDate(f.at);
    const a = agreementOn(input.agreements, date);
    if (!a) { unrated.push({ parcelId: f.parcelId, waybillNo: f.waybillNo, kind: f.kind, date }); continue; }
    if (f.kind === 'door' || f.kind === 'station') {
      add(f.kind, a, f.kind === 'door' ? a.doorRateFen : a.stationRateFen, f, date);
      if (f.remote && a.remoteSurchargeFen > 0) add('remote_surcharge', a, a.remoteSurchargeFen, f, date);
      if (a.lateDeductionFen > 0 && Date.parse(f.at) - Date.parse(f.manifestedAt) > a.promiseHours * 3600_000) add('deduction_late', a, -a.lateDeductionFen, f, date);
    } else if (f.kind === 'return') {
      add('return', a, a.returnRateFen, f, date);
    } else if (f.kind === 'loss' && a.lossDeductionFen > 0) {
      add('deduction_loss', a, -a.lossDeductionFen, f, date);
    } else if (f.kind === 'damage' && a.damageDeductionFen > 0) {
      add('deduction_damage', a, -a.damageDeductionFen, f, date);
    }
  }
  const order = (k: LineKind) => LINE_KINDS.indexOf(k);
  const out = [...lines.values()].sort((x, y) => order(x.kind) - order(y.kind) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  for (const l of out) l.parcels.sort((p, q) => (p.waybillNo < q.waybillNo ? -1 : p.waybillNo > q.waybillNo ? 1 : p.parcelId < q.parcelId ? -1 : 1));
  unrated.sort((p, q) => (p.waybillNo < q.waybillNo ? -1 : 1));
  return { partnerCode: input.partnerCode, countyCode: input.countyCode, month: input.month, lines: out, totalFen: out.reduce((s, l) => s + l.amountFen, 0), unrated };
}

/** Rows for CSV/Excel: one row per parcel of each line (explainable), the line's totals beside. */
export function statementRows(s: Statement): string[][] {
  const rows: string[][] = [['month', 'partner', 'county', 'line', 'kind', 'agreement', 'unit_yuan', 'line_quantity', 'line_amount_yuan', 'waybill_no', 'date']];
  const y = (fen: number) => (fen / 100).toFixed(2);
  for (const l of s.lines) for (const p of l.parcels) rows.push([s.month, s.partnerCode, s.countyCode, l.id, l.kind, l.agreementId, y(l.unitFen), String(l.quantity), y(l.amountFen), p.waybillNo, p.date]);
  rows.push([s.month, s.partnerCode, s.countyCode, 'total', '', '', '', '', y(s.totalFen), '', '']);
  return rows;
}
