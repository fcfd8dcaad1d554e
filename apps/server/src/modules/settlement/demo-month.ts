import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { maskAddress, maskName, maskPhone } from '@cuntong/domain/privacy/mask.ts';
import { type DeliveryProof, type EventType, type ParcelEvent, type ParcelStatus, UPU_CODE, checkAppend, deliveryRuleError, project } from '@cuntong/domain/parcels/status.ts';
import { DEFAULT_HOLD } from '@cuntong/domain/stations/pickup.ts';
import type { PiiCipher } from '../../adapters/crypto.ts';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '@cuntong/domain/access.ts';
import { canonicalJson } from '../audit/audit.repository.ts';
import * as repo from './demo-month.repository.ts';
import { SettlementService } from './settlement.service.ts';

/**
 * The demo month: a fixed, deterministic month (October 2026, local time) of inbound parcels of four
 * partners into villages of the two demo counties (都匀市, 三都县), with event histories like the
 * real ones — manifest, handover (交接, signed per partner, outlet and day), out for delivery, door
 * delivery with a signature, station delivery (consent or station service) and pickup by code,
 * failed attempts and returns, lost and damaged parcels, late deliveries — so that the console's
 * statements, disputes and station commissions have something to show on a fresh start.
 *
 * It is written set-based (a per-event transaction through ParcelsService would take minutes on
 * PGlite); its test replays every history through the parcel service's own rules (checkAppend and
 * deliveryRuleError, event by event in recording order) and checks that the rows are those the
 * event path writes: events with the same ids, payloads and body hashes, one outbox row per status change
 * with the same payload, the projected status, handovers with items, station shelf rows, consents,
 * pickup-code notifications. No audit entries: nobody performed these actions.
 */
export const DEMO_MONTH = '2026-10';
export const DEMO_MONTH_PARTNERS = ['ZTO', 'YTO', 'STO', 'YUNDA'] as const;
export const DEMO_MONTH_COUNTIES = ['522701', '522732'] as const;
/** Parcels per partner and county. */
const PER_PARTNER_COUNTY = 300;
/** Villages used per county (鸡贾村 in 都匀市 is always one: the demo keeper's station). */
const VILLAGES_PER_COUNTY = 36;
const JIJIA = '522701111212';
const ACTOR = 'usr_demo_month';
const H = 3600_000;
const OFFSET = 8 * H; // China Standard Time

/** SEED_DEMO_MONTH=0 leaves it out; under vitest it is off unless asked for (tests seed it themselves). */
export function demoMonthEnabled(env: NodeJS.ProcessEnv): boolean {
  if (env.SEED_DEMO_MONTH !== undefined) return env.SEED_DEMO_MONTH !== '0';
  return !env.VITEST;
}

