import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBundledCalendarData } from '../calendar/load-calendar-data.ts';
import { WorkingCalendar } from '../calendar/working-calendar.ts';
import { dueAfterPause, dueDate, timelinessOf } from './deadline-clock.ts';

let cal: WorkingCalendar;
beforeAll(async () => {
  cal = new WorkingCalendar(await loadBundledCalendarData([]));
});
const at = (local: string) => new Date(`${local}+07:00`);
const local = (d: Date | null) => (d ? new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : null);

describe('due dates from a procedure’s processing time', () => {
  it('counts working days, office hours and calendar days', () => {
    expect(local(dueDate(cal, at('2026-11-23T09:00'), { value: 3, unit: 'working_day' }))).toBe('2026-11-26 17:00');
    expect(local(dueDate(cal, at('2026-11-27T16:00'), { value: 2, unit: 'hour' }))).toBe('2026-11-30 08:30');
    // 30 calendar days from 24/11/2026 is Thursday 24/12/2026.
    expect(local(dueDate(cal, at('2026-11-24T09:00'), { value: 30, unit: 'day' }))).toBe('2026-12-24 17:00');
    // …and a calendar deadline that ends on a Saturday moves to Monday.
    expect(local(dueDate(cal, at('2026-11-23T09:00'), { value: 5, unit: 'day' }))).toBe('2026-11-30 17:00');
    expect(local(dueDate(cal, at('2026-01-31T09:00'), { value: 1, unit: 'month' }))).toBe('2026-03-02 17:00');
    expect(dueDate(cal, at('2026-11-23T09:00'), { value: null, unit: null })).toBeNull();
  });

  it('moves the deadline by the office time spent waiting for fees', () => {
    const due = at('2026-11-30T17:00');
    const moved = dueAfterPause(cal, due, at('2026-11-26T09:00'), at('2026-11-27T09:00'));
    expect(local(moved)).toBe('2026-12-01 17:00');
  });

  it('keeps a day deadline at the close of office: same-day pauses move nothing, longer ones whole working days', () => {
    const due = at('2026-12-08T17:00');
    expect(local(dueAfterPause(cal, due, at('2026-12-01T15:41:00'), at('2026-12-01T15:41:02')))).toBe('2026-12-08 17:00');
    // Friday afternoon to Monday morning: Friday is lost, the weekend does not count.
    expect(local(dueAfterPause(cal, due, at('2026-12-04T16:00'), at('2026-12-07T08:00')))).toBe('2026-12-09 17:00');
    expect(local(dueAfterPause(cal, due, at('2026-12-01T09:00'), at('2026-12-03T10:00')))).toBe('2026-12-10 17:00');
    // A deadline in office hours moves by the office time the pause took.
    expect(local(dueAfterPause(cal, at('2026-12-02T10:00'), at('2026-12-01T15:00'), at('2026-12-01T16:00')))).toBe('2026-12-02 11:00');
  });

  it('classifies early, on time and late apart from the status', () => {
    const due = at('2026-11-26T17:00');
    expect(timelinessOf(at('2026-11-25T10:00'), due)).toBe('early');
    expect(timelinessOf(at('2026-11-26T16:59'), due)).toBe('on_time');
    expect(timelinessOf(at('2026-11-26T17:01'), due)).toBe('late');
  });

  it('a longer processing time never gives an earlier due date', () => {
    const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2050, 0, 1) }).map((ms) => new Date(ms));
    const unit = fc.constantFrom('working_day', 'hour', 'day', 'month') as fc.Arbitrary<'working_day' | 'hour' | 'day' | 'month'>;
    fc.assert(
      fc.property(instant, unit, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 30 }), (t, u, n, extra) => {
        const a = dueDate(cal, t, { value: n, unit: u });
        const b = dueDate(cal, t, { value: n + extra, unit: u });
        expect(a).not.toBeNull();
        expect((b?.getTime() ?? 0) >= (a?.getTime() ?? 0)).toBe(true);
      }),
    );
  });
});
