import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { type DatabaseHandle, openDatabase, openPglite } from '../../src/platform/db/database.ts';

/**
 * A fresh database for one test file, copied from the run's migrated and seeded template.
 * On PostgreSQL each copy is its own database (CREATE DATABASE … TEMPLATE), dropped on close.
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
  const admin = new pg.Client({ connectionString: template.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template.database}`);
  await admin.end();
  const url = new URL(template.url);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: url.toString(), maxConnections: 4 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const drop = new pg.Client({ connectionString: template.url });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}
