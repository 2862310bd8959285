-- The first start's demo load, as a sequence of steps: 'begun' is written before the first step touches anything,
-- each step once its data is in, and 'complete' last. A start that finds 'begun' without 'complete' was cut short
-- (killed, crashed) and resumes; the steps are idempotent, so one that ran but was not yet recorded runs harmlessly again.
CREATE TABLE demo_load_steps (
  step    text PRIMARY KEY CHECK (step ~ '^[a-z][a-z_]{0,39}$'),
  done_at timestamptz NOT NULL DEFAULT now()
);
