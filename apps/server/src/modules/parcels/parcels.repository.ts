import { CompiledQuery, type Kysely, type Selectable, sql } from 'kysely';
import type { DB, ParcelEventsTable, ParcelsTable } from '../../db/schema.ts';

/** SQL for inbound parcels; the only file of the module that knows tables. */
export type ParcelRow = Selectable<ParcelsTable>;
export type EventRow = Selectable<ParcelEventsTable>;
type Db = Kysely<DB>;

const CHUNK = 1000;
function chunks<T>(xs: T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

export async function findOutletByCode(db: Db, code: string) {
  return db.selectFrom('outlets').select(['id', 'code', 'name', 'county_code', 'active']).where('code', '=', code).executeTakeFirst();
}
export async function findOutletsByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('outlets').select(['id', 'code', 'name', 'county_code']).where('id', 'in', ids).execute();
}
export async function findPartner(db: Db, code: string) {
  return db.selectFrom('partners').select(['code', 'name', 'active']).where('code', '=', code).executeTakeFirst();
}

/** Whether the partner has an active agreement for the county on that day. */
export async function hasAgreement(db: Db, partnerCode: string, countyCode: string, day: string): Promise<boolean> {
  const r = await db.selectFrom('agreements').select('id').where('partner_code', '=', partnerCode).where('county_code', '=', countyCode).where('active', '=', true)
    .where('valid_from', '<=', day).where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', day)])).limit(1).executeTakeFirst();
  return r !== undefined;
}

/** What a manifest needs to know before it is read: the partner, the outlet and whether an agreement covers them that day. */
export async function manifestContext(db: Db, partnerCode: string, outletCode: string, day: string) {
  const r = await sql<{ partner_active: boolean | null; outlet_id: string | null; outlet_county: string | null; outlet_active: boolean | null; agreement: boolean }>`
    SELECT pt.active AS partner_active, o.id AS outlet_id, o.county_code AS outlet_county, o.active AS outlet_active,
      EXISTS (SELECT 1 FROM agreements a WHERE a.partner_code = pt.code AND a.county_code = o.county_code AND a.active
        AND a.valid_from <= ${day}::date AND (a.valid_to IS NULL OR a.valid_to >= ${day}::date)) AS agreement
    FROM (SELECT 1) AS one
    LEFT JOIN partners pt ON pt.code = ${partnerCode}
    LEFT JOIN outlets o ON o.code = ${outletCode}`.execute(db);
  return r.rows[0]!;
}

