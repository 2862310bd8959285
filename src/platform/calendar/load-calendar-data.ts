import { readFile } from 'node:fs/promises';
import type { CalendarData, CalendarException, HolidayRule, LunarYear, OfficeWindow } from './types.ts';

const dataDir = new URL('../../../data/calendar/', import.meta.url);

/** Defaults for state agencies; the province edits them in calendar_settings. */
export const DEFAULT_WORKING_HOURS: readonly OfficeWindow[] = [
  { start: '07:30', end: '11:30' },
  { start: '13:30', end: '17:00' },
];

export function parseLunarYearsCsv(text: string): LunarYear[] {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const cols = (header ?? '').split(',');
  const at = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`lunar calendar file lacks column ${name}`);
    return i;
  };
  const [year, tet, eve, hung] = [at('nam'), at('tet_nguyen_dan_mung_1'), at('giao_thua_ngay_cuoi_nam_am'), at('gio_to_hung_vuong_10_3_al')];
  return lines.map((line) => {
    const c = line.split(',');
    return { year: Number(c[year]), tet: c[tet] ?? '', newYearsEve: c[eve] ?? '', hungKings: c[hung] ?? '' };
  });
}

interface StatutoryFile {
  readonly ngay_le: readonly { ma: string; ten: string; lich: 'duong' | 'am'; ngay: string; so_ngay: number }[];
}

export function parseHolidayRulesJson(text: string): HolidayRule[] {
  const file = JSON.parse(text) as StatutoryFile;
  return file.ngay_le.map((r) => {
    const [month, day] = r.ngay.split('-').map(Number);
    return { code: r.ma, name: r.ten, calendar: r.lich === 'am' ? 'lunar' : 'solar', month: month ?? 1, day: day ?? 1, days: r.so_ngay };
  });
}

let bundled: Promise<Pick<CalendarData, 'holidayRules' | 'lunarYears'>> | undefined;

/** Statutory rules and the lunar table shipped with CQS, plus the province's exceptions. */
export async function loadBundledCalendarData(
  exceptions: readonly CalendarException[],
  workingHours: readonly OfficeWindow[] = DEFAULT_WORKING_HOURS,
): Promise<CalendarData> {
  bundled ??= Promise.all([
    readFile(new URL('ngay_nghi_le_quy_dinh_BLLD2019.json', dataDir), 'utf8'),
    readFile(new URL('tet_gio_to_am_lich_1990_2060.csv', dataDir), 'utf8'),
  ]).then(([rules, lunar]) => ({ holidayRules: parseHolidayRulesJson(rules), lunarYears: parseLunarYearsCsv(lunar) }));
  return { ...(await bundled), exceptions, workingHours };
}
