import type { CalendarData, DayOff, HolidayRule, LunarYear, OfficeWindow } from './types.ts';

// Vietnam has kept UTC+07:00 without daylight saving since 1975, so local time is a fixed offset from UTC.
const OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

export const isoToOrdinal = (iso: string): number => {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / DAY_MS;
};
export const ordinalToIso = (ordinal: number): string => new Date(ordinal * DAY_MS).toISOString().slice(0, 10);
/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
const weekday = (ordinal: number): number => (((ordinal + 4) % 7) + 7) % 7;
const isWeekend = (ordinal: number): boolean => weekday(ordinal) === 0 || weekday(ordinal) === 6;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

interface Window {
  readonly startMs: number;
  readonly endMs: number;
}

/** Lower bound: index of the first element ≥ value. */
function lowerBound(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Working-day calendar for state agencies: weekends, statutory holidays (solar and lunar) with make-up days
 * (Labour Code 2019 art. 111(3)), then the province's per-year exceptions, which override everything.
 * All days of the lunar table's range are computed once, so each deadline computation is a binary search.
 */
export class WorkingCalendar {
  readonly #firstOrdinal: number;
  readonly #lastOrdinal: number;
  readonly #working: Uint8Array;
  readonly #workingOrdinals: Int32Array;
  readonly #daysOff = new Map<number, DayOff>();
  readonly #windows: readonly Window[];
  readonly #dayMs: number;

  constructor(data: CalendarData) {
    const years = [...data.lunarYears].sort((a, b) => a.year - b.year);
    const first = years[0];
    const last = years.at(-1);
    if (!first || !last) throw new Error('the lunar table is empty');
    this.#firstOrdinal = isoToOrdinal(`${first.year}-01-01`);
    this.#lastOrdinal = isoToOrdinal(`${last.year}-12-31`);
    this.#windows = WorkingCalendar.#windowsOf(data.workingHours);
    this.#dayMs = this.#windows.reduce((sum, w) => sum + (w.endMs - w.startMs), 0);
    for (const lunar of years) this.#addHolidays(data.holidayRules, lunar);
    for (const e of data.exceptions) {
      const o = isoToOrdinal(e.date);
      if (e.kind === 'day_off') this.#daysOff.set(o, { date: e.date, name: e.reason, kind: 'exception' });
      else this.#daysOff.delete(o);
    }
    const workingDays = new Set(data.exceptions.filter((e) => e.kind === 'working_day').map((e) => isoToOrdinal(e.date)));
    const span = this.#lastOrdinal - this.#firstOrdinal + 1;
    this.#working = new Uint8Array(span);
    const list: number[] = [];
    for (let i = 0; i < span; i++) {
      const o = this.#firstOrdinal + i;
      const works = workingDays.has(o) || (!isWeekend(o) && !this.#daysOff.has(o));
      this.#working[i] = works ? 1 : 0;
      if (works) list.push(o);
    }
    this.#workingOrdinals = Int32Array.from(list);
  }

  static #windowsOf(hours: readonly OfficeWindow[]): Window[] {
    const windows = hours.map((w) => ({ startMs: minutesOf(w.start) * 60_000, endMs: minutesOf(w.end) * 60_000 }));
    windows.forEach((w, i) => {
      const prev = windows[i - 1];
      if (w.endMs <= w.startMs || (prev && w.startMs < prev.endMs)) throw new Error('office hours must be ordered, non-overlapping windows');
    });
    if (windows.length === 0) throw new Error('office hours are empty');
    return windows;
  }

  #lunarDate(rule: HolidayRule, lunar: LunarYear): string {
    if (rule.month === 1 && rule.day === 1) return rule.days > 1 ? lunar.newYearsEve : lunar.tet;
    if (rule.month === 3 && rule.day === 10) return lunar.hungKings;
    throw new Error(`lunar date ${rule.day}/${rule.month} is not in the lunar table`);
  }

  /** Holidays of one solar year, then one make-up day for each holiday day that falls on a weekend. */
  #addHolidays(rules: readonly HolidayRule[], lunar: LunarYear): void {
    const groups: number[][] = [];
    for (const rule of rules) {
      const mm = String(rule.month).padStart(2, '0');
      const dd = String(rule.day).padStart(2, '0');
      const start = isoToOrdinal(rule.calendar === 'lunar' ? this.#lunarDate(rule, lunar) : `${lunar.year}-${mm}-${dd}`);
      const days = Array.from({ length: rule.days }, (_, i) => start + i);
      for (const o of days) this.#daysOff.set(o, { date: ordinalToIso(o), name: rule.name, kind: 'holiday' });
      groups.push(days);
    }
    for (const days of groups) {
      let owed = days.filter(isWeekend).length;
      let o = (days.at(-1) ?? 0) + 1;
      while (owed > 0) {
        if (!isWeekend(o) && !this.#daysOff.has(o)) {
          const name = this.#daysOff.get(days[0] ?? 0)?.name ?? '';
          this.#daysOff.set(o, { date: ordinalToIso(o), name: `Nghỉ bù ${name}`, kind: 'make_up' });
          owed -= 1;
        }
        o += 1;
      }
    }
  }

  #index(ordinal: number): number {
    if (ordinal < this.#firstOrdinal || ordinal > this.#lastOrdinal) {
      throw new RangeError(`date ${ordinalToIso(ordinal)} is outside the working calendar (${ordinalToIso(this.#firstOrdinal)} – ${ordinalToIso(this.#lastOrdinal)})`);
    }
    return ordinal - this.#firstOrdinal;
  }

  #isWorkingOrdinal(ordinal: number): boolean {
    return this.#working[this.#index(ordinal)] === 1;
  }

  isWorkingDay(localDate: string): boolean {
    return this.#isWorkingOrdinal(isoToOrdinal(localDate));
  }

  /** The Vietnamese name of the day off, or null on a working day or an ordinary weekend. */
  holidayName(localDate: string): string | null {
    const o = isoToOrdinal(localDate);
    return this.#isWorkingOrdinal(o) ? null : (this.#daysOff.get(o)?.name ?? null);
  }

  holidaysOfYear(year: number): DayOff[] {
    const from = isoToOrdinal(`${year}-01-01`);
    const to = isoToOrdinal(`${year}-12-31`);
    this.#index(from);
    return [...this.#daysOff.entries()]
      .filter(([o]) => o >= from && o <= to && !this.#isWorkingOrdinal(o))
      .sort(([a], [b]) => a - b)
      .map(([, d]) => d);
  }

  nextWorkingDay(localDate: string): string {
    const i = lowerBound(this.#workingOrdinals, isoToOrdinal(localDate) + 1);
    const o = this.#workingOrdinals[i];
    if (o === undefined) throw new RangeError(`no working day after ${localDate} in the calendar`);
    return ordinalToIso(o);
  }

  #workedWithinDay(msInDay: number): number {
    let sum = 0;
    for (const w of this.#windows) sum += Math.min(Math.max(msInDay - w.startMs, 0), w.endMs - w.startMs);
    return sum;
  }

  #positionOfWorked(worked: number): number {
    let left = worked;
    for (const w of this.#windows) {
      const len = w.endMs - w.startMs;
      if (left <= len) return w.startMs + left;
      left -= len;
    }
    return this.#windows.at(-1)?.endMs ?? 0;
  }

  /** Office time from the calendar's start to `t`: the basis of every working-time computation. */
  #workedUntil(t: Date): number {
    const local = t.getTime() + OFFSET_MS;
    const ordinal = Math.floor(local / DAY_MS);
    const before = lowerBound(this.#workingOrdinals, ordinal) * this.#dayMs;
    return this.#isWorkingOrdinal(ordinal) ? before + this.#workedWithinDay(local - ordinal * DAY_MS) : before;
  }

  #instantAt(dayIndex: number, msInDay: number): Date {
    const ordinal = this.#workingOrdinals[dayIndex];
    if (ordinal === undefined) throw new RangeError('the result falls outside the working calendar');
    return new Date(ordinal * DAY_MS + msInDay - OFFSET_MS);
  }

  /**
   * Due instant of a deadline of `n` working days (the "hẹn trả" rule): a dossier received on a working day before
   * the end of office hours counts that day as day 0; one received later, or on a day off, counts the next working
   * day as day 0. The result is the end of office hours of the n-th working day after day 0.
   */
  addWorkingDays(instant: Date, n: number): Date {
    if (!Number.isInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer');
    const local = instant.getTime() + OFFSET_MS;
    const ordinal = Math.floor(local / DAY_MS);
    let day0 = lowerBound(this.#workingOrdinals, ordinal);
    const closeMs = this.#windows.at(-1)?.endMs ?? 0;
    if (this.#isWorkingOrdinal(ordinal) && local - ordinal * DAY_MS >= closeMs) day0 += 1;
    return this.#instantAt(day0 + n, closeMs);
  }

  /** `hours` of office time after `instant`; time outside office hours does not count. Ends at a window's close
   * rather than the next window's opening when it lands exactly on the boundary. */
  addWorkingHours(instant: Date, hours: number): Date {
    if (!(hours >= 0)) throw new RangeError('hours must be ≥ 0');
    if (hours === 0) return new Date(instant);
    const target = this.#workedUntil(instant) + Math.round(hours * 3_600_000);
    let day = Math.floor(target / this.#dayMs);
    let rest = target - day * this.#dayMs;
    if (rest === 0) {
      day -= 1;
      rest = this.#dayMs;
    }
    return this.#instantAt(day, this.#positionOfWorked(rest));
  }

  /** Office time between two instants in milliseconds (0 when b ≤ a). */
  workingMillisBetween(a: Date, b: Date): number {
    return Math.max(0, this.#workedUntil(b) - this.#workedUntil(a));
  }

  /** Office time of one working day in milliseconds. */
  get workingDayMillis(): number {
    return this.#dayMs;
  }
}
