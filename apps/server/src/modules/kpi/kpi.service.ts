import type { Kysely } from 'kysely';
import { type KpiFigure, type KpiKey, figure, ratio } from '@cuntong/domain/kpi.ts';
import type { DB } from '../../db/schema.ts';
import { networkCountsByCounty } from './kpi.repository.ts';

export interface KpiSummary {
  scope: { countyCode?: string };
  from: string;
  to: string;
  figures: KpiFigure[];
  byCounty: Array<{ countyCode: string; countyName: string } & Partial<Record<KpiKey, number | null>>>;
  trend: Array<{ date: string; parcelsIn: number | null; delivered: number | null; parcelsOut: number | null; exceptions: number | null }>;
}

// Parcel figures come from the parcel and outbound modules once they record events; until then
// they are null ("not recorded"), never zero.
const PARCEL_KEYS: KpiKey[] = ['parcelsIn', 'delivered', 'atStations', 'exceptions', 'deliveryHoursAvg', 'deliveryHoursP90', 'stationPickupRate', 'parcelsOut'];

export async function kpiSummary(db: Kysely<DB>, q: { countyCode?: string; from: string; to: string }): Promise<KpiSummary> {
  const counties = await networkCountsByCounty(db, q.countyCode);
  const sum = (f: (c: (typeof counties)[number]) => number) => counties.reduce((a, c) => a + f(c), 0);
  const network = (c: { villageCommittees: number; directlyReached: number; units: number; unitsMeetingRule: number }) => ({
    villages: c.villageCommittees,
    directMailRate: ratio(c.directlyReached, c.villageCommittees),
    frequencyCompliance: ratio(c.unitsMeetingRule, c.units),
  });
  const total = network({ villageCommittees: sum((c) => c.villageCommittees), directlyReached: sum((c) => c.directlyReached), units: sum((c) => c.units), unitsMeetingRule: sum((c) => c.unitsMeetingRule) });
  const figures: KpiFigure[] = [
    figure('villages', total.villages),
    figure('directMailRate', total.directMailRate),
    figure('frequencyCompliance', total.frequencyCompliance),
    ...PARCEL_KEYS.map((k) => figure(k, null)),
  ];
  const byCounty = counties.map((c) => ({ countyCode: c.countyCode, countyName: c.countyName, ...network(c), ...Object.fromEntries(PARCEL_KEYS.map((k) => [k, null])) }));
  const trend: KpiSummary['trend'] = [];
  for (let d = new Date(`${q.from}T00:00:00Z`); d <= new Date(`${q.to}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
    trend.push({ date: d.toISOString().slice(0, 10), parcelsIn: null, delivered: null, parcelsOut: null, exceptions: null });
  }
  return { scope: q.countyCode ? { countyCode: q.countyCode } : {}, from: q.from, to: q.to, figures, byCounty, trend };
}
