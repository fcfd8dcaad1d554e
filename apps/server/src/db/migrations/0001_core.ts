import type { Kysely } from 'kysely';
import { runScript } from '../script.ts';

// Users, sessions, API keys, the audit log and the division reference table.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE TABLE divisions (
      code text PRIMARY KEY,
      name text NOT NULL,
      short_name text NOT NULL,
      level text NOT NULL CHECK (level IN ('province','prefecture','county','town','village')),
      parent text,
      kind text CHECK (kind IN ('village','community')),
      pinyin text NOT NULL,
      initials text NOT NULL
    );
    CREATE INDEX divisions_parent_idx ON divisions (parent);
    CREATE INDEX divisions_initials_idx ON divisions (initials text_pattern_ops);
    CREATE INDEX divisions_short_name_idx ON divisions (short_name);

    CREATE TABLE division_aliases (
      alias text NOT NULL,
      code text NOT NULL REFERENCES divisions(code),
      level text NOT NULL,
      note text,
      PRIMARY KEY (alias, code)
    );

    CREATE TABLE users (
      id text PRIMARY KEY,
      username text NOT NULL UNIQUE,
      display_name text NOT NULL,
      password_hash text NOT NULL,
      role text NOT NULL CHECK (role IN ('admin','county_manager','outlet_clerk','carrier','station_keeper','partner')),
      county_code text,
      outlet_id text,
      partner_code text,
      active boolean NOT NULL DEFAULT true,
      failed_logins integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (role <> 'county_manager' OR county_code IS NOT NULL),
      CHECK (role NOT IN ('outlet_clerk','station_keeper') OR outlet_id IS NOT NULL),
      CHECK (role <> 'partner' OR partner_code IS NOT NULL)
    );

    -- Opaque bearer tokens; only their SHA-256 is stored, so a database leak yields no usable token.
    CREATE TABLE sessions (
      token_hash text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    CREATE INDEX sessions_user_idx ON sessions (user_id);

    CREATE TABLE api_keys (
      id text PRIMARY KEY,
      key_hash text NOT NULL UNIQUE,
      prefix text NOT NULL,
      user_id text NOT NULL REFERENCES users(id),
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    -- Append-only: who did what to which object, and who read personal data. Rows are hash-chained
    -- (hash = sha256(prev_hash || canonical row)) so a changed row is detectable.
    CREATE TABLE audit_log (
      seq bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor_id text,
      actor_name text,
      action text NOT NULL,
      object_type text,
      object_id text,
      result text NOT NULL DEFAULT 'ok',
      detail jsonb NOT NULL DEFAULT '{}'::jsonb,
      prev_hash text NOT NULL,
      hash text NOT NULL
    );
    CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id);

    CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only';
    END $$;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_immutable();

    -- Idempotency keys for POSTs that partners retry (Idempotency-Key header).
    CREATE TABLE idempotency_keys (
      owner text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      status_code integer,
      response jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (owner, key)
    );

    -- A durable job queue in the database (works on PGlite and PostgreSQL alike).
    CREATE TABLE jobs (
      id bigserial PRIMARY KEY,
      queue text NOT NULL,
      payload jsonb NOT NULL,
      run_at timestamptz NOT NULL DEFAULT now(),
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL DEFAULT 25,
      locked_until timestamptz,
      last_error text,
      done_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX jobs_ready_idx ON jobs (queue, run_at) WHERE done_at IS NULL;
  `);
}
