import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AddressIndex, Resolution } from '@cuntong/address';
import { type Principal, canReadCounty, countyScope } from '@cuntong/domain/access.ts';
import { DomainError, type FieldError, conflict, forbidden, invalid, notFound } from '@cuntong/domain/errors.ts';
import { type ManifestParcel, type ManifestParcelInput, MAX_MANIFEST_PARCELS, normalizePhone, validateManifestParcel } from '@cuntong/domain/parcels/manifest.ts';
import { type DeliveryProof, type EventType, type ParcelEvent, type ParcelStatus, UPU_CODE, checkAppend, compareEvents, deliveryRuleError, project } from '@cuntong/domain/parcels/status.ts';
import { maskAddress, maskName, maskPhone } from '@cuntong/domain/privacy/mask.ts';
import type { PiiCipher } from '../../adapters/crypto.ts';
import type { DB } from '../../db/schema.ts';
import { newId } from '../../ids.ts';
import { addressIndex } from '../address/address.service.ts';
import { appendAudit, canonicalJson } from '../audit/audit.repository.ts';
import * as repo from './parcels.repository.ts';

export interface ParcelsOptions {
  region: string;
  clock: () => Date;
  pii: PiiCipher;
  /** Resolutions below this confidence go to the exception queue. */
  minConfidence?: number;
  /** Idempotency keys are honoured this long (Stripe: ≥ 24 h). */
  idempotencyTtlS?: number;
  /** Events dated further than this in the future are refused (device clocks). */
  maxFutureS?: number;
}

export interface ManifestRequest {
  partnerCode: string;
  outletCode: string;
  parcels: ManifestParcelInput[];
  source: 'api' | 'upload';
  /** File row of each parcel (uploads), for the error report. */
  rows?: number[];
  fileHash?: string;
}
export interface ManifestResult {
  manifestId: string;
  accepted: number;
  duplicates: number;
  addressExceptions: number;
  parcels: Array<{ waybillNo: string; parcelId: string | null; result: 'accepted' | 'duplicate'; addressStatus?: string }>;
}
export interface Replayable<T> { status: number; body: T; replayed: boolean }

export interface EventInput {
  eventId: string;
  parcelId: string;
  type: EventType;
  eventTime: string;
  voids?: string;
  reason?: string;
  note?: string;
  proof?: DeliveryProof;
}
export type EventResult =
  | { eventId: string; result: 'created' | 'duplicate'; status: ParcelStatus | null }
  | { eventId: string; result: 'conflict' | 'rejected' | 'not_found'; code: string; reason: string };

const QUEUE = new Set(['low_confidence', 'ambiguous', 'unresolved', 'outside']);
/** Events that happen in the village (their place is the village, the others' the outlet). */
const AT_VILLAGE = new Set<string>(['out_for_delivery', 'delivered', 'delivered_to_station', 'picked_up', 'delivery_failed', 'unloaded_at_stop']);
const HOUR = 3600;

export class ParcelsService {
  private index: Promise<AddressIndex> | null = null;
  constructor(private readonly db: Kysely<DB>, private readonly opts: ParcelsOptions) {}

  private get clock() { return this.opts.clock; }
  private get pii() { return this.opts.pii; }

  /** The address index, built once per process; this database's learned aliases added once. */
  addressIndex(): Promise<AddressIndex> {
    this.index ??= (async () => {
      const learned = (await repo.listAliases(this.db)).map((a) => ({ text: a.text, code: a.village_code }));
      return addressIndex(this.opts.region, learned);
    })();
    return this.index;
  }

  resolveStatus(r: Resolution): { status: string; village: string | null; confidence: number | null; candidates: Array<{ code: string; name: string; town: string; county: string }> } {
    const min = this.opts.minConfidence ?? 0.8;
    if (r.status === 'resolved') {
      const ref = { code: r.village.code, name: r.village.name, town: r.village.town, county: r.village.county };
      return r.confidence >= min ? { status: 'resolved', village: r.village.code, confidence: r.confidence, candidates: [] } : { status: 'low_confidence', village: null, confidence: r.confidence, candidates: [ref] };
    }
    if (r.status === 'ambiguous') return { status: 'ambiguous', village: null, confidence: null, candidates: r.candidates.slice(0, 5).map((c) => ({ code: c.code, name: c.name, town: c.town, county: c.county })) };
    return { status: r.status, village: null, confidence: null, candidates: [] };
  }

