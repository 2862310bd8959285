-- Kernel tables: append-only audit log, organisation tree, accounts, roles and sessions.
-- Organisation units live in the kernel because every authorisation decision is scoped by an org subtree.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE audit_events (
  seq          bigint PRIMARY KEY,               -- gap-free: allocated from audit_head, so a gap means a deleted row
  occurred_at  timestamptz NOT NULL,
  actor_id     uuid,
  actor_label  text NOT NULL,
  action       text NOT NULL,
  entity_type  text NOT NULL,
  entity_id    text NOT NULL,
  org_unit_id  uuid,
  summary      jsonb NOT NULL,
  request_id   text,
  prev_hash    text NOT NULL,
  hash         text NOT NULL
);
-- Few indexes on purpose: every mutation pays for them. Browsing walks seq backwards; a record's history uses this one.
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id);

-- The chain's head: appending updates this one row, so concurrent appends queue on its row lock, and an event
-- deleted from the end of the chain leaves the head pointing past the table.
CREATE TABLE audit_head (
  id        boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq       bigint NOT NULL,
  hash      text NOT NULL,
  prev_hash text NOT NULL
);
INSERT INTO audit_head (seq, hash, prev_hash) VALUES (0, repeat('0', 64), repeat('0', 64));

-- Appends one event: advancing the head takes its row lock (held until commit) and yields the sequence number and
-- hashes. A function, so that its two statements run with cached plans in one round trip.
CREATE FUNCTION audit_append(p_occurred_at timestamptz, p_actor_id uuid, p_actor_label text, p_action text,
                             p_entity_type text, p_entity_id text, p_org_unit_id uuid, p_summary jsonb,
                             p_request_id text, p_content text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  h record;
BEGIN
  UPDATE audit_head
  SET seq = seq + 1,
      prev_hash = hash,
      hash = encode(sha256(convert_to((seq + 1)::text || '|' || hash || '|' || p_content, 'UTF8')), 'hex')
  RETURNING seq, hash, prev_hash INTO h;
  INSERT INTO audit_events (seq, occurred_at, actor_id, actor_label, action, entity_type, entity_id, org_unit_id,
                            summary, request_id, prev_hash, hash)
  VALUES (h.seq, p_occurred_at, p_actor_id, p_actor_label, p_action, p_entity_type, p_entity_id, p_org_unit_id,
          p_summary, p_request_id, h.prev_hash, h.hash);
  RETURN h.seq;
END;
$$;

CREATE FUNCTION audit_events_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_forbid_change();

CREATE TABLE org_units (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  parent_id     uuid REFERENCES org_units(id),
  path          text NOT NULL,                   -- '/<root id>/…/<own id>/' for subtree checks with a prefix match
  kind          text NOT NULL CHECK (kind IN ('people_committee', 'department', 'service_centre', 'office', 'division', 'other')),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  short_name    text,
  admin_unit_id uuid,
  agency_code   text,                            -- QCVN 102 form, e.g. 000.00.00.H42; editable data, never a constant
  agency_code_note text,                         -- where the code comes from (decision, or "hypothesis")
  valid_from    date NOT NULL,
  valid_to      date,                            -- exclusive; NULL while in force
  row_version   integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX org_units_path_idx ON org_units (path text_pattern_ops);
CREATE INDEX org_units_parent_idx ON org_units (parent_id);
CREATE UNIQUE INDEX org_units_agency_code_idx ON org_units (agency_code) WHERE agency_code IS NOT NULL AND valid_to IS NULL;

CREATE TABLE users (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind                text NOT NULL CHECK (kind IN ('citizen', 'official')),
  username            text NOT NULL UNIQUE,      -- officials: chosen login; citizens: their personal id
  full_name           text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
  email               text,
  phone               text,
  personal_id         text UNIQUE CHECK (personal_id ~ '^[0-9]{12}$'),
  password_hash       text NOT NULL,
  status              text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  failed_logins       integer NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  row_version         integer NOT NULL DEFAULT 1,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_kind_idx ON users (kind, full_name);

CREATE TABLE role_assignments (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users(id),
  org_unit_id uuid NOT NULL REFERENCES org_units(id),
  role        text NOT NULL CHECK (role IN ('one_stop_officer', 'specialist', 'department_leader', 'agency_leader',
                                            'clerk', 'reporting_officer', 'administrator')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, org_unit_id, role)
);
CREATE INDEX role_assignments_org_idx ON role_assignments (org_unit_id);

CREATE TABLE sessions (
  token_hash   text PRIMARY KEY,                 -- sha256 of the cookie value; the token itself is never stored
  user_id      uuid NOT NULL REFERENCES users(id),
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  ip           text,
  user_agent   text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);
