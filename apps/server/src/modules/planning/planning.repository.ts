import type { Kysely, Transaction } from 'kysely';
import type { BusService, BusTripLoad, DayRoute, FrequencyRow, PlanVehicle, Suggestion, Totals } from '@cuntong/planner';
import type { DB } from '../../db/schema.ts';

// Every SQL statement of weekly plans. Rows in, plain objects out.
type Db = Kysely<DB> | Transaction<DB>;

export interface PlanPlaces {
  depots: Array<{ id: string; name?: string; lon: number; lat: number }>;
  villages: Array<{ code: string; name?: string; lon: number; lat: number }>;
}

export interface PlanRecord {
  id: string;
  scope: 'county' | 'region';
  countyCode: string | null;
  status: 'draft' | 'accepted' | 'superseded';
  params: Record<string, unknown>;
  distanceModel: string;
  totals: Totals;
  baseline: Totals;
  villages: number;
  villagesMet: number;
  busVillages: number;
  elapsedMs: number;
  createdBy: string | null;
  createdAt: string;
  acceptedBy: string | null;
  acceptedAt: string | null;
}

export interface PlanContents {
  routes: DayRoute[];
  bus: BusService[];
  busLoads: BusTripLoad[];
  frequency: FrequencyRow[];
  suggestions: Suggestion[];
  warnings: string[];
  places: PlanPlaces;
  vehicles: PlanVehicle[];
}

const iso = (d: Date | string | null): string | null => (d === null ? null : typeof d === 'string' ? new Date(d).toISOString() : d.toISOString());
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

type Row = Awaited<ReturnType<typeof rows>>[number];
function rows(db: Db) {
  return db.selectFrom('plans').selectAll().limit(0).execute();
}
const toRecord = (r: Row): PlanRecord => ({
  id: r.id,
  scope: r.scope as PlanRecord['scope'],
  countyCode: r.county_code,
  status: r.status as PlanRecord['status'],
  params: json(r.params),
  distanceModel: r.distance_model,
  totals: json(r.totals),
  baseline: json(r.baseline),
  villages: r.villages,
  villagesMet: r.villages_met,
  busVillages: r.bus_villages,
  elapsedMs: r.elapsed_ms,
  createdBy: r.created_by,
  createdAt: iso(r.created_at) ?? '',
  acceptedBy: r.accepted_by,
  acceptedAt: iso(r.accepted_at),
});

export async function insertPlan(db: Db, p: Omit<PlanRecord, 'status' | 'acceptedBy' | 'acceptedAt'>, c: PlanContents): Promise<void> {
  await db
    .insertInto('plans')
    .values({
      id: p.id, scope: p.scope, county_code: p.countyCode, params: JSON.stringify(p.params), distance_model: p.distanceModel, totals: JSON.stringify(p.totals), baseline: JSON.stringify(p.baseline),
      villages: p.villages, villages_met: p.villagesMet, bus_villages: p.busVillages, elapsed_ms: p.elapsedMs, created_by: p.createdBy, created_at: p.createdAt,
    })
    .execute();
  await db
    .insertInto('plan_contents')
    .values({
      plan_id: p.id, routes: JSON.stringify(c.routes), bus: JSON.stringify(c.bus), bus_loads: JSON.stringify(c.busLoads), frequency: JSON.stringify(c.frequency),
      suggestions: JSON.stringify(c.suggestions), warnings: JSON.stringify(c.warnings), places: JSON.stringify(c.places), vehicles: JSON.stringify(c.vehicles),
    })
    .execute();
}

/** Plans newest first; `countyCode` confines to one county's plans (region plans excluded). */
export async function listPlans(db: Db, f: { countyCode?: string; status?: string; limit: number; offset: number }) {
  let q = db.selectFrom('plans');
  if (f.countyCode) q = q.where('county_code', '=', f.countyCode);
  if (f.status) q = q.where('status', '=', f.status);
  const [items, total] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items.map(toRecord), total: Number(total.n) };
}

export async function getPlan(db: Db, id: string): Promise<PlanRecord | undefined> {
  const r = await db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRecord(r) : undefined;
}

/** Locks the plan row for the accepting transaction. */
export async function getPlanForUpdate(db: Db, id: string): Promise<PlanRecord | undefined> {
  const r = await db.selectFrom('plans').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return r ? toRecord(r) : undefined;
}

export async function getContents(db: Db, id: string): Promise<PlanContents | undefined> {
  const r = await db.selectFrom('plan_contents').selectAll().where('plan_id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  return {
    routes: json(r.routes), bus: json(r.bus), busLoads: json(r.bus_loads), frequency: json(r.frequency), suggestions: json(r.suggestions),
    warnings: json(r.warnings), places: json(r.places), vehicles: json(r.vehicles),
  };
}

