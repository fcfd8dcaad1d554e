import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

export interface CountyNetworkCounts {
  countyCode: string;
  countyName: string;
  villageCommittees: number;
  directlyReached: number;
  units: number;
  unitsMeetingRule: number;
}

/**
 * Network counts per county: village committees, those reached directly (a stop of an active
 * delivery route or bus line), and village-level units whose planned visits meet their rule.
 */
export async function networkCountsByCounty(db: Kysely<DB>, countyCode?: string): Promise<CountyNetworkCounts[]> {
  const rows = await sql<{ county_code: string; county_name: string; committees: number; reached: number; units: number; meeting: number }>`
    with planned as (
      select village_code, count(distinct day) as visits from (
        select s.village_code, d.day
        from route_stops s
        join delivery_routes r on r.id = s.route_id and r.active
        cross join lateral unnest(s.days) as d(day)
        union
        select b.village_code, d.day
        from village_bus_services b
        join bus_lines l on l.id = b.line_id and l.active
        cross join lateral unnest(b.days) as d(day)
      ) x
      group by village_code
    ),
    bus as (
      select distinct bs.village_code from bus_stops bs join bus_lines l on l.id = bs.line_id and l.active where bs.village_code is not null
    )
    select v.county_code, c.name as county_name,
      count(*) filter (where dv.kind = 'village') as committees,
      count(*) filter (where dv.kind = 'village' and (p.village_code is not null or b.village_code is not null)) as reached,
      count(*) as units,
      count(*) filter (where coalesce(p.visits, 0) >= v.min_visits_per_week) as meeting
    from villages v
    join divisions dv on dv.code = v.code
    join divisions c on c.code = v.county_code
    left join planned p on p.village_code = v.code
    left join bus b on b.village_code = v.code
    where ${countyCode ? sql`v.county_code = ${countyCode}` : sql`true`}
    group by v.county_code, c.name
    order by v.county_code`.execute(db);
  return rows.rows.map((r) => ({
    countyCode: r.county_code,
    countyName: r.county_name,
    villageCommittees: Number(r.committees),
    directlyReached: Number(r.reached),
    units: Number(r.units),
    unitsMeetingRule: Number(r.meeting),
  }));
}

export interface CountyParcelFigures {
  countyCode: string;
  parcelsIn: number;
  delivered: number;
  atStations: number;
  exceptions: number;
  stationIn: number;
  pickedUp: number;
  deliveryHoursAvg: number | null;
  deliveryHoursP90: number | null;
  parcelsOut: number;
}

// Events that count: not void, and not voided by a later correction.
const VALID_EVENTS = sql`
  select e.parcel_id, e.type, e.event_time, p.county_code, (e.event_time at time zone 'Asia/Shanghai')::date as day
  from parcel_events e join parcels p on p.id = e.parcel_id
  where e.type <> 'void'
    and not exists (select 1 from parcel_events v where v.type = 'void' and v.payload->>'voids' = e.event_id)`;

/**
 * Parcel figures per county for a period of local (China) dates, from the event log: handed over,
 * delivered (door or picked up), exceptions, at stations at the end of the period, hours from
 * handover to delivery (mean and 90th percentile), station pickups, and outbound collections.
 */
