import './permissions.ts';
import { type CurrentUser, hasPermissionOver, type Permission, permissionScopes } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import type { DossiersTable } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { type Selectable, sql } from 'kysely';
import { actorKinds } from '../../platform/records/transitions.ts';
import { type DossierActorKind, type DossierRecordAction, DossierStatus, dossierRecordType } from './status.ts';
import { mayWorkStep, type WorkflowStep, workflowOf } from './workflow.ts';

export type DossierRow = Selectable<DossiersTable>;

export interface LoadedDossier {
  readonly dossier: DossierRow;
  readonly receivingPath: string;
  readonly decidingPath: string | null;
  /** The current processing step, where its unit sits in the org tree, and whether it is the last one. */
  readonly step: { readonly current: WorkflowStep; readonly unitPath: string; readonly last: boolean } | null;
  /** Units that held a step of this dossier (liên thông): they keep reading it after handing it on. */
  readonly participantPaths: readonly string[];
}

export async function loadDossier(db: DbOrTx, id: string): Promise<LoadedDossier | null> {
  const row = await db
    .selectFrom('dossiers as d')
    .innerJoin('org_units as r', 'r.id', 'd.receiving_org_unit_id')
    .leftJoin('org_units as c', 'c.id', 'd.deciding_org_unit_id')
    .leftJoin('org_units as s', 's.id', 'd.step_org_unit_id')
    .selectAll('d')
    .select(['r.path as receiving_path', 'c.path as deciding_path', 's.path as step_path'])
    .where('d.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const { receiving_path, deciding_path, step_path, ...dossier } = row;
  let step: LoadedDossier['step'] = null;
  if (dossier.step_seq !== null && step_path !== null) {
    const { steps } = await workflowOf(db, dossier.procedure_version_id);
    const current = steps.find((s) => s.seq === dossier.step_seq);
    if (current) step = { current, unitPath: step_path, last: current.seq === steps[steps.length - 1]?.seq };
  }
  return { dossier, receivingPath: receiving_path, decidingPath: deciding_path, step, participantPaths: await participantPaths(db, dossier) };
}

async function participantPaths(db: DbOrTx, d: DossierRow): Promise<string[]> {
  if (d.step_seq === null) return [];
  const rows = await db
    .selectFrom('dossier_events as e')
    .innerJoin('org_units as ou', (j) => j.on(sql`ou.id::text`, '=', sql`e.data->>'stepUnitId'`))
    .select('ou.path')
    .distinct()
    .where('e.dossier_id', '=', d.id)
    .where('e.action', 'in', ['start_processing', 'forward', 'send_back'])
    .execute();
  return rows.map((r) => r.path);
}

/** Whether the user may act with `permission` on a dossier received or decided in their subtree. */
export function officialMay(user: CurrentUser, permission: Permission, d: LoadedDossier): boolean {
  const participants = permission === 'dossiers.read' ? d.participantPaths : [];
  const paths = [d.receivingPath, d.decidingPath, d.step?.unitPath, ...participants].filter((p): p is string => typeof p === 'string');
  return paths.some((p) => hasPermissionOver(user, permission, p));
}

/**
 * Whether a citizen's account holds a dossier: it was submitted from that account, or it was recorded for the personal
 * ID the account has verified (at a counter, by post). A personal ID that is only claimed reaches nothing.
 */
export function applicantHolds(user: CurrentUser, d: Pick<DossierRow, 'applicant_user_id' | 'applicant_personal_id'>): boolean {
  if (user.kind !== 'citizen') return false;
  return d.applicant_user_id === user.id || (!!user.verifiedPersonalId && d.applicant_personal_id === user.verifiedPersonalId);
}

/** A dossier the user may see: officials in scope, or the applicant. Anything else is 404, never 403. */
export async function dossierVisibleTo(db: DbOrTx, user: CurrentUser, id: string): Promise<LoadedDossier> {
  const d = await loadDossier(db, id);
  if (!d) throw new AppError('not_found');
  const visible = user.kind === 'citizen' ? applicantHolds(user, d.dossier) : officialMay(user, 'dossiers.read', d);
  if (!visible) throw new AppError('not_found');
  return d;
}

/** Whether the user is, on this dossier, an actor of the given kind of the lifecycle (see `dossierRecordType`). */
function actsAs(user: CurrentUser, kind: DossierActorKind, action: DossierRecordAction, d: LoadedDossier): boolean {
  switch (kind) {
    case 'receive':
      return user.kind === 'official' && officialMay(user, 'dossiers.receive', d);
    case 'process':
      return user.kind === 'official' && officialMay(user, 'dossiers.process', d);
    case 'applicant':
      return user.kind === 'citizen' && d.dossier.applicant_user_id === user.id;
    case 'step':
      // Outside processing there is no step to work: the deciding unit is told why the action is refused (409).
      if (d.dossier.status !== DossierStatus.processing) return user.kind === 'official' && officialMay(user, 'dossiers.process', d);
      return user.kind === 'official' && stepAllows(user, action, d);
    case 'assign':
      return user.kind === 'official' && d.step !== null && (mayWorkStep(user, 'department_leader', d.step.unitPath) || mayWorkStep(user, d.step.current.role, d.step.unitPath));
    case 'system':
      return false;
  }
}

/** Whether a user may take an action on a dossier in its current status. */
export function mayTake(user: CurrentUser, action: DossierRecordAction, d: LoadedDossier): boolean {
  return actorKinds(dossierRecordType, action, d.dossier.status).some((kind) => actsAs(user, kind, action, d));
}

// While processing, moving the dossier on and deciding belong to whoever may work the current step.
function stepAllows(user: CurrentUser, action: DossierRecordAction, d: LoadedDossier): boolean {
  if (!d.step) return action === 'decide' && officialMay(user, 'dossiers.process', d);
  if (!mayWorkStep(user, d.step.current.role, d.step.unitPath)) return false;
  if (action === 'forward') return !d.step.last;
  if (action === 'send_back') return d.step.current.seq > 1;
  return d.step.last;
}

export const readScopes = (user: CurrentUser) => permissionScopes(user, 'dossiers.read');
