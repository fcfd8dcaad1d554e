import type { Kysely } from 'kysely';
import type { Principal } from '@cuntong/domain/access.ts';
import { forbidden, notFound } from '@cuntong/domain/errors.ts';
import { STATUSES } from '@cuntong/domain/parcels/status.ts';
import { isStatus, type Vocabulary } from '@cuntong/domain/webhooks/vocabulary.ts';
import type { DB } from '../../db/schema.ts';
import type { WebhooksService } from '../webhooks/webhooks.service.ts';
import * as repo from './partner-api.repository.ts';

interface StatusPayload { waybillNo?: string; status?: string; previousStatus?: string | null; eventType?: string; eventTime?: string; upu?: string | null; reason?: string }

/** The partner API's reads: always the caller's own parcels, statuses in the caller's vocabulary. */
export class PartnerApiService {
  constructor(private readonly db: Kysely<DB>, private readonly webhooks: WebhooksService) {}

  private partner(p: Principal): string {
    if (p.role !== 'partner' || !p.partnerCode) throw forbidden('auth.role', 'partner API only');
    return p.partnerCode;
  }
  private async vocab(code: string): Promise<Vocabulary> {
    return (await this.webhooks.vocabularyOf([code])).get(code)!;
  }

  /** `status` may be one of our statuses or one of the partner's codes. */
  async listParcels(p: Principal, q: { status?: string; updatedSince?: string; limit: number; offset: number }) {
    const code = this.partner(p);
    const v = await this.vocab(code);
    const statuses = q.status ? STATUSES.filter((s) => s === q.status || v[s] === q.status) : undefined;
    const r = await repo.listParcels(this.db, code, { ...(statuses ? { statuses: [...statuses] } : {}), ...(q.updatedSince ? { updatedSince: new Date(q.updatedSince) } : {}), limit: q.limit, offset: q.offset });
    return {
      total: r.total,
      items: r.items.map((x) => ({
        waybillNo: x.waybill_no, status: isStatus(x.status) ? v[x.status] : x.status, internalStatus: x.status, statusAt: new Date(x.status_at).toISOString(),
        service: x.service, weightKg: x.weight_g / 1000, pieces: x.pieces, countyCode: x.county_code, villageCode: x.village_code,
        exceptionKind: x.exception_kind, createdAt: new Date(x.created_at).toISOString(), closedAt: x.closed_at ? new Date(x.closed_at).toISOString() : null,
      })),
    };
  }

  async counts(p: Principal) {
    const code = this.partner(p);
    const v = await this.vocab(code);
    const rows = await repo.countsByStatus(this.db, code);
    const byStatus = Object.fromEntries(rows.map((r) => [isStatus(r.status) ? v[r.status] : r.status, Number(r.n)]));
    return { total: rows.reduce((a, r) => a + Number(r.n), 0), byStatus };
  }

  /** The status history of one of the caller's parcels (404 for any other waybill). */
  async parcelHistory(p: Principal, waybillNo: string) {
    const code = this.partner(p);
    const parcel = await repo.findParcel(this.db, code, waybillNo);
    if (!parcel) throw notFound('parcel.not_found', `no parcel ${waybillNo}`);
    const v = await this.vocab(code);
    const rows = await repo.parcelStatusChanges(this.db, code, parcel.id);
    return { waybillNo, status: isStatus(parcel.status) ? v[parcel.status] : parcel.status, changes: rows.map((r) => this.change(v, r)) };
  }

  /** Pull feed of status changes (the same messages as the webhooks), by cursor. */
  async feed(p: Principal, after: number, limit: number) {
    const code = this.partner(p);
    const v = await this.vocab(code);
    const rows = await repo.statusFeed(this.db, code, after, limit);
    return { items: rows.map((r) => ({ cursor: r.id, ...this.change(v, r) })), nextCursor: rows.length ? rows[rows.length - 1]!.id : after };
  }

  private change(v: Vocabulary, r: { message_id: string; payload: unknown; created_at: Date | string }) {
    const pl = (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as StatusPayload;
    const c = (s: string | null | undefined) => (s && isStatus(s) ? v[s] : (s ?? null));
    return {
      id: r.message_id, waybillNo: pl.waybillNo ?? null, status: c(pl.status), previousStatus: c(pl.previousStatus), internalStatus: pl.status ?? null,
      eventType: pl.eventType ?? null, eventTime: pl.eventTime ?? null, upu: pl.upu ?? null, ...(pl.reason ? { reason: pl.reason } : {}), recordedAt: new Date(r.created_at).toISOString(),
    };
  }

  async handovers(p: Principal, q: { from?: string; to?: string; limit: number; offset: number }) {
    const code = this.partner(p);
    const r = await repo.listHandovers(this.db, code, { ...(q.from ? { from: new Date(q.from) } : {}), ...(q.to ? { to: new Date(q.to) } : {}), limit: q.limit, offset: q.offset });
    const outlets = await repo.outletNames(this.db, [...new Set(r.items.map((h) => h.outlet_id))]);
    return {
      total: r.total,
      items: r.items.map((h) => ({
        id: h.id, outletCode: outlets.get(h.outlet_id)?.code ?? null, outletName: outlets.get(h.outlet_id)?.name ?? null, countyCode: h.county_code,
        counts: { received: h.received, damaged: h.damaged, missing: h.missing, unexpected: h.unexpected },
        signedBy: { post: h.post_signer, partner: h.partner_signer }, signedAt: new Date(h.signed_at).toISOString(),
      })),
    };
  }
}
