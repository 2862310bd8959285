-- An officer's "all" view lists a period's submissions newest first, and the register (Mẫu 07) a period's receipts
-- in receipt order, read by key a batch at a time: each reads its range of one index instead of every dossier.
CREATE INDEX dossiers_submitted_idx ON dossiers (submitted_at DESC, id DESC);
CREATE INDEX dossiers_received_idx ON dossiers (received_at, code) WHERE received_at IS NOT NULL;
