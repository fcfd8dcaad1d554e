import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Principal } from '@cuntong/domain/access.ts';
import type { DB } from '../../db/schema.ts';

export interface AuditEntry {
  action: string;
  objectType?: string;
  objectId?: string;
  result?: 'ok' | 'denied' | 'failed';
  /** Never personal data in clear: masked values or ids only. */
  detail?: Record<string, unknown>;
}

type Actor = Pick<Principal, 'id' | 'username'> | null;

// Serialises appends so the hash chain has one line (an advisory lock works on both engines).
const AUDIT_LOCK = 7_231_001;

/**
 * Appends a row to the hash-chained audit log. Call inside the transaction of the change it
 * records, so the record and the change commit or roll back together.
 */
export async function appendAudit(db: Kysely<DB>, actor: Actor, e: AuditEntry, at: Date = new Date()): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(db);
  const last = await db.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const prev = last?.hash ?? '0'.repeat(64);
  const row = {
    at: at.toISOString(),
    actor_id: actor?.id ?? null,
    actor_name: actor?.username ?? null,
    action: e.action,
    object_type: e.objectType ?? null,
    object_id: e.objectId ?? null,
    result: e.result ?? 'ok',
    detail: canonicalJson(e.detail ?? {}),
  };
  const hash = chainHash(prev, row);
  await db.insertInto('audit_log').values({ ...row, prev_hash: prev, hash }).execute();
}

/** JSON with object keys sorted, so the hash survives jsonb's own key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function chainHash(prev: string, row: Record<string, unknown>): string {
  return createHash('sha256').update(prev).update(JSON.stringify(row)).digest('hex');
}

/** Recomputes the chain; returns the seq of the first row that does not match, or null if intact. */
export async function verifyAuditChain(db: Kysely<DB>): Promise<number | null> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  let prev = '0'.repeat(64);
  for (const r of rows) {
    const row = {
      at: new Date(r.at).toISOString(),
      actor_id: r.actor_id,
      actor_name: r.actor_name,
      action: r.action,
      object_type: r.object_type,
      object_id: r.object_id,
      result: r.result,
      detail: canonicalJson(r.detail ?? {}),
    };
    if (r.prev_hash !== prev || chainHash(prev, row) !== r.hash) return r.seq;
    prev = r.hash;
  }
  return null;
}

export async function listAudit(db: Kysely<DB>, q: { objectType?: string; objectId?: string; action?: string; limit: number; offset: number }) {
  let query = db.selectFrom('audit_log');
  if (q.objectType) query = query.where('object_type', '=', q.objectType);
  if (q.objectId) query = query.where('object_id', '=', q.objectId);
  if (q.action) query = query.where('action', '=', q.action);
  const [items, total] = await Promise.all([
    query.selectAll().orderBy('seq', 'desc').limit(q.limit).offset(q.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
