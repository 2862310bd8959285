-- Change notices: a row change that a process may hold in memory (a signed-in session, an official's grants, the
-- org units they name) is announced on one channel, `cqs_changes`, as 'topic:key'. Every connection of every CQS
-- process listens, so a cache evicts the entry whichever process, or whichever hand-written SQL, made the change;
-- the process that commits hears it before its own COMMIT returns.
CREATE FUNCTION cqs_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'sessions' THEN
    PERFORM pg_notify('cqs_changes', 'session:' || OLD.token_hash);
  ELSIF TG_TABLE_NAME = 'users' THEN
    PERFORM pg_notify('cqs_changes', 'user:' || OLD.id);
  ELSIF TG_TABLE_NAME = 'role_assignments' THEN
    IF TG_OP <> 'INSERT' THEN PERFORM pg_notify('cqs_changes', 'user:' || OLD.user_id); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM pg_notify('cqs_changes', 'user:' || NEW.user_id); END IF;
  ELSE
    -- An org unit renamed, moved or closed changes the grants of everyone over it: every entry goes.
    PERFORM pg_notify('cqs_changes', TG_TABLE_NAME || ':*');
  END IF;
  RETURN NULL;
END $$;

-- The sliding expiry (last_seen_at, expires_at later) is written by the process that serves the session; no other
-- process must hear of it. A session deleted, cut short or moved to another account is announced.
CREATE TRIGGER sessions_deleted AFTER DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION cqs_notify_change();
CREATE TRIGGER sessions_changed AFTER UPDATE ON sessions FOR EACH ROW
  WHEN (NEW.expires_at < OLD.expires_at OR NEW.user_id <> OLD.user_id)
  EXECUTE FUNCTION cqs_notify_change();
CREATE TRIGGER users_deleted AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION cqs_notify_change();
CREATE TRIGGER users_changed AFTER UPDATE ON users FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.username IS DISTINCT FROM NEW.username
        OR OLD.full_name IS DISTINCT FROM NEW.full_name OR OLD.personal_id IS DISTINCT FROM NEW.personal_id
        OR OLD.identity_verified_at IS DISTINCT FROM NEW.identity_verified_at)
  EXECUTE FUNCTION cqs_notify_change();
CREATE TRIGGER role_assignments_changed AFTER INSERT OR UPDATE OR DELETE ON role_assignments FOR EACH ROW EXECUTE FUNCTION cqs_notify_change();
CREATE TRIGGER org_units_deleted AFTER DELETE ON org_units FOR EACH ROW EXECUTE FUNCTION cqs_notify_change();
CREATE TRIGGER org_units_changed AFTER UPDATE ON org_units FOR EACH ROW
  WHEN (OLD.path IS DISTINCT FROM NEW.path OR OLD.name IS DISTINCT FROM NEW.name OR OLD.valid_to IS DISTINCT FROM NEW.valid_to)
  EXECUTE FUNCTION cqs_notify_change();
