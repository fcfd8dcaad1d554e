import type { Kysely } from 'kysely';
import { runScript } from '../script.ts';

// Daily dispatch (issue 6): an outlet's committed dispatch of a date, its carrier runs and bus bags
// (seal number, departure and receiving scans), which parcel is on which; and planning jobs (a plan
// runs in a worker thread, the request only enqueues it).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE TABLE dispatches (
      id text PRIMARY KEY,
      outlet_id text NOT NULL REFERENCES outlets(id),
      county_code text NOT NULL,
      dispatch_date text NOT NULL CHECK (dispatch_date ~ '^\\d{4}-\\d{2}-\\d{2}$'),
      day smallint NOT NULL CHECK (day BETWEEN 1 AND 7),
      plan_id text NOT NULL REFERENCES plans(id),
      commits integer NOT NULL DEFAULT 0,
      deferred jsonb NOT NULL DEFAULT '[]',
      notes jsonb NOT NULL DEFAULT '[]',
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (outlet_id, dispatch_date)
    );
    CREATE TABLE dispatch_runs (
      id text PRIMARY KEY,
      dispatch_id text NOT NULL REFERENCES dispatches(id) ON DELETE CASCADE,
      vehicle_id text NOT NULL,
      vehicle_code text NOT NULL,
      trip integer NOT NULL,
      departure_s integer NOT NULL,
      capacity_kg double precision NOT NULL,
      stops jsonb NOT NULL,
      departed_at timestamptz,
      departed_by text,
      UNIQUE (dispatch_id, vehicle_id, trip)
    );
    CREATE TABLE dispatch_bags (
      id text PRIMARY KEY,
      dispatch_id text NOT NULL REFERENCES dispatches(id) ON DELETE CASCADE,
      trip_id text NOT NULL,
      line_code text NOT NULL,
      departure text NOT NULL,
      village_code text NOT NULL,
      arrival text NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'sealed', 'departed', 'received', 'missed')),
      -- a seal number identifies one physical seal: never two bags
      seal_no text UNIQUE,
      sealed_at timestamptz,
      sealed_by text,
      departed_at timestamptz,
      departed_by text,
      crew text,
      received_at timestamptz,
      received_by text,
      missed_reason text,
      reconciliation jsonb,
      UNIQUE (dispatch_id, trip_id, village_code)
    );
    CREATE TABLE dispatch_items (
      dispatch_id text NOT NULL REFERENCES dispatches(id) ON DELETE CASCADE,
      parcel_id text NOT NULL REFERENCES parcels(id),
      run_id text REFERENCES dispatch_runs(id),
      bag_id text REFERENCES dispatch_bags(id),
      village_code text NOT NULL,
      weight_g integer NOT NULL,
      commit_no integer NOT NULL,
      moves integer NOT NULL DEFAULT 0,
      note text,
      scan text CHECK (scan IN ('received', 'missing')),
      PRIMARY KEY (dispatch_id, parcel_id),
      CHECK ((run_id IS NULL) <> (bag_id IS NULL))
    );
    CREATE INDEX dispatch_items_run_idx ON dispatch_items (run_id) WHERE run_id IS NOT NULL;
    CREATE INDEX dispatch_items_bag_idx ON dispatch_items (bag_id) WHERE bag_id IS NOT NULL;
    CREATE INDEX dispatch_items_parcel_idx ON dispatch_items (parcel_id);

    CREATE TABLE plan_jobs (
      id text PRIMARY KEY,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
      scope text NOT NULL,
      county_code text,
      params jsonb NOT NULL,
      principal jsonb NOT NULL,
      progress double precision NOT NULL DEFAULT 0,
      stage text,
      plan_id text REFERENCES plans(id),
      error text,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    CREATE INDEX plan_jobs_queued_idx ON plan_jobs (created_at) WHERE status = 'queued';
  `);
}
