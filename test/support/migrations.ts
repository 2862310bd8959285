import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type DatabaseHandle, openDatabase, openPglite } from '../../src/platform/db/database.ts';
import { migrate, migrationsDir } from '../../src/platform/db/migrate.ts';

/** An embedded database migrated only so far, to test what a later migration does to the data it finds. */
export interface EarlierDatabase {
  readonly handle: DatabaseHandle;
  /** Applies the migrations up to and including `last` that are not applied yet; answers their names. */
  migrateUpTo(last: string): Promise<readonly string[]>;
  close(): Promise<void>;
}

export async function earlierDatabase(): Promise<EarlierDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cqs-migrations-'));
  const pglite = await openPglite(undefined);
  const handle = await openDatabase({ kind: 'pglite-instance', pglite });
  return {
    handle,
    async migrateUpTo(last) {
      for (const name of (await readdir(migrationsDir)).filter((n) => n.endsWith('.sql') && n <= last)) await copyFile(new URL(name, migrationsDir), path.join(dir, name));
      return (await migrate(handle.db, pathToFileURL(`${dir}/`))).applied;
    },
    async close() {
      await handle.close();
      await pglite.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
