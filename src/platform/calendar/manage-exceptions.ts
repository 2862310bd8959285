import type { Actor } from '../audit/audit-log.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/database.ts';
import { AppError, FieldErrors } from '../errors.ts';
import type { NewCalendarException } from './schema.ts';
import type { WorkingCalendar } from './working-calendar.ts';

/**
 * Adds a per-year exception (an extra day off, or a swapped working day). A working-day swap only makes sense on a
 * weekend or holiday, and an extra day off only on a day that would otherwise be worked.
 */
export async function addCalendarException(db: Db, actor: Actor, input: NewCalendarException, calendar: WorkingCalendar): Promise<string> {
  const errors = new FieldErrors();
  const worked = calendar.isWorkingDay(input.date);
  if (input.kind === 'day_off' && !worked) {
    errors.add('date', 'already_off', 'Ngày này vốn là ngày nghỉ (cuối tuần hoặc lễ, tết).', 'That day is already a day off.');
  }
  if (input.kind === 'working_day' && worked) {
    errors.add('kind', 'already_working', 'Ngày này vốn là ngày làm việc.', 'That day is already a working day.');
  }
  const existing = await db.selectFrom('calendar_exceptions').select('id').where('day', '=', input.date).executeTakeFirst();
  if (existing) errors.add('date', 'duplicate', 'Ngày này đã có ngoại lệ; hãy xóa ngoại lệ cũ trước.', 'An exception exists for that day.');
  errors.throwIfAny();
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('calendar_exceptions')
      .values({ day: input.date, kind: input.kind, reason: input.reason.trim(), decision_ref: input.decisionRef?.trim() || null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, { action: 'calendar.exception_added', entityType: 'calendar_exception', entityId: row.id, after: input });
    return row.id;
  });
}

export async function removeCalendarException(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await tx.deleteFrom('calendar_exceptions').where('id', '=', id).returning(['day', 'kind', 'reason']).executeTakeFirst();
    if (!row) throw new AppError('not_found');
    await recordAudit(tx, actor, { action: 'calendar.exception_removed', entityType: 'calendar_exception', entityId: id, before: row });
  });
}
