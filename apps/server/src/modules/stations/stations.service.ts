import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Principal, canReadCounty } from '@cuntong/domain/access.ts';
import { DomainError, conflict, forbidden, invalid, notFound } from '@cuntong/domain/errors.ts';
import { DEFAULT_HOLD, DEFAULT_LOCKOUT, type HoldPolicy, type LockoutPolicy, formatCode, freeSlot, holdAction, isCode, lockedUntil } from '@cuntong/domain/stations/pickup.ts';
import type { PiiCipher } from '../../adapters/crypto.ts';
import type { DB } from '../../db/schema.ts';
import { newId } from '../../ids.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { EventResult, ParcelsService } from '../parcels/parcels.service.ts';
import type { SmsProvider } from './sms.ts';
import * as repo from './stations.repository.ts';

export interface StationsOptions {
  clock: () => Date;
  pii: PiiCipher;
  lockout?: LockoutPolicy;
  hold?: HoldPolicy;
}

/** Pickups by code are locked at this station (too many wrong attempts). */
export class PickupLockedError extends DomainError {
  constructor(readonly until: Date) { super('rate_limited', 'pickup.locked', `too many wrong pickup attempts at this station: pickups by code are locked until ${until.toISOString()} (or until a clerk unlocks)`); }
}

const SYSTEM: Principal = { id: 'system', username: 'system', displayName: '系统', role: 'admin', via: 'session' };
const STATION_KINDS = new Set(['village_station', 'express_station']);
const MANAGERS = new Set(['admin', 'county_manager', 'outlet_clerk']);

type Tx = Kysely<DB>;

/**
 * Village stations (村邮站): inbound onto a shelf slot with a pickup code sent by SMS (through the
 * notification outbox), pickup by code + phone digits or an ID check, lockout of code guessing,
 * reminders and the return of uncollected parcels.
 */
export class StationsService {
  constructor(private readonly db: Kysely<DB>, private readonly parcels: ParcelsService, private readonly opts: StationsOptions) {}

  private get clock() { return this.opts.clock; }

  /** The station, if the caller works there (keeper) or manages its county. */
  private async station(p: Principal, stationId: string, manage = false) {
    const st = await repo.getStation(this.db, stationId);
    if (!st || !STATION_KINDS.has(st.kind) || !canReadCounty(p, st.county_code)) throw notFound('station.not_found', `no station ${stationId}`);
    if (p.role === 'station_keeper') {
      if (p.outletId !== st.id || manage) throw forbidden('scope.station', manage ? 'a clerk, county manager or administrator does this' : 'keepers work at their own station');
    } else if (!MANAGERS.has(p.role)) throw forbidden('auth.role', 'station work needs the station keeper, a clerk, county manager or administrator');
    return st;
  }

  private async oneParcel(p: Principal, f: { parcelId?: string; waybillNo?: string; partnerCode?: string }) {
    if (!f.parcelId && !f.waybillNo) throw invalid('station.parcel', 'name the parcel (parcelId, or waybillNo with partnerCode if ambiguous)', [{ path: '/waybillNo', message: 'parcelId or waybillNo' }]);
    const rows = (await repo.findParcel(this.db, f)).filter((x) => canReadCounty(p, x.county_code));
    if (rows.length === 0) throw notFound('parcel.not_found', `no parcel ${f.parcelId ?? f.waybillNo}`);
    if (rows.length > 1) throw invalid('station.parcel_ambiguous', 'that waybill number belongs to several partners: add partnerCode', [{ path: '/partnerCode', message: 'required' }]);
    return rows[0]!;
  }

  private codeHash(stationId: string, code: string) {
    return this.opts.pii.lookupHash(`pickup:${stationId}:${code}`);
  }

  private static eventError(r: EventResult): DomainError | null {
    if (!('code' in r)) return null;
    if (r.result === 'not_found') return notFound(r.code, r.reason);
    if (r.result === 'conflict') return conflict(r.code, r.reason);
    return invalid(r.code, r.reason, [{ path: '/parcel', message: r.reason }]);
  }

