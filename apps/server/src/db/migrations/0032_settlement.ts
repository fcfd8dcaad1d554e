import type { Kysely } from 'kysely';
import { runScript } from '../script.ts';

// Settlement (issue 5): the agreement terms a statement needs beyond 0002's rates, issued statements
// (snapshots, so a dispute points at what the partner saw) and disputes tracked to resolution.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    ALTER TABLE agreements ADD COLUMN return_rate_fen integer NOT NULL DEFAULT 0 CHECK (return_rate_fen >= 0);
    ALTER TABLE agreements ADD COLUMN loss_deduction_fen integer NOT NULL DEFAULT 2000 CHECK (loss_deduction_fen >= 0);
    ALTER TABLE agreements ADD COLUMN damage_deduction_fen integer NOT NULL DEFAULT 1000 CHECK (damage_deduction_fen >= 0);
    ALTER TABLE agreements ADD COLUMN late_deduction_fen integer NOT NULL DEFAULT 20 CHECK (late_deduction_fen >= 0);
    -- Demo terms: a returned parcel is paid half the door rate.
    UPDATE agreements SET return_rate_fen = door_rate_fen / 2;

    CREATE TABLE settlement_statements (
      id text PRIMARY KEY,
      partner_code text NOT NULL REFERENCES partners(code),
      county_code text NOT NULL,
      month text NOT NULL,
      content_hash text NOT NULL,
      total_fen bigint NOT NULL,
      body jsonb NOT NULL,
      issued_at timestamptz NOT NULL,
      issued_by text,
      UNIQUE (partner_code, county_code, month, content_hash)
    );
    CREATE INDEX settlement_statements_partner_idx ON settlement_statements (partner_code, month);

    CREATE TABLE settlement_disputes (
      id text PRIMARY KEY,
      statement_id text NOT NULL REFERENCES settlement_statements(id),
      line_id text NOT NULL,
      partner_code text NOT NULL,
      waybill_nos text[] NOT NULL DEFAULT '{}',
      reason text NOT NULL,
      status text NOT NULL CHECK (status IN ('open','accepted','rejected')),
      resolution text,
      adjustment_fen integer,
      opened_by text,
      opened_at timestamptz NOT NULL,
      resolved_by text,
      resolved_at timestamptz
    );
    CREATE INDEX settlement_disputes_statement_idx ON settlement_disputes (statement_id);
    CREATE INDEX settlement_disputes_partner_idx ON settlement_disputes (partner_code, status);
  `);
}
