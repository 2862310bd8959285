-- The queues other than "all" walk the open dossiers in due-date order (0043). With the columns they filter on in the
-- index (status, the three units, the assignee), that walk and the capped count read index pages only: a province
-- leader's "waiting" with nothing waiting tested 4,836 entries in 1 ms instead of scanning a unit index of every
-- dossier ever kept (17 ms at one year). Decided dossiers (9) join the predicate: they wait at the counter to be
-- returned, so the counter's to-do walks this index too. read-dossiers.ts takes a page's ids from it, then the rows.
DROP INDEX dossiers_queue_order_idx;
CREATE INDEX dossiers_queue_order_idx ON dossiers ((COALESCE(due_at, 'infinity'::timestamptz)), submitted_at DESC, id DESC)
  INCLUDE (status, receiving_org_unit_id, deciding_org_unit_id, step_org_unit_id, assignee_id)
  WHERE status IN (1, 2, 4, 5, 6, 9);
