import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import type { Role, StepRole } from '../../platform/db/schema.ts';
import type { WorkflowStep } from '../procedures/index.ts';

export { type WorkflowStep, workflowOf } from '../procedures/index.ts';

// A leader may also work the steps below their rank (a department leader may review in a specialist's place).
const RANK: Record<string, number> = { specialist: 1, department_leader: 2, agency_leader: 3 };

/** Whether the user holds, over the step's unit, a role at least as senior as the step asks for. */
export function mayWorkStep(user: CurrentUser, role: StepRole, stepUnitPath: string): boolean {
  if (user.kind !== 'official') return false;
  return user.grants.some((g) => (RANK[g.role] ?? 0) >= (RANK[role] ?? 9) && stepUnitPath.startsWith(g.orgPath));
}

/**
 * When a step entered at `now` is due: its share of the procedure's whole working time (received → first due date),
 * and never after the dossier's own due date.
 */
export function stepDueAt(calendar: WorkingCalendar, now: Date, step: WorkflowStep, dossier: { received_at: Date | null; original_due_at: Date | null; due_at: Date | null }): Date | null {
  if (!dossier.received_at || !dossier.original_due_at || !dossier.due_at) return null;
  const total = calendar.workingMillisBetween(dossier.received_at, dossier.original_due_at);
  const due = calendar.addWorkingHours(now, (total * step.budgetPercent) / 100 / 3_600_000);
  return due.getTime() < dossier.due_at.getTime() ? due : dossier.due_at;
}

/** Active officials holding one of `roles` in a unit within one of the `within` subtrees, by name. */
export async function officialsHolding(db: DbOrTx, roles: readonly Role[], scope: { within: readonly string[] }): Promise<{ id: string; name: string }[]> {
  if (scope.within.length === 0) return [];
  const rows = await db
    .selectFrom('role_assignments as ra')
    .innerJoin('org_units as ou', 'ou.id', 'ra.org_unit_id')
    .innerJoin('users as u', 'u.id', 'ra.user_id')
    .select(['u.id', 'u.full_name'])
    .distinct()
    .where('ra.role', 'in', [...roles])
    .where('u.status', '=', 'active')
    .where('ou.valid_to', 'is', null)
    .where((eb) => eb.or(scope.within.map((p) => eb('ou.path', 'like', `${p}%`))))
    .orderBy('u.full_name')
    .limit(300)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.full_name }));
}

/**
 * The people a step is handed to: those holding the step's own role in the step's unit or a unit within it (a
 * specialist of the department for its review, not a provincial leader whose role merely covers it). They are the
 * assignee choices of a hand-over and whom the deadline warnings go to.
 */
export function stepCandidates(db: DbOrTx, role: StepRole, unitPath: string): Promise<{ id: string; name: string }[]> {
  return officialsHolding(db, [role], { within: [unitPath] });
}

/** Whether the user is one of a step's candidates (see `stepCandidates`): the assignee a hand-over may name. */
export function isStepCandidate(user: CurrentUser, role: StepRole, unitPath: string): boolean {
  return user.kind === 'official' && user.grants.some((g) => g.role === role && g.orgPath.startsWith(unitPath));
}
