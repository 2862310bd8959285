-- Counts by week too (from its Monday): a period's ends are read as whole weeks and a few days rather than up to a
-- month of days (30 rows per unit and metric for "the last 30 days" become about 10). Built here from the day rows.
ALTER TABLE record_counts DROP CONSTRAINT record_counts_grain_check;
ALTER TABLE record_counts ADD CONSTRAINT record_counts_grain_check CHECK (grain IN ('d', 'w', 'm', 'y', 'a'));

INSERT INTO record_counts (record_type, grain, period, unit_id, via_unit_id, metric, n)
SELECT record_type, 'w', (period - ((extract(isodow FROM period)::int - 1)))::date, unit_id, via_unit_id, metric, sum(n)
FROM record_counts WHERE grain = 'd'
GROUP BY record_type, (period - ((extract(isodow FROM period)::int - 1)))::date, unit_id, via_unit_id, metric;
