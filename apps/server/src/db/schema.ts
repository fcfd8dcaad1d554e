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
  // 0032_settlement
  return_rate_fen: Generated<number>; loss_deduction_fen: Generated<number>; damage_deduction_fen: Generated<number>; late_deduction_fen: Generated<number>;
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

// ---------- parcels (issue 4; migration 0003) ----------
type Json<T = unknown> = ColumnType<T, string, string>;
export interface ManifestsTable {
  id: string; partner_code: string; outlet_id: string; county_code: string; source: string; file_hash: string | null;
  parcel_count: number; accepted: number; duplicates: number; created_by: string | null; created_at: Timestamp;
}
export interface ParcelsTable {
  id: string; partner_code: string; waybill_no: string; manifest_id: string; outlet_id: string; county_code: string;
  recipient_name_enc: string | null; recipient_name_masked: string | null;
  phone_enc: string | null; phone_hmac: string | null; phone_masked: string | null;
  address_enc: string | null; address_masked: string | null;
  village_code: string | null; address_status: string; address_confidence: number | null; address_candidates: Json;
  weight_g: number; pieces: number; service: string; cod_fen: number;
  status: string; status_at: Timestamp; exception_kind: string | null; closed_at: Date | null; purged_at: Date | null; created_at: Timestamp;
}
export interface ParcelEventsTable {
  event_id: string; parcel_id: string; seq: Generated<number>; type: string; event_time: Timestamp; recorded_at: Timestamp;
  actor_id: string | null; body_hash: string; payload: Json;
}
export interface OutboxTable {
  id: Generated<number>; message_id: string; topic: string; partner_code: string | null; parcel_id: string | null;
  dedupe_key: string; payload: Json; created_at: Timestamp; published_at: Date | null;
  // 0033_outbox_feed: the partner feed's commit-order number, given by the webhook relay
  feed_seq: number | null;
}
export interface AddressAliasesTable { text: string; village_code: string; created_by: string | null; created_at: Timestamp }
export interface DeliveryConsentsTable {
  id: string; parcel_id: string | null; phone_hmac: string | null; kind: string; channel: string; proxy_name_enc: string | null;
  given_at: Timestamp; recorded_at: Timestamp; recorded_by: string | null; revoked_at: Date | null;
}
export interface HandoversTable {
  id: string; partner_code: string; outlet_id: string; county_code: string; received: number; damaged: number; missing: number; unexpected: number;
  post_signer: string; partner_signer: string; signature_ref: string | null; signed_at: Timestamp; created_by: string | null;
}
export interface HandoverItemsTable { handover_id: string; waybill_no: string; parcel_id: string | null; result: string; note: string | null }

export interface PlansTable {
  id: string; scope: string; county_code: string | null; status: Generated<string>; params: ColumnType<unknown, string, string>; distance_model: string;
  totals: ColumnType<unknown, string, string>; baseline: ColumnType<unknown, string, string>; villages: number; villages_met: number; bus_villages: number; elapsed_ms: number;
  created_by: string | null; created_at: Timestamp; accepted_by: string | null; accepted_at: Date | null;
}
export interface PlanContentsTable {
  plan_id: string; routes: ColumnType<unknown, string, string>; bus: ColumnType<unknown, string, string>; bus_loads: ColumnType<unknown, string, string>;
  frequency: ColumnType<unknown, string, string>; suggestions: ColumnType<unknown, string, string>; warnings: ColumnType<unknown, string, string>;
  places: ColumnType<unknown, string, string>; vehicles: ColumnType<unknown, string, string>;
}

