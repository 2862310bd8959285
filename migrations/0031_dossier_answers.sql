-- The answers to a dossier's e-form, one row per field, each with where its value came from: typed by the person, or
-- filled in from the applicant's account or from an earlier dossier and left as it was. The plan target "≥ 20 % of
-- form fields auto-filled" (dossiers.autofillShare) is counted from these rows. `prefill` is the fact about the
-- applicant the field asked for, so that a later dossier, of any procedure, can be filled in from this answer.
CREATE TABLE dossier_answers (
  dossier_id        uuid NOT NULL REFERENCES dossiers(id),
  field_key         text NOT NULL CHECK (field_key ~ '^[a-z][a-z0-9_]{0,39}$'),
  prefill           text,
  value             jsonb NOT NULL,
  origin            text NOT NULL CHECK (origin IN ('typed', 'account', 'previous_dossier')),
  source_dossier_id uuid REFERENCES dossiers(id),
  CHECK ((origin = 'previous_dossier') = (source_dossier_id IS NOT NULL)),
  PRIMARY KEY (dossier_id, field_key)
);

-- Answers kept inside the dossier's form data until now move here; nothing was filled in automatically before.
INSERT INTO dossier_answers (dossier_id, field_key, value, origin)
SELECT d.id, f.key, to_jsonb(f.value), 'typed'
FROM dossiers d,
  jsonb_each_text(CASE WHEN jsonb_typeof(d.form_data -> 'fields') = 'object' THEN d.form_data -> 'fields' ELSE '{}'::jsonb END) f
WHERE f.key ~ '^[a-z][a-z0-9_]{0,39}$';
UPDATE dossiers SET form_data = form_data - 'fields' WHERE form_data ? 'fields';
