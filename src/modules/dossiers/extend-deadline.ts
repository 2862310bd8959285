import type { Actor } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, FieldErrors } from '../../platform/errors.ts';
import { localDateOf } from '../../platform/time.ts';
import { type DossierRow, loadDossier, officialMay } from './access.ts';
import { dossierRecordType, nextStatus } from './status.ts';
import type { UseCaseContext } from '../../platform/use-case.ts';
import { applyDossierAction, dossierFacts, eventActorOf } from './take-action.ts';

export interface Extension {
  readonly newDueDate: string;
  readonly reason: string;
  readonly expectedVersion: number;
}

/**
 * The deciding unit apologises and sets a new date for a dossier that will be late (Mẫu 04), as many times as the
 * dossier's pinned rules allow (once: NĐ 118/2025, as NĐ 61/2018 Art. 19(9)). The new due instant is the close of
 * office hours of the chosen working day.
 */
export async function extendDeadline(db: Db, ctx: UseCaseContext, user: CurrentUser, actor: Actor, dossierId: string, input: Extension): Promise<DossierRow> {
  return db.transaction().execute(async (tx) => {
    const loaded = await loadDossier(tx, dossierId);
    if (!loaded || !officialMay(user, 'dossiers.read', loaded)) throw new AppError('not_found');
    if (!officialMay(user, 'dossiers.process', loaded)) throw new AppError('forbidden');
    const d = loaded.dossier;
    if (d.row_version !== input.expectedVersion) throw new AppError('conflict');
    const facts = await dossierFacts(tx, d);
    const decision = nextStatus(d.status, 'extend', facts.past, { rules: facts.rules, extensions: d.extensions, hasDueDate: d.due_at !== null });
    if (!decision.ok) throw new AppError('conflict', { messageVi: decision.reasonVi ?? dossierRecordType.guardsVi.has_due_date });
    const errors = new FieldErrors();
    if (input.reason.trim().length < facts.rules.minReasonLength) errors.add('reason', 'too_short', `Nêu rõ lý do quá hạn (ít nhất ${facts.rules.minReasonLength} ký tự).`, 'State the reason.');
    if (d.due_at && input.newDueDate <= localDateOf(d.due_at)) errors.add('newDueDate', 'not_later', 'Ngày hẹn mới phải sau ngày hẹn hiện tại.', 'The new date must be after the current one.');
    else if (!ctx.calendar.isWorkingDay(input.newDueDate)) errors.add('newDueDate', 'not_working_day', 'Ngày hẹn mới phải là ngày làm việc.', 'The new date must be a working day.');
    errors.throwIfAny();
    const newDueAt = ctx.calendar.addWorkingDays(new Date(`${input.newDueDate}T00:00:00+07:00`), 0);
    const who = { ...eventActorOf(user), orgUnitId: d.deciding_org_unit_id };
    return applyDossierAction(tx, ctx, who, actor, d, { action: 'extend', expectedVersion: input.expectedVersion, note: input.reason, newDueAt }, facts);
  });
}
