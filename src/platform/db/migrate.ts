import { readdir, readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import type { Db } from './database.ts';

export const migrationsDir = new URL('../../../migrations/', import.meta.url);

export interface MigrationResult {
  readonly applied: readonly string[];
  readonly alreadyApplied: number;
}

/** Runs each pending numbered .sql file in its own transaction and records it; forward-only. */
export async function migrate(db: Db, dir: URL = migrationsDir): Promise<MigrationResult> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(db);
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const name of files) {
    const text = await readFile(new URL(name, dir), 'utf8');
    const ran = await db.transaction().execute(async (tx) => {
      // Two app processes starting together on one server must not both apply the same file.
      await sql`SELECT pg_advisory_xact_lock(727001)`.execute(tx);
      const done = await tx.selectFrom('schema_migrations').select('name').where('name', '=', name).executeTakeFirst();
      if (done) return false;
      await sql.raw(text).execute(tx);
      await tx.insertInto('schema_migrations').values({ name }).execute();
      return true;
    });
    if (ran) applied.push(name);
    else alreadyApplied += 1;
  }
  return { applied, alreadyApplied };
}
