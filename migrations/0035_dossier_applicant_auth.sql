-- How the applicant authenticated when the dossier was submitted or received (plan figure dossiers.eAuthShare):
-- password, VNeID level 1 or 2 (online), in person at the counter, or not at all (postal). NULL: recorded before.
ALTER TABLE dossiers ADD COLUMN applicant_auth text CHECK (applicant_auth IN ('password', 'vneid_1', 'vneid_2', 'counter', 'none'));

-- A citizen whose identity is verified sees the dossiers recorded for their personal ID (e.g. received at a counter).
CREATE INDEX dossiers_applicant_personal_idx ON dossiers (applicant_personal_id, submitted_at DESC) WHERE applicant_personal_id IS NOT NULL;
