import { type CurrentUser, hasPermissionOver, type Permission, permissionScopes } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import type { DossiersTable } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { Selectable } from 'kysely';
import { type DossierAction, DossierStatus } from './status.ts';

export type DossierRow = Selectable<DossiersTable>;

export interface LoadedDossier {
  readonly dossier: DossierRow;
  readonly receivingPath: string;
  readonly decidingPath: string | null;
}

export async function loadDossier(db: DbOrTx, id: string): Promise<LoadedDossier | null> {
  const row = await db
    .selectFrom('dossiers as d')
    .innerJoin('org_units as r', 'r.id', 'd.receiving_org_unit_id')
    .leftJoin('org_units as c', 'c.id', 'd.deciding_org_unit_id')
    .selectAll('d')
    .select(['r.path as receiving_path', 'c.path as deciding_path'])
    .where('d.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const { receiving_path, deciding_path, ...dossier } = row;
  return { dossier, receivingPath: receiving_path, decidingPath: deciding_path };
}

/** Whether the user may act with `permission` on a dossier received or decided in their subtree. */
export function officialMay(user: CurrentUser, permission: Permission, d: LoadedDossier): boolean {
  return hasPermissionOver(user, permission, d.receivingPath) || (d.decidingPath !== null && hasPermissionOver(user, permission, d.decidingPath));
}

/** A dossier the user may see: officials in scope, or the applicant. Anything else is 404, never 403. */
export async function dossierVisibleTo(db: DbOrTx, user: CurrentUser, id: string): Promise<LoadedDossier> {
  const d = await loadDossier(db, id);
  if (!d) throw new AppError('not_found');
  const visible = user.kind === 'citizen' ? d.dossier.applicant_user_id === user.id : officialMay(user, 'dossiers.read', d);
  if (!visible) throw new AppError('not_found');
  return d;
}

/** Who may take an action: the one-stop counter, the deciding specialists and leaders, or the applicant. */
export function actorKindsFor(action: DossierAction, status: DossierStatus): readonly ('receive' | 'process' | 'applicant')[] {
  switch (action) {
    case 'receive':
    case 'refuse':
    case 'start_processing':
    case 'deliver_result':
      return ['receive'];
    case 'request_supplement':
      return status === DossierStatus.submitted ? ['receive'] : ['process'];
    case 'request_fee':
    case 'stop':
    case 'decide':
      return ['process'];
    case 'provide_supplement':
    case 'pay_fee':
    case 'withdraw':
      return ['receive', 'applicant'];
  }
}

export function mayTake(user: CurrentUser, action: DossierAction, d: LoadedDossier): boolean {
  const kinds = actorKindsFor(action, d.dossier.status);
  if (user.kind === 'citizen') return kinds.includes('applicant') && d.dossier.applicant_user_id === user.id;
  return (kinds.includes('receive') && officialMay(user, 'dossiers.receive', d)) || (kinds.includes('process') && officialMay(user, 'dossiers.process', d));
}

export const readScopes = (user: CurrentUser) => permissionScopes(user, 'dossiers.read');
