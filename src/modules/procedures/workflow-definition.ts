import type { Actor } from '../../platform/audit/audit-log.ts';
import type { Db, DbOrTx } from '../../platform/db/database.ts';
import type { StepRole } from '../../platform/db/schema.ts';
import { FieldErrors } from '../../platform/errors.ts';
import { reviseSetup, type VersionRef } from './setup-revision.ts';

/** One internal step of processing: who works it (a role, at the deciding unit or another agency) and its share of time. */
export interface WorkflowStep {
  readonly seq: number;
  readonly name: string;
  readonly role: StepRole;
  /** null: the deciding unit; otherwise another agency taking part (liên thông). */
  readonly orgUnitId: string | null;
  readonly budgetPercent: number;
}

/** Review by a specialist, then approval of the result by a leader: the usual path when a version defines none. */
export const DEFAULT_WORKFLOW: readonly WorkflowStep[] = [
  { seq: 1, name: 'Thẩm định hồ sơ', role: 'specialist', orgUnitId: null, budgetPercent: 70 },
  { seq: 2, name: 'Lãnh đạo xem xét, phê duyệt kết quả', role: 'department_leader', orgUnitId: null, budgetPercent: 30 },
];

export const stepRoleLabelsVi: Record<StepRole, string> = { specialist: 'Chuyên viên', department_leader: 'Lãnh đạo phòng', agency_leader: 'Lãnh đạo cơ quan' };

export async function workflowOf(db: DbOrTx, versionId: string): Promise<{ steps: readonly WorkflowStep[]; custom: boolean }> {
  const rows = await db.selectFrom('workflow_steps').selectAll().where('procedure_version_id', '=', versionId).orderBy('seq').execute();
  if (rows.length === 0) return { steps: DEFAULT_WORKFLOW, custom: false };
  return { steps: rows.map((r) => ({ seq: r.seq, name: r.name, role: r.role, orgUnitId: r.org_unit_id, budgetPercent: r.budget_percent })), custom: true };
}

/**
 * Sets a procedure's workflow (administrator). Steps are numbered in order; their time shares must add up to
 * 100 %; a step at another agency names a unit in force. Every problem is reported at once. The procedure's version
 * in force is superseded by a new version with these steps (see `reviseSetup`): dossiers in progress keep theirs.
 */
export async function setWorkflow(db: Db, actor: Actor, versionId: string, steps: readonly Omit<WorkflowStep, 'seq'>[], expectedVersionNo?: number): Promise<VersionRef> {
  const errors = new FieldErrors();
  if (steps.length === 0) errors.add('steps', 'required', 'Quy trình cần ít nhất một bước.', 'At least one step.');
  if (steps.length > 20) errors.add('steps', 'too_many', 'Quy trình có tối đa 20 bước.', 'At most 20 steps.');
  const units = steps.flatMap((s) => (s.orgUnitId ? [s.orgUnitId] : []));
  const known = units.length ? await db.selectFrom('org_units').select('id').where('id', 'in', units).where('valid_to', 'is', null).execute() : [];
  steps.forEach((s, i) => {
    if (s.name.trim().length === 0 || s.name.length > 200) errors.add(`steps.${i}.name`, 'required', 'Nhập tên bước (tối đa 200 ký tự).', 'Step name required.');
    if (!Number.isInteger(s.budgetPercent) || s.budgetPercent < 1 || s.budgetPercent > 100) errors.add(`steps.${i}.budgetPercent`, 'range', 'Tỷ lệ thời gian từ 1 đến 100 %.', 'Between 1 and 100.');
    if (s.orgUnitId && !known.some((k) => k.id === s.orgUnitId)) errors.add(`steps.${i}.orgUnitId`, 'not_found', 'Không có đơn vị này.', 'Unknown unit.');
  });
  const total = steps.reduce((sum, s) => sum + s.budgetPercent, 0);
  if (steps.length > 0 && total !== 100) errors.add('steps', 'budget_total', `Tổng tỷ lệ thời gian các bước phải bằng 100 % (hiện là ${total} %).`, 'Shares must add up to 100.');
  errors.throwIfAny();
  const after = steps.map((s, i) => ({ seq: i + 1, name: s.name.trim(), role: s.role, orgUnitId: s.orgUnitId, budgetPercent: s.budgetPercent }));
  return reviseSetup(
    db,
    actor,
    versionId,
    {
      action: 'procedure.workflow_set',
      read: async (tx, id) => {
        const current = await workflowOf(tx, id);
        return current.custom ? current.steps : null;
      },
      write: async (tx, id) => {
        await tx.deleteFrom('workflow_steps').where('procedure_version_id', '=', id).execute();
        await tx.insertInto('workflow_steps').values(after.map((s) => ({ procedure_version_id: id, seq: s.seq, name: s.name, role: s.role, org_unit_id: s.orgUnitId, budget_percent: s.budgetPercent }))).execute();
      },
      after,
    },
    expectedVersionNo,
  );
}
