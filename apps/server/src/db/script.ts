import { type Kysely, sql } from 'kysely';

/**
 * Splits a SQL script into statements (on `;` outside quotes, comments and $$ bodies) and runs
 * them one by one: PGlite's query() takes one statement at a time (extended protocol), so
 * migrations cannot send a whole script in one call as they could to a PostgreSQL server.
 */
export function splitSqlScript(script: string): string[] {
  const out: string[] = [];
  let cur = '';
  let i = 0;
  let inSingle = false;
  let dollarTag: string | null = null;
  while (i < script.length) {
    const ch = script[i]!;
    if (dollarTag) {
      if (script.startsWith(dollarTag, i)) {
        cur += dollarTag;
        i += dollarTag.length;
        dollarTag = null;
        continue;
      }
      cur += ch;
      i++;
      continue;
    }
    if (inSingle) {
      cur += ch;
      if (ch === "'") inSingle = false;
      i++;
      continue;
    }
    if (ch === '-' && script[i + 1] === '-') {
      const nl = script.indexOf('\n', i);
      i = nl === -1 ? script.length : nl + 1;
      cur += '\n';
      continue;
    }
    if (ch === "'") {
      inSingle = true;
      cur += ch;
      i++;
      continue;
    }
    if (ch === '$') {
      const m = /^\$[A-Za-z_]*\$/.exec(script.slice(i));
      if (m) {
        dollarTag = m[0];
        cur += dollarTag;
        i += dollarTag.length;
        continue;
      }
    }
    if (ch === ';') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
      i++;
      continue;
    }
    cur += ch;
    i++;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

export async function runScript(db: Kysely<unknown>, script: string): Promise<void> {
  for (const stmt of splitSqlScript(script)) {
    await sql.raw(stmt).execute(db);
  }
}
