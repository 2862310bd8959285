-- A dossier is decided with its result. PDF signatures are verified, not just detected: each stored PDF keeps the
-- verdict (valid / invalid / unsigned), the signatures read (signer, issuer, signing time, problem) and whether
-- every signer chains to the trust list configured when it was uploaded. The plan target on signed submissions is
-- counted from signature_status = 'valid'.
ALTER TABLE stored_files
  ADD COLUMN signature_status text NOT NULL DEFAULT 'unsigned' CHECK (signature_status IN ('valid', 'invalid', 'unsigned', 'unchecked')),
  ADD COLUMN signatures jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN signature_trusted boolean NOT NULL DEFAULT false;
-- Files kept before verification existed only had a signature field detected: they stay "unchecked", never "valid".
UPDATE stored_files SET signature_status = 'unchecked' WHERE has_signature;
ALTER TABLE stored_files DROP COLUMN has_signature;

-- The result a decision issued: electronic (a signed PDF among the dossier's papers of kind 'result') or on paper,
-- recorded by its number and notation (số, ký hiệu) and its date. Dossiers decided before this have none recorded.
ALTER TABLE dossiers
  ADD COLUMN result_kind text CHECK (result_kind IN ('electronic', 'paper')),
  ADD COLUMN result_number text CHECK (length(result_number) BETWEEN 1 AND 100),
  ADD COLUMN result_issued_on date;
