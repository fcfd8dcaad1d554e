import type { Kysely } from 'kysely';
import { runScript } from '../script.ts';

// Partners kept informed (issue 5): webhook endpoints, the delivery queue fed by the outbox, every
// attempt logged, per-partner status vocabularies.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    -- One endpoint per partner (PUT /partner/v1/webhook). The secret is kept encrypted (PII_KEY):
    -- it is needed in clear to sign, so it cannot be hashed.
    CREATE TABLE webhook_endpoints (
      partner_code text PRIMARY KEY REFERENCES partners(code),
      url text NOT NULL,
      secret_enc text NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','disabled')),
      disabled_reason text,
      disabled_at timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );

    -- The durable delivery queue: one row per (outbox message, endpoint). id = the outbox
    -- message_id = the webhook-id header (the same across retries and replays). body = the exact
    -- bytes signed and sent. Per parcel, a row is sent only when no earlier row is still pending.
    CREATE TABLE webhook_deliveries (
      id text PRIMARY KEY,
      outbox_id bigint NOT NULL UNIQUE,
      partner_code text NOT NULL REFERENCES partners(code),
      parcel_id text,
      waybill_no text,
      event_type text NOT NULL,
      body text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending','delivered','failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      locked_until timestamptz,
      last_status_code integer,
      last_error text,
      delivered_at timestamptz,
      replays integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
    CREATE INDEX webhook_deliveries_parcel_idx ON webhook_deliveries (parcel_id, outbox_id) WHERE status = 'pending';
    CREATE INDEX webhook_deliveries_partner_idx ON webhook_deliveries (partner_code, outbox_id);

    CREATE TABLE webhook_attempts (
      id bigserial PRIMARY KEY,
      delivery_id text NOT NULL REFERENCES webhook_deliveries(id),
      attempt integer NOT NULL,
      started_at timestamptz NOT NULL,
      duration_ms integer NOT NULL,
      status_code integer,
      error text,
      url text NOT NULL
    );
    CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);

    -- A partner's own status codes, overriding the defaults (packages/domain webhooks/vocabulary).
    CREATE TABLE partner_status_codes (
      partner_code text NOT NULL REFERENCES partners(code),
      status text NOT NULL,
      code text NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (partner_code, status)
    );
  `);
}
