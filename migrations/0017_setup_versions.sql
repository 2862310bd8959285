-- Where a procedure version comes from: a catalogue decision (import), or the administrator changing the setup
-- (papers asked for, processing steps, form fields). A setup change is a new version rather than an edit in place,
-- so that dossiers already received keep the rules they started under; the catalogue history tells the two apart.
ALTER TABLE procedure_versions
  ADD COLUMN origin text NOT NULL DEFAULT 'catalogue' CHECK (origin IN ('catalogue', 'setup'));
