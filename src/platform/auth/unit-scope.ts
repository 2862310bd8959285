import type { DbOrTx } from '../db/database.ts';

/** The org units a user's permission reaches, as queries use them: the whole tree without any list, or unit ids. */
export type UnitScope = { readonly all: true } | { readonly unitIds: readonly string[] };

/**
 * Resolves permission scopes (org-path prefixes) once per request: when they cover every root of the org tree the
 * answer is "all" and queries filter on nothing (a province-wide leader's queue and figures need no list of hundreds
 * of ids); otherwise the ids of the units within the subtrees.
 */
export async function resolveUnitScope(db: DbOrTx, prefixes: readonly string[]): Promise<UnitScope> {
  if (prefixes.length === 0) return { unitIds: [] };
  const roots = await db.selectFrom('org_units').select('path').where('parent_id', 'is', null).execute();
  if (roots.length > 0 && roots.every((r) => prefixes.some((p) => r.path.startsWith(p)))) return { all: true };
  const units = await db.selectFrom('org_units').select('id').where((eb) => eb.or(prefixes.map((p) => eb('path', 'like', `${p}%`)))).execute();
  return { unitIds: units.map((u) => u.id) };
}

export const isEmptyScope = (scope: UnitScope): boolean => 'unitIds' in scope && scope.unitIds.length === 0;