// ---------- idempotency keys ----------
export async function getIdempotency(db: Db, owner: string, key: string) {
  return db.selectFrom('idempotency_keys').selectAll().where('owner', '=', owner).where('key', '=', key).executeTakeFirst();
}
/** Claims a key; false when a row exists (a concurrent insert waits for the other transaction). */
export async function claimIdempotency(db: Db, owner: string, key: string, requestHash: string, at: Date): Promise<boolean> {
  const r = await db.insertInto('idempotency_keys').values({ owner, key, request_hash: requestHash, status_code: null, response: null, created_at: at }).onConflict((oc) => oc.columns(['owner', 'key']).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}
export async function completeIdempotency(db: Db, owner: string, key: string, status: number, response: unknown) {
  await db.updateTable('idempotency_keys').set({ status_code: status, response: JSON.stringify(response) }).where('owner', '=', owner).where('key', '=', key).execute();
}
export async function deleteIdempotency(db: Db, owner: string, key: string) {
  await db.deleteFrom('idempotency_keys').where('owner', '=', owner).where('key', '=', key).execute();
}

// ---------- manifests and parcels ----------
export async function insertManifest(db: Db, row: { id: string; partner_code: string; outlet_id: string; county_code: string; source: string; file_hash: string | null; parcel_count: number; accepted: number; duplicates: number; created_by: string | null; created_at: Date }) {
  await db.insertInto('manifests').values(row).execute();
}

/**
 * Multi-row insert as one statement with one array parameter per column (INSERT … SELECT FROM
 * unnest(…)): far fewer parameters to bind than VALUES lists, on PGlite as on PostgreSQL.
 */
async function insertUnnest<R extends object>(db: Db, table: string, cols: Array<[keyof R & string, string]>, rows: R[], suffix = sql``, returning?: string[]) {
  const out: Array<Record<string, unknown>> = [];
  for (const c of chunks(rows, 5000)) {
    const arrays = cols.map(([name, type]) => sql`${c.map((r) => { const v = (r as Record<string, unknown>)[name]; return v instanceof Date ? v.toISOString() : (v ?? null); })}::${sql.raw(type)}[]`);
    const q = sql<Record<string, unknown>>`INSERT INTO ${sql.table(table)} (${sql.join(cols.map(([n]) => sql.ref(n)))}) SELECT * FROM unnest(${sql.join(arrays)}) ${suffix}${returning ? sql` RETURNING ${sql.join(returning.map((r) => sql.ref(r)))}` : sql``}`;
    const r = await q.execute(db);
    out.push(...r.rows);
  }
  return out;
}

/** A manifest's parcel as the set-based insert takes it (the batch-wide columns are parameters). */
export interface ManifestParcelRow {
  id: string; waybill_no: string; msg_id: string;
  recipient_name_enc: string; recipient_name_masked: string; phone_enc: string; phone_hmac: string; phone_masked: string;
  address_enc: string; address_masked: string; village_code: string | null; address_status: string; address_confidence: number | null;
  address_candidates: unknown[]; weight_g: number; pieces: number; service: string; cod_fen: number;
}

/** One column of rows as a PostgreSQL array literal (`{"a","b",NULL}`): a single text parameter. */
function arrayLiteral(values: unknown[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null || v === undefined) { out += 'NULL'; continue; }
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    out += s.includes('"') || s.includes('\\') ? `"${s.replace(/[\\"]/g, '\\$&')}"` : `"${s}"`;
  }
  return out + '}';
}

const MANIFEST_COLS: Array<[keyof ManifestParcelRow, string]> = [
  ['id', 'text'], ['waybill_no', 'text'], ['msg_id', 'text'], ['recipient_name_enc', 'text'], ['recipient_name_masked', 'text'], ['phone_enc', 'text'], ['phone_hmac', 'text'], ['phone_masked', 'text'],
  ['address_enc', 'text'], ['address_masked', 'text'], ['village_code', 'text'], ['address_status', 'text'], ['address_confidence', 'float8'], ['address_candidates', 'jsonb'],
  ['weight_g', 'int4'], ['pieces', 'int4'], ['service', 'text'], ['cod_fen', 'int4'],
];

/**
 * A manifest's parcels, their `manifest_received` events, their outbox messages and the manifest's
 * counts in one statement (one round trip). The rows travel as one array literal per column
 * (`unnest`): measured against one JSON recordset parameter, PostgreSQL reads them in less than half
 * the time (no keys repeated per row), and against pg's own array encoding the client builds them
 * faster. Events and outbox rows are made from the parcels the statement actually inserted, so a
 * (partner, waybill) that already exists — also one inserted by a concurrent manifest a moment
 * ago — gets neither. Returns the inserted parcels.
 */
