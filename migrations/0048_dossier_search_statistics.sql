-- A finer sample of applicants' names for the planner: with it, a name that many dossiers share is estimated as
-- common and found by walking the period newest first (a few thousand rows), and a rare one by the trigram index.
-- The default sample estimated every name as rare, and a common one read every match of every year.
ALTER TABLE dossiers ALTER COLUMN applicant_search SET STATISTICS 2000;
ANALYZE dossiers (applicant_search);
