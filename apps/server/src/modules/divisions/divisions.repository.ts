import { type Kysely, sql } from 'kysely';
import { pinyin } from 'pinyin-pro';
import type { DivisionExtract } from '@cuntong/domain/divisions/divisions.ts';
import type { DB } from '../../db/schema.ts';

/** Pinyin without tones and its initials, for search: 鸡贾村 → "ji jia cun", "jjc". */
export function pinyinKeys(text: string): { pinyin: string; initials: string } {
  const syllables = pinyin(text, { toneType: 'none', type: 'array', nonZh: 'removed' }) as string[];
  return { pinyin: syllables.join(' '), initials: syllables.map((s) => s[0] ?? '').join('') };
}

/** Loads the division extract into the divisions table (once, on an empty database). */
export async function loadDivisions(db: Kysely<DB>, ex: DivisionExtract): Promise<number> {
  const rows = ex.divisions.map((d) => {
    // Search keys from the short name without its generic suffix (鸡贾村 → jj, 匀东镇 → yd).
    const base = d.shortName.length > 2 ? d.shortName.replace(/(村|社区|镇|乡|街道|办事处|县|市|区|州|省)$/, '') : d.shortName;
    const k = pinyinKeys(base);
    return { code: d.code, name: d.name, short_name: d.shortName, level: d.level, parent: d.parent ?? null, kind: d.kind ?? null, pinyin: k.pinyin, initials: k.initials };
  });
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('divisions').values(rows.slice(i, i + 500)).execute();
  const aliases = ex.aliases.map((a) => ({ alias: a.alias, code: a.code, level: a.level, note: a.note ?? null }));
  if (aliases.length) await db.insertInto('division_aliases').values(aliases).execute();
  return rows.length;
}

export interface DivisionQuery { parent?: string; level?: string; q?: string; under?: string; limit: number; offset: number }

export async function listDivisions(db: Kysely<DB>, f: DivisionQuery) {
  let q = db.selectFrom('divisions');
  if (f.parent) q = q.where('parent', '=', f.parent);
  if (f.level) q = q.where('level', '=', f.level);
  if (f.under) q = q.where('code', 'like', `${f.under}%`);
  if (f.q) {
    const text = f.q.trim();
    const lower = text.toLowerCase();
    q = q.where((eb) =>
      eb.or([
        ...( /^\d+$/.test(text) ? [eb('code', 'like', `${text}%`)] : []),
        eb('name', 'like', `%${text}%`),
        eb('short_name', 'like', `%${text}%`),
        ...( /^[a-z ]+$/.test(lower) ? [eb('initials', 'like', `${lower.replace(/ /g, '')}%`), eb('pinyin', 'like', `${lower}%`)] : []),
      ]),
    );
  }
  const [items, total] = await Promise.all([
    q.selectAll().orderBy('code').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function getDivision(db: Kysely<DB>, code: string) {
  return db.selectFrom('divisions').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function getDivisions(db: Kysely<DB>, codes: string[]) {
  if (!codes.length) return [];
  return db.selectFrom('divisions').selectAll().where('code', 'in', codes).execute();
}

export async function countChildren(db: Kysely<DB>, code: string): Promise<number> {
  const r = await db.selectFrom('divisions').select((eb) => eb.fn.countAll<number>().as('n')).where('parent', '=', code).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function divisionCounts(db: Kysely<DB>, under?: string) {
  const rows = await db
    .selectFrom('divisions')
    .select(['level', 'kind', sql<number>`count(*)`.as('n')])
    .$if(!!under, (q) => q.where('code', 'like', `${under}%`))
    .groupBy(['level', 'kind'])
    .execute();
  return rows.map((r) => ({ level: r.level, kind: r.kind, n: Number(r.n) }));
}

export async function listAliases(db: Kysely<DB>) {
  return db.selectFrom('division_aliases').selectAll().orderBy('alias').execute();
}
