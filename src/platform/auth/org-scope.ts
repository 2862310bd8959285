import type { DbOrTx } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { type CurrentUser, hasPermissionOver, type Permission } from './permissions.ts';

export interface ScopedOrgUnit {
  readonly id: string;
  readonly name: string;
  readonly path: string;
  readonly kind: string;
}

/**
 * Loads an open org unit the user may act on with `permission`. A unit outside the user's subtree answers 404,
 * exactly like a unit that does not exist, so that its existence is not revealed.
 */
export async function orgUnitInScope(db: DbOrTx, user: CurrentUser, permission: Permission, orgUnitId: string): Promise<ScopedOrgUnit> {
  const unit = await db
    .selectFrom('org_units')
    .select(['id', 'name', 'path', 'kind'])
    .where('id', '=', orgUnitId)
    .where('valid_to', 'is', null)
    .executeTakeFirst();
  if (!unit || !hasPermissionOver(user, permission, unit.path)) throw new AppError('not_found');
  return unit;
}
