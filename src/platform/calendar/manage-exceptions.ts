import type { Actor } from '../audit/audit-log.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/database.ts';
import { AppError, FieldErrors } from '../errors.ts';
import type { NewCalendarException } from './schema.ts';
import type { CalendarStore } from './calendar-store.ts';

/**
 * Adds a per-year exception (an extra day off, or a swapped working day). A working-day swap only makes sense on a
 * weekend or holiday, and an extra day off only on a day that would otherwise be worked. The process's calendar is
 * refreshed once the change is committed (others within the store's maximum age).
 */
export async function addCalendarException(db: Db, actor: Actor, input: NewCalendarException, store: CalendarStore): Promise<string> {
  const errors = new FieldErrors();
  const worked = (await store.get()).isWorkingDay(input.date);
  if (input.kind === 'day_off' && !worked) {
    errors.add('date', 'already_off', 'Ngày này vốn là ngày nghỉ (cuối tuần hoặc lễ, tết).', 'That day is already a day off.');
  }
  if (input.kind === 'working_day' && worked) {
    errors.add('kind', 'already_working', 'Ngày này vốn là ngày làm việc.', 'That day is already a working day.');
  }
  const existing = await db.selectFrom('calendar_exceptions').select('id').where('day', '=', input.date).executeTakeFirst();
  if (existing) errors.add('date', 'duplicate', 'Ngày này đã có ngoại lệ; hãy xóa ngoại lệ cũ trước.', 'An exception exists for that day.');
  errors.throwIfAny();
  const id = await db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('calendar_exceptions')
      .values({ day: input.date, kind: input.kind, reason: input.reason.trim(), decision_ref: input.decisionRef?.trim() || null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, { action: 'calendar.exception_added', entityType: 'calendar_exception', entityId: row.id, after: input });
    return row.id;
  });
  store.invalidate();
  return id;
}

/** Removes an exception; answers the day it was on (the page goes back to its year). */
export async function removeCalendarException(db: Db, actor: Actor, id: string, store: CalendarStore): Promise<{ day: string }> {
  const removed = await db.transaction().execute(async (tx) => {
    const row = await tx.deleteFrom('calendar_exceptions').where('id', '=', id).returning(['day', 'kind', 'reason']).executeTakeFirst();
    if (!row) throw new AppError('not_found');
    await recordAudit(tx, actor, { action: 'calendar.exception_removed', entityType: 'calendar_exception', entityId: id, before: row });
    return row;
  });
  store.invalidate();
  return { day: removed.day };
}
