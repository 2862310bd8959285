import { readFile } from 'node:fs/promises';
import { systemActor } from '../../platform/audit/audit-log.ts';
import type { Db } from '../../platform/db/database.ts';
import { assignDemoProcedures } from './assign-procedures.ts';
import { importProcedures } from './import-procedures.ts';

const dataDir = new URL('../../../data/procedures/', import.meta.url);
export const CATALOGUE_FILE = new URL('tthc_catalog_2642.csv', dataDir);
export const DETAILED_FILE = new URL('tthc_cap_xa_chi_tiet_274.json', dataDir);

/** Imports the bundled catalogue when it is empty, then assigns procedures to the demo org units. */
export async function seedProcedures(db: Db): Promise<void> {
  const any = await db.selectFrom('procedures').select('id').limit(1).executeTakeFirst();
  if (any) return;
  const actor = systemActor('demo-seed');
  await importProcedures(db, actor, { fileName: 'tthc_catalog_2642.csv', kind: 'catalogue', text: await readFile(CATALOGUE_FILE, 'utf8') });
  await importProcedures(db, actor, { fileName: 'tthc_cap_xa_chi_tiet_274.json', kind: 'detailed', text: await readFile(DETAILED_FILE, 'utf8') });
  await assignDemoProcedures(db, actor);
}
