import type { Kysely } from 'kysely';
import type { DivisionExtract } from '@cuntong/domain/divisions/divisions.ts';
import type { DB } from '../../db/schema.ts';

/**
 * Every village-level division gets an operational row (coordinates, visit rule). Village
 * committees default to 3 visits a week, communities to daily (the branch's rules; editable).
 */
export async function loadVillagesFromDivisions(db: Kysely<DB>, ex: DivisionExtract): Promise<number> {
  const rows = ex.divisions
    .filter((d) => d.level === 'village')
    .map((d) => ({
      code: d.code,
      town_code: d.code.slice(0, 9),
      county_code: d.code.slice(0, 6),
      lon: null,
      lat: null,
      min_visits_per_week: d.kind === 'village' ? 3 : 7,
    }));
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('villages').values(rows.slice(i, i + 500)).execute();
  return rows.length;
}
