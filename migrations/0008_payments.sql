-- Fees and charges of a dossier and their payment (online through the gateway, or at the counter).
CREATE TABLE payments (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dossier_id   uuid NOT NULL REFERENCES dossiers(id),
  amount_vnd   bigint NOT NULL CHECK (amount_vnd > 0),
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'cancelled')),
  method       text CHECK (method IN ('online', 'counter')),
  provider_ref text UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  paid_at      timestamptz
);
CREATE UNIQUE INDEX payments_one_pending_idx ON payments (dossier_id) WHERE status = 'pending';

-- Every gateway callback accepted once: a replayed callback (same nonce) is refused.
CREATE TABLE payment_callbacks (
  nonce       text PRIMARY KEY,
  payment_id  uuid NOT NULL REFERENCES payments(id),
  received_at timestamptz NOT NULL DEFAULT now(),
  body        jsonb NOT NULL
);
