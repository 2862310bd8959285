-- The identity behind an online account. A personal ID typed at registration is only a claim: papers, results and
-- dossiers recorded for that number reach the account once its identity is verified, by a VNeID level-2 sign-in or
-- by a one-stop officer who checked the person's card at the counter (who, where and when are kept here and audited).

ALTER TABLE users DROP CONSTRAINT users_kind_check;
-- 'service': the account an API client acts as (it holds no password and never signs in through a page).
ALTER TABLE users ADD CONSTRAINT users_kind_check CHECK (kind IN ('citizen', 'official', 'service'));
ALTER TABLE users DROP CONSTRAINT users_status_check;
-- 'pending': registered online, waiting for the activation link sent to the contact given.
ALTER TABLE users ADD CONSTRAINT users_status_check CHECK (status IN ('pending', 'active', 'disabled'));

ALTER TABLE users
  ADD COLUMN identity_verified_at timestamptz,
  ADD COLUMN identity_method      text CHECK (identity_method IN ('vneid', 'counter')),
  ADD COLUMN identity_verified_by uuid REFERENCES users(id),
  ADD COLUMN identity_org_unit_id uuid REFERENCES org_units(id),
  -- The VNeID subject ("sub") the account is linked to; one account per subject.
  ADD COLUMN vneid_subject        text UNIQUE,
  ADD CONSTRAINT users_identity_check CHECK (
    (identity_verified_at IS NULL) = (identity_method IS NULL)
    AND (identity_verified_at IS NULL OR personal_id IS NOT NULL)
    AND (identity_method IS DISTINCT FROM 'counter' OR (identity_verified_by IS NOT NULL AND identity_org_unit_id IS NOT NULL))
  );

-- How the session was opened, so that each transaction made in it records how the person authenticated.
ALTER TABLE sessions ADD COLUMN auth_method text NOT NULL DEFAULT 'password' CHECK (auth_method IN ('password', 'vneid_1', 'vneid_2'));

-- Single-use secrets sent to or shown to an account's owner: the activation link of a registration, the code a
-- citizen shows at the counter to have their identity verified. Only their SHA-256 is kept.
CREATE TABLE account_tokens (
  token_hash text PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose    text NOT NULL CHECK (purpose IN ('activation', 'counter_verification')),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, purpose)
);
CREATE INDEX account_tokens_expiry_idx ON account_tokens (expires_at);
