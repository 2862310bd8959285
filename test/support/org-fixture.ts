import type { Db } from '../../src/platform/db/database.ts';

/** Creates an org unit (and its materialised path) for tests that must not depend on the demo names. */
export async function insertOrgUnit(db: Db, name: string, parent?: { id: string; path: string }): Promise<{ id: string; path: string }> {
  const row = await db
    .insertInto('org_units')
    .values({
      parent_id: parent?.id ?? null,
      path: 'pending',
      kind: parent ? 'department' : 'people_committee',
      name,
      short_name: null,
      admin_unit_id: null,
      agency_code: null,
      agency_code_note: null,
      valid_from: '2025-07-01',
      valid_to: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const path = `${parent?.path ?? '/'}${row.id}/`;
  await db.updateTable('org_units').set({ path }).where('id', '=', row.id).execute();
  return { id: row.id, path };
}
