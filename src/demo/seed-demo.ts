import { seedDirectory } from '../modules/directory/demo-seed.ts';
import { seedProcedures } from '../modules/procedures/demo-seed.ts';
import type { Db } from '../platform/db/database.ts';

/** First-run demo data: the directory first, since procedures are assigned to its org units. */
export async function seedDemo(db: Db): Promise<void> {
  await seedDirectory(db);
  await seedProcedures(db);
}
