-- A unit's "all" view (its submissions over a period, newest first, counted up to 1,000) for the units it receives
-- for and decides: each reads its range of these instead of ANDing the unit's dossiers of every year with the
-- period's dossiers of every unit.
CREATE INDEX dossiers_receiving_submitted_idx ON dossiers (receiving_org_unit_id, submitted_at DESC);
CREATE INDEX dossiers_deciding_submitted_idx ON dossiers (deciding_org_unit_id, submitted_at DESC) WHERE deciding_org_unit_id IS NOT NULL;
