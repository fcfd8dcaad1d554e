import type { Kysely } from 'kysely';
import { type KpiFigure, type KpiKey, figure, ratio } from '@cuntong/domain/kpi.ts';
import type { DB } from '../../db/schema.ts';
import { type CountyParcelFigures, networkCountsByCounty, parcelFiguresByCounty, parcelTrend, scopeDeliveryHours } from './kpi.repository.ts';

export interface KpiSummary {
  scope: { countyCode?: string };
  from: string;
  to: string;
  figures: KpiFigure[];
  byCounty: Array<{ countyCode: string; countyName: string } & Partial<Record<KpiKey, number | null>>>;
  trend: Array<{ date: string; parcelsIn: number; delivered: number; parcelsOut: number; exceptions: number }>;
}

type Counts = { villageCommittees: number; directlyReached: number; units: number; unitsMeetingRule: number };

function parcelValues(p: CountyParcelFigures | undefined): Partial<Record<KpiKey, number | null>> {
  if (!p) return { parcelsIn: 0, delivered: 0, atStations: 0, exceptions: 0, deliveryHoursAvg: null, deliveryHoursP90: null, stationPickupRate: null, parcelsOut: 0 };
  return {
    parcelsIn: p.parcelsIn,
    delivered: p.delivered,
    atStations: p.atStations,
    exceptions: p.exceptions,
    deliveryHoursAvg: p.deliveryHoursAvg,
    deliveryHoursP90: p.deliveryHoursP90,
    // A rate with nothing placed at stations is undefined, not zero.
    stationPickupRate: ratio(p.pickedUp, p.stationIn),
    parcelsOut: p.parcelsOut,
  };
}

export async function kpiSummary(db: Kysely<DB>, q: { countyCode?: string; from: string; to: string }): Promise<KpiSummary> {
  const [counties, parcels, trendRows] = await Promise.all([networkCountsByCounty(db, q.countyCode), parcelFiguresByCounty(db, q), parcelTrend(db, q)]);
  const sum = (f: (c: Counts) => number) => counties.reduce((a, c) => a + f(c), 0);
  const network = (c: Counts) => ({
    villages: c.villageCommittees,
    directMailRate: ratio(c.directlyReached, c.villageCommittees),
    frequencyCompliance: ratio(c.unitsMeetingRule, c.units),
  });
  const parcelByCounty = new Map(parcels.map((p) => [p.countyCode, p]));
  const total = network({ villageCommittees: sum((c) => c.villageCommittees), directlyReached: sum((c) => c.directlyReached), units: sum((c) => c.units), unitsMeetingRule: sum((c) => c.unitsMeetingRule) });
  // Counts add up over counties; a mean and a percentile do not, so the scope's hours come from one
  // query over all its parcels (or from the single county's row).
  const add = (k: 'parcelsIn' | 'delivered' | 'atStations' | 'exceptions' | 'stationIn' | 'pickedUp' | 'parcelsOut') => parcels.reduce((a, r) => a + r[k], 0);
  const hours = parcels.length <= 1 ? { avg: parcels[0]?.deliveryHoursAvg ?? null, p90: parcels[0]?.deliveryHoursP90 ?? null } : await scopeDeliveryHours(db, q);
  const figures: KpiFigure[] = [
    figure('villages', total.villages),
    figure('directMailRate', total.directMailRate),
    figure('frequencyCompliance', total.frequencyCompliance),
    figure('parcelsIn', add('parcelsIn')),
    figure('delivered', add('delivered')),
    figure('atStations', add('atStations')),
    figure('exceptions', add('exceptions')),
    figure('deliveryHoursAvg', hours.avg),
    figure('deliveryHoursP90', hours.p90),
    figure('stationPickupRate', ratio(add('pickedUp'), add('stationIn'))),
    figure('parcelsOut', add('parcelsOut')),
  ];
  const byCounty = counties.map((c) => ({ countyCode: c.countyCode, countyName: c.countyName, ...network(c), ...parcelValues(parcelByCounty.get(c.countyCode)) }));
  const ev = new Map(trendRows.events.map((r) => [r.day, r]));
  const out = new Map(trendRows.out.map((r) => [r.day, r.n]));
  const trend: KpiSummary['trend'] = [];
  for (let d = new Date(`${q.from}T00:00:00Z`); d <= new Date(`${q.to}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
    const day = d.toISOString().slice(0, 10);
    const e = ev.get(day);
    trend.push({ date: day, parcelsIn: e?.parcelsIn ?? 0, delivered: e?.delivered ?? 0, parcelsOut: out.get(day) ?? 0, exceptions: e?.exceptions ?? 0 });
  }
  return { scope: q.countyCode ? { countyCode: q.countyCode } : {}, from: q.from, to: q.to, figures, byCounty, trend };
}
