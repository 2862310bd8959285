import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { type DatabaseHandle, openDatabase, openPglite } from '../../src/platform/db/database.ts';
import { createDatabase, databaseUrl, dropDatabase } from '../../src/platform/db/server-databases.ts';

/**
 * A fresh database for one test file, copied from the run's migrated and seeded template.
 * On PostgreSQL each copy is its own database (CREATE DATABASE … TEMPLATE, on every node of a Citus cluster), dropped
 * on close.
 */
export async function createTestDb(): Promise<DatabaseHandle> {
  const template = inject('dbTemplate');
  if (template.kind === 'pglite') {
    const bytes = await readFile(template.file);
    const pglite = await openPglite(undefined, new Blob([bytes]));
    const handle = await openDatabase({ kind: 'pglite-instance', pglite });
    return { ...handle, close: async () => { await handle.close(); await pglite.close(); } };
  }
  const name = `cqs_t_${randomBytes(5).toString('hex')}`;
  await createDatabase(template.url, name, { template: template.database });
  const handle = await openDatabase({ kind: 'postgres', url: databaseUrl(template.url, name), maxConnections: 4 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await dropDatabase(template.url, name);
    },
  };
}