// ---------- daily dispatch and planning jobs (issue 6; migration 0050) ----------
type JsonCol = ColumnType<unknown, string, string>;
export interface DispatchesTable {
  id: string; outlet_id: string; county_code: string; dispatch_date: string; day: number; plan_id: string; commits: Generated<number>;
  deferred: ColumnType<unknown, string | undefined, string>; notes: ColumnType<unknown, string | undefined, string>;
  created_by: string | null; created_at: Timestamp; updated_at: Timestamp;
}
export interface DispatchRunsTable {
  id: string; dispatch_id: string; vehicle_id: string; vehicle_code: string; trip: number; departure_s: number; capacity_kg: number; stops: JsonCol;
  departed_at: Date | null; departed_by: string | null;
}
export interface DispatchBagsTable {
  id: string; dispatch_id: string; trip_id: string; line_code: string; departure: string; village_code: string; arrival: string; status: Generated<string>;
  seal_no: string | null; sealed_at: Date | null; sealed_by: string | null; departed_at: Date | null; departed_by: string | null; crew: string | null;
  received_at: Date | null; received_by: string | null; missed_reason: string | null; reconciliation: ColumnType<unknown, string | null | undefined, string | null>;
}
export interface DispatchItemsTable {
  dispatch_id: string; parcel_id: string; run_id: string | null; bag_id: string | null; village_code: string; weight_g: number; commit_no: number;
  moves: Generated<number>; note: string | null; scan: string | null;
}
export interface PlanJobsTable {
  id: string; status: Generated<string>; scope: string; county_code: string | null; params: JsonCol; principal: JsonCol; progress: Generated<number>; stage: string | null;
  plan_id: string | null; error: string | null; created_by: string | null; created_at: Timestamp; started_at: Date | null; finished_at: Date | null;
}

// ---------- outbound 黔货出山 (issue 7; migration 0020) ----------
type Big = ColumnType<string | number, string | number, string | number>;
export interface ShippersTable {
  id: string; code: string; name: string; kind: string; county_code: string; pickup_division_code: string; pickup_region_text: string;
  pickup_address: string; contacts: Json; products: string[]; pricing: string; contract: ColumnType<unknown, string | null, string | null>;
  active: Generated<boolean>; created_at: Timestamp; updated_at: Timestamp;
}
export interface TariffVersionsTable {
  version: string; origin_code: string; body: Json; valid_from: Timestamp; superseded_at: Date | null; superseded_by: string | null;
  created_by: string | null; created_at: Timestamp;
}
export interface WaybillRangesTable {
  id: string; scheme: Json; from_serial: Big; to_serial: Big; next_serial: Big; priority: Generated<number>; active: Generated<boolean>;
  created_by: string | null; created_at: Timestamp;
}
export interface WaybillIssuedTable { waybill_no: string; range_id: string; serial: Big; issued_at: Timestamp }
export interface OrderImportsTable {
  id: string; shipper_id: string; county_code: string; filename: string; file_hash: string; mode: string; rows_total: number;
  imported: number; rejected: number; elapsed_ms: number; created_by: string | null; created_at: Timestamp;
}
export interface PickupTasksTable {
  id: string; shipper_id: string; county_code: string; planned_date: DateCol; expected_parcels: number; route_id: string | null; vehicle_id: string | null;
  status: Generated<string>; collected: Generated<number>; note: string | null; created_by: string | null; created_at: Timestamp;
}
export interface BagsTable {
  id: string; bag_no: string; county_code: string; destination: string; status: Generated<string>; items: Generated<number>; weight_g: Generated<number>;
  created_by: string | null; created_at: Timestamp; sealed_at: Date | null; seal_no: string | null; handover_id: string | null;
}
export interface TrunkHandoversTable {
  id: string; manifest_no: string; county_code: string; destination: string; vehicle: string | null; driver: string | null;
  bags: number; parcels: number; weight_g: number; handed_at: Timestamp; created_by: string | null;
}
export interface OutboundOrdersTable {
  id: string; shipper_id: string; county_code: string; import_id: string | null; external_no: string | null; waybill_no: string;
  recipient_name_enc: string | null; recipient_name_masked: string; phone_enc: string | null; phone_hmac: string | null; phone_masked: string;
  address_enc: string | null; address_masked: string; dest_province_code: string; dest_county_code: string; dest_region_text: string; destination: string;
  weight_g: number; dimensions: ColumnType<unknown, string | null, string | null>; product: string | null; category: string; quantity: number;
  price_fen: number; tariff_version: string; contract_id: string | null; quote: Json; status: Generated<string>; status_at: Timestamp;
  collected_at: Date | null; pickup_task_id: string | null; bag_id: string | null; labels_printed: Generated<number>; created_by: string | null; created_at: Timestamp;
}
export interface LabelJobsTable { id: string; county_code: string | null; format: string; labels: number; reprints: number; order_ids: Json; created_by: string | null; created_at: Timestamp }
export interface OutboundEventsTable {
  event_id: string; order_id: string; seq: Generated<number>; type: string; event_time: Timestamp; recorded_at: Timestamp;
  actor_id: string | null; body_hash: string; payload: Json;
}