export async function insertManifestParcels(db: Db, m: { manifestId: string; partnerCode: string; outletId: string; countyCode: string; actorId: string | null; now: Date; upu: string | null }, rows: ManifestParcelRow[]): Promise<Array<{ id: string; waybill_no: string }>> {
  if (rows.length === 0) return [];
  const now = m.now.toISOString();
  const arrays = MANIFEST_COLS.map(([name, type]) => sql`${arrayLiteral(rows.map((r) => r[name]))}::${sql.raw(type)}[]`);
  const r = await sql<{ id: string; waybill_no: string }>`
    WITH input AS (
      SELECT * FROM unnest(${sql.join(arrays)}) AS x(${sql.join(MANIFEST_COLS.map(([n]) => sql.ref(n)))})
    ), ins AS (
      INSERT INTO parcels (id, partner_code, waybill_no, manifest_id, outlet_id, county_code, recipient_name_enc, recipient_name_masked, phone_enc, phone_hmac, phone_masked,
        address_enc, address_masked, village_code, address_status, address_confidence, address_candidates, weight_g, pieces, service, cod_fen, status, status_at, created_at)
      SELECT id, ${m.partnerCode}, waybill_no, ${m.manifestId}, ${m.outletId}, ${m.countyCode}, recipient_name_enc, recipient_name_masked, phone_enc, phone_hmac, phone_masked,
        address_enc, address_masked, village_code, address_status, address_confidence, address_candidates, weight_g, pieces, service, cod_fen, 'manifested', ${now}::timestamptz, ${now}::timestamptz
      FROM input
      ON CONFLICT (partner_code, waybill_no) DO NOTHING
      RETURNING id, waybill_no
    ), ev AS (
      INSERT INTO parcel_events (event_id, parcel_id, type, event_time, recorded_at, actor_id, body_hash, payload)
      SELECT ins.id || '.manifest', ins.id, 'manifest_received', ${now}::timestamptz, ${now}::timestamptz, ${m.actorId}, '-', jsonb_build_object('manifestId', ${m.manifestId}::text)
      FROM ins
    ), ob AS (
      INSERT INTO outbox (message_id, topic, partner_code, parcel_id, dedupe_key, payload, created_at)
      SELECT i.msg_id, 'parcel.status_changed', ${m.partnerCode}, ins.id, ins.id || ':' || ins.id || '.manifest',
        jsonb_build_object('parcelId', ins.id, 'waybillNo', ins.waybill_no, 'partnerCode', ${m.partnerCode}::text, 'previousStatus', NULL::text, 'status', 'manifested'::text,
          'eventId', ins.id || '.manifest', 'eventType', 'manifest_received'::text, 'eventTime', ${now}::text, 'upu', ${m.upu}::text),
        ${now}::timestamptz
      FROM ins JOIN input i ON i.id = ins.id
      ON CONFLICT (dedupe_key) DO NOTHING
    ), cnt AS (
      UPDATE manifests SET accepted = (SELECT count(*) FROM ins), duplicates = parcel_count - (SELECT count(*) FROM ins) WHERE id = ${m.manifestId}
    )
    SELECT id, waybill_no FROM ins`.execute(db);
  return r.rows;
}

/** Waybills of a partner that are already parcels (duplicates skip resolution and encryption). */
export async function existingWaybills(db: Db, partnerCode: string, waybills: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const c of chunks(waybills, 5000)) {
    const r = await sql<{ waybill_no: string }>`SELECT waybill_no FROM parcels WHERE partner_code = ${partnerCode} AND waybill_no = ANY(${c}::text[])`.execute(db);
    for (const x of r.rows) out.add(x.waybill_no);
  }
  return out;
}

export interface NewEvent { event_id: string; parcel_id: string; type: string; event_time: Date; recorded_at: Date; actor_id: string | null; body_hash: string; payload: string }
const EVENT_COLS: Array<[keyof NewEvent, string]> = [['event_id', 'text'], ['parcel_id', 'text'], ['type', 'text'], ['event_time', 'timestamptz'], ['recorded_at', 'timestamptz'], ['actor_id', 'text'], ['body_hash', 'text'], ['payload', 'jsonb']];
export async function insertEvents(db: Db, rows: NewEvent[]) {
  if (rows.length === 1) await db.insertInto('parcel_events').values(rows).execute();
  else if (rows.length > 1) await insertUnnest(db, 'parcel_events', EVENT_COLS, rows);
}
export interface NewOutbox { message_id: string; topic: string; partner_code: string | null; parcel_id: string | null; dedupe_key: string; payload: string; created_at: Date }
const OUTBOX_COLS: Array<[keyof NewOutbox, string]> = [['message_id', 'text'], ['topic', 'text'], ['partner_code', 'text'], ['parcel_id', 'text'], ['dedupe_key', 'text'], ['payload', 'jsonb'], ['created_at', 'timestamptz']];
export async function insertOutbox(db: Db, rows: NewOutbox[]) {
  if (rows.length === 0) return;
  await insertUnnest(db, 'outbox', OUTBOX_COLS, rows, sql`ON CONFLICT (dedupe_key) DO NOTHING`);
}

