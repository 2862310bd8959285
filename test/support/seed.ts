import { seedDemo } from '../../src/demo/seed-demo.ts';
import type { Db } from '../../src/platform/db/database.ts';

/** Integration tests start from the same data a fresh `npm start` shows. */
export async function seedTestBase(db: Db): Promise<void> {
  await seedDemo(db);
}
