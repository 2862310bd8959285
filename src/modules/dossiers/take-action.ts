import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { DossiersTable } from '../../platform/db/schema.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import type { Updateable } from 'kysely';
import { type DossierRow, loadDossier, mayTake, officialMay } from './access.ts';
import { dueAfterPause, dueDate, timelinessOf } from './deadline.ts';
import { notifyApplicant } from './notify-applicant.ts';
import { actionLabelsVi, type DossierAction, DossierStatus, type DossierPast, nextStatus, pastOf, statusLabelsVi } from './status.ts';
import { mayWorkStep, stepDueAt, type WorkflowStep, workflowOf } from './workflow.ts';
import { activeUser } from '../../platform/auth/sessions.ts';

// Refusals, supplement requests and stops must tell the applicant why (Mẫu 02, 03, 05), once and in full.
const NEEDS_REASON: readonly DossierAction[] = ['refuse', 'request_supplement', 'stop'];

export interface ActionInput {
  readonly action: DossierAction;
  /** The row version the actor saw: a second officer acting on the same version gets a conflict. */
  readonly expectedVersion: number;
  readonly note?: string | undefined;
  /** With start_processing, forward and send_back: who works the next step (else whoever of its role takes it). */
  readonly assigneeId?: string | undefined;
  /** What else the applicant's notification must say (e.g. the amount of a fee). */
  readonly notice?: string | undefined;
}

async function processingTimeOf(tx: Tx, versionId: string) {
  const v = await tx.selectFrom('procedure_versions').select(['processing_value', 'processing_unit']).where('id', '=', versionId).executeTakeFirstOrThrow();
  return { value: v.processing_value === null ? null : Number(v.processing_value), unit: v.processing_unit };
}

/** The dossier's past as the guards and `resume` need it, from its timeline. */
async function pastOfDossier(tx: Tx, d: DossierRow): Promise<DossierPast> {
  const events = await tx.selectFrom('dossier_events').select(['action', 'from_status', 'to_status']).where('dossier_id', '=', d.id).orderBy('id').execute();
  return pastOf(d.status, events);
}

/** What the clock does to the dossier's dates; timeliness is recorded apart from the status. */
async function clockChanges(tx: Tx, calendar: WorkingCalendar, d: DossierRow, clock: string, action: DossierAction, now: Date): Promise<Updateable<DossiersTable>> {
  switch (clock) {
    case 'start': {
      const due = dueDate(calendar, now, await processingTimeOf(tx, d.procedure_version_id));
      return { received_at: now, due_at: due, original_due_at: due };
    }
    case 'pause':
      return d.received_at ? { paused_since: now } : {};
    case 'resume':
      return d.due_at && d.paused_since ? { due_at: dueAfterPause(calendar, d.due_at, d.paused_since, now), paused_since: null } : { paused_since: null };
    case 'restart': {
      // A complete dossier after a supplement starts its processing time again from zero.
      const due = dueDate(calendar, now, await processingTimeOf(tx, d.procedure_version_id));
      return { due_at: due, paused_since: null };
    }
    case 'stop':
      if (action !== 'decide') return { paused_since: null };
      return { decided_at: now, paused_since: null, timeliness: d.due_at ? timelinessOf(now, d.due_at) : null };
    default:
      return action === 'deliver_result' ? { returned_at: now } : {};
  }
}

const STEP_MOVES: readonly DossierAction[] = ['start_processing', 'forward', 'send_back'];

/** Checks that the chosen assignee may work the step at its unit. */
async function checkAssignee(tx: Tx, assigneeId: string, step: WorkflowStep, unitId: string): Promise<void> {
  const unit = await tx.selectFrom('org_units').select('path').where('id', '=', unitId).executeTakeFirstOrThrow();
  const user = await activeUser(tx, { id: assigneeId });
  if (!user || !mayWorkStep(user, step.role, unit.path)) {
    throw AppError.validation([fieldError('assigneeId', 'not_allowed', `Người được chọn không xử lý được bước "${step.name}" tại đơn vị này.`, 'The assignee cannot work this step.')]);
  }
}

/**
 * Where a dossier moves among the steps of its workflow: the first step when processing starts, the next or previous
 * one on a hand-over, and a fresh step budget when it comes back from a pause. The timeline records each hand-over.
 */
async function stepChanges(tx: Tx, calendar: WorkingCalendar, d: DossierRow, input: ActionInput, to: DossierStatus, dates: Updateable<DossiersTable>, now: Date) {
  const resumes = to === DossierStatus.processing && d.status !== DossierStatus.processing && input.action !== 'start_processing';
  if (!STEP_MOVES.includes(input.action) && !resumes) return { set: {}, data: {} };
  const { steps } = await workflowOf(tx, d.procedure_version_id);
  const at = steps.findIndex((x) => x.seq === d.step_seq);
  const index = input.action === 'start_processing' ? 0 : input.action === 'forward' ? at + 1 : input.action === 'send_back' ? at - 1 : Math.max(at, 0);
  const step = steps[index];
  if (!step) throw new AppError('conflict', { messageVi: 'Không còn bước xử lý nào theo quy trình.' });
  const unitId = step.orgUnitId ?? d.deciding_org_unit_id ?? d.receiving_org_unit_id;
  let assignee = resumes ? d.assignee_id : (input.assigneeId ?? null);
  if (input.assigneeId && !resumes) await checkAssignee(tx, input.assigneeId, step, unitId);
  if (input.action === 'send_back' && !input.assigneeId) {
    // Sent back to whoever handed it on from that step.
    const previous = await tx.selectFrom('dossier_events').select(['actor_id', 'data']).where('dossier_id', '=', d.id).where('action', '=', 'forward').orderBy('id', 'desc').execute();
    assignee = previous.find((e) => (e.data as { fromStep?: number }).fromStep === step.seq)?.actor_id ?? null;
  }
  const unit = await tx.selectFrom('org_units').select('name').where('id', '=', unitId).executeTakeFirstOrThrow();
  const merged = { received_at: (dates.received_at as Date | undefined) ?? d.received_at, original_due_at: (dates.original_due_at as Date | undefined) ?? d.original_due_at, due_at: (dates.due_at as Date | undefined) ?? d.due_at };
  const stepDue = stepDueAt(calendar, now, step, merged);
  return {
    set: { step_seq: step.seq, step_org_unit_id: unitId, step_due_at: stepDue, assignee_id: assignee },
    data: { fromStep: d.step_seq, toStep: step.seq, stepName: step.name, stepUnit: unit.name, stepUnitId: unitId, stepDueAt: stepDue?.toISOString() ?? null, late: d.step_due_at !== null && input.action === 'forward' ? now > d.step_due_at : undefined },
  };
}

