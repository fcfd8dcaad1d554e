import type { Kysely } from 'kysely';
import { runScript } from '../script.ts';

// Stations (村邮站 / 快递驿站): parcels on the shelf with their pickup codes, pickup attempts (rate
// limit and lockout), and the notification outbox with the database SMS provider's sent box.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    -- A parcel waiting at a station. The pickup code is never stored: code_hash is a keyed hash of
    -- (station, code), unique among the station's waiting parcels. basis records what made station
    -- delivery lawful: the recipient's consent (consent_id) or the agreement's station service.
    CREATE TABLE station_parcels (
      parcel_id text PRIMARY KEY REFERENCES parcels(id),
      station_id text NOT NULL REFERENCES outlets(id),
      county_code text NOT NULL,
      partner_code text NOT NULL,
      shelf_slot text NOT NULL,
      code_hash text NOT NULL,
      basis text NOT NULL CHECK (basis IN ('consent','service')),
      consent_id text,
      arrived_at timestamptz NOT NULL,
      reminders integer NOT NULL DEFAULT 0,
      last_reminder_at timestamptz,
      status text NOT NULL CHECK (status IN ('waiting','picked_up','returned')),
      closed_at timestamptz,
      closed_by text,
      pickup_proof text CHECK (pickup_proof IN ('pickup_code','id_check')),
      received_by text
    );
    CREATE UNIQUE INDEX station_parcels_slot_idx ON station_parcels (station_id, shelf_slot) WHERE status = 'waiting';
    CREATE UNIQUE INDEX station_parcels_code_idx ON station_parcels (station_id, code_hash) WHERE status = 'waiting';
    CREATE INDEX station_parcels_waiting_idx ON station_parcels (arrived_at) WHERE status = 'waiting';
    CREATE INDEX station_parcels_station_idx ON station_parcels (station_id, status);

    -- Every pickup attempt at a station, right or wrong (the lockout counts the wrong ones).
    CREATE TABLE station_pickup_attempts (
      id bigserial PRIMARY KEY,
      station_id text NOT NULL REFERENCES outlets(id),
      parcel_id text,
      at timestamptz NOT NULL,
      method text NOT NULL CHECK (method IN ('code','id_check','unlock')),
      result text NOT NULL CHECK (result IN ('ok','wrong_code','wrong_phone','locked','unlock')),
      actor_id text
    );
    CREATE INDEX station_pickup_attempts_idx ON station_pickup_attempts (station_id, at);

    -- Notification outbox (written in the transaction of the change), sent by the notifications job
    -- through an SMS provider. The text is kept encrypted (it carries the pickup code) and masked.
    CREATE TABLE notifications (
      id text PRIMARY KEY,
      dedupe_key text NOT NULL UNIQUE,
      channel text NOT NULL DEFAULT 'sms',
      kind text NOT NULL CHECK (kind IN ('pickup_code','reminder','returned')),
      parcel_id text REFERENCES parcels(id),
      station_id text,
      phone_enc text,
      phone_masked text,
      body_enc text NOT NULL,
      body_masked text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending','sent','failed','skipped')),
      attempts integer NOT NULL DEFAULT 0,
      provider text,
      provider_ref text,
      last_error text,
      created_at timestamptz NOT NULL,
      sent_at timestamptz
    );
    CREATE INDEX notifications_pending_idx ON notifications (created_at) WHERE status = 'pending';
    CREATE INDEX notifications_parcel_idx ON notifications (parcel_id);

    -- The default SMS provider's sent box: what would have gone to the phone network.
    CREATE TABLE sms_messages (
      id text PRIMARY KEY,
      notification_id text NOT NULL REFERENCES notifications(id),
      to_enc text NOT NULL,
      to_masked text NOT NULL,
      body_enc text NOT NULL,
      body_masked text NOT NULL,
      created_at timestamptz NOT NULL
    );
  `);
}
