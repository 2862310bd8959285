import type { Db } from '../../src/platform/db/database.ts';

/** The base data every integration test starts from. */
export async function seedTestBase(_db: Db): Promise<void> {}
