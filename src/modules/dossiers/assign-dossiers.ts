import type { Actor } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import { activeUser } from '../../platform/auth/sessions.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, FieldErrors } from '../../platform/errors.ts';
import { loadDossier, officialMay } from './access.ts';
import type { AssignmentBody } from './schema.ts';
import { DossierStatus } from './status.ts';
import { mayWorkStep, officialsHolding } from './workflow.ts';
import type { UseCaseContext } from '../../platform/use-case.ts';
import { applyDossierAction, eventActorOf } from './take-action.ts';

/**
 * Assigns dossiers in processing to one official, all or none: a leader over the current step's unit assigns anyone
 * who may work that step; a specialist may take a dossier for themselves. Each assignment is on the timeline.
 */
export async function assignDossiers(db: Db, ctx: UseCaseContext, user: CurrentUser, actor: Actor, input: AssignmentBody): Promise<{ assigned: number }> {
  const ids = [...new Set(input.dossierIds)];
  return db.transaction().execute(async (tx) => {
    const assigneeUser = await activeUser(tx, { id: input.assigneeId });
    const errors = new FieldErrors();
    if (!assigneeUser) errors.add('assigneeId', 'not_found', 'Không tìm thấy cán bộ được phân công.', 'Assignee not found.');
    // Lock in a fixed order so that two bulk assignments over the same dossiers cannot deadlock.
    await tx.selectFrom('dossiers').select('id').where('id', 'in', ids).orderBy('id').forUpdate().execute();
    for (const [i, id] of ids.entries()) {
      const loaded = await loadDossier(tx, id);
      const field = `dossierIds.${i}`;
      if (!loaded || !officialMay(user, 'dossiers.read', loaded)) {
        errors.add(field, 'not_found', 'Không tìm thấy hồ sơ.', 'Dossier not found.');
        continue;
      }
      const d = loaded.dossier;
      const code = d.code ?? '';
      if (d.status !== DossierStatus.processing || !loaded.step) {
        errors.add(field, 'not_processing', `Hồ sơ ${code} không ở bước xử lý nên không phân công được.`, 'Only dossiers in processing can be assigned.');
        continue;
      }
      const leads = mayWorkStep(user, 'department_leader', loaded.step.unitPath);
      const takesOwn = input.assigneeId === user.id && mayWorkStep(user, loaded.step.current.role, loaded.step.unitPath);
      if (!leads && !takesOwn) {
        errors.add(field, 'forbidden', `Bạn không có quyền phân công hồ sơ ${code}.`, 'Not allowed to assign this dossier.');
        continue;
      }
      if (assigneeUser && !mayWorkStep(assigneeUser, loaded.step.current.role, loaded.step.unitPath)) {
        errors.add(field, 'assignee_not_allowed', `${assigneeUser.fullName} không xử lý được bước "${loaded.step.current.name}" của hồ sơ ${code}.`, 'The assignee cannot work this step.');
        continue;
      }
      if (errors.size > 0 || !assigneeUser) continue;
      const who = { ...eventActorOf(user), orgUnitId: d.step_org_unit_id };
      await applyDossierAction(tx, ctx, who, actor, d, { action: 'assign', expectedVersion: d.row_version, assigneeId: assigneeUser.id, data: { assignee: assigneeUser.fullName, assigneeId: assigneeUser.id } });
    }
    errors.throwIfAny();
    if (ids.length === 0) throw new AppError('bad_request');
    return { assigned: ids.length };
  });
}

/** The officials a leader may assign dossiers to: those with a processing role within the leader's units. */
export function assigneeChoices(db: Db, user: CurrentUser): Promise<{ id: string; name: string }[]> {
  const scopes = user.grants.filter((g) => g.role === 'department_leader' || g.role === 'agency_leader').map((g) => g.orgPath);
  return officialsHolding(db, ['specialist', 'department_leader', 'agency_leader'], { within: scopes });
}
