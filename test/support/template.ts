import { openDatabase, openPglite } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { seedTestBase } from './seed.ts';

/** Migrates and seeds a database once; returns the PGlite dump bytes (or nothing for a server template). */
export async function prepareTemplate(target: { kind: 'pglite' } | { kind: 'postgres'; url: string }): Promise<Buffer> {
  if (target.kind === 'postgres') {
    const handle = await openDatabase({ kind: 'postgres', url: target.url, maxConnections: 2 });
    try {
      await migrate(handle.db);
      await seedTestBase(handle.db);
    } finally {
      await handle.close();
    }
    return Buffer.alloc(0);
  }
  const pglite = await openPglite(undefined);
  const handle = await openDatabase({ kind: 'pglite-instance', pglite });
  await migrate(handle.db);
  await seedTestBase(handle.db);
  await handle.close();
  const blob = await pglite.dumpDataDir('gzip');
  await pglite.close();
  return Buffer.from(await blob.arrayBuffer());
}
