-- The open dossiers of each deciding unit by due date: the pending and overdue figures of a period not yet over, and
-- the leaders' view of what is late, read from this index instead of every dossier ever received.
CREATE INDEX dossiers_open_idx ON dossiers (deciding_org_unit_id, due_at)
  WHERE decided_at IS NULL AND received_at IS NOT NULL AND status NOT IN (3, 7, 8);