  // ---------------------------------------------------------------- intake
  /**
   * Accepts a manifest as a whole or rejects it with every row's errors (nothing written). The same
   * (partner, waybill) is one parcel: repeats are counted as duplicates. With an Idempotency-Key the
   * first response is stored in the same transaction and replayed; another body under the key is 409.
   */
  async ingestManifest(p: Principal, req: ManifestRequest, idem?: { key: string; requestHash: string }): Promise<Replayable<ManifestResult>> {
    const owner = `partner:${req.partnerCode}`;
    let expiredKey = false;
    if (idem) {
      const hit = await this.lookupIdempotency(owner, idem.key, idem.requestHash);
      if (hit === EXPIRED) expiredKey = true;
      else if (hit) return hit as Replayable<ManifestResult>;
    }
    if (req.parcels.length === 0) throw invalid('manifest.empty', 'the manifest has no parcels', [{ path: '/parcels', message: 'at least one parcel' }]);
    if (req.parcels.length > MAX_MANIFEST_PARCELS) throw new DomainError('too_large', 'manifest.too_many', `at most ${MAX_MANIFEST_PARCELS} parcels per manifest`);
    // Partner, outlet and agreement in one round trip.
    const c = await repo.manifestContext(this.db, req.partnerCode, req.outletCode, this.clock().toISOString().slice(0, 10));
    if (!c.partner_active) throw invalid('manifest.partner_unknown', `no active partner ${req.partnerCode}`, [{ path: '/partnerCode', message: 'unknown partner' }]);
    if (!c.outlet_id || !c.outlet_county || !c.outlet_active) throw invalid('manifest.outlet_unknown', `no active outlet with code ${req.outletCode}`, [{ path: '/outletCode', message: 'unknown outlet' }]);
    const outlet = { id: c.outlet_id, county_code: c.outlet_county };
    if (p.role !== 'partner' && !canReadCounty(p, outlet.county_code)) throw forbidden('scope.county', `outlet ${req.outletCode} is outside your county`);
    if (!c.agreement) {
      throw invalid('manifest.no_agreement', `${req.partnerCode} has no cooperation agreement in force for the county of outlet ${req.outletCode}`, [{ path: '/outletCode', message: 'no agreement for this county' }]);
    }

    // Validate every row; the same waybill twice in one batch must be the same parcel (compared
    // only when a waybill repeats: canonical JSON of every row costs more than the rest of the check).
    const errors: FieldError[] = [];
    const valid: ManifestParcel[] = [];
    const seen = new Map<string, ManifestParcel>();
    req.parcels.forEach((raw, i) => {
      const row = req.rows?.[i];
      const path = row !== undefined ? `row ${row}` : `/parcels/${i}`;
      const { value, errors: e } = validateManifestParcel(raw, path, row);
      if (!value) { errors.push(...e); return; }
      const prev = seen.get(value.waybillNo);
      if (prev !== undefined) {
        if (canonicalJson(prev) !== canonicalJson(value)) errors.push({ path: `${path}/waybillNo`, message: `waybill ${value.waybillNo} appears twice in the manifest with different data`, ...(row !== undefined ? { row } : {}) });
        return;
      }
      seen.set(value.waybillNo, value);
      valid.push(value);
    });
    if (errors.length) {
      const shown = errors.slice(0, 1000);
      throw invalid('manifest.rejected', `${errors.length} problem(s) in the manifest; nothing was accepted`, shown);
    }

    // Resolve and encrypt outside the transaction (CPU work, no locks held).
    const idx = await this.addressIndex();
    const now = this.clock();
    const manifestId = newId('mft');
    // Known waybills are duplicates: no need to resolve or encrypt them again.
    const known = await repo.existingWaybills(this.db, req.partnerCode, valid.map((v) => v.waybillNo));
    const fresh = valid.filter((v) => !known.has(v.waybillNo));
    // A manifest often repeats an address text (one village, one building): resolve each text once.
    const resolved = new Map<string, ReturnType<ParcelsService['resolveStatus']>>();
    const parcelIds = newIds('pcl', fresh.length);
    const messageIds = newIds('msg', fresh.length);
    const rows: repo.ManifestParcelRow[] = fresh.map((v, k) => {
      let r = resolved.get(v.address);
      if (!r) resolved.set(v.address, (r = this.resolveStatus(idx.resolve(v.address))));
      return {
        id: parcelIds[k]!, waybill_no: v.waybillNo, msg_id: messageIds[k]!,
        recipient_name_enc: this.pii.encrypt(v.recipientName), recipient_name_masked: maskName(v.recipientName),
        phone_enc: this.pii.encrypt(v.recipientPhone), phone_hmac: this.pii.lookupHash(v.recipientPhone), phone_masked: maskPhone(v.recipientPhone),
        address_enc: this.pii.encrypt(v.address), address_masked: maskAddress(v.address),
        village_code: r.village, address_status: r.status, address_confidence: r.confidence, address_candidates: r.candidates,
        weight_g: v.weightG, pieces: v.pieces, service: v.service, cod_fen: v.codFen,
      };
    });

    try {
      return await this.db.transaction().execute(async (tx) => {
        if (idem) {
          if (expiredKey) await this.expireIdempotency(tx, owner, idem.key);
          if (!(await repo.claimIdempotency(tx, owner, idem.key, idem.requestHash, now))) {
            // A concurrent request with this key committed first: answer as it did.
            const hit = await this.lookupIdempotency(owner, idem.key, idem.requestHash, tx);
            throw new ReplaySignal(hit === EXPIRED ? null : hit);
          }
        }
        await repo.insertManifest(tx, { id: manifestId, partner_code: req.partnerCode, outlet_id: outlet.id, county_code: outlet.county_code, source: req.source, file_hash: req.fileHash ?? null, parcel_count: valid.length, accepted: 0, duplicates: 0, created_by: p.id, created_at: now });
        // Parcels, their events and outbox messages, and the manifest's counts: one statement.
        const inserted = await repo.insertManifestParcels(tx, { manifestId, partnerCode: req.partnerCode, outletId: outlet.id, countyCode: outlet.county_code, actorId: p.id, now, upu: UPU_CODE.manifest_received ?? null }, rows);
        const insertedIds = new Map(inserted.map((x) => [x.waybill_no, x.id]));
        const accepted = rows.filter((r) => insertedIds.get(r.waybill_no) === r.id);
        const byWaybill = new Map(rows.map((r) => [r.waybill_no, r]));
        const body: ManifestResult = {
          manifestId,
          accepted: accepted.length,
          duplicates: valid.length - accepted.length,
          addressExceptions: accepted.filter((r) => QUEUE.has(r.address_status)).length,
          parcels: valid.map((v) => {
            const r = byWaybill.get(v.waybillNo);
            return r && insertedIds.get(r.waybill_no) === r.id ? { waybillNo: r.waybill_no, parcelId: r.id, result: 'accepted' as const, addressStatus: r.address_status } : { waybillNo: v.waybillNo, parcelId: null, result: 'duplicate' as const };
          }),
        };
        const status = accepted.length > 0 ? 201 : 200;
        if (idem) await repo.completeIdempotency(tx, owner, idem.key, status, body);
        // Last: the audit chain's lock is held from here to the commit only.
        await appendAudit(tx, p, { action: 'manifest.ingest', objectType: 'manifest', objectId: manifestId, detail: { partner: req.partnerCode, outlet: req.outletCode, source: req.source, parcels: valid.length, accepted: accepted.length } }, now);
        return { status, body, replayed: false };
      });
    } catch (err) {
      if (err instanceof ReplaySignal && err.hit) return err.hit as Replayable<ManifestResult>;
      throw err;
    }
  }

