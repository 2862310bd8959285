-- Papers (thành phần hồ sơ) as files. File content lives in the content-addressed store under its SHA-256; a row
-- here is one upload of it, typed by sniffing the bytes (never by the client's name), with whether it carries a
-- PDF signature (the plan target "submissions carrying a signature" is counted from it).
CREATE TABLE stored_files (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes    integer NOT NULL CHECK (size_bytes > 0),
  media_type    text NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  file_name     text NOT NULL,
  has_signature boolean NOT NULL DEFAULT false,
  uploaded_by   uuid NOT NULL REFERENCES users(id),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stored_files_uploader_idx ON stored_files (uploaded_by, created_at DESC);

-- Papers a procedure version asks for, as the administrator set them. A version without rows uses the defaults
-- derived from its published document list (see papers/requirements.ts).
CREATE TABLE paper_requirements (
  procedure_version_id uuid NOT NULL REFERENCES procedure_versions(id),
  seq                  smallint NOT NULL CHECK (seq BETWEEN 1 AND 50),
  name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  required             boolean NOT NULL,
  media_types          text[] NOT NULL CHECK (cardinality(media_types) > 0),
  max_bytes            integer NOT NULL CHECK (max_bytes BETWEEN 1024 AND 10485760),
  PRIMARY KEY (procedure_version_id, seq)
);

-- A person's digitised records (kho dữ liệu điện tử): papers they submitted and results issued to them, kept for
-- reuse in later dossiers. Counter applicants without an account are matched by personal ID.
CREATE TABLE digitised_records (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_user_id     uuid REFERENCES users(id),
  owner_personal_id text,
  kind              text NOT NULL CHECK (kind IN ('paper', 'result')),
  title             text NOT NULL,
  file_id           uuid NOT NULL REFERENCES stored_files(id),
  source_dossier_id uuid NOT NULL REFERENCES dossiers(id),
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (owner_user_id IS NOT NULL OR owner_personal_id IS NOT NULL)
);
CREATE INDEX digitised_records_user_idx ON digitised_records (owner_user_id, created_at DESC);
CREATE INDEX digitised_records_personal_idx ON digitised_records (owner_personal_id, created_at DESC);

-- Papers of a dossier: submitted with it (uploaded, or reused from a digitised record), scanned at the counter,
-- added in answer to a supplement request, or the signed result.
CREATE TABLE dossier_papers (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dossier_id      uuid NOT NULL REFERENCES dossiers(id),
  kind            text NOT NULL CHECK (kind IN ('submitted', 'supplement', 'result')),
  requirement_seq smallint,
  title           text NOT NULL,
  file_id         uuid NOT NULL REFERENCES stored_files(id),
  reused_record_id uuid REFERENCES digitised_records(id),
  added_by        uuid REFERENCES users(id),
  added_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dossier_papers_dossier_idx ON dossier_papers (dossier_id, added_at);
