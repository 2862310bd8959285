import type { Db, DbOrTx } from '../db/database.ts';
import { loadBundledCalendarData } from './load-calendar-data.ts';
import type { CalendarException } from './types.ts';
import { WorkingCalendar } from './working-calendar.ts';

// Other app processes learn of an edit within this time; the process that edits refreshes at once.
const MAX_AGE_MS = 60_000;

export async function loadExceptions(db: DbOrTx): Promise<CalendarException[]> {
  const rows = await db.selectFrom('calendar_exceptions').select(['day', 'kind', 'reason', 'decision_ref']).orderBy('day').execute();
  return rows.map((r) => ({ date: r.day, kind: r.kind, reason: r.reason, ...(r.decision_ref ? { decisionRef: r.decision_ref } : {}) }));
}

export async function loadWorkingHours(db: DbOrTx): Promise<{ start: string; end: string }[] | undefined> {
  const row = await db.selectFrom('calendar_settings').select('working_hours').executeTakeFirst();
  return row ? (row.working_hours as { start: string; end: string }[]) : undefined;
}

/** The working calendar built from the statutory rules shipped with CQS plus the province's editable exceptions. */
export class CalendarStore {
  readonly #db: Db;
  #cached: { calendar: WorkingCalendar; at: number } | undefined;

  constructor(db: Db) {
    this.#db = db;
  }

  async get(): Promise<WorkingCalendar> {
    if (this.#cached && Date.now() - this.#cached.at < MAX_AGE_MS) return this.#cached.calendar;
    const [exceptions, hours] = await Promise.all([loadExceptions(this.#db), loadWorkingHours(this.#db)]);
    const data = await loadBundledCalendarData(exceptions);
    const calendar = new WorkingCalendar(hours ? { ...data, workingHours: hours } : data);
    this.#cached = { calendar, at: Date.now() };
    return calendar;
  }

  invalidate(): void {
    this.#cached = undefined;
  }
}