  private async lookupIdempotency(owner: string, key: string, requestHash: string, db: Kysely<DB> = this.db): Promise<Replayable<unknown> | typeof EXPIRED | null> {
    const row = await repo.getIdempotency(db, owner, key);
    if (!row) return null;
    const ttl = (this.opts.idempotencyTtlS ?? 24 * HOUR) * 1000;
    if (this.clock().getTime() - new Date(row.created_at).getTime() > ttl) return EXPIRED;
    if (row.request_hash !== requestHash) throw conflict('idempotency.key_reused', 'this Idempotency-Key was used with a different request body');
    if (row.status_code === null) throw conflict('idempotency.in_progress', 'a request with this Idempotency-Key is still being processed; retry later');
    const body = typeof row.response === 'string' ? JSON.parse(row.response) : row.response;
    return { status: row.status_code, body, replayed: true };
  }

  private async expireIdempotency(tx: Kysely<DB>, owner: string, key: string) {
    const row = await repo.getIdempotency(tx, owner, key);
    const ttl = (this.opts.idempotencyTtlS ?? 24 * HOUR) * 1000;
    if (row && this.clock().getTime() - new Date(row.created_at).getTime() > ttl) await repo.deleteIdempotency(tx, owner, key);
  }

  private statusMessage(parcel: { id: string; partner_code: string; waybill_no: string }, from: ParcelStatus | null, to: ParcelStatus, e: { eventId: string; type: EventType; eventTime: string; reason?: string }, now: Date): repo.NewOutbox {
    return {
      message_id: newId('msg'),
      topic: 'parcel.status_changed',
      partner_code: parcel.partner_code,
      parcel_id: parcel.id,
      dedupe_key: `${parcel.id}:${e.eventId}`,
      payload: JSON.stringify({ parcelId: parcel.id, waybillNo: parcel.waybill_no, partnerCode: parcel.partner_code, previousStatus: from, status: to, eventId: e.eventId, eventType: e.type, eventTime: e.eventTime, upu: UPU_CODE[e.type] ?? null, ...(e.reason ? { reason: e.reason } : {}) }),
      created_at: now,
    };
  }

