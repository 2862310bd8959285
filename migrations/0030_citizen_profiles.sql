-- What a citizen's account knows about them besides name, personal ID, phone and e-mail (users): date of birth, sex,
-- ethnicity and the address they live at, on the directory's administrative units. Forms are filled in from it.
CREATE TABLE citizen_profiles (
  user_id       uuid PRIMARY KEY REFERENCES users(id),
  date_of_birth date CHECK (date_of_birth >= '1900-01-01'),
  sex           text CHECK (sex IN ('male', 'female')),
  ethnicity     text CHECK (length(ethnicity) BETWEEN 1 AND 50),
  commune_id    uuid REFERENCES admin_units(id),
  street        text CHECK (length(street) BETWEEN 1 AND 200),
  row_version   integer NOT NULL DEFAULT 1,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
