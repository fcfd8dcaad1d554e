import type { Kysely } from 'kysely';
import { type Principal, assertManageCounty, canReadCounty, countyScope } from '@cuntong/domain/access.ts';
import { DomainError, forbidden, notFound } from '@cuntong/domain/errors.ts';
import type { DeliveryRoute, Outlet, Village, Weekday } from '@cuntong/domain/network/types.ts';
import { type CostParams, DEFAULT_COSTS, type FeatureCollection, deliveryRoutesFromPlan, dispatchDay, planGeoJson } from '@cuntong/planner';
import type { DB } from '../../db/schema.ts';
import { newId } from '../../ids.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import * as net from '../network/network.repository.ts';
import type { ComputeRequest, ComputeResult, PlanSettings } from './plan-compute.ts';
import * as repo from './planning.repository.ts';
import type { PlanJob } from './planning.repository.ts';

export interface PlanParams {
  /** County to plan; absent = the whole region (admins) or the caller's county (managers). */
  county?: string;
  /** Wall-clock budget, seconds (default 20, at most 60). */
  timeLimitS?: number;
  seed?: number;
  /** Solver iterations per (outlet, day) problem (default 60; 0 = construction and local search only). */
  solverIterations?: number;
  useBus?: boolean;
  /** Road distance = great circle × this (default 1.4); ignored when an OSRM server is configured. */
  detourFactor?: number;
  perKmFen?: Partial<CostParams['perKmFen']>;
  perHourFen?: number;
}

const ALL = 100_000;

