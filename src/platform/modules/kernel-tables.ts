/**
 * The tables the kernel owns: every module may use them through the kernel's functions (and read the org tree and
 * accounts, which every authorisation decision needs); no module owns them.
 */
export const kernelTables: readonly string[] = [
  'audit_events',
  'audit_stream_heads',
  'audit_seals',
  'audit_seal_state',
  'audit_checkpoints',
  'org_units',
  'users',
  'role_assignments',
  'sessions',
  'calendar_exceptions',
  'calendar_settings',
  'outbox_messages',
  'stored_files',
  'rule_sets',
  'deadline_alerts',
  'numbering_series',
  'numbering_counters',
  'numbering_skips',
  // The first start's demo load, step by step (src/demo/seed-demo.ts), so that an interrupted load is finished.
  'demo_load_steps',
  'rate_limit_hits',
  'sign_in_backoffs',
  'account_tokens',
  'api_clients',
  // Per-unit daily and monthly counts of what records did (src/platform/records/record-counts.ts).
  'record_counts',
  'record_count_builds',
  // Files written in the background and kept for their requester (src/platform/exports).
  'exports',
  // The provinces served and their host names (src/platform/tenancy).
  'tenants',
  'tenant_hosts',
];