/**
 * What the applicant is told of an action: what happened and, for a refusal, a supplement request or a stop, the
 * reason in full, so that the message itself says what to bring (once and in full) without signing in.
 */
function applicantNews(input: ActionInput): string {
  const reason = NEEDS_REASON.includes(input.action) && input.note?.trim() ? `Nội dung: ${input.note.trim().replace(/[.\s]*$/, '')}.` : '';
  return [`${actionLabelsVi[input.action] ?? input.action}.`, reason, input.notice ?? ''].filter((x) => x !== '').join(' ');
}

/** Who the timeline names for an action: a signed-in user, or a system such as the payment gateway. */
export interface EventActor {
  readonly id: string | null;
  readonly label: string;
  readonly orgUnitId: string | null;
}

/**
 * Applies an action already authorised, inside the caller's transaction: state machine, clock, optimistic lock,
 * timeline event, notification and audit event.
 */
export async function applyDossierAction(tx: Tx, calendar: WorkingCalendar, who: EventActor, actor: Actor, d: DossierRow, input: ActionInput): Promise<DossierRow> {
  if (d.row_version !== input.expectedVersion) throw new AppError('conflict');
  if (NEEDS_REASON.includes(input.action) && (input.note?.trim().length ?? 0) < 10) {
    throw AppError.validation([fieldError('note', 'reason_required', 'Ghi rõ lý do hoặc các giấy tờ cần bổ sung (ít nhất 10 ký tự); nội dung này in trên phiếu gửi người nộp.', 'A reason of 10 characters or more is required.')]);
  }
  const next = nextStatus(d.status, input.action, await pastOfDossier(tx, d));
  if (!next.ok) {
    throw new AppError('conflict', { messageVi: next.reasonVi ?? `Không thể thực hiện thao tác này khi hồ sơ đang ở trạng thái "${statusLabelsVi[d.status]}".` });
  }
  const now = new Date();
  const dates = await clockChanges(tx, calendar, d, next.clock, input.action, now);
  const steps = await stepChanges(tx, calendar, d, input, next.to, dates, now);
  const updated = await tx
    .updateTable('dossiers')
    .set({ ...dates, ...steps.set, status: next.to, row_version: d.row_version + 1, updated_at: now })
    .where('id', '=', d.id)
    .where('row_version', '=', input.expectedVersion)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw new AppError('conflict');
  await tx
    .insertInto('dossier_events')
    .values({ dossier_id: d.id, action: input.action, from_status: d.status, to_status: next.to, actor_id: who.id, actor_label: who.label, org_unit_id: who.orgUnitId, occurred_at: now, note: input.note?.trim() || null, data: JSON.stringify(steps.data) })
    .execute();
  // Hand-overs inside the agency are not the applicant's news; the status they see has not changed.
  if (input.action !== 'forward' && input.action !== 'send_back') await notifyApplicant(tx, updated, applicantNews(input));
  await recordAudit(tx, actor, {
    action: `dossier.${input.action}`,
    entityType: 'dossier',
    entityId: d.id,
    orgUnitId: d.receiving_org_unit_id,
    before: { status: d.status, dueAt: d.due_at },
    after: { status: next.to, dueAt: updated.due_at, timeliness: updated.timeliness },
  });
  return updated;
}

/**
 * Takes one lifecycle action for a user: checks who may take it, then applies it (state machine, optimistic lock,
 * timeline, audit) in one transaction. `onApplied` adds work to the same transaction (e.g. the fee to pay).
 */
export async function takeDossierAction(
  db: Db,
  calendar: WorkingCalendar,
  user: CurrentUser,
  actor: Actor,
  dossierId: string,
  input: ActionInput,
  onApplied?: (tx: Tx, updated: DossierRow) => Promise<void>,
): Promise<DossierRow> {
  return db.transaction().execute(async (tx) => {
    const loaded = await loadDossier(tx, dossierId);
    if (!loaded) throw new AppError('not_found');
    const d = loaded.dossier;
    const visible = user.kind === 'citizen' ? d.applicant_user_id === user.id : officialMay(user, 'dossiers.read', loaded);
    if (!visible) throw new AppError('not_found');
    if (!mayTake(user, input.action, loaded)) throw new AppError('forbidden');
    const who = { id: user.id, label: user.fullName, orgUnitId: user.kind === 'official' ? (user.grants[0]?.orgUnitId ?? null) : null };
    const updated = await applyDossierAction(tx, calendar, who, actor, d, input);
    await onApplied?.(tx, updated);
    return updated;
  });
}