  // ---------------------------------------------------------------- inbound
  /**
   * Scan at the station: the parcel goes on a free shelf slot with a fresh 6-digit code (CSPRNG,
   * unique among the station's waiting parcels, stored only as a keyed hash), the
   * delivered_to_station event is appended through the parcel service (its status machine, its
   * outbox), and the pickup SMS is queued, all in one transaction. Needs the recipient's station
   * consent or the station service on the manifest; which one is recorded. A repeated scan answers
   * with the same slot.
   */
  async inbound(p: Principal, stationId: string, input: { parcelId?: string; waybillNo?: string; partnerCode?: string; eventTime?: string }) {
    const st = await this.station(p, stationId);
    const parcel = await this.oneParcel(p, input);
    const now = this.clock();
    const shelved = await repo.getShelved(this.db, parcel.id);
    if (shelved && shelved.station_id === st.id && shelved.status === 'waiting') {
      return { parcelId: parcel.id, waybillNo: parcel.waybill_no, stationId: st.id, shelfSlot: shelved.shelf_slot, basis: shelved.basis, consentId: shelved.consent_id, repeated: true };
    }
    const at = input.eventTime ? new Date(input.eventTime) : now;
    const consent = parcel.service === 'station' ? null : await repo.stationConsent(this.db, parcel.id, parcel.phone_hmac, at);
    if (parcel.service !== 'station' && !consent) {
      await appendAudit(this.db, p, { action: 'station.inbound', objectType: 'parcel', objectId: parcel.id, result: 'denied', detail: { station: st.id, reason: 'no station consent' } }, now);
      throw invalid('consent.station_missing', 'delivery to a station needs the recipient’s consent on record or the station service on the manifest (快递市场管理办法 Art. 28)', [{ path: '/parcel', message: 'no station consent' }]);
    }
    const basis = consent ? 'consent' : 'service';
    const partner = await repo.partnerName(this.db, parcel.partner_code);
    return this.db.transaction().execute(async (tx) => {
      const [r] = await this.parcels.appendInTx(tx, p, parcel.id, [{ eventId: `${parcel.id}.station.${st.id}`, parcelId: parcel.id, type: 'delivered_to_station', eventTime: at.toISOString(), note: `station ${st.code}` }]);
      const err = r ? StationsService.eventError(r) : null;
      if (err) throw err;
      const existing = await repo.getShelved(tx, parcel.id);
      if (existing) return { parcelId: parcel.id, waybillNo: parcel.waybill_no, stationId: st.id, shelfSlot: existing.shelf_slot, basis: existing.basis, consentId: existing.consent_id, repeated: true };
      await repo.lockStation(tx, st.id);
      const slot = freeSlot(await repo.usedSlots(tx, st.id));
      let code = '';
      for (let i = 0; i < 20 && !code; i++) {
        const c = formatCode(randomInt(0, 1_000_000));
        if (!(await repo.codeInUse(tx, st.id, this.codeHash(st.id, c)))) code = c;
      }
      if (!code) throw new Error('no free pickup code');
      await repo.shelve(tx, { parcel_id: parcel.id, station_id: st.id, county_code: st.county_code, partner_code: parcel.partner_code, shelf_slot: slot, code_hash: this.codeHash(st.id, code), basis, consent_id: consent?.id ?? null, arrived_at: at });
      const tail = parcel.waybill_no.slice(-4);
      const text = (c: string) => `【村通】您的${partner}快递(单号尾号${tail})已到${st.name}，取件码${c}，货架${slot}。取件请报取件码和手机尾号。`;
      await this.notify(tx, { kind: 'pickup_code', dedupe: `${parcel.id}:pickup_code`, parcelId: parcel.id, stationId: st.id, phoneEnc: parcel.phone_enc, phoneMasked: parcel.phone_masked, body: text(code), bodyMasked: text('******') }, now);
      await appendAudit(tx, p, { action: 'station.inbound', objectType: 'parcel', objectId: parcel.id, detail: { station: st.id, slot, basis, consentId: consent?.id ?? null } }, now);
      return { parcelId: parcel.id, waybillNo: parcel.waybill_no, stationId: st.id, shelfSlot: slot, basis, consentId: consent?.id ?? null, repeated: false };
    });
  }

