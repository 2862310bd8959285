import ExcelJS from 'exceljs';
import { formatIsoDate } from '../../web/format.ts';
import type { UnitStatistics } from './statistics.ts';

export const statisticsColumns: readonly { key: keyof UnitStatistics; header: string; percent?: boolean }[] = [
  { key: 'orgUnitName', header: 'Cơ quan giải quyết' },
  { key: 'received', header: 'Tiếp nhận' },
  { key: 'receivedCounter', header: 'Trực tiếp' },
  { key: 'receivedOnline', header: 'Trực tuyến' },
  { key: 'receivedPostal', header: 'Bưu chính' },
  { key: 'decided', header: 'Đã giải quyết' },
  { key: 'decidedEarly', header: 'Trước hạn' },
  { key: 'decidedOnTime', header: 'Đúng hạn' },
  { key: 'decidedLate', header: 'Quá hạn' },
  { key: 'pending', header: 'Đang giải quyết' },
  { key: 'pendingOverdue', header: 'Đang giải quyết, quá hạn' },
  { key: 'onTimeRate', header: 'Tỷ lệ đúng hạn', percent: true },
  { key: 'onlineShare', header: 'Tỷ lệ trực tuyến', percent: true },
  { key: 'authVneidLevel2', header: 'Nộp qua VNeID mức 2' },
  { key: 'authVneidLevel1', header: 'Nộp qua VNeID mức 1' },
  { key: 'authPassword', header: 'Nộp bằng mật khẩu' },
  { key: 'eAuthShare', header: 'Tỷ lệ xác thực điện tử', percent: true },
  { key: 'ratings', header: 'Lượt đánh giá' },
  { key: 'satisfaction', header: 'Tỷ lệ hài lòng', percent: true },
  { key: 'formFields', header: 'Trường thông tin đã khai' },
  { key: 'autofillShare', header: 'Tỷ lệ tự động điền', percent: true },
];

/** The statistics as an .xlsx workbook with Vietnamese headers, one row per unit and a total row. */
export async function statisticsWorkbook(period: { from: string; to: string }, rows: readonly UnitStatistics[], total: UnitStatistics): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'CQS';
  const sheet = book.addWorksheet('Thống kê hồ sơ');
  sheet.addRow([`Thống kê giải quyết hồ sơ từ ${formatIsoDate(period.from)} đến ${formatIsoDate(period.to)}`]).font = { bold: true };
  sheet.addRow([]);
  sheet.addRow(statisticsColumns.map((c) => c.header)).font = { bold: true };
  for (const s of [...rows, total]) sheet.addRow(statisticsColumns.map((c) => s[c.key]));
  statisticsColumns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = i === 0 ? 48 : 14;
    if (c.percent) column.numFmt = '0.0%';
  });
  const last = sheet.lastRow;
  if (last) last.font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}
