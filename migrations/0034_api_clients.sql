-- API clients: integrators that call /api/v1 with `Authorization: Bearer <key>` instead of a browser session.
-- Each acts as its own service account (kind 'service', so its writes have an author and its audit events an
-- actor), holds a set of permissions over one org unit's subtree, and is created and revoked by administrators.
-- The key is shown once; only its SHA-256 is kept (it is 256 random bits, so a slow hash adds nothing).
CREATE TABLE api_clients (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL UNIQUE REFERENCES users(id),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  org_unit_id  uuid NOT NULL REFERENCES org_units(id),
  permissions  text[] NOT NULL CHECK (cardinality(permissions) > 0),
  key_hash     text NOT NULL UNIQUE,
  -- The first characters of the key, shown in lists so that administrators can tell keys apart.
  key_prefix   text NOT NULL,
  created_by   uuid NOT NULL REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz,
  revoked_by   uuid REFERENCES users(id),
  row_version  integer NOT NULL DEFAULT 1,
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX api_clients_org_unit_idx ON api_clients (org_unit_id);
