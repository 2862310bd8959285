export interface HolidayRule {
  readonly code: string;
  readonly name: string;
  readonly calendar: 'solar' | 'lunar';
  /** Solar month/day, or for lunar rules the lunar month/day (resolved through the lunar table). */
  readonly month: number;
  readonly day: number;
  readonly days: number;
}

export interface LunarYear {
  readonly year: number;
  /** Lunar 1/1 (YYYY-MM-DD, solar). */
  readonly tet: string;
  /** Last day of the previous lunar year. */
  readonly newYearsEve: string;
  /** Lunar 10/3. */
  readonly hungKings: string;
}

export interface CalendarException {
  readonly date: string;
  readonly kind: 'day_off' | 'working_day';
  readonly reason: string;
  readonly decisionRef?: string;
}

export interface OfficeWindow {
  readonly start: string;
  readonly end: string;
}

export interface CalendarData {
  readonly holidayRules: readonly HolidayRule[];
  readonly lunarYears: readonly LunarYear[];
  readonly exceptions: readonly CalendarException[];
  /** Office hours of a working day, local time, in order, e.g. 07:30–11:30 and 13:30–17:00. */
  readonly workingHours: readonly OfficeWindow[];
}

export interface DayOff {
  readonly date: string;
  readonly name: string;
  readonly kind: 'holiday' | 'make_up' | 'exception';
}
