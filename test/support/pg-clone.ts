import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/platform/db/database.ts';

/** A private copy of the migrated, seeded template on the PostgreSQL server, for tests that kill processes. */
export interface ClonedDatabase {
  readonly url: string;
  readonly handle: DatabaseHandle;
  drop(): Promise<void>;
}

export async function clonePostgresTemplate(prefix: string): Promise<ClonedDatabase> {
  const template = inject('dbTemplate');
  if (template.kind !== 'postgres') throw new Error('needs the PostgreSQL template');
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: template.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name} TEMPLATE ${template.database}`);
  const u = new URL(template.url);
  u.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: u.toString() });
  return {
    url: u.toString(),
    handle,
    drop: async () => {
      await handle.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
