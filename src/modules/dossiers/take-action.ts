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
import { actionLabelsVi, type DossierAction, DossierStatus, nextStatus, statusLabelsVi } from './status.ts';

// Refusals, supplement requests and stops must tell the applicant why (Mẫu 02, 03, 05), once and in full.
const NEEDS_REASON: readonly DossierAction[] = ['refuse', 'request_supplement', 'stop'];

export interface ActionInput {
  readonly action: DossierAction;
  /** The row version the actor saw: a second officer acting on the same version gets a conflict. */
  readonly expectedVersion: number;
  readonly note?: string | undefined;
}

async function processingTimeOf(tx: Tx, versionId: string) {
  const v = await tx.selectFrom('procedure_versions').select(['processing_value', 'processing_unit']).where('id', '=', versionId).executeTakeFirstOrThrow();
  return { value: v.processing_value === null ? null : Number(v.processing_value), unit: v.processing_unit };
}

/** The status the dossier held before its current pause (supplement or fee), from its timeline. */
async function pausedFrom(tx: Tx, d: DossierRow): Promise<DossierStatus | null> {
  if (d.status !== DossierStatus.supplementRequested && d.status !== DossierStatus.feeDue) return null;
  const event = await tx.selectFrom('dossier_events').select('from_status').where('dossier_id', '=', d.id).where('to_status', '=', d.status).orderBy('id', 'desc').executeTakeFirst();
  return event?.from_status ?? null;
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
  const next = nextStatus(d.status, input.action, await pausedFrom(tx, d));
  if (!next.ok) {
    throw new AppError('conflict', { messageVi: `Không thể thực hiện thao tác này khi hồ sơ đang ở trạng thái "${statusLabelsVi[d.status]}".` });
  }
  const now = new Date();
  const updated = await tx
    .updateTable('dossiers')
    .set({ ...(await clockChanges(tx, calendar, d, next.clock, input.action, now)), status: next.to, row_version: d.row_version + 1, updated_at: now })
    .where('id', '=', d.id)
    .where('row_version', '=', input.expectedVersion)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw new AppError('conflict');
  await tx
    .insertInto('dossier_events')
    .values({ dossier_id: d.id, action: input.action, from_status: d.status, to_status: next.to, actor_id: who.id, actor_label: who.label, org_unit_id: who.orgUnitId, occurred_at: now, note: input.note?.trim() || null, data: '{}' })
    .execute();
  await notifyApplicant(tx, updated, `${actionLabelsVi[input.action] ?? input.action}.`);
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
