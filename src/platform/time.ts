// Vietnam keeps UTC+07:00 with no daylight saving (since 1975), so a fixed offset gives the local calendar date.
const OFFSET_MS = 7 * 3_600_000;

/** The calendar date (YYYY-MM-DD) of an instant in Asia/Ho_Chi_Minh. */
export function localDateOf(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a local calendar day (YYYY-MM-DD) begins in Asia/Ho_Chi_Minh, `plusDays` days later. */
export function localDayStart(day: string, plusDays = 0): Date {
  return new Date(Date.parse(`${day}T00:00:00+07:00`) + plusDays * 86_400_000);
}

/** The calendar day `n` days after `day` (both YYYY-MM-DD). */
export function addCalendarDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function todayLocal(): string {
  return localDateOf(new Date());
}

const DISPLAY_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a value is written YYYY-MM-DD (as kept and as the API speaks), not whether it is a real date. */
export const isIsoDateText = (text: string): boolean => ISO_DATE.test(text);

/**
 * A calendar date as people type it in Vietnam (dd/MM/yyyy, also with "-" or "." and without leading zeros) or as
 * YYYY-MM-DD, turned into YYYY-MM-DD; null when it is not a real date.
 */
export function parseDateInput(text: string): string | null {
  const t = text.trim();
  const vn = DISPLAY_DATE.exec(t);
  const iso = ISO_DATE.exec(t);
  const [y, m, d] = vn ? [Number(vn[3]), Number(vn[2]), Number(vn[1])] : iso ? [Number(iso[1]), Number(iso[2]), Number(iso[3])] : [0, 0, 0];
  if (y < 1900 || m < 1 || m > 12 || d < 1) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return null;
  return date.toISOString().slice(0, 10);
}

/** Form values with the named date fields in YYYY-MM-DD where they parse; the rest as typed, for the validation to report. */
export function withIsoDates<T extends Record<string, string | undefined>>(form: T, keys: readonly (keyof T)[]): T {
  const out: Record<string, string | undefined> = { ...form };
  for (const k of keys) {
    const v = form[k];
    if (typeof v === 'string' && v.trim() !== '') out[k as string] = parseDateInput(v) ?? v.trim();
  }
  return out as T;
}

/** What time it is, for use cases: the system clock in production, a fixed or moving one in tests. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
