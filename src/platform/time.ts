// Vietnam keeps UTC+07:00 with no daylight saving (since 1975), so a fixed offset gives the local calendar date.
const OFFSET_MS = 7 * 3_600_000;

/** The calendar date (YYYY-MM-DD) of an instant in Asia/Ho_Chi_Minh. */
export function localDateOf(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

export function todayLocal(): string {
  return localDateOf(new Date());
}
