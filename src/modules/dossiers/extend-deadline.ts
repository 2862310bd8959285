import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, FieldErrors } from '../../platform/errors.ts';
import { localDateOf } from '../../platform/time.ts';
import { type DossierRow, loadDossier, officialMay } from './access.ts';
import { notifyApplicant } from './notify-applicant.ts';
import { DossierStatus } from './status.ts';

export interface Extension {
  readonly newDueDate: string;
  readonly reason: string;
  readonly expectedVersion: number;
}

const EXTENDABLE: readonly DossierStatus[] = [DossierStatus.received, DossierStatus.processing, DossierStatus.supplementRequested, DossierStatus.feeDue];

/**
 * The deciding unit apologises and sets a new date for a dossier that will be late (Mẫu 04); the date may be re-set
 * once only (NĐ 61/2018 Art. 19(9)). The new due instant is the close of office hours of the chosen working day.
 */
export async function extendDeadline(db: Db, calendar: WorkingCalendar, user: CurrentUser, actor: Actor, dossierId: string, input: Extension): Promise<DossierRow> {
  return db.transaction().execute(async (tx) => {
    const loaded = await loadDossier(tx, dossierId);
    if (!loaded || !officialMay(user, 'dossiers.read', loaded)) throw new AppError('not_found');
    if (!officialMay(user, 'dossiers.process', loaded)) throw new AppError('forbidden');
    const d = loaded.dossier;
    if (d.row_version !== input.expectedVersion) throw new AppError('conflict');
    if (!EXTENDABLE.includes(d.status) || !d.due_at) throw new AppError('conflict', { messageVi: 'Hồ sơ ở trạng thái này không gia hạn được.' });
    if (d.extended) throw new AppError('conflict', { messageVi: 'Hồ sơ đã được hẹn lại một lần; không được gia hạn lần nữa.' });
    const errors = new FieldErrors();
    if (input.reason.trim().length < 10) errors.add('reason', 'too_short', 'Nêu rõ lý do quá hạn (ít nhất 10 ký tự).', 'State the reason (10 characters or more).');
    if (input.newDueDate <= localDateOf(d.due_at)) errors.add('newDueDate', 'not_later', 'Ngày hẹn mới phải sau ngày hẹn hiện tại.', 'The new date must be after the current one.');
    else if (!calendar.isWorkingDay(input.newDueDate)) errors.add('newDueDate', 'not_working_day', 'Ngày hẹn mới phải là ngày làm việc.', 'The new date must be a working day.');
    errors.throwIfAny();
    const newDue = calendar.addWorkingDays(new Date(`${input.newDueDate}T00:00:00+07:00`), 0);
    const now = new Date();
    const updated = await tx
      .updateTable('dossiers')
      .set({ due_at: newDue, extended: true, row_version: d.row_version + 1, updated_at: now })
      .where('id', '=', d.id)
      .where('row_version', '=', input.expectedVersion)
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw new AppError('conflict');
    await tx
      .insertInto('dossier_events')
      .values({ dossier_id: d.id, action: 'extend', from_status: d.status, to_status: d.status, actor_id: user.id, actor_label: user.fullName, org_unit_id: d.deciding_org_unit_id, occurred_at: now, note: input.reason.trim(), data: JSON.stringify({ previousDueAt: d.due_at.toISOString(), newDueAt: newDue.toISOString() }) })
      .execute();
    await notifyApplicant(tx, updated, `Cơ quan giải quyết xin lỗi vì chậm trễ và hẹn lại ngày trả kết quả. Lý do: ${input.reason.trim()}.`);
    await recordAudit(tx, actor, { action: 'dossier.extended', entityType: 'dossier', entityId: d.id, orgUnitId: d.receiving_org_unit_id, before: { dueAt: d.due_at }, after: { dueAt: newDue, reason: input.reason.trim() } });
    return updated;
  });
}
