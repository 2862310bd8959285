import type { DbOrTx } from '../../platform/db/database.ts';
import type { OrgUnitsTable } from '../../platform/db/schema.ts';

/** The open org units of `kind` built on an administrative unit of `level` (e.g. every commune people's committee). */
export async function orgUnitsAtLevel(db: DbOrTx, level: 'province' | 'district' | 'commune', kind: OrgUnitsTable['kind']): Promise<string[]> {
  const rows = await db
    .selectFrom('org_units as ou')
    .innerJoin('admin_units as au', 'au.id', 'ou.admin_unit_id')
    .select('ou.id')
    .where('au.level', '=', level)
    .where('ou.kind', '=', kind)
    .where('ou.valid_to', 'is', null)
    .orderBy('ou.id')
    .execute();
  return rows.map((r) => r.id);
}
