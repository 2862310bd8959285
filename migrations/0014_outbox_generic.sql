-- A generic outbox: a message is a topic ('email', 'sms', 'webhook', …) and a JSON payload its handler understands,
-- with a plain reference to the record that caused it (no foreign key, so any module can enqueue). Delivery claims
-- rows with a lease (lease_until, lease_owner) in a short statement and sends outside any transaction; a worker
-- that dies mid-delivery leaves a lease that expires, and the row is claimable again.
ALTER TABLE outbox_messages
  ADD COLUMN topic       text,
  ADD COLUMN payload     jsonb,
  ADD COLUMN record_type text,
  ADD COLUMN record_id   text,
  ADD COLUMN lease_until timestamptz,
  ADD COLUMN lease_owner text;

UPDATE outbox_messages
SET topic = channel,
    payload = jsonb_strip_nulls(jsonb_build_object('to', recipient, 'subject', subject, 'text', body)),
    record_type = CASE WHEN dossier_id IS NULL THEN NULL ELSE 'dossier' END,
    record_id = dossier_id::text;

DROP INDEX outbox_messages_dossier_idx;
-- Dropping the column drops its foreign key to dossiers.
ALTER TABLE outbox_messages
  DROP COLUMN dossier_id,
  DROP COLUMN channel,
  DROP COLUMN recipient,
  DROP COLUMN subject,
  DROP COLUMN body,
  ALTER COLUMN topic SET NOT NULL,
  ALTER COLUMN payload SET NOT NULL,
  ADD CONSTRAINT outbox_messages_topic_check CHECK (topic ~ '^[a-z][a-z0-9_.-]{0,62}$'),
  ADD CONSTRAINT outbox_messages_payload_check CHECK (jsonb_typeof(payload) = 'object'),
  ADD CONSTRAINT outbox_messages_record_check CHECK ((record_type IS NULL) = (record_id IS NULL)),
  ADD CONSTRAINT outbox_messages_lease_check CHECK ((lease_until IS NULL) = (lease_owner IS NULL));

CREATE INDEX outbox_messages_record_idx ON outbox_messages (record_type, record_id) WHERE record_id IS NOT NULL;
-- The administrators' page lists exhausted messages first.
CREATE INDEX outbox_messages_failed_idx ON outbox_messages (created_at DESC) WHERE status = 'failed';
