-- Audit events without a chain head in the mutation's transaction. Until now every audited transaction moved a
-- stream head (an UPDATE of a hot row, held until commit): about half of a small mutation's cost. From here a
-- mutation only inserts its event; a sealer (one at a time, in the background) chains what has committed in batches,
-- writing each event's place and hashes into audit_seals and moving the stream head once per batch. audit_events
-- becomes insert-only for good: nothing ever updates it, not even the sealer.

CREATE TABLE audit_seals (
  stream     smallint NOT NULL CHECK (stream BETWEEN 0 AND 15),
  stream_seq bigint NOT NULL,                   -- gap-free position in the stream
  event_seq  bigint NOT NULL UNIQUE REFERENCES audit_events (seq),
  prev_hash  text NOT NULL,
  hash       text NOT NULL,                     -- sha256(stream_seq | prev_hash | canonical content of the event)
  PRIMARY KEY (stream, stream_seq)
);
-- The events chained so far keep their place and hashes: they move here unchanged.
INSERT INTO audit_seals (stream, stream_seq, event_seq, prev_hash, hash)
SELECT stream, stream_seq, seq, prev_hash, hash FROM audit_events;
ALTER TABLE audit_events DROP COLUMN stream, DROP COLUMN stream_seq, DROP COLUMN prev_hash, DROP COLUMN hash;

CREATE TRIGGER audit_seals_append_only BEFORE UPDATE OR DELETE ON audit_seals
  FOR EACH ROW EXECUTE FUNCTION audit_forbid_change();
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals
  FOR EACH STATEMENT EXECUTE FUNCTION audit_forbid_change();

-- How far the sealer has come. Events commit out of seq order (seq is drawn when the event is inserted), so "sealed
-- up to the largest seq seen" would skip an event whose transaction was still open. The sealer therefore notes a
-- candidate (the largest visible seq, with the snapshot's xmax and the time) and moves the mark there only once every
-- transaction open at that moment has ended (the current snapshot's xmin has reached that xmax) and what they
-- committed is sealed. The ten seconds it also waits cover a transaction that had drawn its seq but not yet its
-- transaction id (nextval runs just before the row is written). Every event at or below the mark has a seal:
-- verification reports one that has not as inserted after the fact.
CREATE TABLE audit_seal_state (
  id             boolean PRIMARY KEY DEFAULT true CHECK (id),
  mark           bigint NOT NULL,
  candidate_mark bigint,
  candidate_xmax xid8,
  candidate_at   timestamptz
);
INSERT INTO audit_seal_state (mark) SELECT coalesce(max(seq), 0) FROM audit_events;

DROP FUNCTION audit_append(timestamptz, uuid, text, text, text, text, uuid, jsonb, text, text);
