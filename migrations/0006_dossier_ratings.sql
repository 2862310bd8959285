-- The applicant's satisfaction with a finished dossier (once), for the plans' satisfaction target (≥ 90 %).
CREATE TABLE dossier_ratings (
  dossier_id        uuid PRIMARY KEY REFERENCES dossiers(id),
  applicant_user_id uuid NOT NULL REFERENCES users(id),
  rating            smallint NOT NULL CHECK (rating IN (1, 2, 3)),   -- 1 Rất hài lòng, 2 Hài lòng, 3 Chưa hài lòng
  comment           text CHECK (length(comment) <= 2000),
  rated_at          timestamptz NOT NULL DEFAULT now()
);
