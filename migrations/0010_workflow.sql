-- The internal steps a dossier goes through while "Đang xử lý" (national status 4): review, leaders' approval, and
-- for multi-agency procedures (liên thông) steps at other agencies. Each step has a share of the processing time.
-- A version without rows uses the default two steps (see dossiers/workflow.ts).
CREATE TABLE workflow_steps (
  procedure_version_id uuid NOT NULL REFERENCES procedure_versions(id),
  seq                  smallint NOT NULL CHECK (seq BETWEEN 1 AND 20),
  name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  role                 text NOT NULL CHECK (role IN ('specialist', 'department_leader', 'agency_leader')),
  org_unit_id          uuid REFERENCES org_units(id),          -- NULL: the deciding unit; else another agency
  budget_percent       smallint NOT NULL CHECK (budget_percent BETWEEN 1 AND 100),
  PRIMARY KEY (procedure_version_id, seq)
);

ALTER TABLE dossiers
  ADD COLUMN step_seq         smallint,
  ADD COLUMN step_org_unit_id uuid REFERENCES org_units(id),
  ADD COLUMN step_due_at      timestamptz,
  ADD COLUMN assignee_id      uuid REFERENCES users(id),
  -- When the "due tomorrow" alert went out (once per dossier and due date).
  ADD COLUMN due_alert_for    timestamptz;
CREATE INDEX dossiers_step_unit_idx ON dossiers (step_org_unit_id, status, due_at) WHERE step_org_unit_id IS NOT NULL;
CREATE INDEX dossiers_assignee_idx ON dossiers (assignee_id, status, due_at) WHERE assignee_id IS NOT NULL;
CREATE INDEX dossiers_open_due_idx ON dossiers (due_at) WHERE status IN (2, 4);