/** Weekly plans: run the planner on a scope of the network, keep the result, compare, accept. */
export class PlanningService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly opts: { clock: () => Date; osrmUrl?: string; onEnqueue?: () => void },
  ) {}

  private async loadScope(countyCode: string | undefined) {
    const f = { countyCode, limit: ALL, offset: 0 };
    const [outlets, villages, routes, busLines] = await Promise.all([
      net.listOutlets(this.db, f),
      net.listVillages(this.db, f),
      net.listRoutes(this.db, { ...f, active: true }),
      net.listBusLines(this.db, { ...f, active: true }),
    ]);
    const placed = villages.items.filter((v) => v.lon !== null && v.lat !== null) as Village[];
    return { outlets: outlets.items, villages: placed, routes: routes.items, busLines: busLines.items };
  }

  /** The county a caller plans: admins any county or the region (undefined); managers their own. */
  private planScope(p: Principal, county?: string): string | undefined {
    if (county) {
      assertManageCounty(p, county);
      return county;
    }
    if (p.role === 'admin') return undefined;
    if (p.role === 'county_manager' && p.countyCode) return p.countyCode;
    throw forbidden('scope.county', 'planning needs an administrator or a county manager');
  }

  /**
   * Queues a plan (the request returns at once; `PlanJobWorker` runs it in a worker thread).
   * Scope and "are there routes at all" are checked here so the caller gets 403/422 immediately.
   */
  async enqueue(p: Principal, params: PlanParams): Promise<PlanJob> {
    const countyCode = this.planScope(p, params.county);
    const detourFactor = params.detourFactor ?? 1.4;
    const costs: CostParams = { perKmFen: { ...DEFAULT_COSTS.perKmFen, ...(params.perKmFen ?? {}) }, perHourFen: params.perHourFen ?? DEFAULT_COSTS.perHourFen };
    const settings: PlanSettings = { timeLimitS: Math.min(60, params.timeLimitS ?? 20), seed: params.seed ?? 1, solverIterations: params.solverIterations ?? 60, useBus: params.useBus ?? true, detourFactor, costs };
    const routes = await net.listRoutes(this.db, { countyCode, active: true, limit: 1, offset: 0 });
    if (routes.total === 0) throw new DomainError('infeasible', 'plan.no_routes', 'there are no active routes in this scope to plan from');
    const id = newId('pjb');
    const who = { id: p.id, username: p.username, displayName: p.displayName, role: p.role, ...(p.countyCode ? { countyCode: p.countyCode } : {}), ...(p.outletId ? { outletId: p.outletId } : {}), via: p.via };
    await repo.insertJob(this.db, { id, scope: countyCode ? 'county' : 'region', countyCode: countyCode ?? null, params: settings, principal: who, createdBy: p.username, createdAt: this.opts.clock() });
    const job = await this.getJob(p, id);
    // wake the worker after the answer is read (PGlite serialises queries: the scope load would go first)
    this.opts.onEnqueue?.();
    return job;
  }

  async getJob(p: Principal, id: string): Promise<PlanJob> {
    const j = await repo.getJob(this.db, id);
    if (!j || p.role === 'partner' || (j.countyCode === null ? countyScope(p) !== undefined : !canReadCounty(p, j.countyCode))) throw notFound('plan_job.not_found', `no plan job ${id}`);
    return j;
  }

  /**
   * Runs one claimed job: loads the scope, computes in `compute` (the worker thread), stores the
   * plan with an audit row in the name of whoever queued it. Returns the plan id.
   */
  async runJob(job: PlanJob & { principal: Principal; params: PlanSettings }, compute: (req: ComputeRequest, onProgress: (f: number, stage: string) => void) => Promise<ComputeResult>): Promise<string> {
    const p = job.principal;
    const countyCode = job.countyCode ?? undefined;
    const src = await this.loadScope(countyCode);
    if (src.routes.length === 0) throw new DomainError('infeasible', 'plan.no_routes', 'there are no active routes in this scope to plan from');
    let lastWrite = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const res = await compute({ src, settings: job.params, ...(this.opts.osrmUrl ? { osrmUrl: this.opts.osrmUrl } : {}) }, (fraction, stage) => {
      // progress is cheap to show but not worth a write per message: at most one a second
      const now = Date.now();
      if (now - lastWrite < 1000) return;
      lastWrite = now;
      writing = writing.then(() => repo.setJobProgress(this.db, job.id, fraction, stage)).catch(() => {});
    });
    await writing;
    const { plan } = res;
    const id = newId('pln');
    const met = plan.frequency.filter((f) => f.met).length;
    const record = {
      id, scope: countyCode ? ('county' as const) : ('region' as const), countyCode: countyCode ?? null, params: { ...job.params }, distanceModel: res.distanceModel,
      totals: plan.totals, baseline: res.baseline, villages: plan.frequency.length, villagesMet: met, busVillages: plan.bus.length, elapsedMs: plan.stats.elapsedMs,
      createdBy: p.username, createdAt: this.opts.clock().toISOString(),
    };
    const contents: repo.PlanContents = {
      routes: plan.routes, bus: plan.bus, busLoads: plan.busLoads, frequency: plan.frequency, suggestions: plan.suggestions, warnings: [...res.warnings, ...plan.warnings],
      places: res.places, vehicles: res.vehicles,
    };
    await this.db.transaction().execute(async (tx) => {
      await repo.insertPlan(tx, record, contents);
      await appendAudit(tx, p, { action: 'plan.create', objectType: 'plan', objectId: id, detail: { scope: record.scope, countyCode: record.countyCode, villages: record.villages, met, bus: record.busVillages, job: job.id } }, this.opts.clock());
      await repo.finishJob(tx, job.id, { status: 'done', planId: id, at: this.opts.clock() });
    });
    return id;
  }

  async list(p: Principal, f: { county?: string; status?: string; limit: number; offset: number }) {
    const own = countyScope(p);
    if (f.county && !canReadCounty(p, f.county)) throw forbidden('scope.county', `you may not read data of county ${f.county}`);
    const countyCode = f.county ?? own;
    return repo.listPlans(this.db, { ...f, ...(countyCode ? { countyCode } : {}) });
  }

  private async visible(p: Principal, id: string): Promise<repo.PlanRecord> {
    const r = await repo.getPlan(this.db, id);
    if (!r || !this.canSee(p, r)) throw notFound('plan.not_found', `no plan ${id}`);
    return r;
  }

  private canSee(p: Principal, r: repo.PlanRecord): boolean {
    if (p.role === 'partner') return false;
    if (r.countyCode === null) return countyScope(p) === undefined;
    return canReadCounty(p, r.countyCode);
  }

  async get(p: Principal, id: string) {
    const r = await this.visible(p, id);
    const c = (await repo.getContents(this.db, id)) as repo.PlanContents;
    const days = ([1, 2, 3, 4, 5, 6, 7] as Weekday[]).map((day) => {
      const routes = c.routes.filter((x) => x.day === day);
      return { day, routes, distanceM: routes.reduce((a, x) => a + x.distanceM, 0), durationS: routes.reduce((a, x) => a + x.durationS, 0), stops: routes.reduce((a, x) => a + x.stops.length, 0) };
    });
    const change = (a: number, b: number) => ({ before: b, after: a, delta: a - b, percent: b === 0 ? 0 : Math.round(((a - b) / b) * 1000) / 10 });
    return {
      ...r,
      comparison: {
        distanceM: change(r.totals.distanceM, r.baseline.distanceM),
        durationS: change(r.totals.durationS, r.baseline.durationS),
        costFen: change(r.totals.costFen, r.baseline.costFen),
        trips: change(r.totals.trips, r.baseline.trips),
      },
      days,
      bus: c.bus,
      busLoads: c.busLoads,
      frequency: c.frequency,
      suggestions: c.suggestions,
      warnings: c.warnings,
    };
  }

  async geojson(p: Principal, id: string, day?: Weekday): Promise<FeatureCollection> {
    await this.visible(p, id);
    const c = (await repo.getContents(this.db, id)) as repo.PlanContents;
    return planGeoJson({ routes: c.routes, bus: c.bus }, c.places, day);
  }

  /**
   * Dispatch preview (read-only): the parcels now waiting at an outlet → the plan's runs and bus
   * bags of `day`, with load checks; what cannot go today gets its next service day and the reason.
   * Nothing is written (no parcel events, no manifests).
   */
  async dispatch(p: Principal, id: string, q: { outletId: string; day: Weekday; nowS?: number }) {
    const r = await this.visible(p, id);
    const c = (await repo.getContents(this.db, id)) as repo.PlanContents;
    if (!c.places.depots.some((d) => d.id === q.outletId)) throw notFound('plan.outlet_not_in_plan', `outlet ${q.outletId} has no routes in plan ${id}`);
    const lines = (await net.listBusLines(this.db, { countyCode: r.countyCode ?? undefined, limit: ALL, offset: 0 })).items;
    const rows = await repo.parcelsWaitingAt(this.db, q.outletId);
    const waybill = new Map(rows.map((x) => [x.id, x.waybill_no]));
    const addressed = rows.filter((x) => x.village_code !== null);
    const res = dispatchDay({
      day: q.day, outletId: q.outletId, routes: c.routes, bus: c.bus, busLines: lines, vehicles: c.vehicles,
      parcels: addressed.map((x) => ({ id: x.id, villageCode: x.village_code as string, weightKg: x.weight_g / 1000 })),
      ...(q.nowS !== undefined ? { nowS: q.nowS } : {}),
    });
    const wb = (ids: string[]) => ids.map((x) => ({ id: x, waybillNo: waybill.get(x) ?? '' }));
    return {
      planId: id, outletId: q.outletId, day: q.day, parcels: rows.length,
      unaddressed: rows.filter((x) => x.village_code === null).map((x) => ({ id: x.id, waybillNo: x.waybill_no })),
      runs: res.runs.map((run) => ({ ...run, stops: run.stops.map((s) => ({ villageCode: s.villageCode, arrival: s.arrival, parcels: wb(s.parcelIds) })) })),
      bags: res.bags.map((b) => ({ tripId: b.tripId, lineCode: b.lineCode, departure: b.departure, villageCode: b.villageCode, arrival: b.arrival, parcels: wb(b.parcelIds) })),
      deferred: res.deferred.map((d) => ({ ...d, waybillNo: waybill.get(d.parcelId) ?? '' })),
      notes: res.notes,
    };
  }

  /**
   * Writes the plan's routes into the network (delivery_routes / route_stops of the routes the plan
   * was made from), marks it accepted (an earlier accepted plan of the scope becomes superseded) and
   * appends an audit row — one transaction.
   */
  async accept(p: Principal, id: string) {
    const seen = await this.visible(p, id);
    if (seen.countyCode === null) {
      if (p.role !== 'admin') throw forbidden('scope.admin', 'a region-wide plan is accepted by an administrator');
    } else assertManageCounty(p, seen.countyCode);
    let written = 0;
    await this.db.transaction().execute(async (tx) => {
      const r = await repo.getPlanForUpdate(tx, id);
      if (!r) throw notFound('plan.not_found', `no plan ${id}`);
      if (r.status !== 'draft') throw new DomainError('conflict', 'plan.not_draft', `the plan is ${r.status}; only a draft plan can be accepted`);
      const c = (await repo.getContents(tx, id)) as repo.PlanContents;
      const ids = c.vehicles.map((v) => v.id);
      const current = (await net.listRoutes(tx, { ids, limit: ALL, offset: 0 })).items;
      const byId = new Map(current.map((x) => [x.id, x]));
      const missing = ids.filter((x) => !byId.has(x));
      if (missing.length > 0) throw new DomainError('conflict', 'plan.stale', `routes changed since the plan was made (${missing.slice(0, 5).join(', ')} no longer exist); run a new plan`);
      const templates = ids.map((x) => byId.get(x) as DeliveryRoute);
      const countyCode = r.countyCode ?? undefined;
      const [outlets, villages] = await Promise.all([net.listOutlets(tx, { countyCode, limit: ALL, offset: 0 }), net.listVillages(tx, { countyCode, limit: ALL, offset: 0 })]);
      const routes = deliveryRoutesFromPlan(templates, c.routes, outlets.items as Outlet[], villages.items as Village[]);
      await net.upsertRoutes(tx, routes);
      written = routes.length;
      // Bus services replace carrier visits for their villages: record them so the network's
      // visits-per-week (and the KPIs) count them.
      await net.replaceBusServices(tx, villages.items.map((v) => v.code), c.bus.map((b) => ({ villageCode: b.villageCode, tripId: b.tripId, lineId: b.lineId, days: b.days, planId: id })));
      const now = this.opts.clock();
      await repo.markAccepted(tx, id, p.username, now, { countyCode: r.countyCode });
      await appendAudit(tx, p, { action: 'plan.accept', objectType: 'plan', objectId: id, detail: { scope: r.scope, countyCode: r.countyCode, routes: written, active: routes.filter((x) => x.active).length, busVillages: c.bus.length } }, now);
    });
    return { ...(await this.get(p, id)), routesWritten: written };
  }
}
