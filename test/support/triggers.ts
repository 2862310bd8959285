import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/database.ts';

/**
 * Runs `statements` in order on one connection, allowed to disable or drop triggers as someone with DDL rights
 * tampering with the tables could: Citus accepts trigger DDL on distributed tables only with
 * `citus.enable_unsafe_triggers` (migrations/0055). Elsewhere that is an unused custom setting, accepted and ignored.
 */
export async function asTableOwner(db: Db, ...statements: string[]): Promise<void> {
  await db.connection().execute(async (c) => {
    const citus = (await sql<{ on: boolean }>`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS on`.execute(c)).rows[0]?.on;
    await sql`SET citus.enable_unsafe_triggers = on`.execute(c);
    try {
      for (const s of statements) {
        await sql.raw(s).execute(c);
        const dropped = /^DROP TRIGGER (\w+) ON \w+$/.exec(s)?.[1];
        if (citus && dropped) await dropOnShards(c, dropped);
      }
    } finally {
      await sql`RESET citus.enable_unsafe_triggers`.execute(c);
    }
  });
}

/**
 * Citus 12.1 drops a trigger from the distributed table but leaves its copies on the shards (`<name>_<shard id>`),
 * which keep firing: whoever tampers has to drop those on every worker as well.
 */
async function dropOnShards(c: Db, trigger: string): Promise<void> {
  const command = `DO $do$ DECLARE r record; BEGIN
    FOR r IN SELECT tgname, tgrelid::regclass::text AS rel FROM pg_trigger WHERE tgname ~ '^${trigger}_[0-9]+$' LOOP
      EXECUTE format('DROP TRIGGER %I ON %s', r.tgname, r.rel);
    END LOOP; END $do$`;
  const { rows } = await sql<{ success: boolean; result: string }>`SELECT success, result FROM run_command_on_workers(${command})`.execute(c);
  const failed = rows.find((r) => !r.success);
  if (failed) throw new Error(`dropping ${trigger} on the shards: ${failed.result}`);
}
