-- Reference data a process may keep in memory between requests (reference-cache.ts): a procedure's version in
-- force, its e-form, its papers, the units that decide or receive it. Any change to these tables, by CQS or by hand,
-- announces 'reference:<table>' on the change channel of 0042, once per statement (the notice names no row: such
-- changes are rare, and every entry of the table goes).
CREATE FUNCTION cqs_notify_reference() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cqs_changes', 'reference:' || TG_TABLE_NAME);
  RETURN NULL;
END $$;

CREATE TRIGGER procedures_reference AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON procedures
  FOR EACH STATEMENT EXECUTE FUNCTION cqs_notify_reference();
CREATE TRIGGER procedure_versions_reference AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON procedure_versions
  FOR EACH STATEMENT EXECUTE FUNCTION cqs_notify_reference();
CREATE TRIGGER form_fields_reference AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON form_fields
  FOR EACH STATEMENT EXECUTE FUNCTION cqs_notify_reference();
CREATE TRIGGER paper_requirements_reference AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON paper_requirements
  FOR EACH STATEMENT EXECUTE FUNCTION cqs_notify_reference();
CREATE TRIGGER procedure_assignments_reference AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON procedure_assignments
  FOR EACH STATEMENT EXECUTE FUNCTION cqs_notify_reference();
CREATE TRIGGER org_units_reference AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON org_units
  FOR EACH STATEMENT EXECUTE FUNCTION cqs_notify_reference();
