import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/platform/db/database.ts';
import { createDatabase, databaseUrl, dropDatabase } from '../../src/platform/db/server-databases.ts';

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
  await createDatabase(template.url, name, { template: template.database });
  const url = databaseUrl(template.url, name);
  const handle = await openDatabase({ kind: 'postgres', url });
  return {
    url,
    handle,
    drop: async () => {
      await handle.close();
      await dropDatabase(template.url, name);
    },
  };
}