export async function getParcel(db: Db, id: string) {
  return db.selectFrom('parcels').selectAll().where('id', '=', id).executeTakeFirst();
}
export async function getParcelForUpdate(db: Db, id: string) {
  return db.selectFrom('parcels').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}
export async function getPartnerParcel(db: Db, partnerCode: string, waybillNo: string) {
  return db.selectFrom('parcels').selectAll().where('partner_code', '=', partnerCode).where('waybill_no', '=', waybillNo).executeTakeFirst();
}
/** The newest parcel with this waybill number (numbers are unique per partner, nearly always overall). */
export async function latestByWaybill(db: Db, waybillNo: string) {
  return db.selectFrom('parcels').selectAll().where('waybill_no', '=', waybillNo).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}
/**
 * Public tracking in one round trip: the newest parcel with this waybill number (index on
 * waybill_no) and its events (id, type, time, the event it voids) as one JSON array in log order.
 * The query lives in the PL/pgSQL function parcel_tracking (migration 0040) so its plan is kept per
 * connection instead of being made again for every request. No joins: place and partner names
 * come from the caller's cache (planning a four-table join cost ten times the lookup itself).
 */
export async function trackingView(db: Db, waybillNo: string) {
  const r = await sql<{ waybill_no: string; partner_code: string; status: string; recipient_name_masked: string | null; phone_masked: string | null; outlet_id: string; village_code: string | null; events: Array<[string, string, string, string | null]> | string }>`
    SELECT * FROM parcel_tracking(${waybillNo})`.execute(db);
  return r.rows[0];
}
const TRACK_ANSWER_SQL = 'SELECT answer AS a FROM parcel_track_answers($1::text[]) ORDER BY i';
/**
 * Public tracking's whole answer as compact JSON text, kept per parcel by the database
 * (parcel_public_track, migration 0070) and read by parcel_track_answers; undefined for an unknown
 * waybill.
 *
 * Lookups share statements: at most `maxInFlight` statements are out at a time, and the lookups that
 * arrive meanwhile go together in the next one (up to `maxBatch` waybills, answers in the same
 * order). Under load most of a lookup's cost was the round trip itself, in Node (query builder,
 * pool, protocol) and above all in the socket write that wakes the database's process, which on
 * these machines cost more than the lookup; with the statements bounded, a busier second makes
 * bigger batches instead of more round trips. It also bounds what a flood of public lookups takes of
 * the connection pool. A lone request goes out at once (after the current I/O phase), so it waits
 * for nothing. A failed batch is retried one waybill at a time, so one bad lookup fails only its own
 * request. The statement is compiled once, not by the query builder per request.
 */
export function trackAnswers(db: Db, opts: { maxBatch?: number; maxInFlight?: number } = {}): (waybillNo: string) => Promise<string | undefined> {
  const maxBatch = opts.maxBatch ?? 128;
  const maxInFlight = opts.maxInFlight ?? 2;
  type Waiting = { w: string; resolve: (a: string | undefined) => void; reject: (e: unknown) => void };
  const pending: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;
  const run = async (ws: string[]) => (await db.executeQuery<{ a: string | null }>(CompiledQuery.raw(TRACK_ANSWER_SQL, [ws]))).rows.map((r) => r.a ?? undefined);
  const send = async (batch: Waiting[]) => {
    try {
      const answers = await run(batch.map((b) => b.w));
      batch.forEach((b, i) => b.resolve(answers[i]));
    } catch (err) {
      if (batch.length === 1) batch[0]!.reject(err);
      else await Promise.all(batch.map((b) => run([b.w]).then((a) => b.resolve(a[0]), b.reject)));
    }
  };
  const flush = () => {
    scheduled = false;
    while (pending.length > 0 && inFlight < maxInFlight) {
      const batch = pending.splice(0, maxBatch);
      inFlight++;
      void send(batch).finally(() => {
        inFlight--;
        flush();
      });
    }
  };
  return (waybillNo) => {
    // PostgreSQL text holds no NUL: no parcel has such a number, and it must not fail a batch.
    if (waybillNo.includes('\u0000')) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      pending.push({ w: waybillNo, resolve, reject });
      if (!scheduled && inFlight < maxInFlight) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  };
}
/** Display names of outlets, villages (short names) and partners, for the tracking cache. */
export async function placeNames(db: Db, q: { outlets: string[]; villages: string[]; partners: string[] }): Promise<Array<{ kind: 'outlet' | 'village' | 'partner'; key: string; name: string }>> {
  const r = await sql<{ kind: 'outlet' | 'village' | 'partner'; key: string; name: string }>`
    SELECT 'outlet' AS kind, id AS key, name FROM outlets WHERE id = ANY(${q.outlets}::text[])
    UNION ALL SELECT 'village', code, short_name FROM divisions WHERE code = ANY(${q.villages}::text[])
    UNION ALL SELECT 'partner', code, name FROM partners WHERE code = ANY(${q.partners}::text[])`.execute(db);
  return r.rows;
}
export async function listEvents(db: Db, parcelId: string) {
  return db.selectFrom('parcel_events').selectAll().where('parcel_id', '=', parcelId).orderBy('seq').execute();
}
export async function findEvents(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('parcel_events').select(['event_id', 'parcel_id', 'body_hash', 'type']).where('event_id', 'in', ids).execute();
}
export async function setParcelStatus(db: Db, id: string, s: { status: string; status_at: Date; exception_kind: string | null; closed_at: Date | null }) {
  await db.updateTable('parcels').set(s).where('id', '=', id).execute();
}

