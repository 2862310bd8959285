import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, databaseUrl, dropDatabase } from '../src/platform/db/server-databases.ts';
import type { TestProject } from 'vitest/node';
import { prepareTemplate } from './support/template.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dbTemplate: { kind: 'pglite'; file: string } | { kind: 'postgres'; url: string; database: string };
  }
}

/**
 * Builds one migrated and seeded database for the whole run; every test file then starts from a copy of it
 * (a PGlite data-dir dump, or a PostgreSQL template database when DATABASE_URL is set).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const database = `cqs_tpl_${randomBytes(4).toString('hex')}`;
    await createDatabase(serverUrl, database);
    await prepareTemplate({ kind: 'postgres', url: databaseUrl(serverUrl, database) });
    project.provide('dbTemplate', { kind: 'postgres', url: serverUrl, database });
    return () => dropDatabase(serverUrl, database);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cqs-test-'));
  const file = path.join(dir, 'template.tar.gz');
  const dump = await prepareTemplate({ kind: 'pglite' });
  await writeFile(file, dump);
  project.provide('dbTemplate', { kind: 'pglite', file });
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