  // ---------------------------------------------------------------- events
  /**
   * Appends events (each parcel in its own transaction, the parcel row locked): a repeated id with
   * the same body is a duplicate; with another body a conflict (audited); impossible transitions and
   * missing consent/proof are rejected with a reason. A status change writes one outbox row.
   */
  async appendEvents(p: Principal, inputs: EventInput[]): Promise<EventResult[]> {
    const results = new Map<number, EventResult>();
    const byParcel = new Map<string, number[]>();
    inputs.forEach((e, i) => byParcel.set(e.parcelId, [...(byParcel.get(e.parcelId) ?? []), i]));
    for (const [parcelId, idxs] of byParcel) {
      const out = await this.db.transaction().execute((tx) => this.appendInTx(tx, p, parcelId, idxs.map((i) => inputs[i]!)));
      idxs.forEach((i, k) => results.set(i, out[k]!));
    }
    return inputs.map((_, i) => results.get(i)!);
  }

  /** Appends events of one parcel inside the caller's transaction (the parcel row is locked). */
  async appendInTx(tx: Kysely<DB>, p: Principal, parcelId: string, list: EventInput[]): Promise<EventResult[]> {
        const inputs = list;
        const idxs = list.map((_, i) => i);
        const res: Array<[number, EventResult]> = [];
        const parcel = await repo.getParcelForUpdate(tx, parcelId);
        if (!parcel || !canReadCounty(p, parcel.county_code)) {
          return inputs.map((e) => ({ eventId: e.eventId, result: 'not_found' as const, code: 'parcel.not_found', reason: `no parcel ${parcelId}` }));
        }
        const storedRows = await repo.listEvents(tx, parcelId);
        const stored = storedRows.map(toDomainEvent);
        const hashes = new Map(storedRows.map((r) => [r.event_id, r.body_hash]));
        const others = new Map((await repo.findEvents(tx, idxs.map((i) => inputs[i]!.eventId))).map((r) => [r.event_id, r]));
        let consents: Set<string> | null = null;
        let current = project(stored);
        for (const i of idxs) {
          const input = inputs[i]!;
          const now = this.clock();
          const bodyHash = this.pii.lookupHash(canonicalJson(eventBody(input)));
          const prevHash = hashes.get(input.eventId) ?? others.get(input.eventId)?.body_hash;
          if (prevHash !== undefined) {
            if (prevHash === bodyHash) { res.push([i, { eventId: input.eventId, result: 'duplicate', status: current.status }]); continue; }
            await appendAudit(tx, p, { action: 'event.conflict', objectType: 'parcel', objectId: parcelId, result: 'denied', detail: { eventId: input.eventId, type: input.type } }, now);
            res.push([i, { eventId: input.eventId, result: 'conflict', code: 'event.id_reused', reason: 'this event id was already recorded with a different body' }]);
            continue;
          }
          const evTime = Date.parse(input.eventTime);
          if (evTime - now.getTime() > (this.opts.maxFutureS ?? 600) * 1000) { res.push([i, { eventId: input.eventId, result: 'rejected', code: 'event.in_future', reason: 'the event time is in the future (check the device clock)' }]); continue; }
          const e: ParcelEvent = { eventId: input.eventId, type: input.type, eventTime: new Date(evTime).toISOString(), ...(input.voids ? { voids: input.voids } : {}), ...(input.reason ? { reason: input.reason } : {}), ...(input.proof ? { proof: input.proof } : {}) };
          if (e.type === 'delivered_to_station' || e.type === 'delivered' || e.type === 'picked_up') consents ??= await repo.consentKinds(tx, parcelId, parcel.phone_hmac, now);
          const rule = deliveryRuleError({ event: e, consents: consents ?? new Set(), service: parcel.service as 'door' | 'station' }) ?? checkAppend(stored, e);
          if (rule) { res.push([i, { eventId: input.eventId, result: 'rejected', code: rule.code, reason: rule.reason }]); continue; }
          const payload: Record<string, unknown> = {};
          if (input.voids) payload.voids = input.voids;
          if (input.reason) payload.reason = input.reason;
          if (input.note) payload.note = input.note.slice(0, 200);
          if (input.proof) payload.proof = { kind: input.proof.kind, ref: input.proof.ref, recipientType: input.proof.recipientType, ...(input.proof.proxyName ? { proxyNameEnc: this.pii.encrypt(input.proof.proxyName), proxyNameMasked: maskName(input.proof.proxyName) } : {}) };
          if (p.outletId) payload.outletId = p.outletId;
          await repo.insertEvents(tx, [{ event_id: e.eventId, parcel_id: parcelId, type: e.type, event_time: new Date(e.eventTime), recorded_at: now, actor_id: p.id, body_hash: bodyHash, payload: JSON.stringify(payload) }]);
          stored.push(e);
          hashes.set(e.eventId, bodyHash);
          const next = project(stored);
          if (next.status !== current.status || next.exception?.kind !== current.exception?.kind) {
            await repo.setParcelStatus(tx, parcelId, { status: next.status ?? 'manifested', status_at: now, exception_kind: next.exception?.kind ?? null, closed_at: next.closedAt ? new Date(next.closedAt) : null });
            if (next.status !== current.status && next.status) await repo.insertOutbox(tx, [this.statusMessage(parcel, current.status, next.status, { eventId: e.eventId, type: e.type, eventTime: e.eventTime, ...(e.reason ? { reason: e.reason } : {}) }, now)]);
          }
          if (e.type === 'void') await appendAudit(tx, p, { action: 'event.void', objectType: 'parcel', objectId: parcelId, detail: { eventId: e.eventId, voids: e.voids } }, now);
          current = next;
          res.push([i, { eventId: e.eventId, result: 'created', status: next.status }]);
        }
        return res.sort((a, b) => a[0] - b[0]).map((x) => x[1]);
  }

