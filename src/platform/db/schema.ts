import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Kysely types of every table, kept in step with migrations/*.sql. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string, string>;
type Json<T> = ColumnType<T, string, string>;
/** The province a row of a tenant table belongs to (0054, placement.ts); tenant-scope.ts names it in every statement. */
type TenantId = Generated<number>;

export interface AuditEventsTable {
  tenant_id: TenantId;
  /** Global ordering key for browsing (identity; a rolled-back transaction leaves a gap). */
  seq: ColumnType<string, number | string | undefined, never>;
  occurred_at: ColumnType<Date, Date, never>;
  actor_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string;
  org_unit_id: string | null;
  summary: Json<unknown>;
  request_id: string | null;
}

/** An event's place in a chain, written by the sealer once the event has committed (migrations/0050). */
export interface AuditSealsTable {
  tenant_id: TenantId;
  stream: number;
  stream_seq: ColumnType<number, number, never>;
  event_seq: ColumnType<string, number | string, never>;
  prev_hash: string;
  hash: string;
}

export interface AuditSealStateTable {
  tenant_id: TenantId;
  id: ColumnType<boolean, never, never>;
  mark: ColumnType<string, number | string, number | string>;
  candidate_mark: ColumnType<string | null, number | string | null, number | string | null>;
  candidate_xmax: ColumnType<string | null, string | null, string | null>;
  candidate_at: ColumnType<Date | null, Date | null, Date | null>;
}

export interface AuditStreamHeadsTable {
  tenant_id: TenantId;
  stream: number;
  seq: ColumnType<number, never, never>;
  hash: string;
  prev_hash: string;
}

export interface AuditCheckpointsTable {
  tenant_id: TenantId;
  id: ColumnType<number, never, never>;
  created_at: ColumnType<Date, Date, never>;
  heads: Json<unknown>;
  signature: string;
}

