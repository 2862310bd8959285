-- Counts at two more grains: the year, and all time (one row per unit, via-unit and metric, filed under 1900-01-01).
-- A period's sum then reads whole years as one row each, and a balance (pending, overdue at a day) reads the
-- all-time row less what came after the day, instead of every month since counting began.
ALTER TABLE record_counts DROP CONSTRAINT record_counts_grain_check;
ALTER TABLE record_counts ADD CONSTRAINT record_counts_grain_check CHECK (grain IN ('d', 'm', 'y', 'a'));

INSERT INTO record_counts (record_type, grain, period, unit_id, via_unit_id, metric, n)
SELECT record_type, 'y', date_trunc('year', period)::date, unit_id, via_unit_id, metric, sum(n)
FROM record_counts WHERE grain = 'm'
GROUP BY record_type, date_trunc('year', period)::date, unit_id, via_unit_id, metric;

INSERT INTO record_counts (record_type, grain, period, unit_id, via_unit_id, metric, n)
SELECT record_type, 'a', DATE '1900-01-01', unit_id, via_unit_id, metric, sum(n)
FROM record_counts WHERE grain = 'm'
GROUP BY record_type, unit_id, via_unit_id, metric;
