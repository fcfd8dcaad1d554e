import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { DemoVillage } from './demo-month.ts';

/** SQL of the demo month (demo-month.ts): the villages it uses and set-based writes of its rows. */
type Db = Kysely<DB>;
type Row = Record<string, unknown>;

export interface DemoRows {
  manifests: Array<{ id: string; partner_code: string; outlet_id: string; county_code: string; source: string; file_hash: string | null; parcel_count: number; accepted: number; duplicates: number; created_by: string; created_at: Date }>;
  parcels: Row[];
  events: Row[];
  outbox: Array<{ message_id: string; topic: string; partner_code: string; parcel_id: string; dedupe_key: string; payload: string; created_at: Date }>;
  handovers: Array<{ id: string; partner_code: string; outlet_id: string; county_code: string; received: number; damaged: number; missing: number; unexpected: number; post_signer: string; partner_signer: string; signature_ref: string | null; signed_at: Date; created_by: string }>;
  handoverItems: Row[];
  consents: Row[];
  stationParcels: Row[];
  attempts: Row[];
  notifications: Row[];
  sms: Row[];
}

export async function hasDemoMonth(db: Db, partnerCode: string, waybillNo: string): Promise<boolean> {
  return !!(await db.selectFrom('parcels').select('id').where('partner_code', '=', partnerCode).where('waybill_no', '=', waybillNo).executeTakeFirst());
}

/**
 * Villages of the counties that have a village station, every k-th by code (always including
 * `must`), with the postal/agency outlet of their town (or the county's first) that receives them.
 */
export async function demoVillages(db: Db, counties: string[], perCounty: number, must: string): Promise<DemoVillage[]> {
  const r = await sql<{ code: string; name: string; town: string; county: string; county_code: string; station_id: string; station_code: string; station_name: string; outlet_id: string | null; county_outlet: string | null; remote: boolean }>`
    SELECT v.code, d.short_name AS name, t.short_name AS town, c.short_name AS county, v.county_code,
           s.id AS station_id, s.code AS station_code, s.name AS station_name,
           (SELECT o.id FROM outlets o WHERE o.town_code = v.town_code AND o.kind IN ('postal_office', 'agency_office') AND o.active ORDER BY o.kind DESC, o.code LIMIT 1) AS outlet_id,
           (SELECT o.id FROM outlets o WHERE o.county_code = v.county_code AND o.kind = 'postal_office' AND o.active ORDER BY o.code LIMIT 1) AS county_outlet,
           v.remote
    FROM villages v
    JOIN divisions d ON d.code = v.code
    JOIN divisions t ON t.code = v.town_code
    JOIN divisions c ON c.code = v.county_code
    JOIN outlets s ON s.kind = 'village_station' AND s.division_code = v.code AND s.active
    WHERE v.county_code = ANY(${counties}::text[])
    ORDER BY v.code`.execute(db);
  const out: DemoVillage[] = [];
  for (const county of counties) {
    const all = r.rows.filter((x) => x.county_code === county && (x.outlet_id ?? x.county_outlet));
    const step = Math.max(1, Math.floor(all.length / perCounty));
    const picked = all.filter((x, i) => i % step === 0).slice(0, perCounty);
    const m = all.find((x) => x.code === must);
    if (m && !picked.includes(m)) picked.push(m);
    // One village in five is remote (山区偏远村): the agreement's surcharge applies.
    picked.forEach((x, i) => out.push({ code: x.code, name: x.name, town: x.town, county: x.county, countyCode: x.county_code, stationId: x.station_id, stationCode: x.station_code, stationName: x.station_name, outletId: (x.outlet_id ?? x.county_outlet)!, remote: x.remote || i % 5 === 2 }));
  }
  return out;
}

/**
 * The demo terms the month needs: its remote villages flagged, and (as migration 0032 did for
 * databases that had agreements then) a return paid half the door rate where none is set.
 */
export async function demoTerms(db: Db, remoteVillages: string[]) {
  if (remoteVillages.length) await db.updateTable('villages').set({ remote: true }).where('code', 'in', remoteVillages).execute();
  await sql`UPDATE agreements SET return_rate_fen = door_rate_fen / 2 WHERE return_rate_fen = 0`.execute(db);
}

/**
 * INSERT … SELECT FROM jsonb_to_recordset($1): one JSON document per 5,000 rows (one parameter; on
 * PGlite about a third faster than unnest of one array per column, measured on the outbox rows).
 */