export interface OrgUnitsTable {
  tenant_id: TenantId;
  id: Generated<string>;
  parent_id: string | null;
  path: string;
  kind: 'people_committee' | 'department' | 'service_centre' | 'office' | 'division' | 'other';
  name: string;
  short_name: string | null;
  admin_unit_id: string | null;
  agency_code: string | null;
  agency_code_note: string | null;
  /** The governing body printed above the unit's name on official forms; null: the parent unit. */
  governing_body: Generated<string | null>;
  /** The place name (địa danh) of the unit's date line; null: from the administrative unit it sits on. */
  place_name: Generated<string | null>;
  valid_from: DateOnly;
  valid_to: DateOnly | null;
  row_version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UsersTable {
  tenant_id: TenantId;
  id: Generated<string>;
  /** 'service': the account an API client acts as (migrations/0034). */
  kind: 'citizen' | 'official' | 'service';
  username: string;
  full_name: string;
  email: string | null;
  phone: string | null;
  personal_id: string | null;
  password_hash: string;
  status: Generated<'pending' | 'active' | 'disabled'>;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  password_changed_at: Timestamp;
  row_version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** When, how, by whom and where the personal ID was verified (migrations/0033); null: only claimed. */
  identity_verified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  identity_method: ColumnType<'vneid' | 'counter' | null, 'vneid' | 'counter' | null | undefined, 'vneid' | 'counter' | null>;
  identity_verified_by: ColumnType<string | null, string | null | undefined, string | null>;
  identity_org_unit_id: ColumnType<string | null, string | null | undefined, string | null>;
  vneid_subject: ColumnType<string | null, string | null | undefined, string | null>;
}

export type Role =
  | 'one_stop_officer'
  | 'specialist'
  | 'department_leader'
  | 'agency_leader'
  | 'clerk'
  | 'reporting_officer'
  | 'administrator';

export interface RoleAssignmentsTable {
  tenant_id: TenantId;
  id: Generated<string>;
  user_id: string;
  org_unit_id: string;
  role: Role;
  created_at: Timestamp;
}

export interface SessionsTable {
  tenant_id: TenantId;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
  auth_method: Generated<AuthMethod>;
}

/** How a session was opened (migrations/0033). */
export type AuthMethod = 'password' | 'vneid_1' | 'vneid_2';

export interface AccountTokensTable {
  tenant_id: TenantId;
  token_hash: string;
  user_id: string;
  purpose: 'activation' | 'counter_verification';
  expires_at: Timestamp;
  created_at: Timestamp;
}

export interface ApiClientsTable {
  tenant_id: TenantId;
  id: Generated<string>;
  user_id: string;
  name: string;
  org_unit_id: string;
  permissions: string[];
  key_hash: string;
  key_prefix: string;
  created_by: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  row_version: Generated<number>;
}

export interface AdminUnitsTable {
  id: Generated<string>;
  code: string;
  level: 'province' | 'district' | 'commune';
  kind: string;
  name: string;
  full_name: string;
  name_en: string | null;
  parent_id: string | null;
  valid_from: DateOnly;
  valid_to: DateOnly | null;
  created_at: Timestamp;
}

export interface AdminUnitLinksTable {
  predecessor_id: string;
  successor_id: string;
  kind: 'full' | 'partial';
  effective_on: DateOnly;
  legal_basis: string | null;
}

export interface SectorsTable {
  id: Generated<number>;
  name: string;
}

export interface ProceduresTable {
  id: Generated<string>;
  national_code: string;
  created_at: Timestamp;
}

export type OnlineLevel = 'full' | 'partial' | 'none';
export type ProcessingUnit = 'working_day' | 'day' | 'hour' | 'month' | 'year';

/** A version made by a catalogue decision, or by a setup change (papers, steps, form fields; migrations/0017). */
export type VersionOrigin = 'catalogue' | 'setup';

export interface ProcedureVersionsTable {
  id: Generated<string>;
  procedure_id: string;
  version_no: number;
  decision_ref: string | null;
  valid_from: DateOnly;
  valid_to: DateOnly | null;
  name: string;
  sector_id: number | null;
  ministry: string | null;
  procedure_type: string | null;
  levels: string[];
  channels: string[];
  online_level: OnlineLevel;
  processing_time_raw: string;
  processing_value: ColumnType<string | null, number | null, number | null>;
  processing_unit: ProcessingUnit | null;
  fees: Json<unknown>;
  fee_raw: string;
  documents: Json<unknown>;
  channel_details: Json<unknown>;
  steps: string | null;
  requirements: string | null;
  result: string | null;
  legal_basis: Json<unknown>;
  applicants: string | null;
  implementing_agency: string | null;
  deciding_agency: string | null;
  source_url: string | null;
  detail_level: 'summary' | 'detailed';
  content_hash: string;
  search_text: string;
  created_at: Timestamp;
  origin: Generated<VersionOrigin>;
}

export interface ProcedureAssignmentsTable {
  tenant_id: TenantId;
  org_unit_id: string;
  procedure_id: string;
  created_at: Timestamp;
}

export interface ImportRunsTable {
  id: Generated<string>;
  kind: string;
  file_name: string;
  file_sha256: string;
  accepted: number;
  unchanged: number;
  rejected: number;
  rejects: Json<unknown>;
  actor_label: string;
  started_at: Timestamp;
  finished_at: Timestamp;
}

export interface CalendarExceptionsTable {
  id: Generated<string>;
  day: DateOnly;
  kind: 'day_off' | 'working_day';
  reason: string;
  decision_ref: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CalendarSettingsTable {
  id: Generated<boolean>;
  working_hours: Json<unknown>;
}

export type DossierStatusCode = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;

export interface DossiersTable {
  tenant_id: TenantId;
  id: Generated<string>;
  code: string | null;
  procedure_id: string;
  procedure_version_id: string;
  channel: 1 | 2 | 3;
  status: DossierStatusCode;
  applicant_user_id: string | null;
  applicant_name: string;
  applicant_personal_id: string | null;
  /** How the applicant authenticated (migrations/0035); null on dossiers recorded before. */
  applicant_auth: ColumnType<ApplicantAuth | null, ApplicantAuth | null | undefined, ApplicantAuth | null>;
  applicant_search: string;
  receiving_org_unit_id: string;
  deciding_org_unit_id: string | null;
  submitted_at: Timestamp;
  received_at: Timestamp | null;
  due_at: Timestamp | null;
  original_due_at: Timestamp | null;
  paused_since: Timestamp | null;
  decided_at: Timestamp | null;
  returned_at: Timestamp | null;
  timeliness: 'early' | 'on_time' | 'late' | null;
  form_data: Json<unknown>;
  idempotency_key: string | null;
  row_version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  step_seq: number | null;
  step_org_unit_id: string | null;
  step_due_at: Timestamp | null;
  assignee_id: string | null;
  rule_set_id: string;
  extensions: Generated<number>;
  result_delivery: 'counter' | 'online' | 'postal' | null;
  postal_tracking: string | null;
  /** The result the decision issued (migrations/0021): a signed PDF among the papers, or a paper one by number and date. */
  result_kind: 'electronic' | 'paper' | null;
  result_number: string | null;
  result_issued_on: DateOnly | null;
}

export interface DossierEventsTable {
  tenant_id: TenantId;
  id: Generated<number>;
  dossier_id: string;
  action: string;
  from_status: DossierStatusCode | null;
  to_status: DossierStatusCode;
  actor_id: string | null;
  actor_label: string;
  org_unit_id: string | null;
  occurred_at: Timestamp;
  note: string | null;
  data: Json<unknown>;
}

export interface DossierRatingsTable {
  tenant_id: TenantId;
  dossier_id: string;
  applicant_user_id: string;
  rating: 1 | 2 | 3;
  comment: string | null;
  rated_at: Timestamp;
}

export interface OutboxMessagesTable {
  tenant_id: TenantId;
  id: Generated<string>;
  /** Which handler delivers it: 'email', 'sms', 'webhook', … (migrations/0014). */
  topic: string;
  payload: Json<Record<string, unknown>>;
  dedupe_key: string;
  /** The record that caused the message, by type and id; no foreign key, any module may enqueue. */
  record_type: string | null;
  record_id: string | null;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  /** Set while a worker delivers it; a lease that runs out makes the row claimable again. */
  lease_until: Timestamp | null;
  lease_owner: string | null;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface PaymentsTable {
  tenant_id: TenantId;
  id: Generated<string>;
  dossier_id: string;
  amount_vnd: ColumnType<number, number, number>;
  status: Generated<'pending' | 'paid' | 'cancelled'>;
  method: 'online' | 'counter' | null;
  provider_ref: string | null;
  created_at: Timestamp;
  paid_at: Timestamp | null;
  /** How the amount was set (migrations/0022): the procedure's fee table, the officer (no table), or an override. */
  amount_source: Generated<'fee_table' | 'officer' | 'override'>;
  fee_table_vnd: ColumnType<string[], number[] | undefined, number[]>;
  override_reason: string | null;
  requested_by: string | null;
  receipt_number: string | null;
  recorded_by: string | null;
}

export interface PaymentCallbacksTable {
  tenant_id: TenantId;
  nonce: string;
  payment_id: string;
  received_at: Timestamp;
  body: Json<unknown>;
}

export type PaperMediaType = 'application/pdf' | 'image/jpeg' | 'image/png';

export type SignatureStatusColumn = 'valid' | 'invalid' | 'unsigned' | 'unchecked';

/** One verified signature as kept (see `src/platform/signing/pdf-signatures.ts`). */
export interface StoredSignature {
  readonly status: 'valid' | 'invalid';
  readonly problem: string | null;
  readonly signer: { readonly commonName: string | null; readonly organisation: string | null } | null;
  readonly issuer: { readonly commonName: string | null; readonly organisation: string | null } | null;
  readonly signedAt: string | null;
  readonly trusted: boolean;
  readonly coversWholeFile: boolean;
}

export interface StoredFilesTable {
  tenant_id: TenantId;
  id: Generated<string>;
  sha256: string;
  size_bytes: number;
  media_type: PaperMediaType;
  file_name: string;
  /** The verdict on the PDF's signatures (migrations/0021); 'unchecked' for files kept before verification. */
  signature_status: Generated<SignatureStatusColumn>;
  signatures: ColumnType<StoredSignature[], string | undefined, string>;
  signature_trusted: Generated<boolean>;
  uploaded_by: string;
  created_at: Timestamp;
  /** When a module first attached the file to something it keeps (migrations/0020); NULL while the upload is unused. */
  attached_at: Timestamp | null;
}

export interface PaperRequirementsTable {
  procedure_version_id: string;
  seq: number;
  name: string;
  required: boolean;
  media_types: PaperMediaType[];
  max_bytes: number;
  hint: string | null;
}

export interface DigitisedRecordsTable {
  tenant_id: TenantId;
  id: Generated<string>;
  owner_user_id: string | null;
  owner_personal_id: string | null;
  kind: 'paper' | 'result';
  title: string;
  file_id: string;
  source_dossier_id: string;
  created_at: Timestamp;
}

export interface DossierPapersTable {
  tenant_id: TenantId;
  id: Generated<string>;
  dossier_id: string;
  kind: 'submitted' | 'supplement' | 'result';
  requirement_seq: number | null;
  title: string;
  file_id: string;
  reused_record_id: string | null;
  added_by: string | null;
  added_at: Timestamp;
}

export type StepRole = 'specialist' | 'department_leader' | 'agency_leader';

export interface WorkflowStepsTable {
  tenant_id: TenantId;
  procedure_version_id: string;
  seq: number;
  name: string;
  role: StepRole;
  org_unit_id: string | null;
  budget_percent: number;
}

export type FormFieldKind = 'text' | 'textarea' | 'date' | 'number' | 'select' | 'checkbox' | 'personal_id' | 'phone' | 'address';
/** Facts about the applicant a form field may be filled in from (their account or an earlier dossier; migrations/0029). */
export type PrefillFact = 'full_name' | 'date_of_birth' | 'sex' | 'ethnicity' | 'personal_id' | 'phone' | 'email' | 'address';

export interface FormFieldsTable {
  procedure_version_id: string;
  seq: number;
  key: string;
  label: string;
  kind: FormFieldKind;
  required: boolean;
  options: Generated<string[]>;
  help_text: string | null;
  group_label: string | null;
  prefill: PrefillFact | null;
  source: string | null;
}

// ---- citizens' profiles (0030, directory) and answers to dossiers' e-forms (0031, dossiers)
export interface CitizenProfilesTable {
  tenant_id: TenantId;
  user_id: string;
  date_of_birth: DateOnly | null;
  sex: 'male' | 'female' | null;
  ethnicity: string | null;
  commune_id: string | null;
  street: string | null;
  row_version: Generated<number>;
  updated_at: Timestamp;
}

export type AnswerOrigin = 'typed' | 'account' | 'previous_dossier';

export interface DossierAnswersTable {
  tenant_id: TenantId;
  dossier_id: string;
  field_key: string;
  prefill: PrefillFact | null;
  value: Json<unknown>;
  origin: AnswerOrigin;
  source_dossier_id: string | null;
}

// ---- numbering series (migration 0015)
export type NumberingScopeKind = 'province' | 'agency' | 'agency_document_type';
export type NumberingResetPeriod = 'none' | 'daily' | 'yearly';
export type NumberingAllocation = 'local' | 'upstream';

export interface NumberingSeriesTable {
  id: Generated<number>;
  key: string;
  record_type: string;
  scope_kind: NumberingScopeKind;
  parts: ColumnType<string[], string[] | undefined, string[]>;
  reset_period: NumberingResetPeriod;
  template: string;
  allocation: NumberingAllocation;
  description: string;
  legal_basis: string | null;
  valid_from: DateOnly;
  valid_to: DateOnly | null;
  row_version: Generated<number>;
  created_at: Generated<Date>;
}

export interface NumberingCountersTable {
  tenant_id: TenantId;
  series_key: string;
  scope_key: string;
  period_key: string;
  last_value: number;
}

export interface NumberingSkipsTable {
  tenant_id: TenantId;
  id: Generated<string>;
  series_key: string;
  scope_key: string;
  period_key: string;
  value: number;
  number: string | null;
  reason: string;
  note: string | null;
  actor_id: string | null;
  actor_label: string;
  recorded_at: Generated<Date>;
}
// ---- end numbering series

export interface SchemaMigrationsTable {
  name: string;
  applied_at: Timestamp;
}

// Kernel: rule sets pinned on records, deadline alerts once per threshold (migrations/0019).
export interface RuleSetsTable {
  id: Generated<string>;
  record_type: string;
  name: string;
  legal_basis: string;
  basis: Json<Record<string, string>>;
  rules: Json<unknown>;
  valid_from: string;
  valid_to: string | null;
  created_at: Generated<Timestamp>;
}

export interface DeadlineAlertsTable {
  tenant_id: TenantId;
  record_type: string;
  record_id: string;
  threshold: string;
  due_at: Timestamp;
  sent_at: Timestamp;
}

// Demo load (0018): the steps of the first start's demo load that are done; 'complete' is written last.
export interface DemoLoadStepsTable {
  step: string;
  done_at: ColumnType<Date, Date | undefined, never>;
}

/** How an applicant authenticated for a dossier: online (password, VNeID level 1 or 2), at the counter, or not (post). */
export type ApplicantAuth = AuthMethod | 'counter' | 'none';

export interface RecordCountsTable {
  tenant_id: TenantId;
  record_type: string;
  /** Day, week (from its Monday), month, year, or all time (period 1900-01-01); see record-counts.ts. */
  grain: 'd' | 'w' | 'm' | 'y' | 'a';
  period: DateOnly;
  unit_id: string;
  via_unit_id: string;
  metric: string;
  n: ColumnType<string, number | string, number | string>;
}

export interface RecordCountBuildsTable {
  tenant_id: TenantId;
  record_type: string;
  built_at: Timestamp;
  records: ColumnType<string, number, number>;
}

// ---- exports written in the background (0044)
export type ExportStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ExportsTable {
  tenant_id: TenantId;
  id: Generated<string>;
  kind: string;
  params: Json<Record<string, unknown>>;
  title: string;
  file_name: string;
  requested_by: string;
  requested_at: Timestamp;
  status: Generated<ExportStatus>;
  attempts: Generated<number>;
  lease_until: Timestamp | null;
  rows_done: ColumnType<string, number | undefined, number>;
  rows_total: ColumnType<string | null, number | null | undefined, number | null>;
  byte_size: ColumnType<string | null, number | null | undefined, number | null>;
  error: string | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  expires_at: Timestamp;
}

export interface Database {
  exports: ExportsTable;
  account_tokens: AccountTokensTable;
  api_clients: ApiClientsTable;
  demo_load_steps: DemoLoadStepsTable;
  rate_limit_hits: RateLimitHitsTable;
  sign_in_backoffs: SignInBackoffsTable;
  audit_events: AuditEventsTable;
  audit_stream_heads: AuditStreamHeadsTable;
  audit_seals: AuditSealsTable;
  audit_seal_state: AuditSealStateTable;
  record_counts: RecordCountsTable;
  record_count_builds: RecordCountBuildsTable;
  audit_checkpoints: AuditCheckpointsTable;
  org_units: OrgUnitsTable;
  users: UsersTable;
  role_assignments: RoleAssignmentsTable;
  sessions: SessionsTable;
  admin_units: AdminUnitsTable;
  admin_unit_links: AdminUnitLinksTable;
  sectors: SectorsTable;
  procedures: ProceduresTable;
  procedure_versions: ProcedureVersionsTable;
  procedure_assignments: ProcedureAssignmentsTable;
  import_runs: ImportRunsTable;
  calendar_exceptions: CalendarExceptionsTable;
  calendar_settings: CalendarSettingsTable;
  dossiers: DossiersTable;
  dossier_events: DossierEventsTable;
  dossier_ratings: DossierRatingsTable;
  outbox_messages: OutboxMessagesTable;
  payments: PaymentsTable;
  payment_callbacks: PaymentCallbacksTable;
  stored_files: StoredFilesTable;
  paper_requirements: PaperRequirementsTable;
  digitised_records: DigitisedRecordsTable;
  dossier_papers: DossierPapersTable;
  workflow_steps: WorkflowStepsTable;
  form_fields: FormFieldsTable;
  citizen_profiles: CitizenProfilesTable;
  dossier_answers: DossierAnswersTable;
  numbering_series: NumberingSeriesTable;
  numbering_counters: NumberingCountersTable;
  numbering_skips: NumberingSkipsTable;
  schema_migrations: SchemaMigrationsTable;
  rule_sets: RuleSetsTable;
  deadline_alerts: DeadlineAlertsTable;
  tenants: TenantsTable;
  tenant_hosts: TenantHostsTable;
}

// ---- the provinces served (0056)
export interface TenantsTable {
  id: number;
  province_code: string;
  name: string;
  created_at: Generated<Date>;
}

export interface TenantHostsTable {
  host: string;
  tenant: number;
}

// ---- sign-in and registration limits (0016)
export interface RateLimitHitsTable {
  key: string;
  window_started_at: Timestamp;
  hits: number;
}

export interface SignInBackoffsTable {
  tenant_id: TenantId;
  key: string;
  failures: number;
  last_failed_at: Timestamp;
  retry_at: Timestamp | null;
}

// ---- end of sign-in and registration limits

export type OrgUnitRow = Selectable<OrgUnitsTable>;
export type UserRow = Selectable<UsersTable>;
export type NewAuditEvent = Insertable<AuditEventsTable>;

