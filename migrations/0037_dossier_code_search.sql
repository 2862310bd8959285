-- Officers look a dossier up by part of its code ("260601-0012", "0012"): a trigram index serves LIKE '%…%' on the
-- code within a queue, where the unique index serves only the whole code.
CREATE INDEX dossiers_code_trgm_idx ON dossiers USING gin (code gin_trgm_ops);
