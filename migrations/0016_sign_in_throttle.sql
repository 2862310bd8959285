-- Limits on sign-in and registration kept in the database, so that they hold across app processes and restarts.

-- Fixed-window counters, one row per key such as 'sign-in:203.0.113.5' or 'registration:203.0.113.5'. A row whose
-- window is over counts as empty; housekeeping removes old rows.
CREATE TABLE rate_limit_hits (
  key               text PRIMARY KEY,
  window_started_at timestamptz NOT NULL,
  hits              integer NOT NULL CHECK (hits > 0)
);
CREATE INDEX rate_limit_hits_window_idx ON rate_limit_hits (window_started_at);

-- Back-off after failed sign-ins. The key is the username as typed ('name:…'), whether or not such an account exists,
-- so a throttled account answers exactly like an unknown one; attempts from a device the account signed in on before
-- have their own key ('device:<user id>') that strangers cannot push back. An attempt is counted as a failure when
-- it starts (so parallel attempts cannot slip past the wait) and the row is removed when it succeeds.
CREATE TABLE sign_in_backoffs (
  key            text PRIMARY KEY,
  failures       integer NOT NULL CHECK (failures > 0),
  last_failed_at timestamptz NOT NULL,
  retry_at       timestamptz
);
CREATE INDEX sign_in_backoffs_last_failed_idx ON sign_in_backoffs (last_failed_at);

-- users.failed_logins and users.locked_until belonged to the former hard lock-out and are no longer read.
