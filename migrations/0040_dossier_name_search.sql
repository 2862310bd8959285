-- Officers find a dossier by part of the applicant's name (folded, without diacritics): a trigram index serves the
-- LIKE '%…%' that otherwise reads every dossier of the province.
CREATE INDEX dossiers_applicant_search_trgm_idx ON dossiers USING gin (applicant_search gin_trgm_ops);
