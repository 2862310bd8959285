import { Type } from 'typebox';

/** The first year a date of CQS can fall in: earlier years are typing mistakes (and year 0 does not exist). */
export const FIRST_YEAR = 1900;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

/** Whether `value` is YYYY-MM-DD naming a real day from FIRST_YEAR on (2025-02-30 and 0000-01-01 are not). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return year >= FIRST_YEAR && day >= 1 && day <= days;
}

/** A calendar date YYYY-MM-DD (a real one, from 1900 on: 2025-02-30 and 0000-01-01 fail), read in Asia/Ho_Chi_Minh. */
export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD from 1900-01-01, Asia/Ho_Chi_Minh' });

export const Uuid = Type.String({ format: 'uuid' });