  // ---------------------------------------------------------------- reads
  /** A parcel as staff see it (masked personal data), if the caller's county covers it. */
  async getForStaff(p: Principal, id: string) {
    const parcel = await repo.getParcel(this.db, id);
    if (!parcel || !canReadCounty(p, parcel.county_code)) throw notFound('parcel.not_found', `no parcel ${id}`);
    return this.present(parcel, await repo.listEvents(this.db, id));
  }

  /**
   * A partner's own parcel; another partner's waybill is simply not found (no existence leak). The
   * status, and each event's resulting status, come in our code and in the partner's own code
   * (its webhook status mapping, `vocabularyOf`), as its webhooks do.
   */
  async getForPartner(p: Principal, waybillNo: string, vocabularyOf?: (partnerCode: string) => Promise<Partial<Record<ParcelStatus, string>>>) {
    if (!p.partnerCode) throw forbidden('auth.role', 'partner API only');
    const parcel = await repo.getPartnerParcel(this.db, p.partnerCode, waybillNo);
    if (!parcel) throw notFound('parcel.not_found', `no parcel ${waybillNo}`);
    const rows = await repo.listEvents(this.db, parcel.id);
    const [view, vocab] = await Promise.all([this.present(parcel, rows), vocabularyOf ? vocabularyOf(p.partnerCode) : Promise.resolve({} as Partial<Record<ParcelStatus, string>>)]);
    const code = (s: string | null) => (s ? (vocab[s as ParcelStatus] ?? s) : null);
    // The status each counted event led to (voided and void events lead to none).
    const after = new Map(project(rows.map(toDomainEvent)).history.map((h) => [h.eventId, h.status]));
    return {
      ...view,
      partnerStatus: code(view.status),
      events: view.events.map((e) => {
        const status = after.get(e.eventId) ?? null;
        return { ...e, status, partnerStatus: code(status) };
      }),
    };
  }

  async listForStaff(p: Principal, q: { county?: string; partner?: string; waybill?: string; status?: string; addressStatus?: string; phone?: string; queue?: boolean; limit: number; offset: number }) {
    const countyCode = this.readScope(p, q.county);
    const phone = q.phone ? normalizePhone(q.phone) : undefined;
    if (q.phone && !phone) throw invalid('parcel.phone', 'not a phone number', [{ path: 'querystring/phone', message: 'not a phone number' }]);
    const r = await repo.listParcels(this.db, { countyCode, partnerCode: q.partner, waybillNo: q.waybill, status: q.status, addressStatus: q.addressStatus, phoneHmac: phone ? this.pii.lookupHash(phone) : undefined, addressQueue: q.queue, limit: q.limit, offset: q.offset });
    const names = await repo.divisionNames(this.db, [...new Set(r.items.map((x) => x.village_code).filter((x): x is string => !!x))]);
    return { items: r.items.map((x) => this.summary(x, names)), total: r.total };
  }