export interface ParcelFilter {
  countyCode?: string; partnerCode?: string; waybillNo?: string; status?: string; addressStatus?: string; phoneHmac?: string;
  addressQueue?: boolean; limit: number; offset: number;
}
export async function listParcels(db: Db, f: ParcelFilter) {
  let q = db.selectFrom('parcels');
  if (f.countyCode) q = q.where('county_code', 'like', `${f.countyCode}%`);
  if (f.partnerCode) q = q.where('partner_code', '=', f.partnerCode);
  if (f.waybillNo) q = q.where('waybill_no', '=', f.waybillNo);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.addressStatus) q = q.where('address_status', '=', f.addressStatus);
  if (f.phoneHmac) q = q.where('phone_hmac', '=', f.phoneHmac);
  if (f.addressQueue) q = q.where('address_status', 'in', ['low_confidence', 'ambiguous', 'unresolved', 'outside']);
  const [items, total] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function divisionNames(db: Db, codes: string[]) {
  if (codes.length === 0) return new Map<string, string>();
  const rows = await db.selectFrom('divisions').select(['code', 'short_name']).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, r.short_name]));
}
export async function villageExists(db: Db, code: string) {
  return db.selectFrom('divisions').select(['code', 'short_name as name']).where('code', '=', code).where('level', '=', 'village').executeTakeFirst();
}

// ---------- address queue and learned aliases ----------
export async function listAliases(db: Db) {
  return db.selectFrom('address_aliases').select(['text', 'village_code']).execute();
}
export async function upsertAlias(db: Db, text: string, villageCode: string, by: string, at: Date) {
  await db.insertInto('address_aliases').values({ text, village_code: villageCode, created_by: by, created_at: at }).onConflict((oc) => oc.column('text').doUpdateSet({ village_code: villageCode, created_by: by, created_at: at })).execute();
}
/** Assigns the village to queued parcels of the county with the same (masked) address text. */
export async function assignQueued(db: Db, countyCode: string, addressMasked: string, villageCode: string) {
  const r = await db.updateTable('parcels').set({ village_code: villageCode, address_status: 'assigned', address_candidates: '[]' })
    .where('county_code', '=', countyCode).where('address_masked', '=', addressMasked)
    .where('address_status', 'in', ['low_confidence', 'ambiguous', 'unresolved', 'outside']).returning('id').execute();
  return r.map((x) => x.id);
}
export async function assignVillage(db: Db, id: string, villageCode: string) {
  await db.updateTable('parcels').set({ village_code: villageCode, address_status: 'assigned', address_candidates: '[]' }).where('id', '=', id).execute();
}

