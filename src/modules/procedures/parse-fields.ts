import type { ProcessingUnit } from '../../platform/db/schema.ts';
import { normaliseVietnamese } from '../../platform/text/vietnamese.ts';
import type { Channel, Fee, Level, ParseResult, ProcedureRecord, ProcessingTime } from './procedure-record.ts';

export const NATIONAL_CODE = /^\d\.\d{6}$/;

export function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const t = normaliseVietnamese(value).trim();
  return t === '' || t === 'Không có thông tin' ? null : t;
}

const levelNames: Record<string, Level> = { 'cấp bộ': 'ministry', 'cấp tỉnh': 'province', 'cấp xã': 'commune', 'cơ quan khác': 'other' };

export function parseLevels(raw: string): Level[] {
  const out = raw
    .split(/[,;]/)
    .map((p) => levelNames[p.trim().toLowerCase()])
    .filter((l): l is Level => l !== undefined);
  return [...new Set(out)];
}

export function parseChannel(raw: string): Channel | null {
  const p = raw.trim().toLowerCase();
  if (p.startsWith('trực tiếp')) return 'counter';
  if (p.startsWith('trực tuyến')) return 'online';
  if (p.includes('bưu chính')) return 'postal';
  return null;
}

export function parseChannels(raw: string): Channel[] {
  return [...new Set(raw.split(';').map(parseChannel).filter((c): c is Channel => c !== null))];
}

const units: ReadonlyArray<[RegExp, ProcessingUnit]> = [
  [/^ngày làm việc$/i, 'working_day'],
  [/^ngày$/i, 'day'],
  [/^giờ( làm việc)?$/i, 'hour'],
  [/^tháng$/i, 'month'],
  [/^năm$/i, 'year'],
];
// Rough lengths in days, only to pick the longest of several channel-specific times.
const approxDays: Record<ProcessingUnit, number> = { hour: 1 / 8, working_day: 1.4, day: 1, month: 30, year: 365 };

function parseOneTime(part: string, unitHint?: string): { value: number; unit: ProcessingUnit } | null {
  const m = /^(\d+(?:[.,]\d+)?)\s*(.*)$/.exec(part.trim());
  if (!m) return null;
  const value = Number((m[1] ?? '').replace(',', '.'));
  const unitText = (m[2] ?? '').trim() || unitHint || '';
  // A bare number means working days in this catalogue (e.g. "1" for birth registration).
  if (unitText === '') return { value, unit: 'working_day' };
  const unit = units.find(([re]) => re.test(unitText))?.[1];
  return unit ? { value, unit } : null;
}

/** Parses "5 Ngày làm việc", "30 Ngày", "1 Giờ", "1" or several ";"-separated ones (the longest wins). */
export function parseProcessingTime(raw: string, unitHint?: string): ProcessingTime {
  const trimmed = raw.trim();
  if (trimmed === '') return { raw: '', value: null, unit: null };
  const parts = trimmed.split(';').map((p) => parseOneTime(p, unitHint));
  if (parts.some((p) => p === null)) return { raw: trimmed, value: null, unit: null };
  const valid = parts as { value: number; unit: ProcessingUnit }[];
  const longest = valid.reduce((a, b) => (b.value * approxDays[b.unit] > a.value * approxDays[a.unit] ? b : a));
  return { raw: trimmed, value: longest.value, unit: longest.unit };
}

/** Fees from "Miễn phí", "10,000 Việt Nam Đồng; 20,000 Việt Nam Đồng", "Không có thông tin". */
export function parseFees(raw: string): Fee[] {
  const fees: Fee[] = [];
  for (const part of raw.split(';').map((p) => p.trim())) {
    if (part === '' || part === 'Không có thông tin') continue;
    if (/^miễn phí$/i.test(part)) {
      fees.push({ label: 'Miễn phí', amountVnd: 0 });
      continue;
    }
    const m = /^([\d.,]+)\s*(Việt Nam Đồng|VNĐ|đồng|VND)?/i.exec(part);
    const amount = m ? Number((m[1] ?? '').replace(/[.,]/g, '')) : Number.NaN;
    fees.push({ label: part, amountVnd: Number.isFinite(amount) ? amount : null });
  }
  return fees;
}

/** Every problem of a record, in Vietnamese, so that one reject lists all its reasons. */
export function recordProblems(r: Pick<ProcedureRecord, 'nationalCode' | 'name' | 'sector'>): string[] {
  const reasons: string[] = [];
  if (!NATIONAL_CODE.test(r.nationalCode)) reasons.push(`Mã thủ tục "${r.nationalCode}" không đúng dạng 1.234567`);
  if (r.name === '') reasons.push('Thiếu tên thủ tục');
  // Real names reach ~1,100 characters (land-registration cases); 2,000 still catches a broken row.
  if (r.name.length > 2000) reasons.push('Tên thủ tục dài quá 2.000 ký tự');
  if (r.sector === '') reasons.push('Thiếu lĩnh vực');
  return reasons;
}

/**
 * Validates parsed records in order: valid ones are kept, the others (and repeated codes) are rejected with every
 * reason. `rowOf` turns an index into the row number a person sees in the source file.
 */
export function collectRecords(records: readonly (ProcedureRecord | null)[], rowOf: (index: number) => number): ParseResult {
  const result: ParseResult = { records: [], rejects: [] };
  const seen = new Set<string>();
  records.forEach((record, i) => {
    if (record === null) {
      result.rejects.push({ row: rowOf(i), code: null, reasons: ['Phần tử không phải là một thủ tục'] });
      return;
    }
    const reasons = recordProblems(record);
    if (seen.has(record.nationalCode)) reasons.push('Mã thủ tục lặp lại trong tệp');
    if (reasons.length > 0) result.rejects.push({ row: rowOf(i), code: record.nationalCode || null, reasons });
    else {
      seen.add(record.nationalCode);
      result.records.push(record);
    }
  });
  return result;
}
