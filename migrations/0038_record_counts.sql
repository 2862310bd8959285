-- Per-unit, per-day and per-month counts of what records did (received, decided on time, rated …), kept by the kernel
-- in the same transaction as each change, so that figures over any period read a few hundred rows instead of every
-- record. A record type's counts are rebuilt from its facts by `cqs counts rebuild` (record_count_builds says when).
CREATE TABLE record_counts (
  record_type text NOT NULL,
  -- 'd': the day `period`; 'm': the month starting on `period`. Each fact is counted at both grains.
  grain char(1) NOT NULL CHECK (grain IN ('d', 'm')),
  period date NOT NULL,
  -- The unit the record belongs to (a dossier's deciding unit) and the unit it came through (its receiving unit).
  unit_id uuid NOT NULL,
  via_unit_id uuid NOT NULL,
  metric text NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY (record_type, grain, period, unit_id, via_unit_id, metric)
);

CREATE TABLE record_count_builds (
  record_type text PRIMARY KEY,
  built_at timestamptz NOT NULL,
  records bigint NOT NULL
);