  private async notify(tx: Tx, n: { kind: string; dedupe: string; parcelId: string; stationId: string; phoneEnc: string | null; phoneMasked: string | null; body: string; bodyMasked: string }, now: Date) {
    await repo.insertNotification(tx, {
      id: newId('ntf'), dedupe_key: n.dedupe, kind: n.kind, parcel_id: n.parcelId, station_id: n.stationId, phone_enc: n.phoneEnc, phone_masked: n.phoneMasked,
      body_enc: this.opts.pii.encrypt(n.body), body_masked: n.bodyMasked, status: n.phoneEnc ? 'pending' : 'skipped', created_at: now,
    });
  }

  // ---------------------------------------------------------------- pickup
  /**
   * Pickup with the code and the last 4 digits of the recipient's phone. Wrong answers (either part;
   * the answer does not say which) are recorded and audited; after `maxFailures` within the window
   * the station's pickups by code lock, even for a right code, until the window passes or a clerk
   * unlocks. Pickups are serialised per station so the count cannot race.
   */
  async pickupByCode(p: Principal, stationId: string, input: { code: string; phoneLast4: string }) {
    const st = await this.station(p, stationId);
    const policy = this.opts.lockout ?? DEFAULT_LOCKOUT;
    const now = this.clock();
    const out = await this.db.transaction().execute(async (tx) => {
      await repo.lockStation(tx, st.id);
      const until = lockedUntil(await repo.failuresSince(tx, st.id, new Date(now.getTime() - policy.windowS * 1000)), now, policy);
      if (until) {
        await repo.recordAttempt(tx, { station_id: st.id, parcel_id: null, at: now, method: 'code', result: 'locked', actor_id: p.id });
        await appendAudit(tx, p, { action: 'station.pickup', objectType: 'station', objectId: st.id, result: 'denied', detail: { reason: 'locked' } }, now);
        return { locked: until } as const;
      }
      const shelved = isCode(input.code) ? await repo.waitingByCode(tx, st.id, this.codeHash(st.id, input.code)) : undefined;
      let ok = false;
      if (shelved) {
        const parcel = (await repo.findParcel(tx, { parcelId: shelved.parcel_id }))[0];
        const phone = parcel?.phone_enc ? this.opts.pii.decrypt(parcel.phone_enc) : '';
        ok = phone.length >= 4 && /^\d{4}$/.test(input.phoneLast4) && phone.slice(-4) === input.phoneLast4;
      }
      if (!shelved || !ok) {
        const result = shelved ? 'wrong_phone' : 'wrong_code';
        await repo.recordAttempt(tx, { station_id: st.id, parcel_id: shelved?.parcel_id ?? null, at: now, method: 'code', result, actor_id: p.id });
        await appendAudit(tx, p, { action: 'station.pickup', objectType: 'station', objectId: st.id, result: 'denied', detail: { reason: result } }, now);
        return { wrong: true } as const;
      }
      const attemptRef = newId('pka');
      const [r] = await this.parcels.appendInTx(tx, p, shelved.parcel_id, [{ eventId: `${shelved.parcel_id}.pickup`, parcelId: shelved.parcel_id, type: 'picked_up', eventTime: now.toISOString(), proof: { kind: 'pickup_code', ref: attemptRef, recipientType: 'recipient' } }]);
      const err = r ? StationsService.eventError(r) : null;
      if (err) throw err;
      await repo.close(tx, shelved.parcel_id, { status: 'picked_up', closed_at: now, closed_by: p.id, pickup_proof: 'pickup_code', received_by: null });
      await repo.recordAttempt(tx, { station_id: st.id, parcel_id: shelved.parcel_id, at: now, method: 'code', result: 'ok', actor_id: p.id });
      await appendAudit(tx, p, { action: 'station.pickup', objectType: 'parcel', objectId: shelved.parcel_id, detail: { station: st.id, proof: 'pickup_code', ref: attemptRef } }, now);
      const parcel = (await repo.findParcel(tx, { parcelId: shelved.parcel_id }))[0]!;
      return { parcelId: shelved.parcel_id, waybillNo: parcel.waybill_no, shelfSlot: shelved.shelf_slot, status: 'picked_up' } as const;
    });
    if ('locked' in out && out.locked) throw new PickupLockedError(out.locked);
    if ('wrong' in out) throw invalid('pickup.mismatch', 'the pickup code and phone digits do not match a parcel waiting here', [{ path: '/code', message: 'no match' }]);
    return out;
  }

