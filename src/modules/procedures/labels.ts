import type { ProcessingUnit } from '../../platform/db/schema.ts';

export const levelLabels: Record<string, string> = { ministry: 'Cấp bộ', province: 'Cấp tỉnh', commune: 'Cấp xã', other: 'Cơ quan khác' };
export const onlineLevelLabels: Record<string, string> = { full: 'Toàn trình', partial: 'Một phần', none: 'Không trực tuyến' };
export const channelLabels: Record<string, string> = { counter: 'Trực tiếp', online: 'Trực tuyến', postal: 'Qua bưu chính công ích' };
const unitLabels: Record<ProcessingUnit, string> = { working_day: 'ngày làm việc', day: 'ngày', hour: 'giờ', month: 'tháng', year: 'năm' };

/** "5 ngày làm việc", or the raw text when it could not be parsed, or "Chưa có thông tin". */
export function processingTimeText(value: number | null, unit: ProcessingUnit | null, raw: string): string {
  if (value !== null && unit !== null) return `${String(value).replace('.', ',')} ${unitLabels[unit]}`;
  return raw === '' ? 'Chưa có thông tin' : raw;
}