export async function markAccepted(db: Db, id: string, by: string, at: Date, scope: { countyCode: string | null }): Promise<void> {
  let q = db.updateTable('plans').set({ status: 'superseded' }).where('status', '=', 'accepted').where('id', '!=', id);
  q = scope.countyCode === null ? q.where('county_code', 'is', null) : q.where('county_code', '=', scope.countyCode);
  await q.execute();
  await db.updateTable('plans').set({ status: 'accepted', accepted_by: by, accepted_at: at }).where('id', '=', id).execute();
}

/**
 * Parcels waiting at an outlet for delivery (handed over, sorted, or back from a failed attempt),
 * read-only: the parcel module owns these rows. Only ids, village, weight and waybill.
 */
export async function parcelsWaitingAt(db: Db, outletId: string) {
  return db
    .selectFrom('parcels')
    .select(['id', 'waybill_no', 'village_code', 'weight_g'])
    .where('outlet_id', '=', outletId)
    .where('status', 'in', ['at_outlet', 'sorted', 'delivery_failed'])
    .where('purged_at', 'is', null)
    .orderBy('id')
    .execute();
}

// ---------------------------------------------------------------- plan jobs
export interface PlanJob {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  scope: 'county' | 'region';
  countyCode: string | null;
  progress: number;
  stage: string | null;
  planId: string | null;
  error: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}
type JobRow = Awaited<ReturnType<typeof jobRows>>[number];
function jobRows(db: Db) {
  return db.selectFrom('plan_jobs').selectAll().limit(0).execute();
}
const toJob = (r: JobRow): PlanJob => ({
  id: r.id, status: r.status as PlanJob['status'], scope: r.scope as PlanJob['scope'], countyCode: r.county_code, progress: Math.round(Number(r.progress) * 100) / 100, stage: r.stage,
  planId: r.plan_id, error: r.error, createdBy: r.created_by, createdAt: iso(r.created_at) ?? '', startedAt: iso(r.started_at), finishedAt: iso(r.finished_at),
});

export async function insertJob(db: Db, j: { id: string; scope: string; countyCode: string | null; params: unknown; principal: unknown; createdBy: string; createdAt: Date }): Promise<void> {
  await db.insertInto('plan_jobs').values({ id: j.id, scope: j.scope, county_code: j.countyCode, params: JSON.stringify(j.params), principal: JSON.stringify(j.principal), created_by: j.createdBy, created_at: j.createdAt }).execute();
}
export async function getJob(db: Db, id: string): Promise<PlanJob | undefined> {
  const r = await db.selectFrom('plan_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toJob(r) : undefined;
}
/**
 * Claims the oldest queued job (SKIP LOCKED: two servers on one PostgreSQL never take the same one);
 * a job left running longer than `staleS` (its server died) is taken again.
 */
export async function claimJob(db: Kysely<DB>, at: Date, staleS: number) {
  return db.transaction().execute(async (tx) => {
    const stale = new Date(at.getTime() - staleS * 1000);
    const r = await tx.selectFrom('plan_jobs').select('id')
      .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('started_at', '<', stale)])]))
      .orderBy('created_at').orderBy('id').limit(1).forUpdate().skipLocked().executeTakeFirst();
    if (!r) return undefined;
    const row = await tx.updateTable('plan_jobs').set({ status: 'running', started_at: at, progress: 0, stage: null }).where('id', '=', r.id).returningAll().executeTakeFirstOrThrow();
    return { ...toJob(row), params: json<Record<string, unknown>>(row.params), principal: json<Record<string, unknown>>(row.principal) };
  });
}
export async function setJobProgress(db: Db, id: string, progress: number, stage: string): Promise<void> {
  await db.updateTable('plan_jobs').set({ progress, stage }).where('id', '=', id).where('status', '=', 'running').execute();
}
export async function finishJob(db: Db, id: string, f: { status: 'done' | 'failed'; planId?: string; error?: string; at: Date }): Promise<void> {
  await db.updateTable('plan_jobs').set({ status: f.status, plan_id: f.planId ?? null, error: f.error ?? null, finished_at: f.at, progress: f.status === 'done' ? 1 : undefined }).where('id', '=', id).execute();
}
export async function requeueJob(db: Db, id: string): Promise<void> {
  await db.updateTable('plan_jobs').set({ status: 'queued', started_at: null, progress: 0, stage: null }).where('id', '=', id).where('status', '=', 'running').execute();
}
