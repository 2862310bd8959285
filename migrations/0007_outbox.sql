-- Transactional outbox: messages to the outside are written in the transaction of the change that causes them and
-- delivered afterwards by a worker, with retries; the dedupe key makes enqueueing idempotent.
CREATE TABLE outbox_messages (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel         text NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient       text NOT NULL,
  subject         text,
  body            text NOT NULL,
  dedupe_key      text NOT NULL UNIQUE,
  dossier_id      uuid REFERENCES dossiers(id),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX outbox_messages_due_idx ON outbox_messages (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_messages_dossier_idx ON outbox_messages (dossier_id);
