import { type Kysely, sql } from 'kysely';
import { DEFAULT_TARIFF } from '@cuntong/domain/tariff/tariff.ts';
import { DEFAULT_RANGE } from '@cuntong/domain/waybill/allocator.ts';
import { runScript } from '../script.ts';

// Outbound 黔货出山 (issue 7): shippers, tariff versions, waybill ranges and the ledger of issued
// numbers, orders (priced and numbered at creation), order imports, label print jobs, pickup tasks,
// bags (总包) and trunk handovers, and the outbound tracking event log.
//
// The inbound event log (parcel_events, 0003) references the inbound parcels table (partner,
// manifest and delivery service are NOT NULL there), so outbound orders keep their own append-only
// log with the same shape (order_id in place of parcel_id).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE TABLE shippers (
      id text PRIMARY KEY,
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('company','coop','individual')),
      county_code text NOT NULL,
      pickup_division_code text NOT NULL REFERENCES divisions(code),
      pickup_region_text text NOT NULL,
      pickup_address text NOT NULL,
      contacts jsonb NOT NULL DEFAULT '[]'::jsonb,
      products text[] NOT NULL DEFAULT '{}',
      pricing text NOT NULL DEFAULT 'public' CHECK (pricing IN ('public','contract')),
      contract jsonb,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (pricing = 'public' OR contract IS NOT NULL)
    );
    CREATE INDEX shippers_county_idx ON shippers (county_code);

    -- Tariff versions are immutable: a new version supersedes the current one (superseded_at set once).
    CREATE TABLE tariff_versions (
      version text PRIMARY KEY,
      origin_code text NOT NULL,
      body jsonb NOT NULL,
      valid_from timestamptz NOT NULL,
      superseded_at timestamptz,
      superseded_by text,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX tariff_versions_current_idx ON tariff_versions ((true)) WHERE superseded_at IS NULL;
    CREATE FUNCTION tariff_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'tariff versions are kept forever'; END IF;
      IF NEW.body IS DISTINCT FROM OLD.body OR NEW.version IS DISTINCT FROM OLD.version OR NEW.valid_from IS DISTINCT FROM OLD.valid_from
         OR OLD.superseded_at IS NOT NULL THEN
        RAISE EXCEPTION 'a tariff version is never edited: create a new version';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER tariff_versions_no_edit BEFORE UPDATE OR DELETE ON tariff_versions
      FOR EACH ROW EXECUTE FUNCTION tariff_versions_immutable();

    -- Configured blocks of serials; next_serial only grows (allocation locks the row FOR UPDATE).
    CREATE TABLE waybill_ranges (
      id text PRIMARY KEY,
      scheme jsonb NOT NULL,
      from_serial bigint NOT NULL CHECK (from_serial >= 0),
      to_serial bigint NOT NULL,
      next_serial bigint NOT NULL,
      priority integer NOT NULL DEFAULT 100,
      active boolean NOT NULL DEFAULT true,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (from_serial <= to_serial),
      CHECK (next_serial BETWEEN from_serial AND to_serial + 1)
    );
    CREATE FUNCTION waybill_ranges_forward() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'waybill ranges stay in the ledger'; END IF;
      IF NEW.next_serial < OLD.next_serial OR NEW.from_serial <> OLD.from_serial OR NEW.to_serial <> OLD.to_serial OR NEW.scheme IS DISTINCT FROM OLD.scheme THEN
        RAISE EXCEPTION 'a waybill range is never rewound or reshaped';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER waybill_ranges_no_rewind BEFORE UPDATE OR DELETE ON waybill_ranges
      FOR EACH ROW EXECUTE FUNCTION waybill_ranges_forward();

    -- Every number ever issued: the backstop for uniqueness forever.
    CREATE TABLE waybill_issued (
      waybill_no text PRIMARY KEY,
      range_id text NOT NULL REFERENCES waybill_ranges(id),
      serial bigint NOT NULL,
      issued_at timestamptz NOT NULL,
      UNIQUE (range_id, serial)
    );

    CREATE TABLE order_imports (
      id text PRIMARY KEY,
      shipper_id text NOT NULL REFERENCES shippers(id),
      county_code text NOT NULL,
      filename text NOT NULL,
      file_hash text NOT NULL,
      mode text NOT NULL CHECK (mode IN ('all','valid')),
      rows_total integer NOT NULL,
      imported integer NOT NULL,
      rejected integer NOT NULL,
      elapsed_ms integer NOT NULL,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX order_imports_shipper_idx ON order_imports (shipper_id, created_at);

    CREATE TABLE pickup_tasks (
      id text PRIMARY KEY,
      shipper_id text NOT NULL REFERENCES shippers(id),
      county_code text NOT NULL,
      planned_date date NOT NULL,
      expected_parcels integer NOT NULL CHECK (expected_parcels > 0),
      route_id text REFERENCES delivery_routes(id),
      vehicle_id text REFERENCES vehicles(id),
      status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','collecting','done','cancelled')),
      collected integer NOT NULL DEFAULT 0,
      note text,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((route_id IS NULL) <> (vehicle_id IS NULL))
    );
    CREATE INDEX pickup_tasks_county_idx ON pickup_tasks (county_code, planned_date);

    CREATE SEQUENCE bag_serial;
    CREATE TABLE bags (
      id text PRIMARY KEY,
      bag_no text NOT NULL UNIQUE,
      county_code text NOT NULL,
      destination text NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','sealed','handed_over')),
      items integer NOT NULL DEFAULT 0,
      weight_g integer NOT NULL DEFAULT 0,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sealed_at timestamptz,
      seal_no text,
      handover_id text
    );
    CREATE INDEX bags_county_idx ON bags (county_code, status);

    CREATE TABLE trunk_handovers (
      id text PRIMARY KEY,
      manifest_no text NOT NULL UNIQUE,
      county_code text NOT NULL,
      destination text NOT NULL,
      vehicle text,
      driver text,
      bags integer NOT NULL,
      parcels integer NOT NULL,
      weight_g integer NOT NULL,
      handed_at timestamptz NOT NULL,
      created_by text
    );

    -- Personal fields as in parcels (0003): *_enc AES-256-GCM, *_masked for display, phone_hmac for lookup.
    CREATE TABLE outbound_orders (
      id text PRIMARY KEY,
      shipper_id text NOT NULL REFERENCES shippers(id),
      county_code text NOT NULL,
      import_id text REFERENCES order_imports(id),
      external_no text,
      waybill_no text NOT NULL UNIQUE REFERENCES waybill_issued(waybill_no),
      recipient_name_enc text,
      recipient_name_masked text NOT NULL,
      phone_enc text,
      phone_hmac text,
      phone_masked text NOT NULL,
      address_enc text,
      address_masked text NOT NULL,
      dest_province_code text NOT NULL,
      dest_county_code text NOT NULL,
      dest_region_text text NOT NULL,
      destination text NOT NULL,
      weight_g integer NOT NULL CHECK (weight_g > 0),
      dimensions jsonb,
      product text,
      category text NOT NULL,
      quantity integer NOT NULL DEFAULT 1 CHECK (quantity > 0),
      price_fen integer NOT NULL CHECK (price_fen >= 0),
      tariff_version text NOT NULL REFERENCES tariff_versions(version),
      contract_id text,
      quote jsonb NOT NULL,
      status text NOT NULL DEFAULT 'created' CHECK (status IN ('created','collected','bagged','handed_over','cancelled')),
      status_at timestamptz NOT NULL,
      collected_at timestamptz,
      pickup_task_id text REFERENCES pickup_tasks(id),
      bag_id text REFERENCES bags(id),
      labels_printed integer NOT NULL DEFAULT 0,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (shipper_id, external_no)
    );
    CREATE INDEX outbound_orders_shipper_idx ON outbound_orders (shipper_id, created_at);
    CREATE INDEX outbound_orders_import_idx ON outbound_orders (import_id);
    CREATE INDEX outbound_orders_bag_idx ON outbound_orders (bag_id);
    CREATE INDEX outbound_orders_out_idx ON outbound_orders (county_code, collected_at) WHERE collected_at IS NOT NULL;

    CREATE TABLE label_jobs (
      id text PRIMARY KEY,
      county_code text,
      format text NOT NULL,
      labels integer NOT NULL,
      reprints integer NOT NULL,
      order_ids jsonb NOT NULL,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    -- Outbound tracking events: append-only, the same shape as parcel_events (0003).
    CREATE TABLE outbound_events (
      event_id text PRIMARY KEY,
      order_id text NOT NULL REFERENCES outbound_orders(id),
      seq bigserial NOT NULL,
      type text NOT NULL CHECK (type IN ('collected','bagged','bag_sealed','handed_to_trunk','cancelled')),
      event_time timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL,
      actor_id text,
      body_hash text NOT NULL,
      payload jsonb NOT NULL DEFAULT '{}'::jsonb
    );
    CREATE INDEX outbound_events_order_idx ON outbound_events (order_id, event_time);
    CREATE FUNCTION outbound_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'outbound_events is append-only';
    END $$;
    CREATE TRIGGER outbound_events_no_update BEFORE UPDATE OR DELETE ON outbound_events
      FOR EACH ROW EXECUTE FUNCTION outbound_events_immutable();
  `);
  // The default public tariff and the default waybill range, on first start.
  await sql`INSERT INTO tariff_versions (version, origin_code, body, valid_from, created_by)
    VALUES (${DEFAULT_TARIFF.version}, ${DEFAULT_TARIFF.originCode}, ${JSON.stringify(DEFAULT_TARIFF)}::jsonb, now(), 'system')`.execute(db);
  await sql`INSERT INTO waybill_ranges (id, scheme, from_serial, to_serial, next_serial, priority, created_by)
    VALUES (${DEFAULT_RANGE.id}, ${JSON.stringify(DEFAULT_RANGE.scheme)}::jsonb, ${DEFAULT_RANGE.from}, ${DEFAULT_RANGE.to}, ${DEFAULT_RANGE.next}, 100, 'system')`.execute(db);
}
