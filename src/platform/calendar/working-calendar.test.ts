import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBundledCalendarData } from './load-calendar-data.ts';
import type { CalendarException } from './types.ts';
import { WorkingCalendar } from './working-calendar.ts';

let cal: WorkingCalendar;
const build = async (exceptions: CalendarException[] = []) => new WorkingCalendar(await loadBundledCalendarData(exceptions));
beforeAll(async () => {
  cal = await build();
});

const at = (local: string) => new Date(`${local}+07:00`);
const local = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('holidays', () => {
  it('knows the statutory days off of 2026', () => {
    const days = cal.holidaysOfYear(2026).map((d) => d.date);
    expect(days).toEqual(expect.arrayContaining(['2026-01-01', '2026-02-16', '2026-02-17', '2026-02-20', '2026-04-30', '2026-05-01', '2026-09-02', '2026-09-03']));
    expect(cal.holidayName('2026-02-17')).toBe('Tết Âm lịch (Tết Nguyên đán)');
  });

  it('gives a make-up day when a holiday falls on a weekend', () => {
    // Giỗ Tổ 2026 is Sunday 26/04: Monday 27/04 is off.
    expect(cal.isWorkingDay('2026-04-26')).toBe(false);
    expect(cal.isWorkingDay('2026-04-27')).toBe(false);
    expect(cal.holidayName('2026-04-27')).toMatch(/^Nghỉ bù Giỗ Tổ/);
    expect(cal.isWorkingDay('2026-04-28')).toBe(true);
  });

  it('keeps ordinary days and weekends as they are', () => {
    expect(cal.isWorkingDay('2026-11-24')).toBe(true);
    expect(cal.isWorkingDay('2026-11-28')).toBe(false);
    expect(cal.holidayName('2026-11-28')).toBeNull();
  });

  it('lets exceptions override the rules', async () => {
    const c = await build([
      { date: '2026-09-03', kind: 'working_day', reason: 'Nghỉ 01/9 thay cho 03/9' },
      { date: '2026-09-01', kind: 'day_off', reason: 'Nghỉ liền kề Quốc khánh' },
      { date: '2026-02-07', kind: 'working_day', reason: 'Làm bù thứ Bảy' },
    ]);
    expect(c.isWorkingDay('2026-09-03')).toBe(true);
    expect(c.isWorkingDay('2026-09-01')).toBe(false);
    expect(c.isWorkingDay('2026-02-07')).toBe(true);
    expect(c.holidaysOfYear(2026).map((d) => d.date)).toContain('2026-09-01');
    expect(c.holidaysOfYear(2026).map((d) => d.date)).not.toContain('2026-09-03');
  });

  it('refuses dates outside its lunar table', () => {
    expect(() => cal.isWorkingDay('2099-01-01')).toThrow(RangeError);
  });
});

describe('deadlines', () => {
  it('counts the receipt day as day 0 during office hours', () => {
    expect(local(cal.addWorkingDays(at('2026-11-23T09:00'), 3))).toBe('2026-11-26 17:00');
    expect(local(cal.addWorkingDays(at('2026-11-23T09:00'), 0))).toBe('2026-11-23 17:00');
  });

  it('starts from the next working day after hours or on a day off', () => {
    expect(local(cal.addWorkingDays(at('2026-11-23T17:30'), 1))).toBe('2026-11-25 17:00');
    expect(local(cal.addWorkingDays(at('2026-11-28T10:00'), 1))).toBe('2026-12-01 17:00');
  });

  it('skips Tết', () => {
    // Friday 13/02/2026 + 2 working days: 16–20/02 are Tết, so Tuesday 24/02.
    expect(local(cal.addWorkingDays(at('2026-02-13T08:00'), 2))).toBe('2026-02-24 17:00');
  });

  it('adds office hours across the lunch break and the weekend', () => {
    expect(local(cal.addWorkingHours(at('2026-11-27T10:30'), 2))).toBe('2026-11-27 14:30');
    expect(local(cal.addWorkingHours(at('2026-11-27T16:00'), 2))).toBe('2026-11-30 08:30');
    expect(local(cal.addWorkingHours(at('2026-11-27T20:00'), 1))).toBe('2026-11-30 08:30');
    expect(local(cal.addWorkingHours(at('2026-11-27T07:30'), 7.5))).toBe('2026-11-27 17:00');
  });

  it('measures office time between instants', () => {
    expect(cal.workingMillisBetween(at('2026-11-27T07:30'), at('2026-11-30T07:30'))).toBe(7.5 * 3_600_000);
    expect(cal.workingMillisBetween(at('2026-11-30T07:30'), at('2026-11-27T07:30'))).toBe(0);
  });
});

// Instants between 2025 and 2058, at any minute, so that results stay inside the calendar.
const instant = fc.integer({ min: Date.UTC(2025, 0, 1) / 60_000, max: Date.UTC(2058, 0, 1) / 60_000 }).map((m) => new Date(m * 60_000));
const localDay = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
const localMinutes = (d: Date) => {
  const l = new Date(d.getTime() + 7 * 3_600_000);
  return l.getUTCHours() * 60 + l.getUTCMinutes();
};
const inOffice = (d: Date) => {
  const m = localMinutes(d);
  return (m >= 450 && m <= 690) || (m >= 810 && m <= 1020);
};

describe('deadline properties', () => {
  it('a due date lands on a working day at the close of office hours, later for longer deadlines', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 30 }), (t, n, extra) => {
        const due = cal.addWorkingDays(t, n);
        expect(cal.isWorkingDay(localDay(due))).toBe(true);
        expect(localMinutes(due)).toBe(17 * 60);
        expect(due.getTime()).toBeGreaterThan(t.getTime());
        expect(cal.addWorkingDays(t, n + extra).getTime()).toBeGreaterThan(due.getTime());
      }),
    );
  });

  it('n working days later means n whole office days in between, counted from day 0', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 40 }), (t, n) => {
        const d0 = cal.addWorkingDays(t, 0);
        const dn = cal.addWorkingDays(t, n);
        expect(cal.workingMillisBetween(d0, dn)).toBe(n * cal.workingDayMillis);
      }),
    );
  });

  it('adding office hours is undone by measuring them, and composes', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 }), (t, a, b) => {
        const h = (x: number) => x / 4;
        const end = cal.addWorkingHours(t, h(a));
        expect(cal.isWorkingDay(localDay(end))).toBe(true);
        expect(inOffice(end)).toBe(true);
        expect(cal.workingMillisBetween(t, end)).toBe(h(a) * 3_600_000);
        expect(cal.addWorkingHours(end, h(b)).getTime()).toBe(cal.addWorkingHours(t, h(a + b)).getTime());
      }),
    );
  });

  it('no weekend is a working day without an exception', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 * 52 }), (w) => {
        const saturday = new Date(Date.UTC(1990, 0, 6) + w * 7 * 86_400_000).toISOString().slice(0, 10);
        const sunday = new Date(Date.UTC(1990, 0, 7) + w * 7 * 86_400_000).toISOString().slice(0, 10);
        expect(cal.isWorkingDay(saturday)).toBe(false);
        expect(cal.isWorkingDay(sunday)).toBe(false);
      }),
    );
  });
});
