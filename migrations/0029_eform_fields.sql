-- E-forms (tờ khai) as data. Each field of a procedure version's form gets a kind among those the official forms use
-- (a yes/no box, a personal identification number, a phone number, an address on the directory's administrative
-- units), a help text, the section of the form it belongs to, the fact about the applicant it may be filled in from
-- (their account or an earlier dossier), and where the question comes from in the official form.
ALTER TABLE form_fields DROP CONSTRAINT form_fields_kind_check;
ALTER TABLE form_fields ADD CONSTRAINT form_fields_kind_check
  CHECK (kind IN ('text', 'textarea', 'date', 'number', 'select', 'checkbox', 'personal_id', 'phone', 'address'));
ALTER TABLE form_fields
  ADD COLUMN help_text   text CHECK (length(help_text) BETWEEN 1 AND 500),
  ADD COLUMN group_label text CHECK (length(group_label) BETWEEN 1 AND 200),
  ADD COLUMN prefill     text CHECK (prefill IN ('full_name', 'date_of_birth', 'sex', 'ethnicity', 'personal_id', 'phone', 'email', 'address')),
  ADD COLUMN source      text CHECK (length(source) BETWEEN 1 AND 500);

-- A paper slot can say when it is needed ("only when …"), so the slot's name stays the paper's name.
ALTER TABLE paper_requirements ADD COLUMN hint text CHECK (length(hint) BETWEEN 1 AND 500);