  readScope(p: Principal, county?: string): string | undefined {
    const scope = countyScope(p);
    if (scope === undefined) return county;
    if (county && !county.startsWith(scope)) throw forbidden('scope.county', 'that county is outside your scope');
    return county ?? scope;
  }

  private summary(x: repo.ParcelRow, names: Map<string, string>) {
    return {
      id: x.id, partnerCode: x.partner_code, waybillNo: x.waybill_no, outletId: x.outlet_id, countyCode: x.county_code,
      recipientName: x.recipient_name_masked, recipientPhone: x.phone_masked, address: x.address_masked,
      villageCode: x.village_code, villageName: x.village_code ? (names.get(x.village_code) ?? null) : null,
      addressStatus: x.address_status, addressConfidence: x.address_confidence,
      addressCandidates: (typeof x.address_candidates === 'string' ? JSON.parse(x.address_candidates) : x.address_candidates) as unknown[],
      weightKg: x.weight_g / 1000, pieces: x.pieces, service: x.service, codYuan: x.cod_fen / 100,
      status: x.status, statusAt: new Date(x.status_at).toISOString(), exceptionKind: x.exception_kind,
      closedAt: x.closed_at ? new Date(x.closed_at).toISOString() : null, purged: x.purged_at !== null, createdAt: new Date(x.created_at).toISOString(),
    };
  }

