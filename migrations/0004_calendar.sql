-- Per-year calendar exceptions (extra days off, swapped working days) and office hours: data the province edits.
-- The statutory rules and the lunar table ship with CQS in data/calendar/.

CREATE TABLE calendar_exceptions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  day          date NOT NULL UNIQUE,
  kind         text NOT NULL CHECK (kind IN ('day_off', 'working_day')),
  reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 300),
  decision_ref text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE calendar_settings (
  id            boolean PRIMARY KEY DEFAULT true CHECK (id),
  working_hours jsonb NOT NULL
);

INSERT INTO calendar_settings (working_hours)
VALUES ('[{"start":"07:30","end":"11:30"},{"start":"13:30","end":"17:00"}]');
