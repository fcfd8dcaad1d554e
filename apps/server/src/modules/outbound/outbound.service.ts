import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Principal, canReadCounty, countyScope } from '@cuntong/domain/access.ts';
import { DomainError, type FieldError, conflict, forbidden, invalid, notFound } from '@cuntong/domain/errors.ts';
import { type OrderField, type ParsedOrder, type RejectedRow, normalizePhone, parseOrders, type RawTable } from '@cuntong/domain/orders/orders.ts';
import { regionIndex, type RegionIndex } from '@cuntong/domain/orders/regions.ts';
import { maskAddress, maskName, maskPhone } from '@cuntong/domain/privacy/mask.ts';
import { type ContractPrice, type Dimensions, type Quote, type Tariff, type ZoneRate, quote as priceQuote, validateTariff } from '@cuntong/domain/tariff/tariff.ts';
import { RangeExhaustedError, type WaybillRange, type WaybillScheme, allocateFrom, rangesOverlap, validateRange } from '@cuntong/domain/waybill/allocator.ts';
import type { LabelData, LabelParty } from '@cuntong/labels/label.ts';
import { regionText } from '@cuntong/labels/from-order.ts';
import { readOrderFile } from '@cuntong/labels/io/orders-file.ts';
import type { ManifestParcel } from '@cuntong/labels/manifest.ts';
import type { PiiCipher } from '../../adapters/crypto.ts';
import type { DB } from '../../db/schema.ts';
import { newId } from '../../ids.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import * as repo from './outbound.repository.ts';

export type ShipperKind = 'company' | 'coop' | 'individual';
export interface Contact { name: string; phone: string; role?: string }
export interface ContractInput {
  zoneRates?: Record<string, Partial<ZoneRate>>;
  discountPercent?: number;
  volumetricDivisor?: number;
  validFrom?: string;
  validTo?: string;
}
export interface ShipperInput {
  code: string; name: string; kind: ShipperKind; pickupDivisionCode: string; pickupAddress: string;
  contacts: Contact[]; products: string[]; pricing: 'public' | 'contract'; contract?: ContractInput | null; active?: boolean;
}
export interface Shipper extends Omit<ShipperInput, 'contract' | 'active'> {
  id: string; countyCode: string; pickupRegionText: string; contract: ContractPrice | null; active: boolean; createdAt: string; updatedAt: string;
}
export interface OrderInput {
  shipperId: string; externalNo?: string; recipient: { name: string; phone: string; address: string };
  weightG: number; dimensions?: Dimensions; product?: string; quantity?: number; remark?: string;
}
export interface OrderView {
  id: string; shipperId: string; countyCode: string; importId: string | null; externalNo: string | null; waybillNo: string;
  recipient: { name: string; phone: string; address: string }; destination: string; destRegionText: string; destCountyCode: string;
  weightG: number; dimensions: Dimensions | null; product: string | null; category: string; quantity: number;
  priceFen: number; tariffVersion: string; contractId: string | null; quote: Quote; status: string; statusAt: string;
  collectedAt: string | null; pickupTaskId: string | null; bagId: string | null; labelsPrinted: number; createdAt: string;
}
export interface ImportReport {
  importId: string | null; mode: 'all' | 'valid'; total: number; imported: number; skippedEmpty: number;
  rejectedRows: number; rejected: FieldError[]; firstWaybillNo: string | null; lastWaybillNo: string | null; elapsedMs: number;
  columns: Record<string, string>;
  /** Where the time went: reading the file, validating + pricing, the database transaction; CPU time of the process. */
  timings: { readMs: number; validateMs: number; writeMs: number; cpuMs: number };
}

type Db = Kysely<DB>;
const iso = (d: Date | string | null | undefined): string | null => (d == null ? null : new Date(d).toISOString());
/** The shipping date in China (UTC+8). */
export const chinaDate = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
const WRITERS = new Set(['admin', 'county_manager', 'outlet_clerk', 'station_keeper']);
const FIELD_PATH: Record<OrderField | 'row', string> = {
  orderNo: '/externalNo', recipientName: '/recipient/name', recipientPhone: '/recipient/phone', address: '/recipient/address',
  province: '/recipient/address', city: '/recipient/address', county: '/recipient/address', weight: '/weightG', product: '/product',
  quantity: '/quantity', remark: '/remark', row: '',
};

/** Outbound 黔货出山: shippers, tariffs and quotes, waybill numbers, orders and imports, labels, pickups, bags, handovers. */
export class OutboundService {
  readonly regions: RegionIndex;
  constructor(
    private readonly db: Db,
    private readonly opts: { region: string; clock: () => Date; pii: PiiCipher; uploadLimitBytes: number },
  ) {
    this.regions = regionIndex();
  }

  // ---------- scope ----------
  readScope(p: Principal, county?: string): string | undefined {
    if (p.role === 'partner') throw forbidden('scope.partner', 'partners use the partner API');
    if (county && !canReadCounty(p, county)) throw forbidden('scope.county', `you may not read data of county ${county}`);
    return county ?? countyScope(p);
  }
  /** 404 outside the caller's county: existence is not revealed across scopes. */
  private visible(p: Principal, countyCode: string, what: string, id: string): void {
    if (!canReadCounty(p, countyCode)) throw notFound(`${what}.not_found`, `no ${what} ${id}`);
  }
  private assertWrite(p: Principal, countyCode: string): void {
    const scope = countyScope(p);
    if (!WRITERS.has(p.role) || (scope !== undefined && !countyCode.startsWith(scope))) throw forbidden('scope.county', `you may not change outbound data of county ${countyCode}`);
  }
  private assertOperate(p: Principal, countyCode: string): void {
    if (!canReadCounty(p, countyCode)) throw forbidden('scope.county', `you may not operate in county ${countyCode}`);
  }

  // ---------- shippers ----------
  private async toShipper(r: repo.ShipperRow): Promise<Shipper> {
    return {
      id: r.id, code: r.code, name: r.name, kind: r.kind as ShipperKind, countyCode: r.county_code, pickupDivisionCode: r.pickup_division_code,
      pickupRegionText: r.pickup_region_text, pickupAddress: r.pickup_address, contacts: json<Contact[]>(r.contacts), products: r.products,
      pricing: r.pricing as Shipper['pricing'], contract: r.contract ? json<ContractPrice>(r.contract) : null, active: r.active,
      createdAt: iso(r.created_at) ?? '', updatedAt: iso(r.updated_at) ?? '',
    };
  }

