import type { Kysely } from 'kysely';
import { type Principal, canReadCounty } from '@cuntong/domain/access.ts';
import { DomainError, type FieldError, conflict, forbidden, invalid, notFound } from '@cuntong/domain/errors.ts';
import type { Weekday } from '@cuntong/domain/network/types.ts';
import { type DispatchResult, dispatchDay } from '@cuntong/planner';
import type { DB } from '../../db/schema.ts';
import { newId } from '../../ids.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import * as net from '../network/network.repository.ts';
import type { EventInput, ParcelsService } from '../parcels/parcels.service.ts';
import * as repo from './dispatch.repository.ts';
import * as plans from './planning.repository.ts';

// Daily dispatch, committed (docs/planning.md "Daily dispatch"): the accepted plan's runs and bus
// bags of a date at an outlet, written as rows, with the parcels' tracking events appended through
// the parcels module (one transaction per request: all or nothing).

const WAITING = new Set(['at_outlet', 'sorted', 'delivery_failed']);
/** The branch's local time (Asia/Shanghai, no daylight saving): what "today" and "has left" mean. */
const TZ_OFFSET_MS = 8 * 3600 * 1000;
const ALL = 100_000;
const hhmm = (s: number) => `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
const runKey = (r: { vehicleId: string; trip: number }) => `${r.vehicleId}#${r.trip}`;

export function weekdayOf(date: string): Weekday {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return (d === 0 ? 7 : d) as Weekday;
}

export interface CommitRequest {
  /** Parcel ids or waybill numbers; absent: every parcel waiting at the outlet. */
  parcels?: string[];
  /** Pin parcels to a run (the dispatcher's choice); checked against the run's capacity. */
  assign?: Array<{ parcel: string; run: string }>;
  /** A specific accepted plan; absent: the one that applies to the outlet (see `planFor`). */
  planId?: string;
}

type Tx = Kysely<DB>;
type Placed = { parcelId: string; runId: string | null; bag: { tripId: string; lineCode: string; departure: string; villageCode: string; arrival: string } | null; note: string };

