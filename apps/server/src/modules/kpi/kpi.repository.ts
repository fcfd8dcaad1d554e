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
