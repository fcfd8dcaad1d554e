import type { Kysely } from 'kysely';
import { type Principal, canReadCounty } from '@cuntong/domain/access.ts';
import { forbidden, invalid, notFound } from '@cuntong/domain/errors.ts';
import type { DB } from '../../db/schema.ts';
import { newId } from '../../ids.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import * as repo from './parcels.repository.ts';
import type { EventInput, ParcelsService } from './parcels.service.ts';

export interface HandoverInput {
  partnerCode: string;
  outletCode: string;
  scans: Array<{ waybillNo: string; damaged?: boolean; note?: string }>;
  postSigner: string;
  partnerSigner: string;
  signatureRef?: string;
  signedAt?: string;
}

/**
 * Handover (交接) at the township outlet: the clerk's scans against the partner's manifested parcels
 * give a reconciliation (received, damaged, missing, unexpected) signed by both sides, recorded in
 * one transaction with the events it implies: handed_over for what came, exception(damage) for
 * damaged parcels, exception(missing) for manifested parcels that did not come.
 */
export class HandoverService {
  constructor(private readonly db: Kysely<DB>, private readonly parcels: ParcelsService, private readonly clock: () => Date) {}

  async sign(p: Principal, h: HandoverInput) {
    if (!['admin', 'county_manager', 'outlet_clerk'].includes(p.role)) throw forbidden('auth.role', 'a handover is signed by an outlet clerk, county manager or administrator');
    const outlet = await repo.findOutletByCode(this.db, h.outletCode);
    if (!outlet || !canReadCounty(p, outlet.county_code)) throw notFound('outlet.not_found', `no outlet ${h.outletCode}`);
    if (p.role === 'outlet_clerk' && p.outletId && p.outletId !== outlet.id) throw forbidden('scope.outlet', 'clerks sign handovers at their own outlet');
    const partner = await repo.findPartner(this.db, h.partnerCode);
    if (!partner) throw invalid('handover.partner_unknown', `no partner ${h.partnerCode}`, [{ path: '/partnerCode', message: 'unknown partner' }]);
    const dup = h.scans.map((s) => s.waybillNo).filter((w, i, a) => a.indexOf(w) !== i);
    if (dup.length) throw invalid('handover.duplicate_scan', `scanned twice: ${[...new Set(dup)].slice(0, 10).join(', ')}`, [{ path: '/scans', message: 'each waybill once' }]);
    const now = this.clock();
    const at = h.signedAt ? new Date(h.signedAt) : now;
    const id = newId('hdo');
    return this.db.transaction().execute(async (tx) => {
      const expected = await repo.awaitingHandover(tx, h.partnerCode, outlet.id);
      const byWaybill = new Map(expected.map((x) => [x.waybill_no, x]));
      const scanned = new Set(h.scans.map((s) => s.waybillNo));
      const elsewhere = new Map((await repo.parcelsByWaybills(tx, h.partnerCode, h.scans.map((s) => s.waybillNo).filter((w) => !byWaybill.has(w)))).map((x) => [x.waybill_no, x]));
      const items: Array<{ handover_id: string; waybill_no: string; parcel_id: string | null; result: string; note: string | null }> = [];
      for (const s of h.scans) {
        const e = byWaybill.get(s.waybillNo);
        if (e) {
          items.push({ handover_id: id, waybill_no: s.waybillNo, parcel_id: e.id, result: s.damaged ? 'damaged' : 'received', note: s.note ?? null });
          const events: EventInput[] = [{ eventId: `${id}.${e.id}.in`, parcelId: e.id, type: 'handed_over', eventTime: at.toISOString() }];
          if (s.damaged) events.push({ eventId: `${id}.${e.id}.dmg`, parcelId: e.id, type: 'exception', eventTime: at.toISOString(), reason: 'damage' });
          await this.parcels.appendInTx(tx, p, e.id, events);
        } else if (elsewhere.get(s.waybillNo)?.exception_kind === 'missing' && elsewhere.get(s.waybillNo)?.outlet_id === outlet.id) {
          // Reported missing at an earlier handover, and here now: received late.
          const late = elsewhere.get(s.waybillNo)!;
          items.push({ handover_id: id, waybill_no: s.waybillNo, parcel_id: late.id, result: s.damaged ? 'damaged' : 'received', note: s.note ?? 'late: reported missing before' });
          const events: EventInput[] = [{ eventId: `${id}.${late.id}.in`, parcelId: late.id, type: 'handed_over', eventTime: at.toISOString() }];
          if (s.damaged) events.push({ eventId: `${id}.${late.id}.dmg`, parcelId: late.id, type: 'exception', eventTime: at.toISOString(), reason: 'damage' });
          await this.parcels.appendInTx(tx, p, late.id, events);
        } else {
          const other = elsewhere.get(s.waybillNo);
          items.push({ handover_id: id, waybill_no: s.waybillNo, parcel_id: other?.id ?? null, result: 'unexpected', note: other ? `already ${other.status}${other.outlet_id !== outlet.id ? ' at another outlet' : ''}` : (s.note ?? 'not on a manifest') });
        }
      }
      for (const e of expected) {
        if (scanned.has(e.waybill_no)) continue;
        items.push({ handover_id: id, waybill_no: e.waybill_no, parcel_id: e.id, result: 'missing', note: null });
        await this.parcels.appendInTx(tx, p, e.id, [{ eventId: `${id}.${e.id}.missing`, parcelId: e.id, type: 'exception', eventTime: at.toISOString(), reason: 'missing' }]);
      }
      const count = (r: string) => items.filter((x) => x.result === r).length;
      const row = { id, partner_code: h.partnerCode, outlet_id: outlet.id, county_code: outlet.county_code, received: count('received'), damaged: count('damaged'), missing: count('missing'), unexpected: count('unexpected'), post_signer: h.postSigner, partner_signer: h.partnerSigner, signature_ref: h.signatureRef ?? null, signed_at: at, created_by: p.id };
      await repo.insertHandover(tx, row, items);
      await appendAudit(tx, p, { action: 'handover.sign', objectType: 'handover', objectId: id, detail: { partner: h.partnerCode, outlet: h.outletCode, received: row.received, damaged: row.damaged, missing: row.missing, unexpected: row.unexpected } }, now);
      return present({ ...row, items });
    });
  }

  async get(p: Principal, id: string) {
    const h = await repo.getHandover(this.db, id);
    const ok = h && (p.role === 'partner' ? h.partner_code === p.partnerCode : canReadCounty(p, h.county_code));
    if (!h || !ok) throw notFound('handover.not_found', `no handover ${id}`);
    return present(h);
  }
}

function present(h: { id: string; partner_code: string; outlet_id: string; county_code: string; received: number; damaged: number; missing: number; unexpected: number; post_signer: string; partner_signer: string; signature_ref: string | null; signed_at: Date | string; items: Array<{ waybill_no: string; parcel_id: string | null; result: string; note: string | null }> }) {
  return {
    id: h.id, partnerCode: h.partner_code, outletId: h.outlet_id, countyCode: h.county_code,
    counts: { received: h.received, damaged: h.damaged, missing: h.missing, unexpected: h.unexpected },
    signedBy: { post: h.post_signer, partner: h.partner_signer }, signatureRef: h.signature_ref, signedAt: new Date(h.signed_at).toISOString(),
    items: h.items.map((i) => ({ waybillNo: i.waybill_no, parcelId: i.parcel_id, result: i.result, ...(i.note ? { note: i.note } : {}) })).sort((a, b) => a.waybillNo.localeCompare(b.waybillNo)),
  };
}
