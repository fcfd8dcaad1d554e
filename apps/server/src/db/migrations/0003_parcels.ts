import type { Kysely } from 'kysely';
import { runScript } from '../script.ts';

// Inbound parcels (邮快合作): manifests, parcels with encrypted personal data, the append-only event
// log, the transactional outbox, learned address aliases, delivery consents and handovers (交接).
// Every per-parcel table carries parcel_id (a later move to Citus distributes by it).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE TABLE manifests (
      id text PRIMARY KEY,
      partner_code text NOT NULL REFERENCES partners(code),
      outlet_id text NOT NULL REFERENCES outlets(id),
      county_code text NOT NULL,
      source text NOT NULL CHECK (source IN ('api','upload')),
      file_hash text,
      parcel_count integer NOT NULL,
      accepted integer NOT NULL,
      duplicates integer NOT NULL,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX manifests_partner_idx ON manifests (partner_code, created_at);

    -- Personal fields: *_enc = AES-256-GCM ciphertext, *_masked = the GB/T 41833 masked form shown
    -- outside the office, phone_hmac = keyed hash for lookup. All null after the retention purge.
    CREATE TABLE parcels (
      id text PRIMARY KEY,
      partner_code text NOT NULL REFERENCES partners(code),
      waybill_no text NOT NULL,
      manifest_id text NOT NULL REFERENCES manifests(id),
      outlet_id text NOT NULL REFERENCES outlets(id),
      county_code text NOT NULL,
      recipient_name_enc text,
      recipient_name_masked text,
      phone_enc text,
      phone_hmac text,
      phone_masked text,
      address_enc text,
      address_masked text,
      village_code text REFERENCES divisions(code),
      address_status text NOT NULL CHECK (address_status IN ('resolved','assigned','low_confidence','ambiguous','unresolved','outside')),
      address_confidence double precision,
      address_candidates jsonb NOT NULL DEFAULT '[]'::jsonb,
      weight_g integer NOT NULL CHECK (weight_g > 0),
      pieces integer NOT NULL DEFAULT 1 CHECK (pieces > 0),
      service text NOT NULL CHECK (service IN ('door','station')),
      cod_fen integer NOT NULL DEFAULT 0 CHECK (cod_fen >= 0),
      status text NOT NULL,
      status_at timestamptz NOT NULL,
      exception_kind text,
      closed_at timestamptz,
      purged_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (partner_code, waybill_no)
    );
    CREATE INDEX parcels_waybill_idx ON parcels (waybill_no);
    CREATE INDEX parcels_phone_idx ON parcels (phone_hmac) WHERE phone_hmac IS NOT NULL;
    CREATE INDEX parcels_county_status_idx ON parcels (county_code, status);
    CREATE INDEX parcels_outlet_partner_status_idx ON parcels (outlet_id, partner_code, status);
    CREATE INDEX parcels_address_queue_idx ON parcels (county_code, created_at) WHERE address_status IN ('low_confidence','ambiguous','unresolved','outside');
    CREATE INDEX parcels_closed_idx ON parcels (closed_at) WHERE purged_at IS NULL AND closed_at IS NOT NULL;

    -- Append-only facts; event_id is the client's id (a repeat is ignored, a repeat with another
    -- body is a conflict). event_time = when it happened (device), recorded_at = when we got it.
    CREATE TABLE parcel_events (
      event_id text PRIMARY KEY,
      parcel_id text NOT NULL REFERENCES parcels(id),
      seq bigserial NOT NULL,
      type text NOT NULL,
      event_time timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL,
      actor_id text,
      body_hash text NOT NULL,
      payload jsonb NOT NULL DEFAULT '{}'::jsonb
    );
    CREATE INDEX parcel_events_parcel_idx ON parcel_events (parcel_id, event_time);

    CREATE FUNCTION parcel_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'parcel_events is append-only (void an event with a new one)';
    END $$;
    CREATE TRIGGER parcel_events_no_update BEFORE UPDATE OR DELETE ON parcel_events
      FOR EACH ROW EXECUTE FUNCTION parcel_events_immutable();

    -- Transactional outbox: one row per status change, written in the transaction of the change.
    -- Relays (webhooks, issue 5) read it by id order; dedupe_key makes a transition appear once.
    CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      message_id text NOT NULL UNIQUE,
      topic text NOT NULL,
      partner_code text,
      parcel_id text,
      dedupe_key text NOT NULL UNIQUE,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz
    );
    CREATE INDEX outbox_pending_idx ON outbox (id) WHERE published_at IS NULL;
    CREATE INDEX outbox_partner_idx ON outbox (partner_code, id);

    -- Address corrections learned from clerks (fed to the address index).
    CREATE TABLE address_aliases (
      text text PRIMARY KEY,
      village_code text NOT NULL REFERENCES divisions(code),
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    -- Delivery consents (快递市场管理办法 Art. 28): per parcel, or per recipient phone (standing).
    CREATE TABLE delivery_consents (
      id text PRIMARY KEY,
      parcel_id text REFERENCES parcels(id),
      phone_hmac text,
      kind text NOT NULL CHECK (kind IN ('door','station','proxy','locker')),
      channel text NOT NULL CHECK (channel IN ('sms','app','phone_call','in_person','agreement')),
      proxy_name_enc text,
      given_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL,
      recorded_by text,
      revoked_at timestamptz,
      CHECK (parcel_id IS NOT NULL OR phone_hmac IS NOT NULL)
    );
    CREATE INDEX delivery_consents_parcel_idx ON delivery_consents (parcel_id);
    CREATE INDEX delivery_consents_phone_idx ON delivery_consents (phone_hmac);

    -- Handover (交接) reconciliation, signed by both sides.
    CREATE TABLE handovers (
      id text PRIMARY KEY,
      partner_code text NOT NULL REFERENCES partners(code),
      outlet_id text NOT NULL REFERENCES outlets(id),
      county_code text NOT NULL,
      received integer NOT NULL,
      damaged integer NOT NULL,
      missing integer NOT NULL,
      unexpected integer NOT NULL,
      post_signer text NOT NULL,
      partner_signer text NOT NULL,
      signature_ref text,
      signed_at timestamptz NOT NULL,
      created_by text
    );
    CREATE INDEX handovers_partner_idx ON handovers (partner_code, signed_at);
    CREATE TABLE handover_items (
      handover_id text NOT NULL REFERENCES handovers(id),
      waybill_no text NOT NULL,
      parcel_id text REFERENCES parcels(id),
      result text NOT NULL CHECK (result IN ('received','damaged','missing','unexpected')),
      note text,
      PRIMARY KEY (handover_id, waybill_no)
    );
  `);
}