export async function parcelFiguresByCounty(db: Kysely<DB>, q: { countyCode?: string; from: string; to: string }): Promise<CountyParcelFigures[]> {
  const scope = q.countyCode ? sql`and county_code = ${q.countyCode}` : sql``;
  const period = sql`day between ${q.from}::date and ${q.to}::date`;
  const counts = await sql<{ county_code: string; parcels_in: number; delivered: number; exceptions: number; station_in: number; picked_up: number }>`
    with ev as (${VALID_EVENTS})
    select county_code,
      count(distinct parcel_id) filter (where type = 'handed_over' and ${period}) as parcels_in,
      count(distinct parcel_id) filter (where type in ('delivered', 'picked_up') and ${period}) as delivered,
      count(distinct parcel_id) filter (where type = 'exception' and ${period}) as exceptions,
      count(distinct parcel_id) filter (where type = 'delivered_to_station' and ${period}) as station_in,
      count(distinct parcel_id) filter (where type = 'picked_up' and ${period}) as picked_up
    from ev where true ${scope}
    group by county_code`.execute(db);
  const atStations = await sql<{ county_code: string; n: number }>`
    with ev as (${VALID_EVENTS}), per as (
      select parcel_id, county_code,
        bool_or(type = 'delivered_to_station') as arrived,
        bool_or(type in ('delivered', 'picked_up', 'returned_to_partner')) as left_station
      from ev where day <= ${q.to}::date ${scope}
      group by parcel_id, county_code)
    select county_code, count(*) as n from per where arrived and not left_station group by county_code`.execute(db);
  const hours = await sql<{ county_code: string; avg_h: number | null; p90_h: number | null }>`
    with ev as (${VALID_EVENTS}), per as (
      select parcel_id, county_code,
        min(event_time) filter (where type = 'handed_over') as handed,
        min(event_time) filter (where type in ('delivered', 'picked_up')) as done,
        min(day) filter (where type in ('delivered', 'picked_up')) as done_day
      from ev where true ${scope}
      group by parcel_id, county_code)
    select county_code,
      avg(extract(epoch from done - handed) / 3600.0) as avg_h,
      percentile_cont(0.9) within group (order by extract(epoch from done - handed) / 3600.0) as p90_h
    from per
    where handed is not null and done is not null and done_day between ${q.from}::date and ${q.to}::date
    group by county_code`.execute(db);
  const out = await sql<{ county_code: string; n: number }>`
    select county_code, count(*) as n from outbound_orders
    where collected_at is not null and status <> 'cancelled'
      and (collected_at at time zone 'Asia/Shanghai')::date between ${q.from}::date and ${q.to}::date ${scope}
    group by county_code`.execute(db);
  const by = new Map<string, CountyParcelFigures>();
  const row = (c: string) => {
    let r = by.get(c);
    if (!r) by.set(c, (r = { countyCode: c, parcelsIn: 0, delivered: 0, atStations: 0, exceptions: 0, stationIn: 0, pickedUp: 0, deliveryHoursAvg: null, deliveryHoursP90: null, parcelsOut: 0 }));
    return r;
  };
  for (const c of counts.rows) Object.assign(row(c.county_code), { parcelsIn: Number(c.parcels_in), delivered: Number(c.delivered), exceptions: Number(c.exceptions), stationIn: Number(c.station_in), pickedUp: Number(c.picked_up) });
  for (const a of atStations.rows) row(a.county_code).atStations = Number(a.n);
  for (const h of hours.rows) Object.assign(row(h.county_code), { deliveryHoursAvg: h.avg_h === null ? null : Number(h.avg_h), deliveryHoursP90: h.p90_h === null ? null : Number(h.p90_h) });
  for (const o of out.rows) row(o.county_code).parcelsOut = Number(o.n);
  return [...by.values()];
}

/** Per local day: parcels handed over, delivered, with an exception, and collected outbound. */
export async function parcelTrend(db: Kysely<DB>, q: { countyCode?: string; from: string; to: string }) {
  const scope = q.countyCode ? sql`and county_code = ${q.countyCode}` : sql``;
  const ev = await sql<{ day: string; parcels_in: number; delivered: number; exceptions: number }>`
    with ev as (${VALID_EVENTS})
    select to_char(day, 'YYYY-MM-DD') as day,
      count(distinct parcel_id) filter (where type = 'handed_over') as parcels_in,
      count(distinct parcel_id) filter (where type in ('delivered', 'picked_up')) as delivered,
      count(distinct parcel_id) filter (where type = 'exception') as exceptions
    from ev where day between ${q.from}::date and ${q.to}::date ${scope}
    group by day`.execute(db);
  const out = await sql<{ day: string; n: number }>`
    select to_char((collected_at at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD') as day, count(*) as n from outbound_orders
    where collected_at is not null and status <> 'cancelled'
      and (collected_at at time zone 'Asia/Shanghai')::date between ${q.from}::date and ${q.to}::date ${scope}
    group by 1`.execute(db);
  return { events: ev.rows.map((r) => ({ day: r.day, parcelsIn: Number(r.parcels_in), delivered: Number(r.delivered), exceptions: Number(r.exceptions) })), out: out.rows.map((r) => ({ day: r.day, n: Number(r.n) })) };
}

/** Mean and 90th percentile of handover→delivery hours over the whole scope. */
export async function scopeDeliveryHours(db: Kysely<DB>, q: { countyCode?: string; from: string; to: string }): Promise<{ avg: number | null; p90: number | null }> {
  const scope = q.countyCode ? sql`and county_code = ${q.countyCode}` : sql``;
  const r = await sql<{ avg_h: number | null; p90_h: number | null }>`
    with ev as (${VALID_EVENTS}), per as (
      select parcel_id,
        min(event_time) filter (where type = 'handed_over') as handed,
        min(event_time) filter (where type in ('delivered', 'picked_up')) as done,
        min(day) filter (where type in ('delivered', 'picked_up')) as done_day
      from ev where true ${scope}
      group by parcel_id)
    select avg(extract(epoch from done - handed) / 3600.0) as avg_h,
      percentile_cont(0.9) within group (order by extract(epoch from done - handed) / 3600.0) as p90_h
    from per where handed is not null and done is not null and done_day between ${q.from}::date and ${q.to}::date`.execute(db);
  const row = r.rows[0];
  return { avg: row?.avg_h == null ? null : Number(row.avg_h), p90: row?.p90_h == null ? null : Number(row.p90_h) };
}
