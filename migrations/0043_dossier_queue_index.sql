-- The queues other than "all" list open and waiting dossiers (statuses 1, 2, 4, 5, 6) in the order they page by key
-- (read-dossiers.ts, DUE_FIRST): due date with undated last, then newest submission. A province-wide view (a leader's
-- "overdue", "waiting", "due soon") then reads its range of this small index instead of every dossier ever kept.
CREATE INDEX dossiers_queue_order_idx ON dossiers ((COALESCE(due_at, 'infinity'::timestamptz)), submitted_at DESC, id DESC)
  WHERE status IN (1, 2, 4, 5, 6);