// ---------- partners kept informed (issue 5; migration 0030) ----------
export interface WebhookEndpointsTable {
  partner_code: string; url: string; secret_enc: string; status: string; disabled_reason: string | null; disabled_at: Timestamp | null;
  created_at: Timestamp; updated_at: Timestamp;
}
export interface WebhookDeliveriesTable {
  id: string; outbox_id: number; partner_code: string; parcel_id: string | null; waybill_no: string | null; event_type: string; body: string;
  status: string; attempts: Generated<number>; next_attempt_at: Timestamp; locked_until: Timestamp | null; last_status_code: number | null;
  last_error: string | null; delivered_at: Timestamp | null; replays: Generated<number>; created_at: Timestamp;
}
export interface WebhookAttemptsTable {
  id: Generated<number>; delivery_id: string; attempt: number; started_at: Timestamp; duration_ms: number; status_code: number | null; error: string | null; url: string;
}
export interface PartnerStatusCodesTable { partner_code: string; status: string; code: string; updated_at: Timestamp }
export interface StationParcelsTable {
  parcel_id: string; station_id: string; county_code: string; partner_code: string; shelf_slot: string; code_hash: string; basis: string; consent_id: string | null;
  arrived_at: Timestamp; reminders: Generated<number>; last_reminder_at: Timestamp | null; status: string; closed_at: Timestamp | null; closed_by: string | null;
  pickup_proof: string | null; received_by: string | null;
}
export interface StationPickupAttemptsTable { id: Generated<number>; station_id: string; parcel_id: string | null; at: Timestamp; method: string; result: string; actor_id: string | null }
export interface NotificationsTable {
  id: string; dedupe_key: string; channel: Generated<string>; kind: string; parcel_id: string | null; station_id: string | null; phone_enc: string | null; phone_masked: string | null;
  body_enc: string; body_masked: string; status: string; attempts: Generated<number>; provider: string | null; provider_ref: string | null; last_error: string | null;
  created_at: Timestamp; sent_at: Timestamp | null;
}
export interface SettlementStatementsTable {
  id: string; partner_code: string; county_code: string; month: string; content_hash: string; total_fen: number; body: Json; issued_at: Timestamp; issued_by: string | null;
}
export interface SettlementDisputesTable {
  id: string; statement_id: string; line_id: string; partner_code: string; waybill_nos: string[]; reason: string; status: string; resolution: string | null;
  adjustment_fen: number | null; opened_by: string | null; opened_at: Timestamp; resolved_by: string | null; resolved_at: Timestamp | null;
}
export interface SmsMessagesTable { id: string; notification_id: string; to_enc: string; to_masked: string; body_enc: string; body_masked: string; created_at: Timestamp }

export interface VillageBusServicesTable { village_code: string; trip_id: string; line_id: string; days: number[]; plan_id: string | null }

export interface DB {
  village_bus_services: VillageBusServicesTable;
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
  manifests: ManifestsTable;
  parcels: ParcelsTable;
  parcel_events: ParcelEventsTable;
  outbox: OutboxTable;
  address_aliases: AddressAliasesTable;
  delivery_consents: DeliveryConsentsTable;
  handovers: HandoversTable;
  handover_items: HandoverItemsTable;
  plans: PlansTable;
  plan_contents: PlanContentsTable;
  shippers: ShippersTable;
  tariff_versions: TariffVersionsTable;
  waybill_ranges: WaybillRangesTable;
  waybill_issued: WaybillIssuedTable;
  order_imports: OrderImportsTable;
  pickup_tasks: PickupTasksTable;
  bags: BagsTable;
  trunk_handovers: TrunkHandoversTable;
  outbound_orders: OutboundOrdersTable;
  label_jobs: LabelJobsTable;
  outbound_events: OutboundEventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  partner_status_codes: PartnerStatusCodesTable;
  station_parcels: StationParcelsTable;
  station_pickup_attempts: StationPickupAttemptsTable;
  notifications: NotificationsTable;
  sms_messages: SmsMessagesTable;
  settlement_statements: SettlementStatementsTable;
  settlement_disputes: SettlementDisputesTable;
  dispatches: DispatchesTable;
  dispatch_runs: DispatchRunsTable;
  dispatch_bags: DispatchBagsTable;
  dispatch_items: DispatchItemsTable;
  plan_jobs: PlanJobsTable;
}