  /** Pickup after the keeper checked the recipient's ID document (only its last 4 characters are kept, in the audit). */
  async pickupByIdCheck(p: Principal, stationId: string, input: { parcelId?: string; waybillNo?: string; partnerCode?: string; documentType: string; documentLast4: string; receivedBy?: string }) {
    const st = await this.station(p, stationId);
    const parcel = await this.oneParcel(p, input);
    const now = this.clock();
    return this.db.transaction().execute(async (tx) => {
      const shelved = await repo.getShelved(tx, parcel.id);
      if (!shelved || shelved.station_id !== st.id || shelved.status !== 'waiting') throw notFound('station.parcel_not_waiting', 'that parcel is not waiting at this station');
      const ref = newId('idc');
      const [r] = await this.parcels.appendInTx(tx, p, parcel.id, [{ eventId: `${parcel.id}.pickup`, parcelId: parcel.id, type: 'picked_up', eventTime: now.toISOString(), proof: { kind: 'id_check', ref, recipientType: 'recipient' } }]);
      const err = r ? StationsService.eventError(r) : null;
      if (err) throw err;
      await repo.close(tx, parcel.id, { status: 'picked_up', closed_at: now, closed_by: p.id, pickup_proof: 'id_check', received_by: input.receivedBy ? input.receivedBy.slice(0, 1) + '*'.repeat(Math.max(1, input.receivedBy.length - 1)) : null });
      await repo.recordAttempt(tx, { station_id: st.id, parcel_id: parcel.id, at: now, method: 'id_check', result: 'ok', actor_id: p.id });
      await appendAudit(tx, p, { action: 'station.pickup', objectType: 'parcel', objectId: parcel.id, detail: { station: st.id, proof: 'id_check', ref, documentType: input.documentType, documentLast4: input.documentLast4 } }, now);
      return { parcelId: parcel.id, waybillNo: parcel.waybill_no, shelfSlot: shelved.shelf_slot, status: 'picked_up' };
    });
  }

  async unlock(p: Principal, stationId: string) {
    const st = await this.station(p, stationId, true);
    const now = this.clock();
    await this.db.transaction().execute(async (tx) => {
      await repo.recordAttempt(tx, { station_id: st.id, parcel_id: null, at: now, method: 'unlock', result: 'unlock', actor_id: p.id });
      await appendAudit(tx, p, { action: 'station.unlock', objectType: 'station', objectId: st.id }, now);
    });
    return { stationId: st.id, unlockedAt: now.toISOString() };
  }

  async shelf(p: Principal, stationId: string, status: string | undefined, limit: number, offset: number) {
    const st = await this.station(p, stationId);
    const r = await repo.listShelf(this.db, st.id, status, limit, offset);
    return {
      total: r.total,
      items: r.items.map((x) => ({
        parcelId: x.parcel_id, waybillNo: x.waybill_no, partnerCode: x.partner_code, shelfSlot: x.shelf_slot, basis: x.basis, arrivedAt: new Date(x.arrived_at).toISOString(),
        reminders: x.reminders, status: x.status, closedAt: x.closed_at ? new Date(x.closed_at).toISOString() : null, pickupProof: x.pickup_proof,
        recipientName: x.recipient_name_masked, recipientPhone: x.phone_masked,
      })),
    };
  }

  async notifications(p: Principal, f: { stationId?: string; parcelId?: string; limit: number; offset: number }) {
    if (f.stationId) await this.station(p, f.stationId);
    else if (p.role === 'station_keeper' || p.role === 'partner' || p.role === 'carrier') throw forbidden('auth.role', 'name your station');
    const countyCode = p.role === 'admin' ? undefined : p.countyCode;
    const r = await repo.listNotifications(this.db, { ...(f.stationId ? { stationId: f.stationId } : {}), ...(countyCode ? { countyCode } : {}), ...(f.parcelId ? { parcelId: f.parcelId } : {}), limit: f.limit, offset: f.offset });
    return {
      total: r.total,
      items: r.items.map((n) => ({ id: n.id, kind: n.kind, parcelId: n.parcel_id, stationId: n.station_id, to: n.phone_masked, text: n.body_masked, status: n.status, provider: n.provider, attempts: n.attempts, lastError: n.last_error, createdAt: new Date(n.created_at).toISOString(), sentAt: n.sent_at ? new Date(n.sent_at).toISOString() : null })),
    };
  }