  private async checkShipper(input: ShipperInput, id: string): Promise<{ regionText: string; contract: ContractPrice | null; contacts: Contact[] }> {
    const errors: FieldError[] = [];
    const code = input.pickupDivisionCode;
    if (!/^\d{9}(\d{3})?$/.test(code) || !code.startsWith(this.opts.region)) errors.push({ path: '/pickupDivisionCode', message: `a town (9 digits) or village (12 digits) code in region ${this.opts.region}` });
    const names = await repo.divisionNames(this.db, [code.slice(0, 6), code.slice(0, 9), ...(code.length === 12 ? [code] : [])]);
    if (!names.has(code)) errors.push({ path: '/pickupDivisionCode', message: `no division ${code}` });
    const contacts = input.contacts.map((c, i) => {
      const phone = normalizePhone(c.phone);
      if (!phone) errors.push({ path: `/contacts/${i}/phone`, message: `not a mainland phone number: ${c.phone}` });
      return { name: c.name.trim(), phone: phone ?? c.phone, ...(c.role ? { role: c.role } : {}) };
    });
    let contract: ContractPrice | null = null;
    if (input.pricing === 'contract') {
      if (!input.contract) errors.push({ path: '/contract', message: 'a contract price needs the contract terms' });
      else {
        const tariff = await this.currentTariff();
        const zones = new Set(tariff.zones.map((z) => z.id));
        for (const z of Object.keys(input.contract.zoneRates ?? {})) if (!zones.has(z)) errors.push({ path: `/contract/zoneRates/${z}`, message: `no zone ${z} in tariff ${tariff.version}` });
        const c = input.contract;
        if (c.validFrom && c.validTo && c.validTo < c.validFrom) errors.push({ path: '/contract/validTo', message: 'ends before it starts' });
        if (!c.zoneRates && c.discountPercent === undefined && c.volumetricDivisor === undefined) errors.push({ path: '/contract', message: 'give zone rates, a discount or a volumetric divisor' });
        contract = { ...c, id: `ctr_${id.replace(/^shp_/, '')}_${chinaDate(this.opts.clock()).replace(/-/g, '')}`, shipperId: id, version: tariff.version };
      }
    }
    if (errors.length) throw invalid('shipper.invalid', 'the shipper is not valid', errors);
    const regionText = [code.slice(0, 6), code.slice(0, 9), code.length === 12 ? code : ''].filter(Boolean).map((c) => names.get(c) ?? '').join('');
    return { regionText, contract, contacts };
  }

