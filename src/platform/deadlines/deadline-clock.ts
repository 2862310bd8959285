import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { ProcessingUnit } from '../db/schema.ts';
import { localDateOf } from '../time.ts';

/**
 * The deadline clock every record type that runs against working time uses (dossiers, documents, reports, tasks …):
 * due instants in working days or hours on the calendar, pause / resume / restart, shares of the time per step and
 * the timeliness recorded when the clock stops. Pure functions of the calendar and the instants given: the caller's
 * clock says what "now" is, so tests control time.
 */
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

/** What an action does to the clock (declared per action in a record type's transition table). */
export type ClockEffect = 'start' | 'pause' | 'resume' | 'restart' | 'stop' | 'none';

/** The clock as a record keeps it. */
export interface ClockState {
  readonly startedAt: Date | null;
  readonly dueAt: Date | null;
  readonly originalDueAt: Date | null;
  readonly pausedSince: Date | null;
}

/** What changed on the clock, and the timeliness when it stopped with a decision. */
export interface ClockChange {
  startedAt?: Date;
  dueAt?: Date | null;
  originalDueAt?: Date | null;
  pausedSince?: Date | null;
  stoppedAt?: Date;
  timeliness?: Timeliness | null;
}

/**
 * Applies a clock effect at `now`. `start` and `restart` count the whole time again from `now` (a restart keeps the
 * original due date, which measures the step shares); `pause` only stops a running clock; `resume` moves the due
 * instant by the office time the pause took; `stop` ends a pause and, when the action decides, records timeliness.
 */
export function applyClock(calendar: WorkingCalendar, clock: ClockState, effect: ClockEffect, now: Date, time: ProcessingTime, decides: boolean): ClockChange {
  switch (effect) {
    case 'start': {
      const due = dueDate(calendar, now, time);
      return { startedAt: now, dueAt: due, originalDueAt: due };
    }
    case 'restart':
      return { dueAt: dueDate(calendar, now, time), pausedSince: null };
    case 'pause':
      return clock.startedAt ? { pausedSince: now } : {};
    case 'resume':
      return clock.dueAt && clock.pausedSince ? { dueAt: dueAfterPause(calendar, clock.dueAt, clock.pausedSince, now), pausedSince: null } : { pausedSince: null };
    case 'stop':
      if (!decides) return { pausedSince: null };
      return { stoppedAt: now, pausedSince: null, timeliness: clock.dueAt ? timelinessOf(now, clock.dueAt) : null };
    case 'none':
      return {};
  }
}

/**
 * When a step entered at `now` is due: its share of the record's whole working time (start → first due date), never
 * after the record's own due instant.
 */
export function shareDueAt(calendar: WorkingCalendar, now: Date, budgetPercent: number, clock: ClockState): Date | null {
  if (!clock.startedAt || !clock.originalDueAt || !clock.dueAt) return null;
  const total = calendar.workingMillisBetween(clock.startedAt, clock.originalDueAt);
  const due = calendar.addWorkingHours(now, (total * budgetPercent) / 100 / 3_600_000);
  return due.getTime() < clock.dueAt.getTime() ? due : clock.dueAt;
}

/** Until when a deadline counts as near, `workingDays` of office time ahead of `now`. */
export const nearHorizon = (calendar: WorkingCalendar, now: Date, workingDays: number): Date => calendar.addWorkingHours(now, (workingDays * calendar.workingDayMillis) / 3_600_000);
