import { describe, expect, it } from 'vitest';
import { splitSqlScript } from './script.ts';

describe('splitSqlScript', () => {
  it('splits on semicolons outside quotes, comments and dollar-quoted bodies', () => {
    const s = `CREATE TABLE a (x text DEFAULT ';'); -- a comment; with a semicolon
      CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no;'; END $$;
      SELECT 1`;
    const parts = splitSqlScript(s);
    expect(parts).toHaveLength(3);
    expect(parts[0]).toBe(`CREATE TABLE a (x text DEFAULT ';')`);
    expect(parts[1]).toContain(`$$ BEGIN RAISE EXCEPTION 'no;'; END $$`);
    expect(parts[2]).toBe('SELECT 1');
  });
});
