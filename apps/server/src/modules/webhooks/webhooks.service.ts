import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Principal } from '@cuntong/domain/access.ts';
import { forbidden, invalid, notFound } from '@cuntong/domain/errors.ts';
import { classifyResponse, MAX_ATTEMPTS, retryDelayS } from '@cuntong/domain/webhooks/backoff.ts';
import { type Hmac256, parseSecret, sign } from '@cuntong/domain/webhooks/signature.ts';
import { CODE_PATTERN, DEFAULT_VOCABULARY, isStatus, type Vocabulary, vocabulary } from '@cuntong/domain/webhooks/vocabulary.ts';
import type { PiiCipher } from '../../adapters/crypto.ts';
import type { DB } from '../../db/schema.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import * as repo from './webhooks.repository.ts';
import { checkUrlTarget, type Sender } from './webhooks.sender.ts';

export const hmacSha256: Hmac256 = (key, content) => createHmac('sha256', key).update(content, 'utf8').digest();

export interface WebhooksOptions {
  clock: () => Date;
  pii: PiiCipher;
  /** WEBHOOK_ALLOW_LOOPBACK=1: loopback addresses (only) may be called, for local testing. */
  allowLoopback: () => boolean;
}

interface StatusPayload { waybillNo?: string; status?: string; previousStatus?: string | null; eventType?: string; eventTime?: string; upu?: string | null; reason?: string }

/**
 * Partners kept informed: endpoint registration (SSRF-checked), the relay from the transactional
 * outbox to the delivery queue, signed delivery with retries, replay, and status vocabularies.
 */
export class WebhooksService {
  constructor(private readonly db: Kysely<DB>, private readonly opts: WebhooksOptions) {}

