import { readFile } from 'node:fs/promises';
import { systemActor } from '../../platform/audit/audit-log.ts';
import type { Db } from '../../platform/db/database.ts';
import { assignDemoProcedures } from './assign-procedures.ts';
import { importProcedures } from './import-procedures.ts';
import { seedEforms } from './seed-eforms.ts';

const dataDir = new URL('../../../data/procedures/', import.meta.url);
export const CATALOGUE_FILE = new URL('tthc_catalog_2642.csv', dataDir);
export const DETAILED_FILE = new URL('tthc_cap_xa_chi_tiet_274.json', dataDir);

const CATALOGUE = { fileName: 'tthc_catalog_2642.csv', kind: 'catalogue', url: CATALOGUE_FILE } as const;
const DETAILED = { fileName: 'tthc_cap_xa_chi_tiet_274.json', kind: 'detailed', url: DETAILED_FILE } as const;

/** Imports one bundled file unless an import of it is already recorded (the import and its record are one transaction). */
async function importBundled(db: Db, file: typeof CATALOGUE | typeof DETAILED): Promise<void> {
  const done = await db.selectFrom('import_runs').select('id').where('kind', '=', `procedures.${file.kind}`).where('file_name', '=', file.fileName).executeTakeFirst();
  if (done) return;
  await importProcedures(db, systemActor('demo-seed'), { fileName: file.fileName, kind: file.kind, text: await readFile(file.url, 'utf8') });
}

export const seedDemoCatalogue = (db: Db) => importBundled(db, CATALOGUE);
export const seedDemoDetailedProcedures = (db: Db) => importBundled(db, DETAILED);

/** Assigns procedures to the demo org units, unless some are assigned already (the assignment is one transaction). */
export async function seedDemoAssignments(db: Db): Promise<void> {
  const any = await db.selectFrom('procedure_assignments').select('procedure_id').limit(1).executeTakeFirst();
  if (any) return;
  await assignDemoProcedures(db, systemActor('demo-seed'));
}

/** The seeded e-forms (data/eforms/) of the five procedures whose forms ship with CQS; skipped where one is set. */
export const seedDemoEforms = async (db: Db): Promise<void> => void (await seedEforms(db));

/** Imports the bundled catalogue when it is empty, then assigns procedures to the demo org units and seeds e-forms. */
export async function seedProcedures(db: Db): Promise<void> {
  const any = await db.selectFrom('procedures').select('id').limit(1).executeTakeFirst();
  if (any) return;
  await seedDemoCatalogue(db);
  await seedDemoDetailedProcedures(db);
  await seedDemoAssignments(db);
  await seedDemoEforms(db);
}
