-- The fields of a procedure version's application form, beyond what every application has (address, phone, request):
-- set by the administrator, shown on the online form and checked on submission; answers are kept with the dossier.
CREATE TABLE form_fields (
  procedure_version_id uuid NOT NULL REFERENCES procedure_versions(id),
  seq                  smallint NOT NULL CHECK (seq BETWEEN 1 AND 50),
  key                  text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label                text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
  kind                 text NOT NULL CHECK (kind IN ('text', 'textarea', 'date', 'number', 'select')),
  required             boolean NOT NULL,
  options              text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (procedure_version_id, seq),
  UNIQUE (procedure_version_id, key)
);
