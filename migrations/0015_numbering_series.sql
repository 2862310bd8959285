-- Numbering series (kernel): every number CQS hands out — dossier codes now, NĐ 30/2020 document numbers next —
-- comes from a series that is data. A series key has effective-dated versions (template, reset period, where the
-- values come from); an administrator adds a new version, the old one stays readable with its dates.
-- Template tokens: {agency} {unit} {type} {yyyy} {yy} {MM} {dd} {yyMMdd} {yyyyMMdd} {seq} {seq:N}.
CREATE TABLE numbering_series (
  id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key          text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{1,62}$'),
  record_type  text NOT NULL,                       -- what the numbers identify: 'dossier', 'outgoing_document', …
  scope_kind   text NOT NULL CHECK (scope_kind IN ('province', 'agency', 'agency_document_type')),
  parts        text[] NOT NULL DEFAULT '{}',        -- the template parts the allocating code supplies, e.g. {agency}
  reset_period text NOT NULL CHECK (reset_period IN ('none', 'daily', 'yearly')),
  template     text NOT NULL CHECK (template LIKE '%{seq%}%'),
  allocation   text NOT NULL CHECK (allocation IN ('local', 'upstream')),
  description  text NOT NULL,
  legal_basis  text,
  valid_from   date NOT NULL,
  valid_to     date,
  row_version  integer NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_to > valid_from),
  UNIQUE (key, valid_from)
);

-- One counter per series, scope (e.g. the receiving agency) and period (the day, the year, or 'all'): allocating a
-- number is one UPDATE of its row, so concurrent allocations queue on the row and a rolled-back transaction gives
-- its number back. Counters belong to the series key, not to a version: a new template continues the sequence.
CREATE TABLE numbering_counters (
  series_key text NOT NULL,
  scope_key  text NOT NULL,
  period_key text NOT NULL,
  last_value integer NOT NULL CHECK (last_value >= 0),
  PRIMARY KEY (series_key, scope_key, period_key)
);

-- A value that was taken and will never be issued (voided by an officer, or jumped over by an upstream system):
-- with these rows every value up to a counter's last_value is either issued or accounted for.
CREATE TABLE numbering_skips (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  series_key  text NOT NULL,
  scope_key   text NOT NULL,
  period_key  text NOT NULL,
  value       integer NOT NULL,
  number      text,                                 -- the rendered number, when it was rendered
  reason      text NOT NULL,                        -- 'upstream' for values an upstream system skipped
  note        text,
  actor_id    uuid REFERENCES users(id),
  actor_label text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (series_key, scope_key, period_key, value)
);
CREATE INDEX numbering_skips_recent ON numbering_skips (recorded_at DESC);

-- The dossier-code formats become versions of the 'dossier_code' series and the per-agency daily counters its
-- counters, so codes already issued continue their sequences. The old tables go: nothing reads them any more.
INSERT INTO numbering_series (key, record_type, scope_kind, parts, reset_period, template, allocation, description, legal_basis, valid_from, valid_to)
SELECT 'dossier_code', 'dossier', 'agency', '{agency}', 'daily', template, 'local', description, legal_basis, valid_from, valid_to
FROM dossier_code_formats;

INSERT INTO numbering_counters (series_key, scope_key, period_key, last_value)
SELECT 'dossier_code', org_unit_id::text, to_char(day, 'YYYY-MM-DD'), last_value
FROM dossier_code_counters;

DROP TABLE dossier_code_counters;
DROP TABLE dossier_code_formats;
