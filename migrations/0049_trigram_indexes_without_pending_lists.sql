-- The trigram indexes take each new row at once instead of through GIN's pending list. With the pending list (the
-- default), rows waited there unsorted until a vacuum merged them, up to 4 MB of them, and every search read the
-- whole list: on a database just loaded, or between two autovacuums of a busy one, a search by part of a code or by
-- name read 300–400 pending pages (about 50 ms) where the index itself answered in 2–3 ms. A dossier or a procedure
-- version is written once and searched many times, so the write pays instead.
ALTER INDEX dossiers_code_trgm_idx SET (fastupdate = off);
ALTER INDEX dossiers_applicant_search_trgm_idx SET (fastupdate = off);
ALTER INDEX procedure_versions_search_idx SET (fastupdate = off);
-- Turning the pending list off does not empty it: merge what is already waiting.
SELECT gin_clean_pending_list('dossiers_code_trgm_idx'::regclass),
       gin_clean_pending_list('dossiers_applicant_search_trgm_idx'::regclass),
       gin_clean_pending_list('procedure_versions_search_idx'::regclass);
