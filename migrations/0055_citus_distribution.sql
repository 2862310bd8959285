-- On Citus, the tables take their places (docs/CONVENTIONS.md item 12, src/platform/db/placement.ts): national
-- catalogues become reference tables, copied to every node; every table a province owns is distributed by the
-- tenant column of 0054, all of them co-located, so that a statement naming one tenant runs whole on one node.
-- The installation's own tables stay on the coordinator. On PGlite and a single PostgreSQL server (no extension)
-- this migration changes nothing.
--
-- Change notices (0042, 0051) come from triggers; on Citus they would fire on the workers, where no CQS process
-- listens, and name the shard instead of the table. They are dropped here, and a CQS process on Citus keeps no
-- in-process cache of rows (change-notices.ts): every read goes to the database, which is always true.
-- The audit triggers stay: on the shards they refuse an update, a delete or a truncate exactly as before.
--
-- The catalogues are listed here, not read from placement.ts, for the reason 0054 gives; placement.test.ts checks the
-- list against it.
DO $$
DECLARE
  reference_tables text[] := ARRAY[
    'admin_units', 'admin_unit_links', 'procedures', 'procedure_versions', 'sectors', 'form_fields',
    'paper_requirements', 'calendar_exceptions', 'rule_sets', 'numbering_series'];
  -- The tenant column of 0054 marks the tables a province owns (placement.test.ts checks it is on those only).
  tenant_tables text[] := ARRAY(
    SELECT c.table_name::text FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' ORDER BY c.table_name);
  notice_triggers text[][] := ARRAY[
    ['sessions_deleted', 'sessions'], ['sessions_changed', 'sessions'], ['users_deleted', 'users'],
    ['users_changed', 'users'], ['role_assignments_changed', 'role_assignments'], ['org_units_deleted', 'org_units'],
    ['org_units_changed', 'org_units'], ['procedures_reference', 'procedures'],
    ['procedure_versions_reference', 'procedure_versions'], ['form_fields_reference', 'form_fields'],
    ['paper_requirements_reference', 'paper_requirements'], ['procedure_assignments_reference', 'procedure_assignments'],
    ['org_units_reference', 'org_units']];
  t text;
  i int;
  c record;
  colocated text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    RETURN;
  END IF;
  -- Distributing a table with rows copies them; within one transaction Citus must then use one connection per node.
  PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
  -- The audit tables' triggers go to their shards with them.
  PERFORM set_config('citus.enable_unsafe_triggers', 'on', true);
  FOR i IN 1 .. array_length(notice_triggers, 1) LOOP
    EXECUTE format('DROP TRIGGER %I ON %I', notice_triggers[i][1], notice_triggers[i][2]);
  END LOOP;
  -- Citus refuses to distribute a table while a table still local references it, or it references one: the foreign
  -- keys among these tables are set aside, the tables distributed (catalogues first), and the keys added back.
  CREATE TEMPORARY TABLE set_aside_foreign_keys ON COMMIT DROP AS
    SELECT conrelid::regclass::text AS tbl, conname::text AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
    WHERE contype = 'f' AND conrelid::regclass::text = ANY (reference_tables || tenant_tables);
  FOR c IN SELECT * FROM set_aside_foreign_keys ORDER BY tbl, name LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', c.tbl, c.name);
  END LOOP;
  FOREACH t IN ARRAY reference_tables LOOP
    PERFORM create_reference_table(t);
  END LOOP;
  FOREACH t IN ARRAY tenant_tables LOOP
    PERFORM create_distributed_table(t, 'tenant_id', colocate_with => coalesce(colocated, 'none'));
    colocated := coalesce(colocated, t);
  END LOOP;
  FOR c IN SELECT * FROM set_aside_foreign_keys ORDER BY tbl, name LOOP
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', c.tbl, c.name, c.def);
  END LOOP;
END $$;
