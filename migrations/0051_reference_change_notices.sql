-- Reference data a process may keep in memory between requests (reference-cache.ts): a procedure's version in
-- force, its e-form, its papers, the units that decide or receive it. Any change to these tables, by CQS or by hand,
-- announces 'reference:<table>' on the change channel of 0042, once per statement (the notice names no row: such
-- changes are rare, and every entry of the table goes).
CREATE FUNCTION cqs_notify_reference() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cqs_changes', 'reference:' || TG_TABLE_NAME);
  RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['procedures', 'procedure_versions', 'form_fields', 'paper_requirements', 'procedure_assignments', 'org_units'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION cqs_notify_reference()', t || '_reference', t);
  END LOOP;
END $$;