  // ---------------------------------------------------------------- jobs
  /** Reminders on the configured days, then the return to the partner (returned_to_partner event). */
  async sweep(limit = 500): Promise<{ reminded: number; returned: number }> {
    const hold = this.opts.hold ?? DEFAULT_HOLD;
    const now = this.clock();
    const first = Math.min(hold.returnDays, ...hold.reminderDays);
    const due = await repo.waitingDue(this.db, new Date(now.getTime() - first * 86_400_000), limit);
    let reminded = 0;
    let returned = 0;
    for (const s of due) {
      const action = holdAction(new Date(s.arrived_at), s.reminders, now, hold);
      if (!action) continue;
      const parcel = (await repo.findParcel(this.db, { parcelId: s.parcel_id }))[0];
      if (!parcel) continue;
      const st = await repo.getStation(this.db, s.station_id);
      const tail = parcel.waybill_no.slice(-4);
      await this.db.transaction().execute(async (tx) => {
        if (action.kind === 'remind') {
          const text = `【村通】提醒：您的快递(单号尾号${tail})在${st?.name ?? '村邮站'}货架${s.shelf_slot}等您领取，取件码见到站短信。逾期${hold.returnDays}天将退回。`;
          await this.notify(tx, { kind: 'reminder', dedupe: `${s.parcel_id}:reminder:${action.n}`, parcelId: s.parcel_id, stationId: s.station_id, phoneEnc: parcel.phone_enc, phoneMasked: parcel.phone_masked, body: text, bodyMasked: text }, now);
          await repo.setReminders(tx, s.parcel_id, action.n, now);
          reminded++;
        } else {
          const [r] = await this.parcels.appendInTx(tx, SYSTEM, s.parcel_id, [{ eventId: `${s.parcel_id}.station.return`, parcelId: s.parcel_id, type: 'returned_to_partner', eventTime: now.toISOString(), reason: 'not_collected' }]);
          const err = r ? StationsService.eventError(r) : null;
          if (err) throw err;
          await repo.close(tx, s.parcel_id, { status: 'returned', closed_at: now, closed_by: SYSTEM.id, pickup_proof: null, received_by: null });
          const text = `【村通】您的快递(单号尾号${tail})超过${hold.returnDays}天未领取，已退回寄件公司。`;
          await this.notify(tx, { kind: 'returned', dedupe: `${s.parcel_id}:returned`, parcelId: s.parcel_id, stationId: s.station_id, phoneEnc: parcel.phone_enc, phoneMasked: parcel.phone_masked, body: text, bodyMasked: text }, now);
          await appendAudit(tx, null, { action: 'station.return', objectType: 'parcel', objectId: s.parcel_id, detail: { station: s.station_id, days: hold.returnDays } }, now);
          returned++;
        }
      });
    }
    return { reminded, returned };
  }

  /** Sends pending notifications through the SMS provider (one transaction each). */
  async dispatch(provider: SmsProvider, limit = 200): Promise<number> {
    let sent = 0;
    for (;;) {
      const n = await this.db.transaction().execute(async (tx) => {
        const batch = await repo.pendingNotifications(tx, Math.min(limit, 50));
        for (const m of batch) {
          const now = this.clock();
          try {
            const r = await provider.send(tx, { notificationId: m.id, to: this.opts.pii.decrypt(m.phone_enc ?? ''), toMasked: m.phone_masked ?? '', body: this.opts.pii.decrypt(m.body_enc), bodyMasked: m.body_masked, at: now });
            await repo.markNotification(tx, m.id, { status: 'sent', provider: provider.name, provider_ref: r.ref, last_error: null, sent_at: now, attempts: m.attempts + 1 });
          } catch (err) {
            await repo.markNotification(tx, m.id, { status: m.attempts + 1 >= 5 ? 'failed' : 'pending', provider: provider.name, provider_ref: null, last_error: String(err instanceof Error ? err.message : err).slice(0, 300), sent_at: null, attempts: m.attempts + 1 });
          }
        }
        return batch.length;
      });
      sent += n;
      if (n === 0 || sent >= limit) return sent;
    }
  }
}
