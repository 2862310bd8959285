-- A search by name or part of a code over a period (the "all" view, a year by default) walks the period newest
-- first until a page of matches is found. With the searched columns in the index, that walk reads index pages only
-- (an index-only scan that tests each entry there) instead of visiting every row it passes over: for a name found in
-- one dossier in two hundred, ten thousand row visits a page. read-dossiers.ts picks the page's ids this way, then
-- reads those rows. Rare terms still go through the trigram indexes, which the planner prefers for them.
DROP INDEX dossiers_submitted_idx;
CREATE INDEX dossiers_submitted_idx ON dossiers (submitted_at DESC, id DESC) INCLUDE (applicant_search, code, applicant_personal_id);
