import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { type DatabaseHandle, openDatabase, openPglite } from '../../src/platform/db/database.ts';
import { createDatabase, databaseUrl, dropDatabase } from '../../src/platform/db/server-databases.ts';

/** A test database; `url` for one on a server, where a second handle on it can be opened. */
export interface TestDbHandle extends DatabaseHandle {
  readonly url?: string;
}

/**
 * The app's own handle on a test database. On Citus its connections refuse any statement that would run on more than
 * one shard (`citus.multi_task_query_log_level = error`): every statement CQS makes on a distributed table must name
 * its tenant (docs/CONVENTIONS.md item 12), and a route or job that forgets fails its tests there. The test's own
 * set-up and checks use the other handle, free to read across tenants. Elsewhere it is the same handle.
 */
export async function appHandleOn(test: TestDbHandle): Promise<{ handle: DatabaseHandle; close: () => Promise<void> }> {
  if (!test.url) return { handle: test, close: async () => {} };
  const citus = await sql<{ on: boolean }>`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS on`.execute(test.db);
  if (!citus.rows[0]?.on) return { handle: test, close: async () => {} };
  const strict = new URL(test.url);
  strict.searchParams.set('options', '-c citus.multi_task_query_log_level=error');
  const handle = await openDatabase({ kind: 'postgres', url: strict.toString(), maxConnections: 4 });
  return { handle, close: () => handle.close() };
}

/**
 * A fresh database for one test file, copied from the run's migrated and seeded template.
 * On PostgreSQL each copy is its own database (CREATE DATABASE … TEMPLATE, on every node of a Citus cluster), dropped
 * on close.
 */
export async function createTestDb(): Promise<TestDbHandle> {
  const template = inject('dbTemplate');
  if (template.kind === 'pglite') {
    const bytes = await readFile(template.file);
    const pglite = await openPglite(undefined, new Blob([bytes]));
    const handle = await openDatabase({ kind: 'pglite-instance', pglite });
    return { ...handle, close: async () => { await handle.close(); await pglite.close(); } };
  }
  const name = `cqs_t_${randomBytes(5).toString('hex')}`;
  await createDatabase(template.url, name, { template: template.database });
  const url = databaseUrl(template.url, name);
  const handle = await openDatabase({ kind: 'postgres', url, maxConnections: 4 });
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      await dropDatabase(template.url, name);
    },
  };
}
