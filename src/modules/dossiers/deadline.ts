import type { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import type { ProcessingUnit } from '../../platform/db/schema.ts';
import { localDateOf } from '../../platform/time.ts';

export interface ProcessingTime {
  readonly value: number | null;
  readonly unit: ProcessingUnit | null;
}

const DAY_MS = 86_400_000;

/** End of office hours of the first working day on or after a calendar date. */
function closeOfWorkingDayFrom(calendar: WorkingCalendar, date: string): Date {
  const day = calendar.isWorkingDay(date) ? date : calendar.nextWorkingDay(date);
  // addWorkingDays(…, 0) from the start of a working day is the end of that day's office hours.
  return calendar.addWorkingDays(new Date(`${day}T00:00:00+07:00`), 0);
}

function addCalendarMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d ?? 1, lastDay));
  return target.toISOString().slice(0, 10);
}

/**
 * The due instant of a dossier received at `from` under a procedure version's processing time: working days and
 * office hours on the working calendar; calendar days, months and years end at the close of office hours of that
 * date (or the next working day). No parsed time, no deadline (null): the raw text is shown to officers instead.
 */
export function dueDate(calendar: WorkingCalendar, from: Date, time: ProcessingTime): Date | null {
  const { value, unit } = time;
  if (value === null || unit === null || value < 0) return null;
  const start = localDateOf(from);
  switch (unit) {
    case 'working_day':
      return Number.isInteger(value) ? calendar.addWorkingDays(from, value) : calendar.addWorkingHours(from, (value * calendar.workingDayMillis) / 3_600_000);
    case 'hour':
      return calendar.addWorkingHours(from, value);
    case 'day':
      return closeOfWorkingDayFrom(calendar, localDateOf(new Date(Date.parse(`${start}T00:00:00Z`) + Math.ceil(value) * DAY_MS)));
    case 'month':
      return closeOfWorkingDayFrom(calendar, addCalendarMonths(start, Math.ceil(value)));
    case 'year':
      return closeOfWorkingDayFrom(calendar, addCalendarMonths(start, Math.ceil(value) * 12));
  }
}

/** Working days from one calendar date up to (not including) another. */
function workingDaysFromTo(calendar: WorkingCalendar, from: string, to: string): number {
  let n = 0;
  for (let day = calendar.isWorkingDay(from) ? from : calendar.nextWorkingDay(from); day < to; day = calendar.nextWorkingDay(day)) n++;
  return n;
}

/**
 * After a pause (fees due), the deadline moves by the office time the pause took from the time left. A deadline
 * counted in days (due at the close of office) moves by whole working days: the day the pause began counts as lost,
 * the day it ended does not, so a pause begun and ended the same day leaves the date as it was rather than pushing
 * it a few seconds past the close, to the next morning.
 */
export function dueAfterPause(calendar: WorkingCalendar, due: Date, pausedAt: Date, resumedAt: Date): Date {
  if (closeOfWorkingDayFrom(calendar, localDateOf(due)).getTime() === due.getTime()) {
    const days = workingDaysFromTo(calendar, localDateOf(pausedAt), localDateOf(resumedAt));
    // From the close of a working day, the close of the next one is 0 working days on.
    return days === 0 ? due : calendar.addWorkingDays(due, days - 1);
  }
  const left = calendar.workingMillisBetween(pausedAt, due);
  return left === 0 ? calendar.addWorkingHours(resumedAt, 0) : calendar.addWorkingHours(resumedAt, left / 3_600_000);
}

export type Timeliness = 'early' | 'on_time' | 'late';

/** Early: decided on a day before the due day; on time: by the due instant; late: after it. */
export function timelinessOf(decidedAt: Date, due: Date): Timeliness {
  if (decidedAt.getTime() > due.getTime()) return 'late';
  return localDateOf(decidedAt) < localDateOf(due) ? 'early' : 'on_time';
}
