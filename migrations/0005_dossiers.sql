-- Dossiers (hồ sơ TTHC): the rule versions they were received under, national status codes, deadlines on working
-- time with pauses, and the facts the plan targets are measured with (channel, due and decision instants).

-- Dossier-code formats are data: the format in force on the receipt date applies (TT 01/2018 Art. 19 until
-- TT 03/2025 Art. 13 is confirmed; see reference/regulations.md §1.2). Tokens: {agency} {yyMMdd} {yyyyMMdd} {seq:N}.
CREATE TABLE dossier_code_formats (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  template    text NOT NULL CHECK (template LIKE '%{seq:%}%'),
  description text NOT NULL,
  legal_basis text,
  valid_from  date NOT NULL,
  valid_to    date,
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
INSERT INTO dossier_code_formats (template, description, legal_basis, valid_from)
VALUES ('{agency}-{yyMMdd}-{seq:4}', 'Mã cơ quan tiếp nhận - ngày tiếp nhận - số thứ tự trong ngày', 'TT 01/2018/TT-VPCP Điều 19', '2019-01-01');

-- One counter row per receiving agency and day: allocating a code updates it, so concurrent receipts queue on the
-- row and a rolled-back receipt returns its number (gap-free).
CREATE TABLE dossier_code_counters (
  org_unit_id uuid NOT NULL REFERENCES org_units(id),
  day         date NOT NULL,
  last_value  integer NOT NULL,
  PRIMARY KEY (org_unit_id, day)
);

CREATE TABLE dossiers (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code                  text UNIQUE,                       -- allocated at receipt; an online submission awaits it
  procedure_id          uuid NOT NULL REFERENCES procedures(id),
  procedure_version_id  uuid NOT NULL REFERENCES procedure_versions(id),
  channel               smallint NOT NULL CHECK (channel IN (1, 2, 3)),   -- 1 counter, 2 online, 3 postal
  status                smallint NOT NULL CHECK (status BETWEEN 1 AND 10),
  applicant_user_id     uuid REFERENCES users(id),
  applicant_name        text NOT NULL,
  applicant_personal_id text,
  applicant_search      text NOT NULL,                     -- folded name (no diacritics) for the officers' search
  receiving_org_unit_id uuid NOT NULL REFERENCES org_units(id),
  deciding_org_unit_id  uuid REFERENCES org_units(id),
  submitted_at          timestamptz NOT NULL,
  received_at           timestamptz,
  due_at                timestamptz,                       -- current due instant, after pauses and the extension
  original_due_at       timestamptz,
  paused_since          timestamptz,                       -- set while waiting for supplements or fees
  extended              boolean NOT NULL DEFAULT false,    -- the one allowed new date (Mẫu 04)
  decided_at            timestamptz,
  returned_at           timestamptz,
  timeliness            text CHECK (timeliness IN ('early', 'on_time', 'late')),
  form_data             jsonb NOT NULL DEFAULT '{}',
  idempotency_key       text,
  row_version           integer NOT NULL DEFAULT 1,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (applicant_user_id, idempotency_key)
);
CREATE INDEX dossiers_queue_idx ON dossiers (receiving_org_unit_id, status, due_at);
CREATE INDEX dossiers_deciding_idx ON dossiers (deciding_org_unit_id, status, due_at);
CREATE INDEX dossiers_applicant_idx ON dossiers (applicant_user_id, submitted_at DESC);

-- Every status change, in order: the dossier's timeline and the source of its process-control slip.
CREATE TABLE dossier_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dossier_id  uuid NOT NULL REFERENCES dossiers(id),
  action      text NOT NULL,
  from_status smallint,
  to_status   smallint NOT NULL,
  actor_id    uuid,
  actor_label text NOT NULL,
  org_unit_id uuid,
  occurred_at timestamptz NOT NULL,
  note        text,
  data        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX dossier_events_dossier_idx ON dossier_events (dossier_id, id);