function rng(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** A deterministic prefixed id (the demo month is the same on every fresh start). */
function stableId(prefix: string, key: string): string {
  const b = createHash('sha256').update(key).digest();
  let s = '';
  for (let i = 0; i < 10; i++) s += ALPHABET[b[i]! & 31];
  return `${prefix}_${s}`;
}
/** A local (UTC+8) wall-clock time in the demo month as an instant. */
function local(day: number, hour: number): Date {
  return new Date(Date.UTC(2026, 9, day) + hour * H - OFFSET);
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '吴', '潘', '韦', '蒙', '石', '罗', '莫', '杨', '欧阳'];
const GIVEN = ['国强', '秀英', '小娟', '志明', '桂芳', '德华', '玉兰', '文军', '春梅', '金花', '建平', '丽'];

export interface DemoVillage { code: string; name: string; town: string; county: string; countyCode: string; stationId: string; stationCode: string; stationName: string; outletId: string; remote: boolean }

type Scenario = 'door' | 'door_retry' | 'door_late' | 'station' | 'station_returned' | 'refused' | 'lost' | 'damaged';

export interface PlannedEvent { eventId: string; type: EventType; at: Date; reason?: string; note?: string; proof?: DeliveryProof; stationId?: string }
export interface PlannedParcel {
  id: string; waybillNo: string; partnerCode: string; countyCode: string; village: DemoVillage; outletId: string; service: 'door' | 'station';
  name: string; phone: string; address: string; weightG: number; manifestId: string; manifestAt: Date; handoverId: string; handoverAt: Date;
  scenario: Scenario; events: PlannedEvent[]; consentAt: Date | null;
}

function waybill(partner: string, county: string, i: number): string {
  const n = String(i).padStart(5, '0');
  const c = county.slice(-3);
  if (partner === 'ZTO') return `7731${c}10${n}`;
  if (partner === 'YTO') return `YT8826${c}${n}`;
  if (partner === 'STO') return `7730${c}20${n}`;
  return `4312${c}30${n}`;
}

/** The month's parcels and their histories (pure: the same villages give the same plan). */
export function planDemoMonth(villages: readonly DemoVillage[]): PlannedParcel[] {
  const out: PlannedParcel[] = [];
  for (const county of DEMO_MONTH_COUNTIES) {
    const vs = villages.filter((v) => v.countyCode === county);
    if (vs.length === 0) continue;
    DEMO_MONTH_PARTNERS.forEach((partner, pi) => {
      for (let i = 0; i < PER_PARTNER_COUNTY; i++) {
        const wb = waybill(partner, county, i);
        const r = rng(`demo-month:${wb}`);
        // Half the demo keeper's station traffic: 鸡贾村 gets a share of 都匀's parcels.
        const v = county === '522701' && r() < 0.12 ? (vs.find((x) => x.code === JIJIA) ?? vs[0]!) : vs[Math.floor(r() * vs.length)]!;
        const day = 1 + Math.floor(r() * 24); // manifests on 1–24 October: every history closes inside the month
        const manifestAt = local(day, 7 + pi * 0.25);
        const handoverAt = new Date(manifestAt.getTime() + 2 * H);
        const id = stableId('pcl', `demo-month:${partner}:${wb}`);
        const roll = r();
        const scenario: Scenario = roll < 0.02 ? 'lost' : roll < 0.035 ? 'damaged' : roll < 0.065 ? 'refused' : roll < 0.30 ? 'station' : roll < 0.33 ? 'station_returned' : roll < 0.37 ? 'door_late' : roll < 0.42 ? 'door_retry' : 'door';
        const stationBound = scenario === 'station' || scenario === 'station_returned';
        const service: 'door' | 'station' = stationBound && r() < 0.5 ? 'station' : 'door';
        const surname = SURNAMES[Math.floor(r() * SURNAMES.length)]!;
        const name = surname + GIVEN[Math.floor(r() * GIVEN.length)]!;
        const phone = `1${['38', '39', '58', '87', '82'][Math.floor(r() * 5)]}${String(Math.floor(r() * 1e8)).padStart(8, '0')}`;
        const address = `贵州省黔南州${v.county}${v.town}${v.name}${1 + Math.floor(r() * 9)}组${1 + Math.floor(r() * 60)}号`;
        const manifestId = stableId('mft', `demo-month:${partner}:${v.outletId}:${day}`);
        const handoverId = stableId('hdo', `demo-month:${partner}:${v.outletId}:${day}`);
        const ev: PlannedEvent[] = [];
        const add = (type: EventType, at: Date, extra: Partial<PlannedEvent> = {}) => ev.push({ eventId: `${id}.dm.${ev.length}.${type}`, type, at, ...extra });
        add('manifest_received', manifestAt);
        ev[0]!.eventId = `${id}.manifest`;
        add('handed_over', handoverAt);
        ev[1]!.eventId = `${handoverId}.${id}.in`;
        const ofd = new Date(handoverAt.getTime() + (18 + Math.floor(r() * 30)) * H);
        const sig = (): DeliveryProof => ({ kind: 'signature', ref: stableId('sig', `${id}:${ev.length}`), recipientType: 'recipient' });
        let consentAt: Date | null = null;
        switch (scenario) {
          case 'door':
            add('out_for_delivery', ofd);
            add('delivered', new Date(ofd.getTime() + (1 + Math.floor(r() * 6)) * H), { proof: sig() });
            break;
          case 'door_late': {
            const late = new Date(handoverAt.getTime() + (74 + Math.floor(r() * 20)) * H);
            add('out_for_delivery', late);
            add('delivered', new Date(late.getTime() + 2 * H), { proof: sig() });
            break;
          }
          case 'door_retry':
            add('out_for_delivery', ofd);
            add('delivery_failed', new Date(ofd.getTime() + 3 * H), { reason: 'recipient_absent' });
            add('out_for_delivery', new Date(ofd.getTime() + 24 * H));
            add('delivered', new Date(ofd.getTime() + 27 * H), { proof: sig() });
            break;
          case 'refused':
            add('out_for_delivery', ofd);
            add('delivery_failed', new Date(ofd.getTime() + 2 * H), { reason: 'refused' });
            add('returned_to_partner', new Date(ofd.getTime() + 30 * H), { reason: 'refused' });
            break;
          case 'lost':
            add('out_for_delivery', ofd);
            add('exception', new Date(ofd.getTime() + 8 * H), { reason: 'loss' });
            break;
          case 'damaged':
            add('exception', new Date(handoverAt.getTime() + 6 * H), { reason: 'damage' });
            add('out_for_delivery', ofd);
            add('delivered', new Date(ofd.getTime() + 2 * H), { proof: sig() });
            break;
          case 'station':
          case 'station_returned': {
            if (service === 'door') consentAt = new Date(handoverAt.getTime() + 4 * H); // the recipient agreed by SMS reply
            add('out_for_delivery', ofd);
            const arrived = new Date(ofd.getTime() + 2 * H);
            add('delivered_to_station', arrived, { note: `station ${v.stationCode}`, stationId: v.stationId });
            ev[ev.length - 1]!.eventId = `${id}.station.${v.stationId}`;
            if (scenario === 'station') {
              add('picked_up', new Date(arrived.getTime() + (2 + Math.floor(r() * 70)) * H), { proof: { kind: 'pickup_code', ref: stableId('pka', id), recipientType: 'recipient' }, stationId: v.stationId });
              ev[ev.length - 1]!.eventId = `${id}.pickup`;
            } else {
              add('returned_to_partner', new Date(arrived.getTime() + DEFAULT_HOLD.returnDays * 24 * H + H), { reason: 'not_collected' });
              ev[ev.length - 1]!.eventId = `${id}.station.return`;
            }
            break;
          }
        }
        out.push({ id, waybillNo: wb, partnerCode: partner, countyCode: county, village: v, outletId: v.outletId, service, name, phone, address, weightG: 200 + Math.floor(r() * 4800), manifestId, manifestAt, handoverId, handoverAt, scenario, events: ev, consentAt });
      }
    });
  }
  return out;
}

/** The event as the parcel service stores it (the identity fields its body hash covers). */
export function toParcelEvent(e: PlannedEvent): ParcelEvent {
  return { eventId: e.eventId, type: e.type, eventTime: e.at.toISOString(), ...(e.reason ? { reason: e.reason } : {}), ...(e.proof ? { proof: e.proof } : {}) };
}

/**
 * Checks a history with the parcel service's rules, event by event in recording order: each must
 * pass deliveryRuleError (consent, proof, reasons) and checkAppend (the status machine). Returns
 * the status changes (what the outbox gets) or throws.
 */
export function replayHistory(p: { id: string; service: 'door' | 'station'; events: readonly PlannedEvent[]; consents: ReadonlySet<string> }, check = true) {
  const stored: ParcelEvent[] = [];
  let current = project([]);
  const changes: Array<{ event: PlannedEvent; from: ParcelStatus | null; to: ParcelStatus; statusAt: Date }> = [];
  let statusAt = p.events[0]!.at;
  for (const e of p.events) {
    const pe = toParcelEvent(e);
    if (check && e.type !== 'manifest_received') {
      const err = deliveryRuleError({ event: pe, consents: p.consents, service: p.service }) ?? checkAppend(stored, pe);
      if (err) throw new Error(`demo month: ${p.id} ${e.type}: ${err.code} ${err.reason}`);
    }
    stored.push(pe);
    const next = project(stored);
    if (next.status !== current.status || next.exception?.kind !== current.exception?.kind) statusAt = e.at;
    if (next.status !== current.status && next.status) changes.push({ event: e, from: current.status, to: next.status, statusAt: e.at });
    current = next;
  }
  return { projection: current, changes, statusAt };
}

export interface DemoMonthResult { seeded: boolean; parcels: number; events: number; ms: number; issued: string[]; disputes: string[] }

/**
 * Writes the demo month once (a database that already has it is left alone). Call after the demo
 * network is loaded.
 */
export async function seedDemoMonth(db: Kysely<DB>, pii: PiiCipher): Promise<DemoMonthResult> {
  const t0 = Date.now();
  if (await repo.hasDemoMonth(db, DEMO_MONTH_PARTNERS[0], waybill(DEMO_MONTH_PARTNERS[0], DEMO_MONTH_COUNTIES[0], 0))) return { seeded: false, parcels: 0, events: 0, ms: Date.now() - t0, issued: [], disputes: [] };
  const villages = await repo.demoVillages(db, [...DEMO_MONTH_COUNTIES], VILLAGES_PER_COUNTY, JIJIA);
  const plan = planDemoMonth(villages);
  const rows = buildRows(plan, pii);
  await db.transaction().execute(async (tx) => {
    await repo.demoTerms(tx, villages.filter((v) => v.remote).map((v) => v.code));
    await repo.insertAll(tx, rows);
  });
  const { issued, disputes } = await issueAndDispute(db);
  return { seeded: true, parcels: plan.length, events: rows.events.length, ms: Date.now() - t0, issued, disputes };
}

/**
 * Through the settlement service itself: ZTO's two statements of the month issued on 2 November
 * (as the prefecture administrator) and one line disputed by ZTO on 5 November, left open, so the
 * console's issued-statements and disputes tabs have something to work on.
 */
async function issueAndDispute(db: Kysely<DB>): Promise<{ issued: string[]; disputes: string[] }> {
  const admin: Principal = { id: 'usr_admin', username: 'admin', displayName: '州局管理员', role: 'admin', via: 'session' };
  const zto: Principal = { id: 'usr_zto', username: 'zto', displayName: '中通快递对接', role: 'partner', partnerCode: 'ZTO', via: 'session' };
  const issuing = new SettlementService(db, { clock: () => new Date('2026-11-02T02:00:00Z'), stationCommissionFen: 50 });
  const issued: string[] = [];
  for (const county of DEMO_MONTH_COUNTIES) issued.push((await issuing.issue(admin, 'ZTO', county, DEMO_MONTH)).id);
  const disputing = new SettlementService(db, { clock: () => new Date('2026-11-05T03:30:00Z'), stationCommissionFen: 50 });
  const st = await disputing.getIssued(zto, issued[0]!);
  const late = st.lines.find((l) => l.kind === 'deduction_late') ?? st.lines[0]!;
  const d = await disputing.dispute(zto, st.id, { lineId: late.id, reason: '部分件因山区道路塌方延误，属不可抗力，申请免除超时扣款', waybillNos: late.parcels.slice(0, 2).map((p) => p.waybillNo) });
  return { issued, disputes: [d.id] };
}

/** Rows for every table the event path writes, from the plan. */
export function buildRows(plan: readonly PlannedParcel[], pii: PiiCipher): repo.DemoRows {
  const rows: repo.DemoRows = { manifests: [], parcels: [], events: [], outbox: [], handovers: [], handoverItems: [], consents: [], stationParcels: [], attempts: [], notifications: [], sms: [] };
  const manifests = new Map<string, repo.DemoRows['manifests'][number]>();
  const handovers = new Map<string, repo.DemoRows['handovers'][number]>();
  const slots = new Map<string, number>();
  for (const p of plan) {
    const m = manifests.get(p.manifestId) ?? { id: p.manifestId, partner_code: p.partnerCode, outlet_id: p.outletId, county_code: p.countyCode, source: 'api', file_hash: null, parcel_count: 0, accepted: 0, duplicates: 0, created_by: ACTOR, created_at: p.manifestAt };
    m.parcel_count++;
    m.accepted++;
    manifests.set(p.manifestId, m);
    const h = handovers.get(p.handoverId) ?? { id: p.handoverId, partner_code: p.partnerCode, outlet_id: p.outletId, county_code: p.countyCode, received: 0, damaged: 0, missing: 0, unexpected: 0, post_signer: '邮政营业员', partner_signer: `${p.partnerCode}驾驶员`, signature_ref: null, signed_at: p.handoverAt, created_by: ACTOR };
    h.received++;
    handovers.set(p.handoverId, h);
    rows.handoverItems.push({ handover_id: p.handoverId, waybill_no: p.waybillNo, parcel_id: p.id, result: 'received', note: null });

    const phoneHmac = pii.lookupHash(p.phone);
    let consentId: string | null = null;
    if (p.consentAt) {
      consentId = `cns_${p.id.slice(4)}`;
      rows.consents.push({ id: consentId, parcel_id: p.id, phone_hmac: null, kind: 'station', channel: 'sms', proxy_name_enc: null, given_at: p.consentAt, recorded_at: p.consentAt, recorded_by: ACTOR });
    }
    // The rule checks run in the tests (demo-month.int.test.ts, with the service's own functions);
    // at start-up only the projection is needed.
    const { projection, changes, statusAt } = replayHistory({ id: p.id, service: p.service, events: p.events, consents: new Set(p.consentAt ? ['station'] : []) }, false);
    rows.parcels.push({
      id: p.id, partner_code: p.partnerCode, waybill_no: p.waybillNo, manifest_id: p.manifestId, outlet_id: p.outletId, county_code: p.countyCode,
      recipient_name_enc: pii.encrypt(p.name), recipient_name_masked: maskName(p.name), phone_enc: pii.encrypt(p.phone), phone_hmac: phoneHmac, phone_masked: maskPhone(p.phone),
      address_enc: pii.encrypt(p.address), address_masked: maskAddress(p.address), village_code: p.village.code, address_status: 'resolved', address_confidence: 1, address_candidates: '[]',
      weight_g: p.weightG, pieces: 1, service: p.service, cod_fen: 0, status: projection.status ?? 'manifested', status_at: statusAt, exception_kind: projection.exception?.kind ?? null,
      closed_at: projection.closedAt ? new Date(projection.closedAt) : null, created_at: p.manifestAt,
    });
    for (const e of p.events) {
      const payload: Record<string, unknown> = {};
      if (e.type === 'manifest_received') payload.manifestId = p.manifestId;
      if (e.reason) payload.reason = e.reason;
      if (e.note) payload.note = e.note;
      if (e.proof) payload.proof = { kind: e.proof.kind, ref: e.proof.ref, recipientType: e.proof.recipientType };
      if (e.stationId) payload.outletId = e.stationId;
      // The parcel service's body hash: keyed hash of the canonical identity fields (manifest: '-').
      const bodyHash = e.type === 'manifest_received' ? '-' : pii.lookupHash(canonicalJson({ parcelId: p.id, type: e.type, eventTime: e.at.toISOString(), voids: undefined, reason: e.reason, note: e.note, proof: e.proof }));
      rows.events.push({ event_id: e.eventId, parcel_id: p.id, type: e.type, event_time: e.at, recorded_at: e.at, actor_id: ACTOR, body_hash: bodyHash, payload: JSON.stringify(payload) });
    }
    for (const c of changes) {
      const e = c.event;
      rows.outbox.push({
        message_id: stableId('msg', `${p.id}:${e.eventId}`), topic: 'parcel.status_changed', partner_code: p.partnerCode, parcel_id: p.id, dedupe_key: `${p.id}:${e.eventId}`,
        payload: JSON.stringify({ parcelId: p.id, waybillNo: p.waybillNo, partnerCode: p.partnerCode, previousStatus: c.from, status: c.to, eventId: e.eventId, eventType: e.type, eventTime: e.at.toISOString(), upu: UPU_CODE[e.type] ?? null, ...(e.reason ? { reason: e.reason } : {}) }),
        created_at: e.at,
      });
    }
    const arrival = p.events.find((e) => e.type === 'delivered_to_station');
    if (arrival) {
      const st = p.village.stationId;
      const n = (slots.get(st) ?? 0) + 1;
      slots.set(st, n);
      const slot = `${'ABCD'[Math.floor((n - 1) / 50) % 4]}${String(((n - 1) % 50) + 1).padStart(2, '0')}`;
      const code = String(Math.floor(rng(`code:${p.id}`)() * 1e6)).padStart(6, '0');
      const end = p.events[p.events.length - 1]!;
      const picked = end.type === 'picked_up';
      rows.stationParcels.push({
        parcel_id: p.id, station_id: st, county_code: p.countyCode, partner_code: p.partnerCode, shelf_slot: slot, code_hash: pii.lookupHash(`pickup:${st}:${code}`),
        basis: p.consentAt ? 'consent' : 'service', consent_id: consentId, arrived_at: arrival.at, reminders: picked ? 0 : DEFAULT_HOLD.reminderDays.length,
        last_reminder_at: picked ? null : new Date(arrival.at.getTime() + DEFAULT_HOLD.reminderDays[DEFAULT_HOLD.reminderDays.length - 1]! * 24 * H),
        status: picked ? 'picked_up' : 'returned', closed_at: end.at, closed_by: picked ? ACTOR : 'system', pickup_proof: picked ? 'pickup_code' : null, received_by: null,
      });
      if (picked) rows.attempts.push({ station_id: st, parcel_id: p.id, at: end.at, method: 'code', result: 'ok', actor_id: ACTOR });
      const tail = p.waybillNo.slice(-4);
      const texts: Array<[string, string, string, Date]> = [[`${p.id}:pickup_code`, 'pickup_code', `【村通】您的快递(单号尾号${tail})已到${p.village.stationName}，取件码${code}，货架${slot}。取件请报取件码和手机尾号。`, arrival.at]];
      if (!picked) texts.push([`${p.id}:returned`, 'returned', `【村通】您的快递(单号尾号${tail})超过${DEFAULT_HOLD.returnDays}天未领取，已退回寄件公司。`, end.at]);
      for (const [dedupe, kind, body, at] of texts) {
        const id = stableId('ntf', dedupe);
        const masked = body.replace(code, '******');
        rows.notifications.push({ id, dedupe_key: dedupe, channel: 'sms', kind, parcel_id: p.id, station_id: st, phone_enc: pii.encrypt(p.phone), phone_masked: maskPhone(p.phone), body_enc: pii.encrypt(body), body_masked: masked, status: 'sent', attempts: 1, provider: 'db', provider_ref: stableId('sms', dedupe), last_error: null, created_at: at, sent_at: at });
        rows.sms.push({ id: stableId('sms', dedupe), notification_id: id, to_enc: pii.encrypt(p.phone), to_masked: maskPhone(p.phone), body_enc: pii.encrypt(body), body_masked: masked, created_at: at });
      }
    }
  }
  rows.manifests = [...manifests.values()];
  rows.handovers = [...handovers.values()];
  // The outbox is filled in commit order: by the time of the change.
  rows.outbox.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.dedupe_key < b.dedupe_key ? -1 : 1));
  return rows;
}
