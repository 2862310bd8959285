-- Versioned catalogue of administrative procedures (TTHC). A new decision creates a new version;
-- old versions stay readable, and dossiers keep the version they were received under.

CREATE TABLE sectors (
  id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE
);

CREATE TABLE procedures (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  national_code text NOT NULL UNIQUE CHECK (national_code ~ '^[0-9]\.[0-9]{6}$'),
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE procedure_versions (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  procedure_id        uuid NOT NULL REFERENCES procedures(id),
  version_no          integer NOT NULL,
  decision_ref        text,
  valid_from          date NOT NULL,
  valid_to            date,                      -- exclusive; NULL for the version in force
  name                text NOT NULL,
  sector_id           integer REFERENCES sectors(id),
  ministry            text,
  procedure_type      text,
  levels              text[] NOT NULL,
  channels            text[] NOT NULL,
  online_level        text NOT NULL CHECK (online_level IN ('full', 'partial', 'none')),
  processing_time_raw text NOT NULL DEFAULT '',
  processing_value    numeric,
  processing_unit     text CHECK (processing_unit IN ('working_day', 'day', 'hour', 'month', 'year')),
  fees                jsonb NOT NULL DEFAULT '[]',
  fee_raw             text NOT NULL DEFAULT '',
  documents           jsonb NOT NULL DEFAULT '[]',
  channel_details     jsonb NOT NULL DEFAULT '[]',
  steps               text,
  requirements        text,
  result              text,
  legal_basis         jsonb NOT NULL DEFAULT '[]',
  applicants          text,
  implementing_agency text,
  deciding_agency     text,
  source_url          text,
  detail_level        text NOT NULL CHECK (detail_level IN ('summary', 'detailed')),
  content_hash        text NOT NULL,
  search_text         text NOT NULL,             -- folded (no diacritics) name, code and sector
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (procedure_id, version_no)
);
CREATE UNIQUE INDEX procedure_versions_current_idx ON procedure_versions (procedure_id) WHERE valid_to IS NULL;
CREATE INDEX procedure_versions_search_idx ON procedure_versions USING gin (search_text gin_trgm_ops) WHERE valid_to IS NULL;
CREATE INDEX procedure_versions_sector_idx ON procedure_versions (sector_id) WHERE valid_to IS NULL;

CREATE TABLE procedure_assignments (
  org_unit_id  uuid NOT NULL REFERENCES org_units(id),
  procedure_id uuid NOT NULL REFERENCES procedures(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_unit_id, procedure_id)
);
CREATE INDEX procedure_assignments_procedure_idx ON procedure_assignments (procedure_id);

CREATE TABLE import_runs (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind        text NOT NULL,
  file_name   text NOT NULL,
  file_sha256 text NOT NULL,
  accepted    integer NOT NULL,
  unchanged   integer NOT NULL,
  rejected    integer NOT NULL,
  rejects     jsonb NOT NULL,
  actor_label text NOT NULL,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz NOT NULL
);