export class DispatchService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly parcels: ParcelsService,
    private readonly opts: { clock: () => Date },
  ) {}

  private localToday(): { date: string; nowS: number } {
    const t = new Date(this.opts.clock().getTime() + TZ_OFFSET_MS);
    return { date: t.toISOString().slice(0, 10), nowS: t.getUTCHours() * 3600 + t.getUTCMinutes() * 60 + t.getUTCSeconds() };
  }

  /** Seconds after midnight that have passed on `date` (0 for a future date); a past date is refused. */
  private nowOn(date: string): number {
    const today = this.localToday();
    if (date < today.date) throw invalid('dispatch.date_past', `${date} is past (today is ${today.date}); a dispatch is committed for today or a later date`, [{ path: '/date', message: 'in the past' }]);
    return date === today.date ? today.nowS : 0;
  }

  /** Staff of the county read an outlet's dispatch; a clerk changes only their own outlet's. */
  private async outletInScope(p: Principal, outletId: string, write = false) {
    const o = await repo.outletRef(this.db, outletId);
    if (!o || !canReadCounty(p, o.county_code)) throw notFound('outlet.not_found', `no outlet ${outletId}`);
    if (write && p.role === 'outlet_clerk' && p.outletId && p.outletId !== outletId) throw forbidden('scope.outlet', 'a clerk dispatches their own outlet');
    return o;
  }

  private assertWriter(p: Principal) {
    if (!['admin', 'county_manager', 'outlet_clerk'].includes(p.role)) throw forbidden('auth.role', 'dispatching needs an administrator, a county manager or an outlet clerk');
  }

  /**
   * The accepted plan that applies to an outlet by default: of the accepted plans that route from
   * it (its county's plan, or a region-wide plan), the one accepted last.
   */
  async planFor(db: Tx, outletId: string, countyCode: string, planId?: string): Promise<{ id: string; contents: plans.PlanContents }> {
    const candidates = await repo.acceptedPlansFor(db, countyCode);
    const list = planId ? candidates.filter((c) => c.id === planId) : candidates;
    for (const c of list) {
      const contents = (await plans.getContents(db, c.id)) as plans.PlanContents;
      if (contents.places.depots.some((d) => d.id === outletId)) return { id: c.id, contents };
    }
    if (planId) throw new DomainError('conflict', 'dispatch.plan_not_applicable', `plan ${planId} is not an accepted plan with routes from outlet ${outletId}`);
    throw new DomainError('conflict', 'dispatch.no_accepted_plan', `no accepted plan has routes from outlet ${outletId}: run a plan for its county and accept it first`);
  }

  async defaultPlan(p: Principal, outletId: string) {
    const o = await this.outletInScope(p, outletId);
    const plan = await this.planFor(this.db, outletId, o.county_code);
    return { outletId, planId: plan.id };
  }

  async get(p: Principal, outletId: string, date: string) {
    await this.outletInScope(p, outletId);
    const d = await repo.getDispatch(this.db, outletId, date);
    if (!d) throw notFound('dispatch.not_found', `no dispatch committed for outlet ${outletId} on ${date}`);
    return this.view(this.db, d);
  }

  async find(p: Principal, outletId: string, date: string) {
    await this.outletInScope(p, outletId);
    const d = await repo.getDispatch(this.db, outletId, date);
    return { items: d ? [await this.view(this.db, d)] : [] };
  }

  /**
   * Commits the dispatch of `date` at an outlet: the first call creates the runs and bags from the
   * accepted plan; every call adds the parcels waiting at the outlet that are not on it yet to runs and
   * bus trips that have not left (re-dispatch of late parcels). Parcels already dispatched never move.
   * Idempotent: a second call with nothing new changes nothing.
   */
  async commit(p: Principal, outletId: string, date: string, req: CommitRequest) {
    this.assertWriter(p);
    const outlet = await this.outletInScope(p, outletId, true);
    const nowS = this.nowOn(date);
    const day = weekdayOf(date);
    const at = this.opts.clock();
    const id = await this.db.transaction().execute(async (tx) => {
      let d = await repo.getDispatch(tx, outletId, date, true);
      let plan: { id: string; contents: plans.PlanContents };
      if (!d) {
        plan = await this.planFor(tx, outletId, outlet.county_code, req.planId);
        await repo.insertDispatch(tx, { id: newId('dsp'), outletId, countyCode: outlet.county_code, date, day, planId: plan.id, createdBy: p.username, at });
        d = (await repo.getDispatch(tx, outletId, date, true))!;
      } else {
        if (req.planId && req.planId !== d.planId) throw conflict('dispatch.plan_fixed', `the dispatch of ${date} follows plan ${d.planId}; it cannot switch plans during the day`);
        plan = { id: d.planId, contents: (await plans.getContents(tx, d.planId)) as plans.PlanContents };
      }
      const c = plan.contents;
      const capOf = new Map(c.vehicles.map((v) => [v.id, v.capacityKg]));
      if (d.commits === 0) {
        // the day's runs of this outlet, all of them, so that late parcels find the ones still here
        await repo.insertRuns(tx, c.routes.filter((r) => r.day === day && r.depotId === outletId).map((r) => ({
          id: newId('drn'), dispatchId: d.id, vehicleId: r.vehicleId, vehicleCode: r.vehicleCode, trip: r.trip, departureS: r.returnS - r.durationS,
          capacityKg: capOf.get(r.vehicleId) ?? 0, stops: r.stops.map((s) => ({ villageCode: s.villageCode, arrival: s.arrival })),
        })));
      }
      const [runs, bags, items] = await Promise.all([repo.listRuns(tx, d.id), repo.listBags(tx, d.id), repo.listItems(tx, d.id)]);
      const onIt = new Set(items.map((i) => i.parcelId));

      // which parcels: named ones are checked one by one (field paths), otherwise all waiting ones
      const errors: FieldError[] = [];
      let candidates: Array<{ id: string; waybill_no: string; village_code: string | null; weight_g: number }>;
      if (req.parcels) {
        const byId = new Map((await repo.parcelFacts(tx, req.parcels)).map((x) => [x.id, x]));
        const byWb = new Map((await repo.parcelsByWaybill(tx, req.parcels)).map((x) => [x.waybill_no, x]));
        candidates = [];
        req.parcels.forEach((ref, i) => {
          const x = byId.get(ref) ?? byWb.get(ref);
          if (!x || x.purged_at !== null) errors.push({ path: `/parcels/${i}`, message: `no parcel ${ref}` });
          else if (onIt.has(x.id)) return;
          else if (x.outlet_id !== outletId) errors.push({ path: `/parcels/${i}`, message: `parcel ${x.waybill_no} belongs to another outlet` });
          else if (!WAITING.has(x.status)) errors.push({ path: `/parcels/${i}`, message: `parcel ${x.waybill_no} is not at the outlet (status ${x.status})` });
          else candidates.push(x);
        });
        if (errors.length) throw invalid('dispatch.parcel_not_at_outlet', 'some parcels cannot be dispatched from this outlet', errors);
      } else {
        candidates = (await plans.parcelsWaitingAt(tx, outletId)).filter((x) => !onIt.has(x.id));
      }
      const unaddressed = candidates.filter((x) => x.village_code === null);
      const fresh = candidates.filter((x) => x.village_code !== null);
      const freshById = new Map(fresh.map((x) => [x.id, x]));

      const runLoaded = new Map<string, number>();
      const runById = new Map(runs.map((r) => [r.id, r]));
      for (const it of items) if (it.runId) { const r = runById.get(it.runId)!; runLoaded.set(runKey(r), (runLoaded.get(runKey(r)) ?? 0) + it.weightG / 1000); }
      const bagById = new Map(bags.map((b) => [b.id, b]));
      const busLoaded = new Map<string, number>();
      for (const it of items) if (it.bagId) { const b = bagById.get(it.bagId)!; busLoaded.set(b.tripId, (busLoaded.get(b.tripId) ?? 0) + 1); }
      const leftRuns = new Set(runs.filter((r) => r.departedAt !== null).map(runKey));
      // a trip whose bags are sealed, handed over or missed takes nothing more today
      const leftTrips = new Set(bags.filter((b) => b.status !== 'open').map((b) => b.tripId));

      // the dispatcher's pins first, each checked against its run's capacity
      const placed: Placed[] = [];
      for (const [i, a] of (req.assign ?? []).entries()) {
        const x = freshById.get(a.parcel) ?? fresh.find((f) => f.waybill_no === a.parcel);
        const run = runById.get(a.run);
        if (!x) { errors.push({ path: `/assign/${i}/parcel`, message: `parcel ${a.parcel} is not waiting at this outlet for dispatch` }); continue; }
        if (!run) { errors.push({ path: `/assign/${i}/run`, message: `no run ${a.run} in this dispatch` }); continue; }
        if (leftRuns.has(runKey(run)) || (run.departureS < nowS)) { errors.push({ path: `/assign/${i}/run`, message: `run ${run.vehicleCode} trip ${run.trip} has left` }); continue; }
        if (!run.stops.some((st) => st.villageCode === x.village_code)) { errors.push({ path: `/assign/${i}/run`, message: `run ${run.vehicleCode} trip ${run.trip} does not stop at village ${x.village_code}` }); continue; }
        const load = (runLoaded.get(runKey(run)) ?? 0) + x.weight_g / 1000;
        if (load > run.capacityKg + 1e-9) {
          throw new DomainError('infeasible', 'dispatch.over_capacity', `run ${run.vehicleCode} trip ${run.trip} would carry ${Math.round(load * 10) / 10} kg, more than its ${run.capacityKg} kg`, [{ path: `/assign/${i}`, message: `over capacity by ${Math.round((load - run.capacityKg) * 10) / 10} kg` }]);
        }
        runLoaded.set(runKey(run), load);
        freshById.delete(x.id);
        placed.push({ parcelId: x.id, runId: run.id, bag: null, note: `${run.vehicleCode} trip ${run.trip} (assigned by ${p.username})` });
      }
      if (errors.length) throw invalid('dispatch.assign_invalid', 'some assignments cannot be made', errors);

      const lines = (await net.listBusLines(tx, { countyCode: outlet.county_code, limit: ALL, offset: 0 })).items;
      const res: DispatchResult = dispatchDay({
        day, outletId, routes: c.routes, bus: c.bus, busLines: lines, vehicles: c.vehicles, nowS, busLoaded, runLoaded, leftRuns, leftTrips,
        parcels: [...freshById.values()].map((x) => ({ id: x.id, villageCode: x.village_code as string, weightKg: x.weight_g / 1000 })),
      });
      const runByKey = new Map(runs.map((r) => [runKey(r), r]));
      for (const r of res.runs) {
        const row = runByKey.get(runKey(r));
        if (!row) continue;
        r.stops.forEach((s, k) => { for (const pid of s.parcelIds) placed.push({ parcelId: pid, runId: row.id, bag: null, note: `${row.vehicleCode} trip ${row.trip} stop ${k + 1}` }); });
      }
      for (const b of res.bags) for (const pid of b.parcelIds) placed.push({ parcelId: pid, runId: null, bag: b, note: `bus ${b.lineCode} ${b.departure}` });
      await this.place(tx, p, d, bags, placed, new Map(fresh.map((x) => [x.id, x.weight_g] as const)), at);

      // a commit of all waiting parcels recomputes the deferred list; one naming some parcels keeps
      // the earlier entries of the others
      const looked = new Set(candidates.map((x) => x.id));
      const deferred = [
        ...(req.parcels ? d.deferred.filter((x) => !looked.has(x.parcelId)) : []),
        ...res.deferred,
        ...unaddressed.map((x) => ({ parcelId: x.id, villageCode: '', nextDay: null, reason: 'no village: resolve the address first' })),
      ];
      await repo.updateDispatch(tx, d.id, { commitsAdd: placed.length > 0 || d.commits === 0 ? 1 : 0, deferred, notes: [...d.notes, ...res.notes.map((n) => `${hhmm(nowS)} ${n}`)], at });
      if (placed.length > 0) {
        await appendAudit(tx, p, { action: 'dispatch.commit', objectType: 'dispatch', objectId: d.id, detail: { outletId, date, planId: plan.id, added: placed.length, deferred: deferred.length } }, at);
      }
      return d.id;
    });
    const d = (await repo.getDispatchById(this.db, id))!;
    return this.view(this.db, d);
  }

  /** Writes placed parcels (new items or moved ones), creating bags as needed, and appends their `sorted` events. */
  private async place(
    tx: Tx, p: Principal, d: repo.DispatchRow, bags: repo.BagRow[],
    placed: Placed[],
    weights: Map<string, number>, at: Date, moved?: Map<string, number>,
  ) {
    const bagKey = (t: string, v: string) => `${t}|${v}`;
    const bagIds = new Map(bags.map((b) => [bagKey(b.tripId, b.villageCode), b.id]));
    const villageOf = new Map<string, string>();
    const items: Array<Omit<repo.ItemRow, 'moves' | 'scan'>> = [];
    const events: EventInput[] = [];
    const commitNo = d.commits + 1;
    for (const x of placed) {
      let bagId: string | null = null;
      if (x.bag) {
        const k = bagKey(x.bag.tripId, x.bag.villageCode);
        bagId = bagIds.get(k) ?? null;
        if (!bagId) {
          bagId = newId('dbg');
          await repo.insertBag(tx, { id: bagId, dispatchId: d.id, ...x.bag });
          bagIds.set(k, bagId);
        }
        villageOf.set(x.parcelId, x.bag.villageCode);
      }
      const move = moved?.get(x.parcelId);
      if (move !== undefined) await repo.moveItem(tx, d.id, x.parcelId, { runId: x.runId, bagId, note: x.note });
      else items.push({ dispatchId: d.id, parcelId: x.parcelId, runId: x.runId, bagId, villageCode: '', weightG: weights.get(x.parcelId) ?? 0, commitNo, note: x.note });
      events.push({ eventId: `${d.id}:${x.parcelId}:sorted:${move ?? 0}`, parcelId: x.parcelId, type: 'sorted', eventTime: at.toISOString(), note: `${d.date} ${x.note}` });
    }
    if (items.length) {
      const facts = new Map((await repo.parcelFacts(tx, items.map((i) => i.parcelId))).map((f) => [f.id, f]));
      for (const i of items) i.villageCode = facts.get(i.parcelId)?.village_code ?? villageOf.get(i.parcelId) ?? '';
      await repo.insertItems(tx, items);
    }
    await this.appendEvents(tx, p, events);
  }

  /** Appends events through the parcels module inside this transaction; any refusal rolls everything back. */
  private async appendEvents(tx: Tx, p: Principal, events: EventInput[]) {
    const byParcel = new Map<string, EventInput[]>();
    for (const e of events) byParcel.set(e.parcelId, [...(byParcel.get(e.parcelId) ?? []), e]);
    const refused: FieldError[] = [];
    for (const [pid, list] of byParcel) {
      const out = await this.parcels.appendInTx(tx, p, pid, list);
      for (const r of out) if (r.result === 'conflict' || r.result === 'rejected' || r.result === 'not_found') refused.push({ path: `/parcels/${pid}`, message: `${r.code}: ${r.reason}` });
    }
    if (refused.length) throw conflict('dispatch.event_refused', `the parcels' tracking refused ${refused.length} event(s): ${refused.slice(0, 3).map((e) => e.message).join('; ')}`);
  }

  // ------------------------------------------------------------------ runs
  private async runInScope(p: Principal, runId: string, write = false) {
    const run = await repo.getRun(this.db, runId);
    if (!run) throw notFound('dispatch.run_not_found', `no run ${runId}`);
    const d = (await repo.getDispatchById(this.db, run.dispatchId))!;
    await this.outletInScope(p, d.outletId, write);
    return { run, d };
  }

  /** The run leaves: its parcels go out for delivery (events); it takes no more parcels today. */
  async departRun(p: Principal, runId: string) {
    this.assertWriter(p);
    const { d } = await this.runInScope(p, runId, true);
    const at = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      await repo.getDispatchById(tx, d.id, true);
      const run = (await repo.getRun(tx, runId))!;
      if (run.departedAt) return;
      const items = (await repo.listItems(tx, d.id)).filter((i) => i.runId === runId);
      await repo.markRunDeparted(tx, runId, p.username, at);
      await this.appendEvents(tx, p, items.map((i) => ({ eventId: `${d.id}:${i.parcelId}:out:${i.moves}`, parcelId: i.parcelId, type: 'out_for_delivery' as const, eventTime: at.toISOString(), note: `${run.vehicleCode} trip ${run.trip}` })));
    });
    return this.view(this.db, (await repo.getDispatchById(this.db, d.id))!);
  }

  // ------------------------------------------------------------------ bags
  private async bagInScope(p: Principal, bagId: string, write = true) {
    const bag = await repo.getBag(this.db, bagId);
    if (!bag) throw notFound('dispatch.bag_not_found', `no bag ${bagId}`);
    const d = (await repo.getDispatchById(this.db, bag.dispatchId))!;
    await this.outletInScope(p, d.outletId, write);
    return { bag, d };
  }

  /** Records the seal number of a bag (a seal number is never used twice). */
  async seal(p: Principal, bagId: string, sealNo: string) {
    this.assertWriter(p);
    const { d } = await this.bagInScope(p, bagId);
    const at = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      await repo.getDispatchById(tx, d.id, true);
      const bag = (await repo.getBag(tx, bagId, true))!;
      if (bag.sealNo === sealNo) return;
      if (bag.status !== 'open') throw conflict('bag.already_sealed', `the bag is ${bag.status}${bag.sealNo ? ` with seal ${bag.sealNo}` : ''}; its seal cannot change`);
      const other = await repo.bagBySeal(tx, sealNo);
      if (other) throw new DomainError('conflict', 'bag.seal_in_use', `seal ${sealNo} was already used on another bag (${other.lineCode} ${other.departure})`, [{ path: '/sealNo', message: 'already used' }]);
      try {
        await repo.updateBag(tx, bagId, { status: 'sealed', seal_no: sealNo, sealed_at: at, sealed_by: p.username });
      } catch (err) {
        // another outlet recorded the same seal at the same moment: the unique index decides
        if ((err as { code?: string }).code === '23505') throw new DomainError('conflict', 'bag.seal_in_use', `seal ${sealNo} was already used on another bag`, [{ path: '/sealNo', message: 'already used' }]);
        throw err;
      }
      await appendAudit(tx, p, { action: 'dispatch.bag_seal', objectType: 'dispatch_bag', objectId: bagId, detail: { sealNo } }, at);
    });
    return this.view(this.db, (await repo.getDispatchById(this.db, d.id))!);
  }

  /** Departure scan: the sealed bag is handed to the bus crew; its parcels are loaded on the bus. */
  async handOver(p: Principal, bagId: string, scan: { sealNo: string; crew?: string }) {
    this.assertWriter(p);
    const { d } = await this.bagInScope(p, bagId);
    const at = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      await repo.getDispatchById(tx, d.id, true);
      const bag = (await repo.getBag(tx, bagId, true))!;
      if (bag.status === 'departed' || bag.status === 'received') {
        if (bag.sealNo !== scan.sealNo) throw conflict('bag.seal_mismatch', `the scanned seal ${scan.sealNo} is not the bag's seal`);
        return;
      }
      if (bag.status !== 'sealed') throw conflict('bag.not_sealed', `the bag is ${bag.status}: record its seal number before handing it over`);
      if (bag.sealNo !== scan.sealNo) throw new DomainError('conflict', 'bag.seal_mismatch', `the scanned seal ${scan.sealNo} is not the bag's seal`, [{ path: '/sealNo', message: 'does not match the recorded seal' }]);
      const items = (await repo.listItems(tx, d.id)).filter((i) => i.bagId === bagId);
      await repo.updateBag(tx, bagId, { status: 'departed', departed_at: at, departed_by: p.username, crew: scan.crew ?? null });
      await this.appendEvents(tx, p, items.map((i) => ({ eventId: `${d.id}:${i.parcelId}:bus:${i.moves}`, parcelId: i.parcelId, type: 'loaded_on_bus' as const, eventTime: at.toISOString(), note: `bus ${bag.lineCode} ${bag.departure}, seal ${bag.sealNo}${scan.crew ? `, crew ${scan.crew}` : ''}` })));
    });
    return this.view(this.db, (await repo.getDispatchById(this.db, d.id))!);
  }

  /**
   * Receiving scan at the village stop or station: the seal and each parcel scanned. Scanned parcels
   * of the bag are unloaded (events); parcels of the bag not scanned are missing (an exception event
   * each); scanned parcels not in the bag are reported as unexpected.
   */
  async receive(p: Principal, bagId: string, scan: { sealNo: string; scanned: string[]; place?: 'stop' | 'station' }) {
    if (!['admin', 'county_manager', 'outlet_clerk', 'station_keeper', 'carrier'].includes(p.role)) throw forbidden('auth.role', 'this needs staff of the post or a station keeper');
    // the receiving end is the village station's keeper or a carrier, not the dispatching outlet's clerk
    const { d } = await this.bagInScope(p, bagId, false);
    const at = this.opts.clock();
    await this.db.transaction().execute(async (tx) => {
      await repo.getDispatchById(tx, d.id, true);
      const bag = (await repo.getBag(tx, bagId, true))!;
      if (bag.status === 'received') return;
      if (bag.status !== 'departed') throw conflict('bag.not_departed', `the bag is ${bag.status}: only a bag handed to the bus can be received`);
      const items = (await repo.listItems(tx, d.id)).filter((i) => i.bagId === bagId);
      const facts = new Map((await repo.parcelFacts(tx, items.map((i) => i.parcelId))).map((f) => [f.id, f]));
      const wbOf = (id: string) => facts.get(id)?.waybill_no ?? id;
      const scanned = new Set(scan.scanned.map((s) => s.trim()).filter(Boolean));
      const inBag = new Map(items.map((i) => [wbOf(i.parcelId), i]));
      const received = items.filter((i) => scanned.has(wbOf(i.parcelId)) || scanned.has(i.parcelId));
      const missing = items.filter((i) => !received.includes(i));
      const unexpected = [...scanned].filter((s) => !inBag.has(s) && !items.some((i) => i.parcelId === s));
      const rec: repo.Reconciliation = { sealOk: scan.sealNo === bag.sealNo, received: received.map((i) => wbOf(i.parcelId)), missing: missing.map((i) => wbOf(i.parcelId)), unexpected, place: scan.place ?? 'station' };
      await repo.updateBag(tx, bagId, { status: 'received', received_at: at, received_by: p.username, reconciliation: JSON.stringify(rec) });
      await repo.setScan(tx, d.id, received.map((i) => i.parcelId), 'received');
      await repo.setScan(tx, d.id, missing.map((i) => i.parcelId), 'missing');
      const where = `${scan.place === 'stop' ? 'stop' : 'station'} ${bag.villageCode}, seal ${scan.sealNo}${rec.sealOk ? '' : ' (NOT the recorded seal)'}`;
      await this.appendEvents(tx, p, [
        ...received.map((i) => ({ eventId: `${d.id}:${i.parcelId}:unload:${i.moves}`, parcelId: i.parcelId, type: 'unloaded_at_stop' as const, eventTime: at.toISOString(), note: where })),
        ...missing.map((i) => ({ eventId: `${d.id}:${i.parcelId}:missing:${i.moves}`, parcelId: i.parcelId, type: 'exception' as const, eventTime: at.toISOString(), reason: 'missing', note: `not in bag ${bag.sealNo} at ${where}` })),
      ]);
      await appendAudit(tx, p, { action: 'dispatch.bag_receive', objectType: 'dispatch_bag', objectId: bagId, detail: { received: rec.received.length, missing: rec.missing.length, unexpected: rec.unexpected.length, sealOk: rec.sealOk } }, at);
    });
    return this.view(this.db, (await repo.getDispatchById(this.db, d.id))!);
  }

  /**
   * The bus was missed or was full: the bag does not go. Its parcels go to the line's next trip that
   * stops at the village today, else to a carrier run visiting the village that has not left, else
   * they wait for the next service day; the dispatch's notes say which and why.
   */
  async missed(p: Principal, bagId: string, why: { reason: 'missed' | 'full'; note?: string }) {
    this.assertWriter(p);
    const { d } = await this.bagInScope(p, bagId);
    const at = this.opts.clock();
    const nowS = this.nowOn(d.date);
    await this.db.transaction().execute(async (tx) => {
      const disp = (await repo.getDispatchById(tx, d.id, true))!;
      const bag = (await repo.getBag(tx, bagId, true))!;
      if (bag.status === 'missed') return;
      if (bag.status !== 'open' && bag.status !== 'sealed') throw conflict('bag.already_departed', `the bag is ${bag.status}; only a bag still at the outlet can miss its bus`);
      const reasonText = why.reason === 'full' ? `bus ${bag.lineCode} ${bag.departure} was full` : `bus ${bag.lineCode} ${bag.departure} was missed`;
      await repo.updateBag(tx, bagId, { status: 'missed', missed_reason: `${reasonText}${why.note ? `: ${why.note}` : ''}` });
      const [runs, bags, items] = await Promise.all([repo.listRuns(tx, d.id), repo.listBags(tx, d.id), repo.listItems(tx, d.id)]);
      const mine = items.filter((i) => i.bagId === bagId);
      const c = (await plans.getContents(tx, d.planId)) as plans.PlanContents;
      const runById = new Map(runs.map((r) => [r.id, r]));
      const bagById = new Map(bags.map((b) => [b.id, b]));
      const runLoaded = new Map<string, number>();
      const busLoaded = new Map<string, number>();
      for (const it of items) {
        if (it.runId) { const r = runById.get(it.runId)!; runLoaded.set(runKey(r), (runLoaded.get(runKey(r)) ?? 0) + it.weightG / 1000); }
        if (it.bagId && it.bagId !== bagId) { const b = bagById.get(it.bagId)!; busLoaded.set(b.tripId, (busLoaded.get(b.tripId) ?? 0) + 1); }
      }
      const leftTrips = new Set(bags.filter((b) => b.status !== 'open' || b.id === bagId).map((b) => b.tripId));
      const lines = (await net.listBusLines(tx, { countyCode: disp.countyCode, limit: ALL, offset: 0 })).items;
      const res = dispatchDay({
        day: disp.day as Weekday, outletId: disp.outletId, routes: c.routes, bus: c.bus, busLines: lines, vehicles: c.vehicles, nowS, busLoaded, runLoaded,
        leftRuns: new Set(runs.filter((r) => r.departedAt !== null).map(runKey)), leftTrips,
        parcels: mine.map((i) => ({ id: i.parcelId, villageCode: i.villageCode, weightKg: i.weightG / 1000 })),
      });
      const placed: Placed[] = [];
      const notes: string[] = [];
      const runByKey = new Map(runs.map((r) => [runKey(r), r]));
      for (const r of res.runs) {
        const row = runByKey.get(runKey(r))!;
        r.stops.forEach((s, k) => { for (const pid of s.parcelIds) { placed.push({ parcelId: pid, runId: row.id, bag: null, note: `${row.vehicleCode} trip ${row.trip} stop ${k + 1} (${reasonText})` }); notes.push(`${hhmm(nowS)} ${pid}: ${reasonText}; on ${row.vehicleCode} trip ${row.trip}`); } });
      }
      for (const b of res.bags) for (const pid of b.parcelIds) { placed.push({ parcelId: pid, runId: null, bag: b, note: `bus ${b.lineCode} ${b.departure} (${reasonText})` }); notes.push(`${hhmm(nowS)} ${pid}: ${reasonText}; on the ${b.lineCode} ${b.departure} trip`); }
      for (const x of res.deferred) { await repo.deleteItem(tx, d.id, x.parcelId); notes.push(`${hhmm(nowS)} ${x.parcelId}: ${reasonText}; waits for ${x.nextDay === null ? 'a decision' : `weekday ${x.nextDay}`} (${x.reason})`); }
      const moved = new Map(mine.map((i) => [i.parcelId, i.moves + 1]));
      await this.place(tx, p, disp, bags, placed, new Map(mine.map((i) => [i.parcelId, i.weightG])), at, moved);
      const deferred = [...disp.deferred, ...res.deferred.map((x) => ({ ...x, reason: `${reasonText}; ${x.reason}` }))];
      await repo.updateDispatch(tx, d.id, { commitsAdd: 0, deferred, notes: [...disp.notes, ...notes], at });
      await appendAudit(tx, p, { action: 'dispatch.bag_missed', objectType: 'dispatch_bag', objectId: bagId, detail: { reason: why.reason, moved: placed.length, deferred: res.deferred.length } }, at);
    });
    return this.view(this.db, (await repo.getDispatchById(this.db, d.id))!);
  }

  // ------------------------------------------------------------------ reads
  async view(db: Tx, d: repo.DispatchRow) {
    const [runs, bags, items] = await Promise.all([repo.listRuns(db, d.id), repo.listBags(db, d.id), repo.listItems(db, d.id)]);
    const facts = new Map((await repo.parcelFacts(db, [...items.map((i) => i.parcelId), ...d.deferred.map((x) => x.parcelId)])).map((f) => [f.id, f]));
    const names = await repo.villageNames(db, [...runs.flatMap((r) => r.stops.map((s) => s.villageCode)), ...bags.map((b) => b.villageCode)]);
    const info = await repo.routeInfo(db, runs.map((r) => r.vehicleId));
    const ref = (i: repo.ItemRow) => {
      const f = facts.get(i.parcelId);
      return { id: i.parcelId, waybillNo: f?.waybill_no ?? '', weightG: i.weightG, codFen: f?.cod_fen ?? 0, status: f?.status ?? '', note: i.note, ...(i.scan ? { scan: i.scan } : {}) };
    };
    return {
      id: d.id, outletId: d.outletId, date: d.date, day: d.day, planId: d.planId, commits: d.commits, updatedAt: d.updatedAt,
      runs: runs.map((r) => {
        const mine = items.filter((i) => i.runId === r.id);
        return {
          id: r.id, vehicleId: r.vehicleId, vehicleCode: r.vehicleCode, routeName: info.get(r.vehicleId)?.name ?? '', vehicleType: info.get(r.vehicleId)?.vehicleType ?? '',
          carriers: (info.get(r.vehicleId)?.carriers ?? []).map((c) => c.name), trip: r.trip, departure: hhmm(r.departureS), capacityKg: r.capacityKg,
          loadKg: Math.round(mine.reduce((a, i) => a + i.weightG, 0) / 100) / 10, parcels: mine.length, departedAt: r.departedAt,
          stops: r.stops.map((s) => ({ villageCode: s.villageCode, villageName: names.get(s.villageCode) ?? '', arrival: s.arrival, parcels: mine.filter((i) => i.villageCode === s.villageCode).map(ref) })),
        };
      }),
      bags: bags.map((b) => ({
        id: b.id, tripId: b.tripId, lineCode: b.lineCode, departure: b.departure, villageCode: b.villageCode, villageName: names.get(b.villageCode) ?? '', arrival: b.arrival,
        status: b.status, sealNo: b.sealNo, departedAt: b.departedAt, crew: b.crew, receivedAt: b.receivedAt, missedReason: b.missedReason, reconciliation: b.reconciliation,
        parcels: items.filter((i) => i.bagId === b.id).map(ref),
      })),
      deferred: d.deferred.map((x) => ({ ...x, waybillNo: facts.get(x.parcelId)?.waybill_no ?? '' })),
      notes: d.notes,
    };
  }

  /** Everything a manifest prints (masked recipients). */
  async manifestData(p: Principal, kind: 'run' | 'trip', ref: { runId?: string; dispatchId?: string; tripId?: string }) {
    let d: repo.DispatchRow;
    if (kind === 'run') d = (await this.runInScope(p, ref.runId!)).d;
    else {
      const x = await repo.getDispatchById(this.db, ref.dispatchId!);
      if (!x) throw notFound('dispatch.not_found', `no dispatch ${ref.dispatchId}`);
      await this.outletInScope(p, x.outletId);
      d = x;
    }
    const outlet = (await repo.outletRef(this.db, d.outletId))!;
    const items = await repo.listItems(this.db, d.id);
    const facts = new Map((await repo.parcelFacts(this.db, items.map((i) => i.parcelId))).map((f) => [f.id, f]));
    const row = (i: repo.ItemRow) => {
      const f = facts.get(i.parcelId)!;
      return { waybillNo: f.waybill_no, name: f.recipient_name_masked ?? '', phone: f.phone_masked ?? '', pieces: f.pieces, weightG: f.weight_g, codFen: f.cod_fen };
    };
    if (kind === 'run') {
      const run = (await repo.getRun(this.db, ref.runId!))!;
      const names = await repo.villageNames(this.db, run.stops.map((s) => s.villageCode));
      const mine = items.filter((i) => i.runId === run.id);
      const ri = (await repo.routeInfo(this.db, [run.vehicleId])).get(run.vehicleId);
      return {
        kind, outlet: outlet.name, date: d.date, dispatchId: d.id,
        run: { id: run.id, vehicleCode: run.vehicleCode, routeName: ri?.name ?? '', vehicleType: ri?.vehicleType ?? '', carriers: ri?.carriers ?? [], trip: run.trip, departure: hhmm(run.departureS), capacityKg: run.capacityKg },
        stops: run.stops.map((s) => ({ villageCode: s.villageCode, villageName: names.get(s.villageCode) ?? s.villageCode, arrival: s.arrival, parcels: mine.filter((i) => i.villageCode === s.villageCode).map(row) })),
      };
    }
    const bags = (await repo.listBags(this.db, d.id)).filter((b) => b.tripId === ref.tripId && b.status !== 'missed');
    if (bags.length === 0) throw notFound('dispatch.trip_not_found', `no bag for bus trip ${ref.tripId} in dispatch ${d.id}`);
    const names = await repo.villageNames(this.db, bags.map((b) => b.villageCode));
    // the bus crew knows the stops by the line's names (村口, 乡镇客运站 …)
    const line = (await net.listBusLines(this.db, { countyCode: d.countyCode, limit: ALL, offset: 0 })).items.find((l) => l.trips.some((t) => t.id === ref.tripId));
    const stopName = (v: string) => line?.stops.find((st) => st.villageCode === v)?.name;
    return {
      kind, outlet: outlet.name, date: d.date, dispatchId: d.id, trip: { id: ref.tripId!, lineCode: bags[0]!.lineCode, lineName: line?.name ?? '', departure: bags[0]!.departure },
      bags: bags.map((b) => ({ sealNo: b.sealNo, villageCode: b.villageCode, villageName: names.get(b.villageCode) ?? b.villageCode, stopName: stopName(b.villageCode) ?? '', arrival: b.arrival, parcels: items.filter((i) => i.bagId === b.id).map(row) })),
    };
  }
}
