-- A province is a tenant (docs/CONVENTIONS.md item 12, src/platform/db/placement.ts). Every tenant table gets the
-- tenant column, and its primary key, unique constraints and unique indexes, and the foreign keys between tenant
-- tables, take it as their last column: Citus distributes by it only when every unique key includes it, and a foreign
-- key between distributed tables must join on it. Last, not first, so that a look-up by the old key still walks the
-- index: raw statements that do not yet name their tenant stay as fast as before.
--
-- An installation that serves one province has one tenant, 1, the default of the column, and nothing to set. The
-- Kysely plugin in tenant-scope.ts names the tenant in every statement it builds on a tenant table.
--
-- The tables are listed here, not read from placement.ts, because a migration is plain SQL that must not change
-- when that file does; placement.test.ts checks that both agree.
DO $$
DECLARE
  tenant_tables text[] := ARRAY[
    'dossiers', 'dossier_events', 'dossier_ratings', 'dossier_papers', 'dossier_answers', 'payments',
    'payment_callbacks', 'digitised_records', 'deadline_alerts', 'stored_files', 'exports',
    'audit_events', 'audit_seals', 'audit_stream_heads', 'audit_seal_state', 'audit_checkpoints',
    'outbox_messages', 'record_counts', 'record_count_builds', 'numbering_counters', 'numbering_skips', 'sessions',
    'org_units', 'users', 'role_assignments', 'citizen_profiles', 'account_tokens', 'sign_in_backoffs', 'api_clients',
    'procedure_assignments', 'workflow_steps'];
  t text;
  c record;
  -- PL/pgSQL has no arrays of records: the dropped foreign keys are kept as three parallel arrays.
  fk_tables text[] := ARRAY[]::text[];
  fk_names text[] := ARRAY[]::text[];
  fk_defs text[] := ARRAY[]::text[];
BEGIN
  FOREACH t IN ARRAY tenant_tables LOOP
    EXECUTE format('ALTER TABLE %I ADD COLUMN tenant_id smallint NOT NULL DEFAULT 1 CHECK (tenant_id > 0)', t);
  END LOOP;

  -- Foreign keys between tenant tables go first (they depend on the keys they reference) and come back widened.
  FOR c IN
    SELECT k.conname, k.conrelid::regclass::text AS from_table, pg_get_constraintdef(k.oid) AS def
    FROM pg_constraint k
    WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace
      AND k.conrelid::regclass::text = ANY (tenant_tables) AND k.confrelid::regclass::text = ANY (tenant_tables)
  LOOP
    fk_tables := fk_tables || c.from_table;
    fk_names := fk_names || c.conname::text;
    fk_defs := fk_defs || c.def;
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', c.from_table, c.conname);
  END LOOP;

  -- Primary keys and unique constraints: the same name, the same columns, then tenant_id.
  FOR c IN
    SELECT k.conname, k.conrelid::regclass::text AS on_table, k.contype,
      (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY u.ord)
       FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum) AS cols
    FROM pg_constraint k
    WHERE k.contype IN ('p', 'u') AND k.connamespace = 'public'::regnamespace
      AND k.conrelid::regclass::text = ANY (tenant_tables)
  LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', c.on_table, c.conname);
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s (%s, tenant_id)', c.on_table, c.conname,
      CASE c.contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END, c.cols);
  END LOOP;

  -- Unique indexes that are not constraints (partial ones): rebuilt with tenant_id after their columns.
  FOR c IN
    SELECT i.indexrelid::regclass::text AS index_name, pg_get_indexdef(i.indexrelid) AS def
    FROM pg_index i JOIN pg_class r ON r.oid = i.indrelid
    WHERE i.indisunique AND NOT i.indisprimary AND r.relnamespace = 'public'::regnamespace
      AND r.relname = ANY (tenant_tables)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
  LOOP
    EXECUTE format('DROP INDEX %s', c.index_name);
    -- The definition reads "… USING btree (a, b) WHERE …": the first closing parenthesis ends the column list.
    EXECUTE regexp_replace(c.def, '\)', ', tenant_id)');
  END LOOP;

  FOR i IN 1 .. coalesce(array_length(fk_names, 1), 0) LOOP
    -- "FOREIGN KEY (a) REFERENCES t(b) [ON DELETE …]" becomes "FOREIGN KEY (a, tenant_id) REFERENCES t(b, tenant_id) …"
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', fk_tables[i], fk_names[i],
      regexp_replace(regexp_replace(fk_defs[i], '^FOREIGN KEY \(([^)]*)\)', 'FOREIGN KEY (\1, tenant_id)'),
        'REFERENCES ([a-z_]+)\(([^)]*)\)', 'REFERENCES \1(\2, tenant_id)'));
  END LOOP;
END $$;