  async createShipper(p: Principal, input: ShipperInput): Promise<Shipper> {
    const countyCode = input.pickupDivisionCode.slice(0, 6);
    this.assertWrite(p, countyCode);
    if (input.pricing === 'contract' && p.role !== 'admin' && p.role !== 'county_manager') throw forbidden('shipper.contract_role', 'contract prices are set by a county manager or the administrator');
    const code = input.code.trim().toUpperCase();
    const id = `shp_${code.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
    const { regionText, contract, contacts } = await this.checkShipper(input, id);
    if (await repo.shipperCodeTaken(this.db, code)) throw conflict('shipper.code_taken', `a shipper with code ${code} exists`);
    const at = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      await repo.insertShipper(tx, {
        id, code, name: input.name.trim(), kind: input.kind, county_code: countyCode, pickup_division_code: input.pickupDivisionCode,
        pickup_region_text: regionText, pickup_address: input.pickupAddress.trim(), contacts: JSON.stringify(contacts), products: input.products,
        pricing: input.pricing, contract: contract ? JSON.stringify(contract) : null, active: input.active ?? true, created_at: at, updated_at: at,
      });
      await appendAudit(tx, p, { action: 'shipper.create', objectType: 'shipper', objectId: id, detail: { code, pricing: input.pricing } }, at);
    });
    return this.getShipper(p, id);
  }

  async getShipper(p: Principal, id: string): Promise<Shipper> {
    const r = await repo.getShipper(this.db, id);
    if (!r) throw notFound('shipper.not_found', `no shipper ${id}`);
    this.visible(p, r.county_code, 'shipper', id);
    return this.toShipper(r);
  }

  async updateShipper(p: Principal, id: string, patch: Partial<Omit<ShipperInput, 'code'>>): Promise<Shipper> {
    const cur = await this.getShipper(p, id);
    this.assertWrite(p, cur.countyCode);
    const next: ShipperInput = {
      code: cur.code, name: patch.name ?? cur.name, kind: patch.kind ?? cur.kind, pickupDivisionCode: patch.pickupDivisionCode ?? cur.pickupDivisionCode,
      pickupAddress: patch.pickupAddress ?? cur.pickupAddress, contacts: patch.contacts ?? cur.contacts, products: patch.products ?? cur.products,
      pricing: patch.pricing ?? cur.pricing, contract: patch.contract !== undefined ? patch.contract : cur.contract, active: patch.active ?? cur.active,
    };
    const countyCode = next.pickupDivisionCode.slice(0, 6);
    this.assertWrite(p, countyCode);
    if ((patch.pricing !== undefined || patch.contract !== undefined) && p.role !== 'admin' && p.role !== 'county_manager') throw forbidden('shipper.contract_role', 'contract prices are set by a county manager or the administrator');
    const keepContract = patch.contract === undefined && cur.contract && next.pricing === 'contract';
    const { regionText, contract, contacts } = keepContract
      ? { ...(await this.checkShipper({ ...next, pricing: 'public' }, id)), contract: cur.contract }
      : await this.checkShipper(next, id);
    const at = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      await repo.updateShipper(tx, id, {
        name: next.name.trim(), kind: next.kind, county_code: countyCode, pickup_division_code: next.pickupDivisionCode, pickup_region_text: regionText,
        pickup_address: next.pickupAddress.trim(), contacts: JSON.stringify(contacts), products: next.products, pricing: next.pricing,
        contract: next.pricing === 'contract' && contract ? JSON.stringify(contract) : null, active: next.active ?? true, updated_at: at,
      });
      await appendAudit(tx, p, { action: patch.active === false ? 'shipper.deactivate' : 'shipper.update', objectType: 'shipper', objectId: id, detail: { changed: Object.keys(patch) } }, at);
    });
    return this.getShipper(p, id);
  }

  async listShippers(p: Principal, q: { county?: string; kind?: string; q?: string; active?: boolean; limit: number; offset: number }) {
    const countyCode = this.readScope(p, q.county);
    const page = await repo.listShippers(this.db, { ...q, countyCode });
    return { items: await Promise.all(page.items.map((r) => this.toShipper(r))), total: page.total };
  }

  // ---------- tariffs and quotes ----------
  async currentTariff(db: Db = this.db): Promise<Tariff> {
    const r = await repo.currentTariff(db);
    if (!r) throw new DomainError('infeasible', 'tariff.none', 'no tariff is configured');
    return json<Tariff>(r.body);
  }

  async listTariffs() {
    return (await repo.listTariffs(this.db)).map((r) => ({
      version: r.version, originCode: r.origin_code, validFrom: iso(r.valid_from), supersededAt: iso(r.superseded_at), supersededBy: r.superseded_by,
      current: r.superseded_at === null, createdBy: r.created_by, createdAt: iso(r.created_at), tariff: json<Tariff>(r.body),
    }));
  }

  /** A new version supersedes the current one; versions are never edited (the table refuses it). */
  async createTariff(p: Principal, t: Tariff) {
    if (p.role !== 'admin') throw forbidden('scope.admin', 'tariffs are set by the prefecture administrator');
    validateTariff(t);
    const at = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      if (await repo.getTariff(tx, t.version)) throw conflict('tariff.version_taken', `tariff version ${t.version} exists; a new version needs a new label`);
      const cur = await repo.lockCurrentTariff(tx);
      if (cur) await repo.supersedeTariff(tx, cur.version, t.version, at);
      // The superseded_by reference needs the new row first: insert, then point the old one at it.
      await repo.insertTariff(tx, { version: t.version, origin_code: t.originCode, body: JSON.stringify(t), valid_from: at, created_by: p.id, created_at: at });
      await appendAudit(tx, p, { action: 'tariff.create', objectType: 'tariff', objectId: t.version, detail: { supersedes: cur?.version ?? null } }, at);
    });
    return (await this.listTariffs()).find((x) => x.version === t.version);
  }

  async quote(p: Principal, q: { destinationCode?: string; address?: string; weightG: number; dimensions?: Dimensions; shipperId?: string }) {
    this.readScope(p);
    let destinationCode = q.destinationCode;
    if (!destinationCode) {
      const r = this.regions.resolve(q.address ?? '');
      if (!r.ok) throw invalid('quote.destination_unknown', r.message, [{ path: '/address', message: r.message }]);
      destinationCode = r.region.county.code;
    }
    let contract: ContractPrice | undefined;
    if (q.shipperId) {
      const s = await this.getShipper(p, q.shipperId);
      if (s.pricing === 'contract' && s.contract) contract = s.contract;
    }
    const tariff = await this.currentTariff();
    const result = priceQuote(tariff, { destinationCode, weightG: q.weightG, ...(q.dimensions ? { dimensions: q.dimensions } : {}), ...(contract ? { contract } : {}), date: chinaDate(this.opts.clock()) });
    return { ...result, destinationCode, destination: this.regions.displayName(destinationCode) };
  }

  // ---------- waybill ranges ----------
  private static toRange(r: Awaited<ReturnType<typeof repo.listRanges>>[number]): WaybillRange {
    return { id: r.id, scheme: json<WaybillScheme>(r.scheme), from: Number(r.from_serial), to: Number(r.to_serial), next: Number(r.next_serial) };
  }

  async listRanges(p: Principal) {
    if (p.role !== 'admin') throw forbidden('scope.admin', 'waybill ranges are managed by the prefecture administrator');
    return (await repo.listRanges(this.db)).map((r) => ({ ...OutboundService.toRange(r), priority: r.priority, active: r.active, remaining: Number(r.to_serial) + 1 - Number(r.next_serial) }));
  }

  async createRange(p: Principal, input: { id?: string; scheme: WaybillScheme; from: number; to: number; priority?: number; active?: boolean }) {
    if (p.role !== 'admin') throw forbidden('scope.admin', 'waybill ranges are managed by the prefecture administrator');
    const range: WaybillRange = { id: input.id ?? newId('wbr'), scheme: input.scheme, from: input.from, to: input.to, next: input.from };
    try {
      validateRange(range);
    } catch (err) {
      throw invalid('waybill_range.invalid', err instanceof Error ? err.message : String(err), [{ path: '/', message: err instanceof Error ? err.message : 'invalid' }]);
    }
    const at = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      const existing = (await repo.listRanges(tx)).map(OutboundService.toRange);
      if (existing.some((e) => e.id === range.id)) throw conflict('waybill_range.id_taken', `range ${range.id} exists`);
      const clash = existing.find((e) => rangesOverlap(e, range));
      if (clash) throw conflict('waybill_range.overlap', `the range overlaps range ${clash.id}: a number could be issued twice`);
      await repo.insertRange(tx, { id: range.id, scheme: JSON.stringify(range.scheme), from_serial: range.from, to_serial: range.to, next_serial: range.next, priority: input.priority ?? 100, created_by: p.id, created_at: at });
      await appendAudit(tx, p, { action: 'waybill_range.create', objectType: 'waybill_range', objectId: range.id, detail: { from: range.from, to: range.to } }, at);
    });
    return range;
  }

  /** Retires (or brings back) a range; its issued numbers stay in the ledger either way. */
  async setRangeActive(p: Principal, id: string, active: boolean) {
    if (p.role !== 'admin') throw forbidden('scope.admin', 'waybill ranges are managed by the prefecture administrator');
    const at = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      if (!(await repo.setRangeActive(tx, id, active))) throw notFound('waybill_range.not_found', `no range ${id}`);
      await appendAudit(tx, p, { action: active ? 'waybill_range.activate' : 'waybill_range.retire', objectType: 'waybill_range', objectId: id }, at);
    });
    return (await this.listRanges(p)).find((r) => r.id === id);
  }

  /**
   * Issues `count` domestic numbers inside the caller's transaction: the active ranges are locked
   * (SELECT … FOR UPDATE) until it commits, the cursor moves with a compare-and-set, and every
   * number goes into the issued ledger (primary key: a number can never be issued twice).
   */
  async allocate(tx: Db, count: number, at: Date): Promise<string[]> {
    if (count === 0) return [];
    const ranges = (await repo.lockActiveRanges(tx)).map(OutboundService.toRange).filter((r) => r.scheme.kind === 'domestic');
    let result: ReturnType<typeof allocateFrom>;
    try {
      result = allocateFrom(ranges, count);
    } catch (err) {
      if (err instanceof RangeExhaustedError) throw conflict('waybill.range_exhausted', `the waybill ranges have ${err.remaining} numbers left, ${count} needed: configure a new range`);
      throw err;
    }
    const issued: Array<{ waybill_no: string; range_id: string; serial: number; issued_at: Date }> = [];
    for (const u of result.updates) {
      if (!(await repo.advanceRange(tx, u.range.id, u.expectedNext, u.range.next))) throw conflict('waybill.race', 'the waybill range moved under us; retry');
      u.numbers.forEach((n, i) => issued.push({ waybill_no: n, range_id: u.range.id, serial: u.expectedNext + i, issued_at: at }));
    }
    await repo.insertIssued(tx, issued);
    return result.numbers;
  }

  /** Numbers alone (for pre-printed label rolls): issued and recorded, not yet tied to an order. */
  async issueNumbers(p: Principal, count: number): Promise<string[]> {
    if (p.role !== 'admin' && p.role !== 'county_manager') throw forbidden('scope.role', 'issuing waybill numbers needs a county manager or the administrator');
    const at = this.opts.clock();
    return this.db.transaction().execute(async (tx) => {
      const nos = await this.allocate(tx, count, at);
      await appendAudit(tx, p, { action: 'waybill.issue', objectType: 'waybill', detail: { count, first: nos[0], last: nos.at(-1) } }, at);
      return nos;
    });
  }

  // ---------- orders ----------
  private category(shipper: Shipper, product: string | undefined): string {
    const hit = product ? shipper.products.find((c) => product.includes(c)) : undefined;
    return hit ?? shipper.products[0] ?? '其他';
  }

  /** Prices the parsed orders; rows that cannot be priced (not served, too heavy, no weight) are rejected. */
  private price(orders: ParsedOrder[], tariff: Tariff, shipper: Shipper, dims: Dimensions | undefined, date: string) {
    const ok: Array<{ order: ParsedOrder & { weightG: number }; quote: Quote }> = [];
    const rejected: RejectedRow[] = [];
    const contract = shipper.pricing === 'contract' && shipper.contract ? shipper.contract : undefined;
    for (const o of orders) {
      if (o.weightG === undefined) {
        rejected.push({ row: o.row, field: 'weight', message: '缺少重量（文件没有重量列时请给出默认重量 defaultWeightG）' });
        continue;
      }
      try {
        const q = priceQuote(tariff, { destinationCode: o.region.county.code, weightG: o.weightG, ...(dims ? { dimensions: dims } : {}), ...(contract ? { contract } : {}), date });
        ok.push({ order: { ...o, weightG: o.weightG }, quote: q });
      } catch (err) {
        if (err instanceof DomainError) {
          const field = err.code === 'tariff.too_heavy' || err.code === 'tariff.weight_invalid' ? 'weight' : err.code === 'tariff.destination_not_served' ? 'address' : 'row';
          rejected.push({ row: o.row, field, message: err.message });
        }
        else throw err;
      }
    }
    return { ok, rejected };
  }

  private orderRows(priced: Array<{ order: ParsedOrder & { weightG: number }; quote: Quote }>, numbers: string[], shipper: Shipper, p: Principal, at: Date, importId: string | null, dims: Dimensions | undefined): repo.NewOrder[] {
    const pii = this.opts.pii;
    return priced.map(({ order: o, quote: q }, i) => ({
      id: newId('obo'),
      shipper_id: shipper.id,
      county_code: shipper.countyCode,
      import_id: importId,
      external_no: o.orderNo ?? null,
      waybill_no: numbers[i]!,
      recipient_name_enc: pii.encrypt(o.recipientName),
      recipient_name_masked: maskName(o.recipientName),
      phone_enc: pii.encrypt(o.recipientPhone),
      phone_hmac: pii.lookupHash(o.recipientPhone.replace(/\D/g, '')),
      phone_masked: maskPhone(o.recipientPhone),
      address_enc: pii.encrypt(o.region.detail),
      address_masked: maskAddress(o.region.detail),
      dest_province_code: o.region.province.code,
      dest_county_code: o.region.county.code,
      dest_region_text: regionText(o.region),
      destination: this.regions.displayName(o.region.county.code),
      weight_g: o.weightG,
      dimensions: dims ? JSON.stringify(dims) : null,
      product: o.product ?? null,
      category: this.category(shipper, o.product),
      quantity: o.quantity,
      price_fen: q.totalFen,
      tariff_version: q.tariffVersion,
      contract_id: q.contractId ?? null,
      quote: JSON.stringify(q),
      status: 'created',
      status_at: at,
      created_by: p.id,
      created_at: at,
    }));
  }

  private async writableShipper(p: Principal, shipperId: string): Promise<Shipper> {
    const s = await this.getShipper(p, shipperId);
    this.assertWrite(p, s.countyCode);
    if (!s.active) throw conflict('shipper.inactive', `shipper ${s.code} is not active`);
    return s;
  }

  /**
   * One order. With an Idempotency-Key the claim is written in the order's own transaction: a
   * repeat (same key and body) returns the first order, never a second number; the same key with
   * another body is a conflict.
   */
  async createOrderIdempotent(p: Principal, input: OrderInput, key: string | undefined): Promise<{ order: OrderView; replayed: boolean }> {
    if (!key) return { order: await this.createOrder(p, input), replayed: false };
    const owner = `outbound.order:${p.id}`;
    const hash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    const replay = async (): Promise<{ order: OrderView; replayed: boolean } | undefined> => {
      const hit = await repo.getIdempotency(this.db, owner, key);
      if (!hit) return undefined;
      if (hit.request_hash !== hash) throw conflict('idempotency.mismatch', 'this Idempotency-Key was used with another request body');
      return { order: await this.getOrder(p, json<{ orderId: string }>(hit.response).orderId), replayed: true };
    };
    const first = await replay();
    if (first) return first;
    try {
      return { order: await this.createOrder(p, input, { owner, key, hash }), replayed: false };
    } catch (err) {
      if (err instanceof DomainError && err.code === 'idempotency.claimed') {
        const again = await replay();
        if (again) return again;
      }
      throw err;
    }
  }

  async createOrder(p: Principal, input: OrderInput, idem?: { owner: string; key: string; hash: string }): Promise<OrderView> {
    const shipper = await this.writableShipper(p, input.shipperId);
    const header = ['订单编号', '收货人姓名', '联系手机', '收货地址', '宝贝标题', '购买数量', '重量(g)', '备注'];
    const cells = [input.externalNo ?? '', input.recipient.name, input.recipient.phone, input.recipient.address, input.product ?? '', String(input.quantity ?? 1), String(input.weightG), input.remark ?? ''];
    const parsed = parseOrders({ rows: [{ row: 1, cells: header }, { row: 2, cells }] });
    const tariff = await this.currentTariff();
    const priced = this.price(parsed.orders, tariff, shipper, input.dimensions, chinaDate(this.opts.clock()));
    const rejected = [...parsed.rejected, ...priced.rejected];
    if (rejected.length) throw invalid('order.invalid', rejected.map((r) => r.message).join('；'), rejected.map((r) => ({ path: FIELD_PATH[r.field] ?? '', message: r.message })));
    if (input.externalNo && (await repo.existingExternalNos(this.db, shipper.id, [input.externalNo])).size) throw conflict('order.duplicate', `order ${input.externalNo} of this shipper exists`);
    const at = this.opts.clock();
    const orderId = newId('obo');
    const id = await this.db.transaction().execute(async (tx) => {
      if (idem && !(await repo.claimIdempotency(tx, idem.owner, idem.key, idem.hash, { orderId }, at))) throw conflict('idempotency.claimed', 'the Idempotency-Key is taken');
      const numbers = await this.allocate(tx, 1, at);
      const rows = this.orderRows(priced.ok, numbers, shipper, p, at, null, input.dimensions).map((r) => ({ ...r, id: orderId }));
      await repo.insertOrders(tx, rows);
      await appendAudit(tx, p, { action: 'order.create', objectType: 'order', objectId: rows[0]!.id, detail: { waybillNo: numbers[0], shipper: shipper.code } }, at);
      return rows[0]!.id;
    });
    return this.getOrder(p, id);
  }

  toOrder(r: repo.OrderRow): OrderView {
    return {
      id: r.id, shipperId: r.shipper_id, countyCode: r.county_code, importId: r.import_id, externalNo: r.external_no, waybillNo: r.waybill_no,
      recipient: { name: r.recipient_name_masked, phone: r.phone_masked, address: r.dest_region_text + r.address_masked },
      destination: r.destination, destRegionText: r.dest_region_text, destCountyCode: r.dest_county_code, weightG: r.weight_g,
      dimensions: r.dimensions ? json<Dimensions>(r.dimensions) : null, product: r.product, category: r.category, quantity: r.quantity,
      priceFen: r.price_fen, tariffVersion: r.tariff_version, contractId: r.contract_id, quote: json<Quote>(r.quote), status: r.status,
      statusAt: iso(r.status_at) ?? '', collectedAt: iso(r.collected_at), pickupTaskId: r.pickup_task_id, bagId: r.bag_id,
      labelsPrinted: r.labels_printed, createdAt: iso(r.created_at) ?? '',
    };
  }

  async getOrder(p: Principal, id: string): Promise<OrderView> {
    const r = await repo.getOrder(this.db, id);
    if (!r) throw notFound('order.not_found', `no order ${id}`);
    this.visible(p, r.county_code, 'order', id);
    return this.toOrder(r);
  }

  async listOrders(p: Principal, q: { county?: string; shipperId?: string; importId?: string; status?: string; waybillNo?: string; limit: number; offset: number }) {
    const countyCode = this.readScope(p, q.county);
    const page = await repo.listOrders(this.db, { ...q, countyCode });
    return { items: page.items.map((r) => this.toOrder(r)), total: page.total };
  }

  /** Cancels an order that has not been collected; its waybill number is never issued again. */
  async cancelOrder(p: Principal, id: string, reason?: string): Promise<OrderView> {
    const cur = await this.getOrder(p, id);
    this.assertWrite(p, cur.countyCode);
    const at = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      const o = (await repo.ordersByIds(tx, [id]))[0];
      if (!o || o.status !== 'created') throw conflict('order.not_cancellable', `order ${cur.waybillNo} is ${o?.status ?? 'gone'}: only orders not yet collected can be cancelled`);
      await repo.setOrdersStatus(tx, [id], { status: 'cancelled', status_at: at });
      await repo.insertEvents(tx, this.events([id], 'cancelled', at, at, p.id, reason ? { reason } : {}));
      await appendAudit(tx, p, { action: 'order.cancel', objectType: 'order', objectId: id, detail: { waybillNo: cur.waybillNo } }, at);
    });
    return this.getOrder(p, id);
  }

  async orderEvents(p: Principal, id: string) {
    await this.getOrder(p, id);
    return (await repo.listEvents(this.db, id)).map((e) => ({ eventId: e.event_id, type: e.type, eventTime: iso(e.event_time), recordedAt: iso(e.recorded_at), actorId: e.actor_id, payload: json<Record<string, unknown>>(e.payload) }));
  }

  /**
   * Bulk import of an order export (CSV / .xlsx). mode=all: any rejected row rejects the file (422,
   * every row error listed) and nothing is written. mode=valid: the valid rows are written. Either
   * way the orders of one file are priced, numbered and inserted in one transaction.
   */
  async importOrders(p: Principal, input: { shipperId: string; file: Buffer; filename: string; mode: 'all' | 'valid'; mapping?: Partial<Record<OrderField, string>>; defaultWeightG?: number }): Promise<ImportReport> {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const shipper = await this.writableShipper(p, input.shipperId);
    const tariff = await this.currentTariff();
    const table: RawTable = await readOrderFile(input.file, input.filename, { maxBytes: this.opts.uploadLimitBytes });
    const tRead = performance.now();
    const parsed = parseOrders(table, { ...(input.mapping ? { explicitMapping: input.mapping } : {}), ...(input.defaultWeightG ? { defaultWeightG: input.defaultWeightG } : {}), maxWeightG: tariff.maxWeightG, regions: this.regions });
    const rejected: RejectedRow[] = [...parsed.rejected];
    // Order numbers: unique within the file and against what this shipper already imported.
    const seen = new Map<string, number>();
    let candidates = parsed.orders.filter((o) => {
      if (!o.orderNo) return true;
      const first = seen.get(o.orderNo);
      if (first !== undefined) {
        rejected.push({ row: o.row, field: 'orderNo', message: `订单号 ${o.orderNo} 与第 ${first} 行重复` });
        return false;
      }
      seen.set(o.orderNo, o.row);
      return true;
    });
    const existing = await repo.existingExternalNos(this.db, shipper.id, [...seen.keys()]);
    if (existing.size) {
      candidates = candidates.filter((o) => {
        if (o.orderNo && existing.has(o.orderNo)) {
          rejected.push({ row: o.row, field: 'orderNo', message: `订单号 ${o.orderNo} 已导入过` });
          return false;
        }
        return true;
      });
    }
    const at = this.opts.clock();
    const priced = this.price(candidates, tariff, shipper, undefined, chinaDate(at));
    rejected.push(...priced.rejected);
    rejected.sort((a, b) => a.row - b.row);
    const errors: FieldError[] = rejected.map((r) => ({ path: `row ${r.row}/${r.field}`, message: r.message, row: r.row }));
    const rejectedRows = new Set(rejected.map((r) => r.row)).size;
    const columns = Object.fromEntries(Object.entries(parsed.columns.mapping).map(([f, i]) => [f, parsed.columns.headers[i as number] ?? '']));
    if (input.mode === 'all' && rejected.length) {
      throw invalid('orders.import_rejected', `${rejectedRows} of ${parsed.total} rows are not valid: nothing was imported (fix them, or import with mode=valid)`, errors);
    }
    if (priced.ok.length === 0) throw invalid('orders.import_empty', 'the file has no valid order rows: nothing was imported', errors.length ? errors : [{ path: 'file', message: 'no data rows' }]);
    const tValid = performance.now();
    const importId = newId('imp');
    const fileHash = createHash('sha256').update(input.file).digest('hex');
    // Numbers are issued in their own short transaction, so the range rows stay locked for
    // milliseconds and not for the whole insert (single orders at the stations are not held up by a
    // bulk import). Should the import transaction then fail, those numbers stay in the ledger unused
    // ("burnt"): they are never issued again, and no order of the file is written.
    const numbers = await this.db.transaction().execute((tx) => this.allocate(tx, priced.ok.length, at));
    const rows = this.orderRows(priced.ok, numbers, shipper, p, at, importId, undefined);
    await this.db.transaction().execute(async (tx) => {
      await repo.insertImport(tx, { id: importId, shipper_id: shipper.id, county_code: shipper.countyCode, filename: input.filename.slice(0, 200), file_hash: fileHash, mode: input.mode, rows_total: parsed.total, imported: numbers.length, rejected: rejectedRows, elapsed_ms: Math.round(performance.now() - t0), created_by: p.id, created_at: at });
      await repo.insertOrders(tx, rows);
      await appendAudit(tx, p, { action: 'orders.import', objectType: 'order_import', objectId: importId, detail: { shipper: shipper.code, imported: numbers.length, rejected: rejectedRows, fileHash, firstWaybillNo: numbers[0], lastWaybillNo: numbers.at(-1) } }, at);
    });
    const cpu = process.cpuUsage(cpu0);
    return {
      importId, mode: input.mode, total: parsed.total, imported: numbers.length, skippedEmpty: parsed.skippedEmpty, rejectedRows, rejected: errors,
      firstWaybillNo: numbers[0] ?? null, lastWaybillNo: numbers.at(-1) ?? null, elapsedMs: Math.round(performance.now() - t0), columns,
      timings: { readMs: Math.round(tRead - t0), validateMs: Math.round(tValid - tRead), writeMs: Math.round(performance.now() - tValid), cpuMs: Math.round((cpu.user + cpu.system) / 1000) },
    };
  }

  private static toImport(r: NonNullable<Awaited<ReturnType<typeof repo.getImport>>>) {
    return { id: r.id, shipperId: r.shipper_id, countyCode: r.county_code, filename: r.filename, fileHash: r.file_hash, mode: r.mode, rowsTotal: r.rows_total, imported: r.imported, rejectedRows: r.rejected, elapsedMs: r.elapsed_ms, createdBy: r.created_by, createdAt: iso(r.created_at) };
  }

  async listImports(p: Principal, q: { county?: string; shipperId?: string; limit: number; offset: number }) {
    const countyCode = this.readScope(p, q.county);
    const page = await repo.listImports(this.db, { ...q, countyCode });
    return { items: page.items.map(OutboundService.toImport), total: page.total };
  }

  async getImport(p: Principal, id: string) {
    const r = await repo.getImport(this.db, id);
    if (!r) throw notFound('order_import.not_found', `no import ${id}`);
    this.visible(p, r.county_code, 'order_import', id);
    return OutboundService.toImport(r);
  }

  /** Print jobs of the caller's county (jobs spanning several counties are listed to the admin only). */
  async listLabelJobs(p: Principal, q: { county?: string; limit: number; offset: number }) {
    const countyCode = this.readScope(p, q.county);
    const page = await repo.listLabelJobs(this.db, { ...q, countyCode });
    return { items: page.items.map((j) => ({ id: j.id, countyCode: j.county_code, format: j.format, labels: j.labels, reprints: j.reprints, createdBy: j.created_by, createdAt: iso(j.created_at) })), total: page.total };
  }

  // ---------- labels ----------
  private decrypt(enc: string | null, fallback: string): string {
    if (!enc) return fallback;
    try {
      return this.opts.pii.decrypt(enc);
    } catch {
      return fallback;
    }
  }

  private async shippersById(ids: string[]): Promise<Map<string, Shipper>> {
    const out = new Map<string, Shipper>();
    for (const id of new Set(ids)) {
      const r = await repo.getShipper(this.db, id);
      if (r) out.set(id, await this.toShipper(r));
    }
    return out;
  }

  private senderParty(s: Shipper): LabelParty {
    const c = s.contacts[0];
    return { name: s.name, phone: c?.phone ?? '', address: s.pickupAddress, region: s.pickupRegionText, organization: s.kind !== 'individual' };
  }

  /** Records a print job (reprints marked, one audit row) and returns the label data to render. */
  async labelJob(p: Principal, input: { orderIds?: string[]; importId?: string; format: 'thermal' | 'a4' | 'zpl' }): Promise<{ jobId: string; labels: LabelData[]; reprints: number; prepareMs: number }> {
    const t0 = performance.now();
    let rows: repo.OrderRow[];
    if (input.importId) {
      const imp = await repo.getImport(this.db, input.importId);
      if (!imp || !canReadCounty(p, imp.county_code)) throw notFound('order_import.not_found', `no import ${input.importId}`);
      // a whole import prints without its cancelled orders
      rows = (await repo.ordersByImport(this.db, input.importId)).filter((r) => r.status !== 'cancelled');
    } else {
      const ids = [...new Set(input.orderIds ?? [])];
      if (!ids.length) throw invalid('labels.empty', 'give orderIds or importId', [{ path: '/orderIds', message: 'empty' }]);
      rows = await repo.ordersByIds(this.db, ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const missing = ids.filter((id) => !byId.get(id) || !canReadCounty(p, byId.get(id)!.county_code));
      if (missing.length) throw notFound('order.not_found', `no order ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`);
      rows = ids.map((id) => byId.get(id)!);
    }
    for (const r of rows) this.assertOperate(p, r.county_code);
    const cancelled = rows.filter((r) => r.status === 'cancelled');
    if (cancelled.length) throw conflict('labels.cancelled', `order ${cancelled[0]!.waybill_no} is cancelled: no label`);
    const shippers = await this.shippersById(rows.map((r) => r.shipper_id));
    const labels: LabelData[] = rows.map((r) => {
      const s = shippers.get(r.shipper_id)!;
      return {
        waybillNo: r.waybill_no,
        destination: r.destination,
        recipient: { name: this.decrypt(r.recipient_name_enc, r.recipient_name_masked), phone: this.decrypt(r.phone_enc, r.phone_masked), address: this.decrypt(r.address_enc, r.address_masked), region: r.dest_region_text },
        sender: this.senderParty(s),
        weightG: r.weight_g,
        ...(r.product ? { product: r.product } : {}),
        quantity: r.quantity,
        ...(r.external_no ? { orderNo: r.external_no } : {}),
        date: chinaDate(new Date(r.created_at)),
        ...(r.labels_printed > 0 ? { reprint: true } : {}),
      };
    });
    const reprints = rows.filter((r) => r.labels_printed > 0).length;
    const jobId = newId('lbj');
    const at = this.opts.clock();
    const counties = [...new Set(rows.map((r) => r.county_code))];
    await this.db.transaction().execute(async (tx) => {
      if (input.importId) await repo.markPrintedByImport(tx, input.importId);
      else await repo.markPrinted(tx, rows.map((r) => r.id));
      await repo.insertLabelJob(tx, { id: jobId, county_code: counties.length === 1 ? counties[0]! : null, format: input.format, labels: rows.length, reprints, order_ids: JSON.stringify(rows.map((r) => r.id)), created_by: p.id, created_at: at });
      await appendAudit(tx, p, { action: reprints ? 'labels.reprint' : 'labels.print', objectType: 'label_job', objectId: jobId, detail: { format: input.format, labels: rows.length, reprints, ...(input.importId ? { importId: input.importId } : {}) } }, at);
    });
    return { jobId, labels, reprints, prepareMs: Math.round(performance.now() - t0) };
  }

  // ---------- events ----------
  private events(orderIds: string[], type: string, eventTime: Date, at: Date, actor: string, payload: Record<string, unknown>): repo.NewEvent[] {
    const body = JSON.stringify(payload);
    return orderIds.map((order_id) => ({
      event_id: newId('oev'), order_id, type, event_time: eventTime, recorded_at: at, actor_id: actor,
      body_hash: createHash('sha256').update(`${order_id}|${type}|${eventTime.toISOString()}|${body}`).digest('hex'), payload: body,
    }));
  }

  // ---------- pickup tasks 上门揽收 ----------
  private toTask(r: Awaited<ReturnType<typeof repo.listPickupTasks>>['items'][number]) {
    const d = r.planned_date;
    // pg and PGlite read a date column as local midnight
    const plannedDate = d instanceof Date ? `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}` : String(d).slice(0, 10);
    return {
      id: r.id, shipperId: r.shipper_id, countyCode: r.county_code, plannedDate,
      expectedParcels: r.expected_parcels, routeId: r.route_id, vehicleId: r.vehicle_id, status: r.status, collected: r.collected, note: r.note, createdAt: iso(r.created_at),
    };
  }

  async createPickupTask(p: Principal, input: { shipperId: string; plannedDate: string; expectedParcels: number; routeId?: string; vehicleId?: string; note?: string }) {
    const shipper = await this.writableShipper(p, input.shipperId);
    if (!!input.routeId === !!input.vehicleId) throw invalid('pickup.assignee', 'assign the task to a route run (routeId) or a special vehicle (vehicleId), one of them', [{ path: '/routeId', message: 'routeId or vehicleId' }]);
    const target = input.routeId ? await repo.getRoute(this.db, input.routeId) : await repo.getVehicle(this.db, input.vehicleId!);
    const path = input.routeId ? '/routeId' : '/vehicleId';
    if (!target) throw invalid('pickup.assignee', 'the route or vehicle does not exist', [{ path, message: 'not found' }]);
    if (target.county_code !== shipper.countyCode) throw invalid('pickup.assignee', `the ${input.routeId ? 'route' : 'vehicle'} is in county ${target.county_code}, the shipper in ${shipper.countyCode}`, [{ path, message: 'other county' }]);
    const id = newId('pku');
    const at = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      await repo.insertPickupTask(tx, { id, shipper_id: shipper.id, county_code: shipper.countyCode, planned_date: input.plannedDate, expected_parcels: input.expectedParcels, route_id: input.routeId ?? null, vehicle_id: input.vehicleId ?? null, note: input.note ?? null, created_by: p.id, created_at: at });
      await appendAudit(tx, p, { action: 'pickup.create', objectType: 'pickup_task', objectId: id, detail: { shipper: shipper.code, expected: input.expectedParcels } }, at);
    });
    return this.getPickupTask(p, id);
  }

  async getPickupTask(p: Principal, id: string) {
    const r = await repo.getPickupTask(this.db, id);
    if (!r) throw notFound('pickup_task.not_found', `no pickup task ${id}`);
    this.visible(p, r.county_code, 'pickup_task', id);
    return this.toTask(r);
  }

  async listPickupTasks(p: Principal, q: { county?: string; date?: string; status?: string; limit: number; offset: number }) {
    const countyCode = this.readScope(p, q.county);
    const page = await repo.listPickupTasks(this.db, { ...q, countyCode });
    return { items: page.items.map((r) => this.toTask(r)), total: page.total };
  }

  /** Collection scans (揽收): orders of the task's shipper become parcels in transit (event `collected`). */
  async collect(p: Principal, taskId: string, waybillNos: string[], eventTime?: string) {
    await this.getPickupTask(p, taskId);
    const at = this.opts.clock();
    const when = eventTime ? new Date(eventTime) : at;
    return this.db.transaction().execute(async (tx) => {
      const task = (await repo.getPickupTask(tx, taskId, true))!;
      this.assertOperate(p, task.county_code);
      if (task.status === 'done' || task.status === 'cancelled') throw conflict('pickup.closed', `the pickup task is ${task.status}`);
      const nos = [...new Set(waybillNos.map((n) => n.replace(/\s+/g, '')))];
      const found = new Map((await repo.ordersByWaybills(tx, nos)).map((o) => [o.waybill_no, o]));
      const collected: string[] = [];
      const duplicates: string[] = [];
      const rejected: Array<{ waybillNo: string; reason: string }> = [];
      for (const n of nos) {
        const o = found.get(n);
        if (!o || !canReadCounty(p, o.county_code)) rejected.push({ waybillNo: n, reason: 'unknown' });
        else if (o.shipper_id !== task.shipper_id) rejected.push({ waybillNo: n, reason: 'other_shipper' });
        else if (o.status === 'created') collected.push(n);
        else if (o.pickup_task_id === task.id) duplicates.push(n);
        else rejected.push({ waybillNo: n, reason: `status_${o.status}` });
      }
      const ids = collected.map((n) => found.get(n)!.id);
      if (ids.length) {
        await repo.setOrdersStatus(tx, ids, { status: 'collected', status_at: when, collected_at: when, pickup_task_id: task.id });
        await repo.insertEvents(tx, this.events(ids, 'collected', when, at, p.id, { pickupTaskId: task.id }));
        await repo.updatePickupTask(tx, task.id, { status: 'collecting', collected: task.collected + ids.length });
        await appendAudit(tx, p, { action: 'pickup.collect', objectType: 'pickup_task', objectId: task.id, detail: { collected: ids.length, duplicates: duplicates.length, rejected: rejected.length } }, at);
      }
      return { collected, duplicates, rejected, taskCollected: task.collected + ids.length };
    });
  }

  async completePickupTask(p: Principal, id: string, status: 'done' | 'cancelled') {
    const t = await this.getPickupTask(p, id);
    this.assertOperate(p, t.countyCode);
    if (t.status === 'done' || t.status === 'cancelled') throw conflict('pickup.closed', `the pickup task is already ${t.status}`);
    const at = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      await repo.updatePickupTask(tx, id, { status });
      await appendAudit(tx, p, { action: `pickup.${status}`, objectType: 'pickup_task', objectId: id, detail: { collected: t.collected } }, at);
    });
    return this.getPickupTask(p, id);
  }

  // ---------- bags 总包 / 封发 ----------
  private toBag(r: NonNullable<Awaited<ReturnType<typeof repo.getBag>>>) {
    return { id: r.id, bagNo: r.bag_no, countyCode: r.county_code, destination: r.destination, status: r.status, items: r.items, weightG: r.weight_g, sealNo: r.seal_no, sealedAt: iso(r.sealed_at), handoverId: r.handover_id, createdAt: iso(r.created_at) };
  }

  async createBag(p: Principal, input: { countyCode?: string; destination: string }) {
    const countyCode = input.countyCode ?? countyScope(p);
    if (!countyCode) throw invalid('bag.county', 'give the county the bag is made up in', [{ path: '/countyCode', message: 'required for prefecture-wide users' }]);
    this.assertOperate(p, countyCode);
    if (p.role === 'partner') throw forbidden('scope.partner', 'partners use the partner API');
    const at = this.opts.clock();
    const id = newId('bag');
    await this.db.transaction().execute(async (tx) => {
      const serial = await repo.nextBagSerial(tx);
      const bagNo = `ZB${countyCode}${String(serial).padStart(8, '0')}`;
      await repo.insertBag(tx, { id, bag_no: bagNo, county_code: countyCode, destination: input.destination.trim(), created_by: p.id, created_at: at });
      await appendAudit(tx, p, { action: 'bag.create', objectType: 'bag', objectId: id, detail: { bagNo } }, at);
    });
    return this.getBag(p, id);
  }

  async getBag(p: Principal, id: string) {
    const r = await repo.getBag(this.db, id);
    if (!r) throw notFound('bag.not_found', `no bag ${id}`);
    this.visible(p, r.county_code, 'bag', id);
    return this.toBag(r);
  }

  /** Scans parcels into an open bag (event `bagged`); only collected parcels of the bag's county. */
  async bagItems(p: Principal, bagId: string, waybillNos: string[]) {
    await this.getBag(p, bagId);
    const at = this.opts.clock();
    return this.db.transaction().execute(async (tx) => {
      const bag = (await repo.getBag(tx, bagId, true))!;
      this.assertOperate(p, bag.county_code);
      if (bag.status !== 'open') throw conflict('bag.sealed', `bag ${bag.bag_no} is ${bag.status}: open a new bag`);
      const nos = [...new Set(waybillNos.map((n) => n.replace(/\s+/g, '')))];
      const found = new Map((await repo.ordersByWaybills(tx, nos)).map((o) => [o.waybill_no, o]));
      const added: string[] = [];
      const duplicates: string[] = [];
      const rejected: Array<{ waybillNo: string; reason: string }> = [];
      let weight = 0;
      for (const n of nos) {
        const o = found.get(n);
        if (!o || !canReadCounty(p, o.county_code)) rejected.push({ waybillNo: n, reason: 'unknown' });
        else if (o.bag_id === bag.id) duplicates.push(n);
        else if (o.county_code !== bag.county_code) rejected.push({ waybillNo: n, reason: 'other_county' });
        else if (o.status !== 'collected') rejected.push({ waybillNo: n, reason: o.status === 'created' ? 'not_collected' : `status_${o.status}` });
        else {
          added.push(n);
          weight += o.weight_g;
        }
      }
      const ids = added.map((n) => found.get(n)!.id);
      if (ids.length) {
        await repo.setOrdersStatus(tx, ids, { status: 'bagged', status_at: at, bag_id: bag.id });
        await repo.insertEvents(tx, this.events(ids, 'bagged', at, at, p.id, { bagId: bag.id, bagNo: bag.bag_no }));
        await repo.updateBag(tx, bag.id, { items: bag.items + ids.length, weight_g: bag.weight_g + weight });
      }
      return { added, duplicates, rejected, items: bag.items + ids.length };
    });
  }

  async sealBag(p: Principal, bagId: string, sealNo?: string) {
    await this.getBag(p, bagId);
    const at = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      const bag = (await repo.getBag(tx, bagId, true))!;
      this.assertOperate(p, bag.county_code);
      if (bag.status !== 'open') throw conflict('bag.sealed', `bag ${bag.bag_no} is already ${bag.status}`);
      if (bag.items === 0) throw conflict('bag.empty', `bag ${bag.bag_no} is empty: scan parcels in before sealing`);
      await repo.updateBag(tx, bag.id, { status: 'sealed', sealed_at: at, seal_no: sealNo ?? null });
      const ids = (await repo.ordersInBag(tx, bag.id)).map((o) => o.id);
      await repo.insertEvents(tx, this.events(ids, 'bag_sealed', at, at, p.id, { bagId: bag.id, bagNo: bag.bag_no, ...(sealNo ? { sealNo } : {}) }));
      await appendAudit(tx, p, { action: 'bag.seal', objectType: 'bag', objectId: bag.id, detail: { bagNo: bag.bag_no, items: bag.items } }, at);
    });
    return this.getBag(p, bagId);
  }

  async bagLabel(p: Principal, bagId: string): Promise<LabelData> {
    const b = await this.getBag(p, bagId);
    const county = this.regions.displayName(b.countyCode);
    const office: LabelParty = { name: `${county} 邮政`, phone: '', address: '', region: county, organization: true };
    return {
      waybillNo: b.bagNo, destination: b.destination, recipient: { name: b.destination, phone: '', address: '', organization: true }, sender: office,
      weightG: b.weightG || 1, product: `总包 ${b.items} 件`, quantity: b.items, date: chinaDate(new Date(b.createdAt ?? this.opts.clock())), service: '总包 封发',
      ...(b.sealNo ? { remark: `封志 ${b.sealNo}` } : {}),
    };
  }

  /** Hands sealed bags to the trunk network with a manifest (event `handed_to_trunk` per parcel). */
  async handover(p: Principal, input: { bagIds: string[]; destination: string; vehicle?: string; driver?: string }) {
    const at = this.opts.clock();
    const id = newId('thd');
    await this.db.transaction().execute(async (tx) => {
      const bagIds = [...new Set(input.bagIds)];
      const bags = await repo.bagsByIds(tx, bagIds, true);
      const byId = new Map(bags.map((b) => [b.id, b]));
      const missing = bagIds.filter((b) => !byId.get(b) || !canReadCounty(p, byId.get(b)!.county_code));
      if (missing.length) throw notFound('bag.not_found', `no bag ${missing.join(', ')}`);
      for (const b of bags) this.assertOperate(p, b.county_code);
      const notSealed = bags.filter((b) => b.status !== 'sealed');
      if (notSealed.length) throw conflict('handover.bag_not_sealed', `bag ${notSealed[0]!.bag_no} is ${notSealed[0]!.status}: only sealed bags are handed over`);
      const counties = new Set(bags.map((b) => b.county_code));
      if (counties.size > 1) throw invalid('handover.counties', 'one handover per county', [{ path: '/bagIds', message: 'bags of several counties' }]);
      const countyCode = bags[0]!.county_code;
      const orders = await repo.ordersInBags(tx, bagIds);
      const serial = await repo.nextBagSerial(tx);
      const manifestNo = `JJ${countyCode}${String(serial).padStart(8, '0')}`;
      await repo.insertHandover(tx, { id, manifest_no: manifestNo, county_code: countyCode, destination: input.destination, vehicle: input.vehicle ?? null, driver: input.driver ?? null, bags: bags.length, parcels: orders.length, weight_g: bags.reduce((s, b) => s + b.weight_g, 0), handed_at: at, created_by: p.id });
      for (const b of bags) await repo.updateBag(tx, b.id, { status: 'handed_over', handover_id: id });
      const ids = orders.map((o) => o.id);
      await repo.setOrdersStatus(tx, ids, { status: 'handed_over', status_at: at });
      await repo.insertEvents(tx, this.events(ids, 'handed_to_trunk', at, at, p.id, { handoverId: id, manifestNo, destination: input.destination }));
      await appendAudit(tx, p, { action: 'trunk.handover', objectType: 'trunk_handover', objectId: id, detail: { manifestNo, bags: bags.length, parcels: ids.length } }, at);
    });
    return this.getHandover(p, id);
  }

  async getHandover(p: Principal, id: string) {
    const h = await repo.getHandover(this.db, id);
    if (!h) throw notFound('trunk_handover.not_found', `no handover ${id}`);
    this.visible(p, h.county_code, 'trunk_handover', id);
    const bags = await repo.bagsOfHandover(this.db, id);
    return { id: h.id, manifestNo: h.manifest_no, countyCode: h.county_code, destination: h.destination, vehicle: h.vehicle, driver: h.driver, bags: bags.map((b) => ({ id: b.id, bagNo: b.bag_no, items: b.items })), parcels: h.parcels, weightG: h.weight_g, handedAt: iso(h.handed_at) };
  }

  async handoverManifest(p: Principal, id: string): Promise<{ parcels: ManifestParcel[]; header: { route: string; origin: string; date: string; manifestNo: string; vehicle?: string; carrier?: string; title: string } }> {
    const h = await this.getHandover(p, id);
    const orders = await repo.ordersInBags(this.db, h.bags.map((b) => b.id));
    const parcels: ManifestParcel[] = orders.map((o) => ({
      waybillNo: o.waybill_no, recipientName: this.decrypt(o.recipient_name_enc, o.recipient_name_masked), recipientPhone: this.decrypt(o.phone_enc, o.phone_masked),
      destination: o.destination, ...(o.product ? { product: o.product } : {}), quantity: o.quantity, weightG: o.weight_g,
    }));
    return {
      parcels,
      header: { title: '总包交接清单（干线）', route: `${this.regions.displayName(h.countyCode)} → ${h.destination}`, origin: this.regions.displayName(h.countyCode), date: chinaDate(new Date(h.handedAt ?? this.opts.clock())), manifestNo: h.manifestNo, ...(h.vehicle ? { vehicle: h.vehicle } : {}), ...(h.driver ? { carrier: h.driver } : {}) },
    };
  }

  // ---------- dashboard ----------
  async summary(p: Principal, q: { county?: string; from?: string; to?: string }) {
    const countyCode = this.readScope(p, q.county);
    const from = q.from ? new Date(`${q.from}T00:00:00+08:00`) : undefined;
    const to = q.to ? new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000) : undefined;
    const rows = await repo.outboundSummary(this.db, { ...(countyCode ? { countyCode } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) });
    const names = await repo.divisionNames(this.db, [...new Set(rows.map((r) => r.countyCode))]);
    const byCounty = new Map<string, { countyCode: string; countyName: string; parcels: number; weightG: number }>();
    const byCategory = new Map<string, { category: string; parcels: number; weightG: number }>();
    for (const r of rows) {
      const c = byCounty.get(r.countyCode) ?? { countyCode: r.countyCode, countyName: names.get(r.countyCode) ?? r.countyCode, parcels: 0, weightG: 0 };
      c.parcels += r.parcels;
      c.weightG += r.weightG;
      byCounty.set(r.countyCode, c);
      const k = byCategory.get(r.category) ?? { category: r.category, parcels: 0, weightG: 0 };
      k.parcels += r.parcels;
      k.weightG += r.weightG;
      byCategory.set(r.category, k);
    }
    return {
      county: countyCode ?? null, from: q.from ?? null, to: q.to ?? null,
      totalParcels: rows.reduce((s, r) => s + r.parcels, 0), totalWeightG: rows.reduce((s, r) => s + r.weightG, 0),
      rows: rows.map((r) => ({ ...r, countyName: names.get(r.countyCode) ?? r.countyCode })),
      byCounty: [...byCounty.values()], byCategory: [...byCategory.values()].sort((a, b) => b.parcels - a.parcels),
    };
  }
}
