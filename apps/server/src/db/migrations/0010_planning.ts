import type { Kysely } from 'kysely';
import { runScript } from '../script.ts';

// Weekly plans (issue 6): one row per planning run (scope, parameters, status, totals against the
// routes at the time) and its contents (day routes, bus services, frequency report) as JSONB.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE TABLE plans (
      id text PRIMARY KEY,
      scope text NOT NULL CHECK (scope IN ('county','region')),
      county_code text,
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','accepted','superseded')),
      params jsonb NOT NULL,
      distance_model text NOT NULL,
      totals jsonb NOT NULL,
      baseline jsonb NOT NULL,
      villages integer NOT NULL,
      villages_met integer NOT NULL,
      bus_villages integer NOT NULL,
      elapsed_ms integer NOT NULL,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      accepted_by text,
      accepted_at timestamptz,
      CHECK ((scope = 'region') = (county_code IS NULL))
    );
    CREATE INDEX plans_county_idx ON plans (county_code, created_at);

    CREATE TABLE plan_contents (
      plan_id text PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
      routes jsonb NOT NULL,
      bus jsonb NOT NULL,
      bus_loads jsonb NOT NULL,
      frequency jsonb NOT NULL,
      suggestions jsonb NOT NULL,
      warnings jsonb NOT NULL,
      places jsonb NOT NULL,
      vehicles jsonb NOT NULL
    );
  `);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'DROP TABLE plan_contents; DROP TABLE plans;');
}