  private async present(parcel: repo.ParcelRow, rows: repo.EventRow[]) {
    const names = await repo.divisionNames(this.db, parcel.village_code ? [parcel.village_code] : []);
    const proj = project(rows.map(toDomainEvent));
    const voided = new Set(proj.voided);
    return {
      ...this.summary(parcel, names),
      events: rows.map((r) => {
        const pl = (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>;
        const proof = pl.proof as Record<string, unknown> | undefined;
        return {
          eventId: r.event_id, type: r.type, upu: UPU_CODE[r.type as EventType] ?? null,
          eventTime: new Date(r.event_time).toISOString(), recordedAt: new Date(r.recorded_at).toISOString(),
          voided: voided.has(r.event_id),
          ...(pl.voids ? { voids: String(pl.voids) } : {}),
          ...(pl.reason ? { reason: String(pl.reason) } : {}),
          ...(proof ? { proof: { kind: String(proof.kind), ref: String(proof.ref), recipientType: String(proof.recipientType), ...(proof.proxyNameMasked ? { proxyName: String(proof.proxyNameMasked) } : {}) } } : {}),
        };
      }),
    };
  }

  // Outlet, village and partner names for public tracking, kept a minute (names change rarely; a
  // lookup per request would double the queries of the hottest public route).
  private nameCache = new Map<string, { name: string | null; until: number }>();
  private async placeNames(outletId: string, villageCode: string | null, partnerCode: string) {
    const now = Date.now();
    const keys = { outlet: `o:${outletId}`, village: villageCode ? `v:${villageCode}` : null, partner: `p:${partnerCode}` };
    const fresh = (k: string | null) => k === null || (this.nameCache.get(k)?.until ?? 0) > now;
    if (!fresh(keys.outlet) || !fresh(keys.village) || !fresh(keys.partner)) {
      const rows = await repo.placeNames(this.db, { outlets: [outletId], villages: villageCode ? [villageCode] : [], partners: [partnerCode] });
      if (this.nameCache.size > 10_000) this.nameCache.clear();
      for (const k of [keys.outlet, keys.village, keys.partner]) if (k) this.nameCache.set(k, { name: null, until: now + 60_000 });
      for (const r of rows) this.nameCache.set(`${r.kind[0]}:${r.key}`, { name: r.name, until: now + 60_000 });
    }
    const get = (k: string | null) => (k ? (this.nameCache.get(k)?.name ?? null) : null);
    return { outlet: get(keys.outlet), village: get(keys.village), partner: get(keys.partner) };
  }

  /** Public tracking: timeline with place names, masked name and phone, nothing internal. */
  async track(waybillNo: string) {
    const parcel = await repo.trackingView(this.db, waybillNo);
    if (!parcel) throw notFound('parcel.not_found', `no parcel ${waybillNo}`);
    const names = await this.placeNames(parcel.outlet_id, parcel.village_code, parcel.partner_code);
    const list = (typeof parcel.events === 'string' ? JSON.parse(parcel.events) : parcel.events) as Array<[string, string, string, string | null]>;
    const events: ParcelEvent[] = list.map(([eventId, type, eventTime, voids]) => ({ eventId, type: type as EventType, eventTime: new Date(eventTime).toISOString(), ...(voids ? { voids } : {}) }));
    const voided = new Set(project(events).voided);
    const village = names.village;
    return {
      waybillNo: parcel.waybill_no,
      partner: names.partner ?? parcel.partner_code,
      status: parcel.status,
      recipientName: parcel.recipient_name_masked ?? '',
      recipientPhone: parcel.phone_masked ?? '',
      destination: village,
      events: events
        .filter((e) => e.type !== 'void' && !voided.has(e.eventId))
        .sort(compareEvents)
        .map((e) => ({ type: e.type, eventTime: e.eventTime, place: AT_VILLAGE.has(e.type) && village ? village : names.outlet })),
    };
  }

  /** Full personal data for staff with the permission; every reveal is audited with its reason. */
  async reveal(p: Principal, id: string, reason: string) {
    if (!['admin', 'county_manager', 'outlet_clerk'].includes(p.role)) {
      await appendAudit(this.db, p, { action: 'parcel.reveal', objectType: 'parcel', objectId: id, result: 'denied', detail: { reason } }, this.clock());
      throw forbidden('pii.reveal', 'revealing personal data needs an administrator, county manager or outlet clerk');
    }
    const parcel = await repo.getParcel(this.db, id);
    if (!parcel || !canReadCounty(p, parcel.county_code)) throw notFound('parcel.not_found', `no parcel ${id}`);
    if (!parcel.phone_enc || !parcel.recipient_name_enc || !parcel.address_enc) throw new DomainError('not_found', 'pii.purged', 'the personal data of this parcel has been purged');
    await appendAudit(this.db, p, { action: 'parcel.reveal', objectType: 'parcel', objectId: id, detail: { reason, fields: ['recipientName', 'recipientPhone', 'address'] } }, this.clock());
    return { recipientName: this.pii.decrypt(parcel.recipient_name_enc), recipientPhone: this.pii.decrypt(parcel.phone_enc), address: this.pii.decrypt(parcel.address_enc) };
  }

  // ---------------------------------------------------------------- address queue
  /** Assigns the village of a queued parcel; the address is learned so the next one resolves. */
  async assignVillage(p: Principal, id: string, villageCode: string) {
    if (!['admin', 'county_manager', 'outlet_clerk'].includes(p.role)) throw forbidden('auth.role', 'assigning villages needs an administrator, county manager or outlet clerk');
    const parcel = await repo.getParcel(this.db, id);
    if (!parcel || !canReadCounty(p, parcel.county_code)) throw notFound('parcel.not_found', `no parcel ${id}`);
    const v = await repo.villageExists(this.db, villageCode);
    if (!v) throw invalid('parcel.village_unknown', `no village ${villageCode}`, [{ path: '/villageCode', message: 'unknown village' }]);
    if (!canReadCounty(p, villageCode.slice(0, 6))) throw forbidden('scope.county', 'that village is outside your county');
    const now = this.clock();
    const learnedText = parcel.address_masked;
    const assigned = await this.db.transaction().execute(async (tx) => {
      await repo.assignVillage(tx, id, villageCode);
      let also: string[] = [];
      if (learnedText && learnedText.length >= 2) {
        await repo.upsertAlias(tx, learnedText, villageCode, p.id, now);
        also = await repo.assignQueued(tx, parcel.county_code, learnedText, villageCode);
      }
      await appendAudit(tx, p, { action: 'parcel.assign_village', objectType: 'parcel', objectId: id, detail: { villageCode, alsoAssigned: also.filter((x) => x !== id).length } }, now);
      return also;
    });
    if (learnedText && learnedText.length >= 2) (await this.addressIndex()).learn([{ text: learnedText, code: villageCode }]);
    return { parcelId: id, villageCode, villageName: v.name, learned: learnedText ?? null, alsoAssigned: assigned.filter((x) => x !== id) };
  }

  // ---------------------------------------------------------------- consents
  async recordConsent(p: Principal, c: { parcelId?: string; phone?: string; kind: string; channel: string; givenAt?: string; proxyName?: string }) {
    if (!c.parcelId && !c.phone) throw invalid('consent.subject', 'name a parcel or the recipient phone (standing consent)', [{ path: '/parcelId', message: 'parcelId or phone' }]);
    let phoneHmac: string | null = null;
    if (c.parcelId) {
      const parcel = await repo.getParcel(this.db, c.parcelId);
      if (!parcel || !canReadCounty(p, parcel.county_code)) throw notFound('parcel.not_found', `no parcel ${c.parcelId}`);
    }
    if (c.phone) {
      const n = normalizePhone(c.phone);
      if (!n) throw invalid('consent.phone', 'not a phone number', [{ path: '/phone', message: 'not a phone number' }]);
      phoneHmac = this.pii.lookupHash(n);
    }
    if (c.kind === 'proxy' && !c.proxyName) throw invalid('consent.proxy_name', 'a proxy consent names the proxy', [{ path: '/proxyName', message: 'required for kind proxy' }]);
    const now = this.clock();
    const id = newId('cns');
    await this.db.transaction().execute(async (tx) => {
      await repo.insertConsent(tx, { id, parcel_id: c.parcelId ?? null, phone_hmac: c.parcelId ? null : phoneHmac, kind: c.kind, channel: c.channel, proxy_name_enc: c.proxyName ? this.pii.encrypt(c.proxyName) : null, given_at: c.givenAt ? new Date(c.givenAt) : now, recorded_at: now, recorded_by: p.id });
      await appendAudit(tx, p, { action: 'consent.record', objectType: c.parcelId ? 'parcel' : 'recipient', objectId: c.parcelId ?? id, detail: { consentId: id, kind: c.kind, channel: c.channel } }, now);
    });
    return { id, parcelId: c.parcelId ?? null, kind: c.kind, channel: c.channel, givenAt: (c.givenAt ? new Date(c.givenAt) : now).toISOString() };
  }

  async listConsents(p: Principal, parcelId: string) {
    const parcel = await repo.getParcel(this.db, parcelId);
    if (!parcel || !canReadCounty(p, parcel.county_code)) throw notFound('parcel.not_found', `no parcel ${parcelId}`);
    const rows = await repo.listConsents(this.db, parcelId, parcel.phone_hmac);
    return { items: rows.map((r) => ({ id: r.id, standing: r.parcel_id === null, kind: r.kind, channel: r.channel, givenAt: new Date(r.given_at).toISOString(), revoked: r.revoked_at !== null })) };
  }

  // ---------------------------------------------------------------- retention
  /** PIPL Art. 19: personal fields of parcels closed more than `days` ago are removed. */
  async purge(p: Principal, days: number) {
    const now = this.clock();
    const before = new Date(now.getTime() - days * 86_400_000);
    return this.db.transaction().execute(async (tx) => {
      const n = await repo.purgeClosed(tx, before, now);
      await appendAudit(tx, p, { action: 'parcel.purge', objectType: 'parcel', detail: { retentionDays: days, purged: n } }, now);
      return { purged: n, closedBefore: before.toISOString() };
    });
  }
}

/** An Idempotency-Key row past its time to live: the key may be used afresh. */
const EXPIRED = Symbol('expired idempotency key');

/** n prefixed random ids like newId's, from one call to the random source (per-id calls cost more than the rest). */
function newIds(prefix: string, n: number, bytes = 10): string[] {
  const b = randomBytes(n * bytes);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    let s = `${prefix}_`;
    for (let k = i * bytes; k < (i + 1) * bytes; k++) s += ID_ALPHABET[b[k]! & 31];
    out[i] = s;
  }
  return out;
}
const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

class ReplaySignal extends Error {
  constructor(readonly hit: Replayable<unknown> | null) { super('idempotent replay'); }
}

/** The fields that make up an event's identity (a repeat must match them). */
function eventBody(e: EventInput) {
  return { parcelId: e.parcelId, type: e.type, eventTime: new Date(Date.parse(e.eventTime)).toISOString(), voids: e.voids, reason: e.reason, note: e.note, proof: e.proof };
}

export function toDomainEvent(r: repo.EventRow): ParcelEvent {
  const pl = (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>;
  const proof = pl.proof as Record<string, string> | undefined;
  return {
    eventId: r.event_id,
    type: r.type as EventType,
    eventTime: new Date(r.event_time).toISOString(),
    ...(pl.voids ? { voids: String(pl.voids) } : {}),
    ...(pl.reason ? { reason: String(pl.reason) } : {}),
    ...(proof ? { proof: { kind: proof.kind as DeliveryProof['kind'], ref: proof.ref ?? '', recipientType: (proof.recipientType ?? 'recipient') as DeliveryProof['recipientType'], ...(proof.proxyNameMasked ? { proxyName: proof.proxyNameMasked } : {}) } } : {}),
  };
}

/** sha256 of the canonical JSON of a request body (idempotency comparison). */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}