  // ---------------------------------------------------------------- endpoints
  async setEndpoint(p: Principal, partnerCode: string, input: { url: string; secret: string }) {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw invalid('webhook.url_invalid', 'not an absolute URL', [{ path: '/url', message: 'absolute http(s) URL' }]);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('webhook.url_invalid', 'the URL must be http or https', [{ path: '/url', message: 'http(s) only' }]);
    if (url.username || url.password) throw invalid('webhook.url_invalid', 'no credentials in the URL: the signature authenticates us', [{ path: '/url', message: 'no user:password@' }]);
    const target = await checkUrlTarget(url, this.opts.allowLoopback());
    if (!target.ok) {
      await appendAudit(this.db, p, { action: 'webhook.register', objectType: 'partner', objectId: partnerCode, result: 'denied', detail: { host: url.hostname, addressClass: target.addressClass } }, this.opts.clock());
      throw invalid('webhook.url_forbidden', `the URL resolves to a ${target.addressClass.replace('_', '-')} address (${target.address}); webhooks go to public addresses only`, [{ path: '/url', message: `${target.addressClass} address refused (SSRF)` }]);
    }
    const secret = parseSecret(input.secret);
    if ('error' in secret) throw invalid('webhook.secret_invalid', secret.error, [{ path: '/secret', message: secret.error }]);
    const now = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      await repo.upsertEndpoint(tx, partnerCode, url.toString(), this.opts.pii.encrypt(input.secret), now);
      await appendAudit(tx, p, { action: 'webhook.register', objectType: 'partner', objectId: partnerCode, detail: { url: url.origin + url.pathname } }, now);
    });
    return this.getEndpoint(partnerCode);
  }

  async getEndpoint(partnerCode: string) {
    const e = await repo.getEndpoint(this.db, partnerCode);
    if (!e) throw notFound('webhook.not_found', 'no webhook endpoint is registered');
    return {
      url: e.url, status: e.status as 'active' | 'disabled', disabledReason: e.disabled_reason,
      disabledAt: e.disabled_at ? new Date(e.disabled_at).toISOString() : null,
      createdAt: new Date(e.created_at).toISOString(), updatedAt: new Date(e.updated_at).toISOString(),
    };
  }

  async deleteEndpoint(p: Principal, partnerCode: string) {
    const now = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      if (!(await repo.deleteEndpoint(tx, partnerCode))) throw notFound('webhook.not_found', 'no webhook endpoint is registered');
      await appendAudit(tx, p, { action: 'webhook.delete', objectType: 'partner', objectId: partnerCode }, now);
    });
  }

  // ---------------------------------------------------------------- vocabularies
  vocabularyOf(partnerCodes: string[]): Promise<Map<string, Vocabulary>> {
    return this.vocabularyOfTx(this.db, partnerCodes);
  }

  async getVocabulary(partnerCode: string) {
    if (!(await repo.partnerExists(this.db, partnerCode))) throw notFound('partner.not_found', `no partner ${partnerCode}`);
    const v = (await this.vocabularyOf([partnerCode])).get(partnerCode)!;
    const own = new Set((await repo.statusCodes(this.db, [partnerCode])).map((r) => r.status));
    return { partnerCode, mapping: v, defaults: DEFAULT_VOCABULARY, overridden: [...own].sort() };
  }

  /** Replaces the partner's overrides (statuses left out fall back to the defaults). */
  async setVocabulary(p: Principal, partnerCode: string, mapping: Record<string, string>) {
    if (!(await repo.partnerExists(this.db, partnerCode))) throw notFound('partner.not_found', `no partner ${partnerCode}`);
    const re = new RegExp(CODE_PATTERN);
    const errors = Object.entries(mapping).flatMap(([k, v]) => [
      ...(isStatus(k) ? [] : [{ path: `/mapping/${k}`, message: 'not a parcel status' }]),
      ...(re.test(v) ? [] : [{ path: `/mapping/${k}`, message: '1–40 letters, digits, _ - . :' }]),
    ]);
    if (errors.length) throw invalid('vocabulary.invalid', 'the mapping has unknown statuses or invalid codes', errors);
    const now = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      await repo.replaceStatusCodes(tx, partnerCode, Object.entries(mapping).map(([status, code]) => ({ status, code })), now);
      await appendAudit(tx, p, { action: 'vocabulary.set', objectType: 'partner', objectId: partnerCode, detail: { mapping } }, now);
    });
    return this.getVocabulary(partnerCode);
  }

  // ---------------------------------------------------------------- relay
  /**
   * Moves unpublished outbox rows to the delivery queue of the partner's endpoint (one delivery per
   * status change; the outbox's dedupe key already made a transition appear once), in one
   * transaction: a crash leaves the rows unpublished and the next run does them again.
   * Rows older than the endpoint's registration, or of partners without one, are only marked.
   * Marking also numbers the rows for the partner pull feed (feed_seq, in commit order); rows of
   * other topics are left unpublished for their own consumers.
   */
  async relay(limit = 500): Promise<number> {
    const now = this.opts.clock();
    return this.db.transaction().execute(async (tx) => {
      const rows = await repo.takeOutbox(tx, limit);
      if (rows.length === 0) return 0;
      const partners = [...new Set(rows.map((r) => r.partner_code).filter((x): x is string => !!x))];
      const endpoints = new Map((await repo.endpointsOf(tx, partners)).map((e) => [e.partner_code, e]));
      const vocab = await this.vocabularyOfTx(tx, [...endpoints.keys()]);
      const deliveries: repo.NewDelivery[] = [];
      for (const r of rows) {
        if (r.topic !== 'parcel.status_changed' || !r.partner_code) continue;
        const ep = endpoints.get(r.partner_code);
        if (!ep || new Date(r.created_at).getTime() < new Date(ep.created_at).getTime()) continue;
        const pl = (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as StatusPayload;
        const v = vocab.get(r.partner_code) ?? DEFAULT_VOCABULARY;
        const code = (s: string | null | undefined) => (s && isStatus(s) ? v[s] : (s ?? null));
        const data = {
          waybillNo: pl.waybillNo ?? null,
          status: code(pl.status),
          previousStatus: code(pl.previousStatus),
          internalStatus: pl.status ?? null,
          eventType: pl.eventType ?? null,
          eventTime: pl.eventTime ?? null,
          upu: pl.upu ?? null,
          ...(pl.reason ? { reason: pl.reason } : {}),
        };
        // Top-level waybillNo and status for simple receivers; the Standard Webhooks envelope around data.
        const body = JSON.stringify({ type: 'parcel.status_changed', timestamp: new Date(r.created_at).toISOString(), waybillNo: data.waybillNo, status: data.status, data });
        deliveries.push({ id: r.message_id, outbox_id: r.id, partner_code: r.partner_code, parcel_id: r.parcel_id, waybill_no: pl.waybillNo ?? null, event_type: pl.eventType ?? r.topic, body, next_attempt_at: now, created_at: now });
      }
      await repo.insertDeliveries(tx, deliveries);
      await repo.markPublished(tx, rows.map((r) => r.id), now);
      return rows.length;
    });
  }

  private async vocabularyOfTx(tx: Kysely<DB>, partnerCodes: string[]): Promise<Map<string, Vocabulary>> {
    const rows = await repo.statusCodes(tx, partnerCodes);
    const by = new Map<string, Record<string, string>>();
    for (const r of rows) by.set(r.partner_code, { ...(by.get(r.partner_code) ?? {}), [r.status]: r.code });
    return new Map(partnerCodes.map((c) => [c, vocabulary(by.get(c) ?? {})]));
  }

  // ---------------------------------------------------------------- delivery
  /**
   * Sends the due deliveries once each (a parcel's messages one at a time, in order) and schedules
   * retries: exponential backoff with jitter (≈75 h in all); 410 disables the endpoint.
   */
  async deliverDue(send: Sender, o: { random: () => number; limit?: number; concurrency?: number; leaseS?: number } ): Promise<number> {
    const now = this.opts.clock();
    // A claim covers at most 4 rounds of sends at the 15 s timeout, well inside the lease.
    const due = await repo.claimDue(this.db, now, o.leaseS ?? 120, o.limit ?? 4 * (o.concurrency ?? 8));
    if (due.length === 0) return 0;
    const endpoints = new Map((await repo.endpointsOf(this.db, [...new Set(due.map((d) => d.partner_code))])).map((e) => [e.partner_code, e]));
    const queue = [...due];
    const worker = async () => {
      for (let d = queue.shift(); d; d = queue.shift()) {
        const ep = endpoints.get(d.partner_code);
        if (ep) await this.attempt(d, ep, send, o.random);
      }
    };
    await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 8, due.length) }, worker));
    return due.length;
  }

  private async attempt(d: repo.DeliveryRow, ep: repo.EndpointRow, send: Sender, random: () => number) {
    const started = this.opts.clock();
    const ts = Math.floor(started.getTime() / 1000);
    const parsed = parseSecret(this.opts.pii.decrypt(ep.secret_enc));
    const attempt = d.attempts + 1;
    const r = 'key' in parsed
      ? await send(ep.url, { 'webhook-id': d.id, 'webhook-timestamp': String(ts), 'webhook-signature': sign(hmacSha256, parsed.key, d.id, ts, d.body) }, d.body)
      : { status: null, error: 'stored secret unreadable', durationMs: 0 };
    const now = this.opts.clock();
    const outcome = classifyResponse(r.status);
    await this.db.transaction().execute(async (tx) => {
      await repo.recordAttempt(tx, { delivery_id: d.id, attempt, started_at: started, duration_ms: r.durationMs, status_code: r.status, error: r.error, url: ep.url });
      if (outcome === 'delivered') {
        await repo.updateDelivery(tx, d.id, { status: 'delivered', attempts: attempt, last_status_code: r.status, last_error: null, delivered_at: now });
      } else if (outcome === 'gone') {
        // 410 Gone: the receiver asks us to stop. The endpoint is disabled (the partner re-enables it
        // with PUT /partner/v1/webhook); this message stays queued so nothing is lost.
        await repo.updateDelivery(tx, d.id, { attempts: attempt, next_attempt_at: now, last_status_code: r.status, last_error: r.error });
        await repo.disableEndpoint(tx, d.partner_code, 'the endpoint answered 410 Gone', now);
        await appendAudit(tx, null, { action: 'webhook.disable', objectType: 'partner', objectId: d.partner_code, detail: { reason: '410 Gone', deliveryId: d.id } }, now);
      } else {
        const delay = attempt < MAX_ATTEMPTS ? retryDelayS(attempt, random, r.retryAfterS) : null;
        if (delay === null) await repo.updateDelivery(tx, d.id, { status: 'failed', attempts: attempt, last_status_code: r.status, last_error: r.error });
        else await repo.updateDelivery(tx, d.id, { attempts: attempt, next_attempt_at: new Date(now.getTime() + delay * 1000), last_status_code: r.status, last_error: r.error });
      }
    });
  }

  nextDue(): Promise<Date | null> {
    return repo.nextDue(this.db);
  }

  // ---------------------------------------------------------------- reads and replay
  async listDeliveries(p: Principal, f: { partnerCode?: string; status?: string; waybillNo?: string; limit: number; offset: number }) {
    const partnerCode = p.role === 'partner' ? p.partnerCode ?? '-' : f.partnerCode;
    const r = await repo.listDeliveries(this.db, { ...f, partnerCode });
    return {
      total: r.total,
      items: r.items.map((d) => ({
        id: d.id, partnerCode: d.partner_code, waybillNo: d.waybill_no, eventType: d.event_type, status: d.status, attempts: d.attempts,
        nextAttemptAt: d.status === 'pending' ? new Date(d.next_attempt_at).toISOString() : null, lastStatusCode: d.last_status_code, lastError: d.last_error,
        deliveredAt: d.delivered_at ? new Date(d.delivered_at).toISOString() : null, replays: d.replays, createdAt: new Date(d.created_at).toISOString(),
      })),
    };
  }

  private async ownDelivery(p: Principal, id: string) {
    const d = await repo.getDelivery(this.db, id);
    if (!d || (p.role === 'partner' && d.partner_code !== p.partnerCode)) throw notFound('webhook.delivery_not_found', `no delivery ${id}`);
    return d;
  }

  async getDelivery(p: Principal, id: string) {
    const d = await this.ownDelivery(p, id);
    const attempts = await repo.listAttempts(this.db, id);
    return {
      id: d.id, partnerCode: d.partner_code, waybillNo: d.waybill_no, eventType: d.event_type, status: d.status, attempts: d.attempts, replays: d.replays,
      nextAttemptAt: d.status === 'pending' ? new Date(d.next_attempt_at).toISOString() : null,
      deliveredAt: d.delivered_at ? new Date(d.delivered_at).toISOString() : null, body: JSON.parse(d.body) as unknown,
      log: attempts.map((a) => ({ attempt: a.attempt, at: new Date(a.started_at).toISOString(), durationMs: a.duration_ms, statusCode: a.status_code, error: a.error })),
    };
  }

  /** Sends a message again (the same webhook-id, a fresh timestamp and signature). */
  async replay(p: Principal, id: string) {
    const d = await this.ownDelivery(p, id);
    const now = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      await repo.requeue(tx, [d.id], now);
      await appendAudit(tx, p, { action: 'webhook.replay', objectType: 'webhook_delivery', objectId: d.id, detail: { partner: d.partner_code } }, now);
    });
    return { replayed: 1 };
  }

  /** Replays a partner's messages since a time (failed ones, or all with `all`). */
  async replaySince(p: Principal, partnerCode: string, since: string, all: boolean) {
    if (p.role === 'partner' && p.partnerCode !== partnerCode) throw forbidden('scope.partner', 'your own messages only');
    const t = new Date(since);
    if (Number.isNaN(t.getTime())) throw invalid('webhook.since', 'since must be an ISO 8601 time', [{ path: '/since', message: 'ISO 8601' }]);
    const now = this.opts.clock();
    const ids = await repo.deliveryIdsSince(this.db, partnerCode, t, all ? ['failed', 'delivered'] : ['failed']);
    const n = await this.db.transaction().execute(async (tx) => {
      const k = await repo.requeue(tx, ids, now);
      await appendAudit(tx, p, { action: 'webhook.replay', objectType: 'partner', objectId: partnerCode, detail: { since: t.toISOString(), all, messages: k } }, now);
      return k;
    });
    return { replayed: n };
  }
}
