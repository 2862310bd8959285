/**
 * Where each table lives when CQS runs on Citus, one province per tenant (docs/CONVENTIONS.md item 12):
 * - `tenant`: rows that belong to one province and grow with its work; distributed by the tenant column, co-located,
 *   with the tenant column in their primary keys, unique constraints and foreign keys between them.
 * - `reference`: catalogues shared by every province (national procedures, administrative units, holidays, legal
 *   rules), copied to every node so that any province's rows join them locally.
 * - `coordinator`: small rows of the installation itself (migrations, throttles, demo bookkeeping), kept on the
 *   coordinator, never joined with tenant rows.
 * A table a migration adds must be listed here (placement.test.ts fails otherwise), so that the next modules' tables
 * are born distributable. `open` says what is still to be decided before the table is distributed.
 */
export type Placement = 'tenant' | 'reference' | 'coordinator';

export interface TablePlacement {
  readonly placement: Placement;
  readonly why: string;
  readonly open?: string;
}

const tenant = (why: string, open?: string): TablePlacement => ({ placement: 'tenant', why, ...(open ? { open } : {}) });
const reference = (why: string, open?: string): TablePlacement => ({ placement: 'reference', why, ...(open ? { open } : {}) });
const coordinator = (why: string): TablePlacement => ({ placement: 'coordinator', why });

export const TABLE_PLACEMENTS: Readonly<Record<string, TablePlacement>> = {
  // The one-stop system's records and what hangs on them.
  dossiers: tenant('the records of a province, 250,000 a year'),
  dossier_events: tenant('timeline of a dossier, five to ten a dossier'),
  dossier_ratings: tenant('a dossier’s rating'),
  dossier_papers: tenant('papers given with a dossier'),
  dossier_answers: tenant('e-form answers of a dossier'),
  payments: tenant('fees of a dossier'),
  payment_callbacks: tenant('gateway callbacks of a dossier’s payment', 'the gateway calls back with its own reference: the tenant must be part of it or looked up'),
  digitised_records: tenant('papers and results digitised from a province’s dossiers', 'a citizen reuses them in any province: reads across tenants by personal ID'),
  deadline_alerts: tenant('warnings sent for a dossier'),
  stored_files: tenant('uploaded files of a province'),
  exports: tenant('an officer’s export jobs'),
  // Platform kernel rows written with every change.
  audit_events: tenant('every mutation, in the same transaction'),
  audit_seals: tenant('one seal per audit event'),
  audit_stream_heads: tenant('the head of each audit chain', 'streams become per tenant: (tenant, stream) instead of sixteen installation-wide streams'),
  audit_seal_state: tenant('the sealer’s mark', 'one mark per tenant instead of one row'),
  audit_checkpoints: tenant('signed checkpoints of the chains'),
  outbox_messages: tenant('messages out, claimed with SKIP LOCKED'),
  record_counts: tenant('per-unit, per-day summaries of the figures'),
  record_count_builds: tenant('rebuilds of the summaries'),
  numbering_counters: tenant('the last number of each series, scope and period'),
  numbering_skips: tenant('numbers taken and voided'),
  sessions: tenant('signed-in sessions', 'a national administrator’s session spans tenants'),
  // A province's organisation and people.
  org_units: tenant('a province’s agencies and units, with effective dates'),
  users: tenant('officials of a province', 'citizen accounts are national (one VNeID, any province): a table of their own distributed by account, or reference'),
  role_assignments: tenant('who holds which role in which unit'),
  citizen_profiles: tenant('a citizen’s saved contacts', 'follows the decision on citizen accounts'),
  account_tokens: tenant('e-mail and identity tokens of an account', 'follows the decision on citizen accounts'),
  sign_in_backoffs: tenant('back-off per account after failed sign-ins', 'follows the decision on citizen accounts'),
  api_clients: tenant('a province’s API clients'),
  procedure_assignments: tenant('which of a province’s units receive and decide each procedure'),
  workflow_steps: tenant('a province’s processing steps for a procedure version', 'keyed by the national version today: add the tenant to the key'),
  // National catalogues and rules.
  admin_units: reference('administrative units of both eras, 34 provinces and 3,321 communes'),
  admin_unit_links: reference('the 2025 merger links'),
  procedures: reference('the national catalogue, 2,642 procedures'),
  procedure_versions: reference('versions of the national procedures', 'provincial decisions publishing a procedure may change its fee or time: a provincial overlay table if so'),
  sectors: reference('sectors of the catalogue'),
  form_fields: reference('e-form fields of a procedure version'),
  paper_requirements: reference('papers a procedure version asks for'),
  calendar_exceptions: reference('national days off and make-up working days', 'a province’s own days off would need a tenant table beside it'),
  rule_sets: reference('legal rules in force, each with its basis'),
  numbering_series: reference('the formats of codes and document numbers'),
  // The provinces served.
  tenants: reference('the provinces an installation serves, one tenant each'),
  tenant_hosts: reference('the host names each province answers on'),
  // The installation's own bookkeeping.
  schema_migrations: coordinator('which migrations ran'),
  calendar_settings: coordinator('working hours of the installation'),
  import_runs: coordinator('catalogue imports'),
  demo_load_steps: coordinator('progress of the demo load'),
  rate_limit_hits: coordinator('per-address request limits'),
};
