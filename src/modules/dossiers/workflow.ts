import { sql } from 'kysely';
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

/**
 * Active officials holding one of `roles`, by name: in a unit at or above `above` (their role covers it), or in a unit
 * within one of the `within` subtrees.
 */
export async function officialsHolding(db: DbOrTx, roles: readonly Role[], scope: { above: string } | { within: readonly string[] }): Promise<{ id: string; name: string }[]> {
  if ('within' in scope && scope.within.length === 0) return [];
  const rows = await db
    .selectFrom('role_assignments as ra')
    .innerJoin('org_units as ou', 'ou.id', 'ra.org_unit_id')
    .innerJoin('users as u', 'u.id', 'ra.user_id')
    .select(['u.id', 'u.full_name'])
    .distinct()
    .where('ra.role', 'in', [...roles])
    .where('u.status', '=', 'active')
    .where('ou.valid_to', 'is', null)
    .where((eb) => ('above' in scope ? eb(sql.val(scope.above), 'like', sql<string>`ou.path || '%'`) : eb.or(scope.within.map((p) => eb('ou.path', 'like', `${p}%`)))))
    .orderBy('u.full_name')
    .limit(300)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.full_name }));
}

/** The officials who may work a step at a unit (for the assignee choices and the deadline warnings). */
export function stepCandidates(db: DbOrTx, role: StepRole, unitPath: string): Promise<{ id: string; name: string }[]> {
  const roles = Object.keys(RANK).filter((r) => (RANK[r] ?? 0) >= (RANK[role] ?? 9)) as StepRole[];
  return officialsHolding(db, roles, { above: unitPath });
}
