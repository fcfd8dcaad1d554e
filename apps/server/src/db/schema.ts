import type { ColumnType, Generated } from 'kysely';

// Row types of the tables, as Kysely sees them. Keep in step with db/migrations.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = ColumnType<Date | string, Date | string, Date | string>;

export interface DivisionsTable {
  code: string;
  name: string;
  short_name: string;
  level: string;
  parent: string | null;
  kind: string | null;
  pinyin: string;
  initials: string;
}
export interface DivisionAliasesTable { alias: string; code: string; level: string; note: string | null }

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  county_code: string | null;
  outlet_id: string | null;
  partner_code: string | null;
  active: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface SessionsTable { token_hash: string; user_id: string; created_at: Timestamp; expires_at: Date; revoked_at: Date | null }
export interface ApiKeysTable {
  id: string; key_hash: string; prefix: string; user_id: string; name: string;
  created_at: Timestamp; last_used_at: Date | null; revoked_at: Date | null;
}
export interface AuditLogTable {
  seq: Generated<number>;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  result: Generated<string>;
  detail: ColumnType<unknown, string, string>;
  prev_hash: string;
  hash: string;
}
export interface IdempotencyKeysTable {
  owner: string; key: string; request_hash: string; status_code: number | null;
  response: ColumnType<unknown, string | null, string | null>; created_at: Timestamp;
}
export interface JobsTable {
  id: Generated<number>; queue: string; payload: ColumnType<unknown, string, string>;
  run_at: Timestamp; attempts: Generated<number>; max_attempts: Generated<number>;
  locked_until: Date | null; last_error: string | null; done_at: Date | null; created_at: Timestamp;
}

export interface VillagesTable {
  code: string; town_code: string; county_code: string;
  lon: number | null; lat: number | null; coordinates_approximate: Generated<boolean>;
  min_visits_per_week: Generated<number>; allowed_days: Generated<number[]>; service_s: Generated<number>;
  remote: Generated<boolean>; updated_at: Timestamp;
}
export interface OutletsTable {
  id: string; code: string; name: string; kind: string; division_code: string; county_code: string;
  town_code: string | null; village_code: string | null; lon: number; lat: number;
  coordinates_approximate: Generated<boolean>; opening_hours: Generated<string>; capacity_slots: Generated<number>;
  contact_name: string | null; contact_phone: string | null; services: Generated<string[]>;
  active: Generated<boolean>; created_at: Timestamp; updated_at: Timestamp;
}
export interface PartnersTable { code: string; name: string; active: Generated<boolean>; created_at: Timestamp }
export interface AgreementsTable {
  id: string; partner_code: string; county_code: string; door_rate_fen: number; station_rate_fen: number;
  remote_surcharge_fen: Generated<number>; valid_from: DateCol; valid_to: DateCol | null;
  promise_hours: Generated<number>; active: Generated<boolean>;
}
export interface CarriersTable { id: string; name: string; phone: string | null; outlet_id: string; county_code: string; vehicle_id: string | null; active: Generated<boolean> }
export interface VehiclesTable { id: string; code: string; vehicle_type: string; capacity_kg: number; speed_kmh: number; outlet_id: string; county_code: string; active: Generated<boolean> }
export interface DeliveryRoutesTable {
  id: string; code: string; name: string; outlet_id: string; county_code: string; vehicle_type: string;
  capacity_kg: number; working_days: Generated<number[]>; max_duration_s: Generated<number>;
  length_m: Generated<number>; duration_s: Generated<number>; carrier_ids: Generated<string[]>;
  active: Generated<boolean>; updated_at: Timestamp;
}
export interface RouteStopsTable { route_id: string; seq: number; village_code: string; days: number[] }
export interface BusLinesTable { id: string; code: string; name: string; operator: string; county_code: string; active: Generated<boolean> }
export interface BusStopsTable { line_id: string; seq: number; name: string; village_code: string | null; outlet_id: string | null; lon: number; lat: number }
export interface BusTripsTable { id: string; line_id: string; departure: string; days: number[]; capacity_parcels: number; fee_per_parcel_fen: number }

export interface DB {
  divisions: DivisionsTable;
  division_aliases: DivisionAliasesTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeysTable;
  jobs: JobsTable;
  villages: VillagesTable;
  outlets: OutletsTable;
  partners: PartnersTable;
  agreements: AgreementsTable;
  carriers: CarriersTable;
  vehicles: VehiclesTable;
  delivery_routes: DeliveryRoutesTable;
  route_stops: RouteStopsTable;
  bus_lines: BusLinesTable;
  bus_stops: BusStopsTable;
  bus_trips: BusTripsTable;
}
