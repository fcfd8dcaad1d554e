import type { Kysely } from 'kysely';
import { runScript } from '../script.ts';

// The network registry: villages (operational view of village-level divisions), outlets, partners
// and agreements, delivery routes, bus lines, carriers and vehicles.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE TABLE villages (
      code text PRIMARY KEY REFERENCES divisions(code),
      town_code text NOT NULL,
      county_code text NOT NULL,
      lon double precision,
      lat double precision,
      coordinates_approximate boolean NOT NULL DEFAULT true,
      min_visits_per_week smallint NOT NULL DEFAULT 3 CHECK (min_visits_per_week BETWEEN 0 AND 7),
      allowed_days smallint[] NOT NULL DEFAULT '{1,2,3,4,5,6,7}',
      service_s integer NOT NULL DEFAULT 300 CHECK (service_s >= 0),
      remote boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX villages_county_idx ON villages (county_code);
    CREATE INDEX villages_town_idx ON villages (town_code);

    CREATE TABLE outlets (
      id text PRIMARY KEY,
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('postal_office','agency_office','franchise_point','express_station','village_station')),
      division_code text NOT NULL REFERENCES divisions(code),
      county_code text NOT NULL,
      town_code text,
      village_code text,
      lon double precision NOT NULL,
      lat double precision NOT NULL,
      coordinates_approximate boolean NOT NULL DEFAULT false,
      opening_hours text NOT NULL DEFAULT '',
      capacity_slots integer NOT NULL DEFAULT 0 CHECK (capacity_slots >= 0),
      contact_name text,
      contact_phone text,
      services text[] NOT NULL DEFAULT '{}',
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX outlets_county_idx ON outlets (county_code);
    CREATE INDEX outlets_kind_idx ON outlets (kind);

    CREATE TABLE partners (
      code text PRIMARY KEY,
      name text NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE agreements (
      id text PRIMARY KEY,
      partner_code text NOT NULL REFERENCES partners(code),
      county_code text NOT NULL,
      door_rate_fen integer NOT NULL CHECK (door_rate_fen >= 0),
      station_rate_fen integer NOT NULL CHECK (station_rate_fen >= 0),
      remote_surcharge_fen integer NOT NULL DEFAULT 0 CHECK (remote_surcharge_fen >= 0),
      valid_from date NOT NULL,
      valid_to date,
      promise_hours integer NOT NULL DEFAULT 72,
      active boolean NOT NULL DEFAULT true,
      CHECK (valid_to IS NULL OR valid_to >= valid_from)
    );
    CREATE INDEX agreements_partner_county_idx ON agreements (partner_code, county_code);

    CREATE TABLE vehicles (
      id text PRIMARY KEY,
      code text NOT NULL UNIQUE,
      vehicle_type text NOT NULL CHECK (vehicle_type IN ('e_bike','motorcycle','van')),
      capacity_kg integer NOT NULL CHECK (capacity_kg > 0),
      speed_kmh double precision NOT NULL CHECK (speed_kmh > 0),
      outlet_id text NOT NULL REFERENCES outlets(id),
      county_code text NOT NULL,
      active boolean NOT NULL DEFAULT true
    );

    CREATE TABLE carriers (
      id text PRIMARY KEY,
      name text NOT NULL,
      phone text,
      outlet_id text NOT NULL REFERENCES outlets(id),
      county_code text NOT NULL,
      vehicle_id text REFERENCES vehicles(id),
      active boolean NOT NULL DEFAULT true
    );
    CREATE INDEX carriers_county_idx ON carriers (county_code);

    CREATE TABLE delivery_routes (
      id text PRIMARY KEY,
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      outlet_id text NOT NULL REFERENCES outlets(id),
      county_code text NOT NULL,
      vehicle_type text NOT NULL CHECK (vehicle_type IN ('e_bike','motorcycle','van')),
      capacity_kg integer NOT NULL CHECK (capacity_kg > 0),
      working_days smallint[] NOT NULL DEFAULT '{1,2,3,4,5,6}',
      max_duration_s integer NOT NULL DEFAULT 28800,
      length_m integer NOT NULL DEFAULT 0,
      duration_s integer NOT NULL DEFAULT 0,
      carrier_ids text[] NOT NULL DEFAULT '{}',
      active boolean NOT NULL DEFAULT true,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX delivery_routes_county_idx ON delivery_routes (county_code);

    CREATE TABLE route_stops (
      route_id text NOT NULL REFERENCES delivery_routes(id) ON DELETE CASCADE,
      seq integer NOT NULL,
      village_code text NOT NULL REFERENCES villages(code),
      days smallint[] NOT NULL,
      PRIMARY KEY (route_id, seq)
    );
    CREATE INDEX route_stops_village_idx ON route_stops (village_code);

    CREATE TABLE bus_lines (
      id text PRIMARY KEY,
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      operator text NOT NULL,
      county_code text NOT NULL,
      active boolean NOT NULL DEFAULT true
    );
    CREATE TABLE bus_stops (
      line_id text NOT NULL REFERENCES bus_lines(id) ON DELETE CASCADE,
      seq integer NOT NULL,
      name text NOT NULL,
      village_code text REFERENCES villages(code),
      outlet_id text REFERENCES outlets(id),
      lon double precision NOT NULL,
      lat double precision NOT NULL,
      PRIMARY KEY (line_id, seq)
    );
    CREATE TABLE bus_trips (
      id text PRIMARY KEY,
      line_id text NOT NULL REFERENCES bus_lines(id) ON DELETE CASCADE,
      departure text NOT NULL,
      days smallint[] NOT NULL,
      capacity_parcels integer NOT NULL CHECK (capacity_parcels >= 0),
      fee_per_parcel_fen integer NOT NULL CHECK (fee_per_parcel_fen >= 0)
    );
  `);
}
