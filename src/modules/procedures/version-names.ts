import type { DbOrTx } from '../../platform/db/database.ts';

export interface VersionName {
  readonly nationalCode: string;
  readonly name: string;
}

/**
 * The national code and name of each of these procedure versions, in one query (for lists of dossiers: read the page
 * first, then the names of its versions).
 */
export async function versionNames(db: DbOrTx, versionIds: readonly string[]): Promise<Map<string, VersionName>> {
  const ids = [...new Set(versionIds)];
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('procedure_versions as v')
    .innerJoin('procedures as p', 'p.id', 'v.procedure_id')
    .select(['v.id', 'p.national_code', 'v.name'])
    .where('v.id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, { nationalCode: r.national_code, name: r.name }]));
}
