-- The file store records when a stored file is first attached to something a module keeps (a dossier's paper, a
-- digitised record...), so that removing abandoned uploads needs no knowledge of the modules' tables.
ALTER TABLE stored_files ADD COLUMN attached_at timestamptz;

-- Files already in use: attached when their first paper or record was made.
UPDATE stored_files f
SET attached_at = u.first_use
FROM (
  SELECT file_id, min(used_at) AS first_use
  FROM (
    SELECT file_id, added_at AS used_at FROM dossier_papers
    UNION ALL
    SELECT file_id, created_at AS used_at FROM digitised_records
  ) refs
  GROUP BY file_id
) u
WHERE u.file_id = f.id;

-- Housekeeping looks only at uploads never attached, by age.
CREATE INDEX stored_files_unattached_idx ON stored_files (created_at) WHERE attached_at IS NULL;