// ---------- consents ----------
export async function insertConsent(db: Db, row: { id: string; parcel_id: string | null; phone_hmac: string | null; kind: string; channel: string; proxy_name_enc: string | null; given_at: Date; recorded_at: Date; recorded_by: string | null }) {
  await db.insertInto('delivery_consents').values(row).execute();
}
/** Consent kinds in force for a parcel: its own, and standing ones of the recipient's phone. */
export async function consentKinds(db: Db, parcelId: string, phoneHmac: string | null, at: Date): Promise<Set<string>> {
  let q = db.selectFrom('delivery_consents').select('kind').where('revoked_at', 'is', null).where('given_at', '<=', at);
  q = phoneHmac ? q.where((eb) => eb.or([eb('parcel_id', '=', parcelId), eb.and([eb('parcel_id', 'is', null), eb('phone_hmac', '=', phoneHmac)])])) : q.where('parcel_id', '=', parcelId);
  return new Set((await q.execute()).map((r) => r.kind));
}
export async function listConsents(db: Db, parcelId: string, phoneHmac: string | null) {
  let q = db.selectFrom('delivery_consents').select(['id', 'parcel_id', 'kind', 'channel', 'given_at', 'recorded_at', 'revoked_at']);
  q = phoneHmac ? q.where((eb) => eb.or([eb('parcel_id', '=', parcelId), eb.and([eb('parcel_id', 'is', null), eb('phone_hmac', '=', phoneHmac)])])) : q.where('parcel_id', '=', parcelId);
  return q.orderBy('recorded_at').execute();
}

// ---------- handovers ----------
/** Parcels of a partner at an outlet still waiting to be handed over (the manifest side). */
export async function awaitingHandover(db: Db, partnerCode: string, outletId: string) {
  return db.selectFrom('parcels').select(['id', 'waybill_no', 'status']).where('partner_code', '=', partnerCode).where('outlet_id', '=', outletId).where('status', '=', 'manifested').forUpdate().execute();
}
export async function parcelsByWaybills(db: Db, partnerCode: string, waybills: string[]) {
  if (waybills.length === 0) return [];
  return db.selectFrom('parcels').select(['id', 'waybill_no', 'status', 'outlet_id', 'exception_kind']).where('partner_code', '=', partnerCode).where('waybill_no', 'in', waybills).forUpdate().execute();
}
export async function insertHandover(db: Db, row: { id: string; partner_code: string; outlet_id: string; county_code: string; received: number; damaged: number; missing: number; unexpected: number; post_signer: string; partner_signer: string; signature_ref: string | null; signed_at: Date; created_by: string | null }, items: Array<{ handover_id: string; waybill_no: string; parcel_id: string | null; result: string; note: string | null }>) {
  await db.insertInto('handovers').values(row).execute();
  for (const c of chunks(items)) await db.insertInto('handover_items').values(c).execute();
}
export async function getHandover(db: Db, id: string) {
  const h = await db.selectFrom('handovers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!h) return undefined;
  const items = await db.selectFrom('handover_items').select(['waybill_no', 'parcel_id', 'result', 'note']).where('handover_id', '=', id).orderBy('waybill_no').execute();
  return { ...h, items };
}

// ---------- retention ----------
/** Removes personal data of parcels closed before `before`; statements keep village, service, weight, times. */
export async function purgeClosed(db: Db, before: Date, at: Date): Promise<number> {
  const r = await db.updateTable('parcels')
    .set({ recipient_name_enc: null, recipient_name_masked: null, phone_enc: null, phone_hmac: null, phone_masked: null, address_enc: null, address_masked: null, address_candidates: '[]', purged_at: at })
    .where('purged_at', 'is', null).where('closed_at', 'is not', null).where('closed_at', '<', before).executeTakeFirst();
  await db.updateTable('delivery_consents').set({ proxy_name_enc: null, phone_hmac: null })
    .where('parcel_id', 'in', (eb) => eb.selectFrom('parcels').select('id').where('purged_at', '=', at)).execute();
  return Number(r.numUpdatedRows ?? 0);
}

export async function countOutbox(db: Db, parcelId: string) {
  const r = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('parcel_id', '=', parcelId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export { sql };