async function insertUnnest(db: Db, table: string, cols: Array<[string, string]>, rows: readonly object[]) {
  const names = sql.join(cols.map(([n]) => sql.ref(n)));
  const record = sql.raw(cols.map(([n, type]) => `${n} ${type}`).join(', '));
  for (let i = 0; i < rows.length; i += 5000) {
    const doc = (rows.slice(i, i + 5000) as Row[]).map((r) => {
      const o: Row = {};
      for (const [n, type] of cols) {
        const v = r[n];
        o[n] = v instanceof Date ? v.toISOString() : type === 'jsonb' && typeof v === 'string' ? JSON.parse(v) : (v ?? null);
      }
      return o;
    });
    await sql`INSERT INTO ${sql.table(table)} (${names}) SELECT ${names} FROM jsonb_to_recordset(${JSON.stringify(doc)}::jsonb) AS x(${record})`.execute(db);
  }
}

const T = 'text', I = 'int4', TS = 'timestamptz';
export async function insertAll(db: Db, r: DemoRows) {
  await insertUnnest(db, 'manifests', [['id', T], ['partner_code', T], ['outlet_id', T], ['county_code', T], ['source', T], ['file_hash', T], ['parcel_count', I], ['accepted', I], ['duplicates', I], ['created_by', T], ['created_at', TS]], r.manifests);
  await insertUnnest(db, 'parcels', [
    ['id', T], ['partner_code', T], ['waybill_no', T], ['manifest_id', T], ['outlet_id', T], ['county_code', T], ['recipient_name_enc', T], ['recipient_name_masked', T],
    ['phone_enc', T], ['phone_hmac', T], ['phone_masked', T], ['address_enc', T], ['address_masked', T], ['village_code', T], ['address_status', T], ['address_confidence', 'float8'],
    ['address_candidates', 'jsonb'], ['weight_g', I], ['pieces', I], ['service', T], ['cod_fen', I], ['status', T], ['status_at', TS], ['exception_kind', T], ['closed_at', TS], ['created_at', TS],
  ], r.parcels);
  await insertUnnest(db, 'parcel_events', [['event_id', T], ['parcel_id', T], ['type', T], ['event_time', TS], ['recorded_at', TS], ['actor_id', T], ['body_hash', T], ['payload', 'jsonb']], r.events);
  await insertUnnest(db, 'outbox', [['message_id', T], ['topic', T], ['partner_code', T], ['parcel_id', T], ['dedupe_key', T], ['payload', 'jsonb'], ['created_at', TS]], r.outbox);
  await insertUnnest(db, 'handovers', [['id', T], ['partner_code', T], ['outlet_id', T], ['county_code', T], ['received', I], ['damaged', I], ['missing', I], ['unexpected', I], ['post_signer', T], ['partner_signer', T], ['signature_ref', T], ['signed_at', TS], ['created_by', T]], r.handovers);
  await insertUnnest(db, 'handover_items', [['handover_id', T], ['waybill_no', T], ['parcel_id', T], ['result', T], ['note', T]], r.handoverItems);
  await insertUnnest(db, 'delivery_consents', [['id', T], ['parcel_id', T], ['phone_hmac', T], ['kind', T], ['channel', T], ['proxy_name_enc', T], ['given_at', TS], ['recorded_at', TS], ['recorded_by', T]], r.consents);
  await insertUnnest(db, 'station_parcels', [
    ['parcel_id', T], ['station_id', T], ['county_code', T], ['partner_code', T], ['shelf_slot', T], ['code_hash', T], ['basis', T], ['consent_id', T], ['arrived_at', TS],
    ['reminders', I], ['last_reminder_at', TS], ['status', T], ['closed_at', TS], ['closed_by', T], ['pickup_proof', T], ['received_by', T],
  ], r.stationParcels);
  await insertUnnest(db, 'station_pickup_attempts', [['station_id', T], ['parcel_id', T], ['at', TS], ['method', T], ['result', T], ['actor_id', T]], r.attempts);
  await insertUnnest(db, 'notifications', [
    ['id', T], ['dedupe_key', T], ['channel', T], ['kind', T], ['parcel_id', T], ['station_id', T], ['phone_enc', T], ['phone_masked', T], ['body_enc', T], ['body_masked', T],
    ['status', T], ['attempts', I], ['provider', T], ['provider_ref', T], ['last_error', T], ['created_at', TS], ['sent_at', TS],
  ], r.notifications);
  await insertUnnest(db, 'sms_messages', [['id', T], ['notification_id', T], ['to_enc', T], ['to_masked', T], ['body_enc', T], ['body_masked', T], ['created_at', TS]], r.sms);
}
