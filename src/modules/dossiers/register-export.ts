import ExcelJS from 'exceljs';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { formatDateTime, formatIsoDate } from '../../web/format.ts';
import { versionNames } from '../procedures/index.ts';
import { readScopes } from './access.ts';
import { statusLabelsVi } from './status.ts';

const MAX_ROWS = 100_000;
const timelinessVi = { early: 'Trước hạn', on_time: 'Đúng hạn', late: 'Quá hạn' } as const;
const channelVi = { 1: 'Trực tiếp', 2: 'Trực tuyến', 3: 'Bưu chính' } as const;

/**
 * Mẫu 07, the dossier register: every dossier received in the period by or for the user's units, in receipt order,
 * numbered continuously, as an .xlsx workbook.
 */
export async function dossierRegister(db: DbOrTx, user: CurrentUser, period: { from: string; to: string }): Promise<Buffer> {
  const prefixes = readScopes(user);
  if (prefixes.length === 0) throw new AppError('forbidden');
  const units = (await db.selectFrom('org_units').select('id').where((eb) => eb.or(prefixes.map((p) => eb('path', 'like', `${p}%`)))).execute()).map((u) => u.id);
  const from = new Date(`${period.from}T00:00:00+07:00`);
  const to = new Date(new Date(`${period.to}T00:00:00+07:00`).getTime() + 86_400_000);
  const rows = await db
    .selectFrom('dossiers as d')
    .leftJoin('org_units as c', 'c.id', 'd.deciding_org_unit_id')
    .select(['d.code', 'd.procedure_version_id', 'd.applicant_name', 'd.channel', 'd.received_at', 'd.submitted_at', 'd.due_at', 'd.decided_at', 'd.returned_at', 'd.status', 'd.timeliness', 'c.name as deciding'])
    .where((eb) => eb.or([eb('d.receiving_org_unit_id', 'in', units), eb('d.deciding_org_unit_id', 'in', units)]))
    .where('d.submitted_at', '>=', from)
    .where('d.submitted_at', '<', to)
    .orderBy('d.submitted_at')
    .limit(MAX_ROWS)
    .execute();
  const names = await versionNames(db, rows.map((r) => r.procedure_version_id));
  const book = new ExcelJS.Workbook();
  book.creator = 'CQS';
  const sheet = book.addWorksheet('Sổ theo dõi hồ sơ');
  sheet.addRow([`SỔ THEO DÕI HỒ SƠ (Mẫu 07) từ ${formatIsoDate(period.from)} đến ${formatIsoDate(period.to)}`]).font = { bold: true };
  sheet.addRow([]);
  sheet.addRow(['STT', 'Mã hồ sơ', 'Thủ tục', 'Người nộp', 'Kênh', 'Cơ quan giải quyết', 'Ngày nhận', 'Hẹn trả', 'Ngày giải quyết', 'Ngày trả kết quả', 'Trạng thái', 'Kết quả']).font = { bold: true };
  const dt = (d: Date | null) => (d ? formatDateTime(d) : '');
  rows.forEach((r, i) => {
    sheet.addRow([i + 1, r.code ?? '', names.get(r.procedure_version_id)?.name ?? '', r.applicant_name, channelVi[r.channel], r.deciding ?? '', dt(r.received_at ?? r.submitted_at), dt(r.due_at), dt(r.decided_at), dt(r.returned_at), statusLabelsVi[r.status], r.timeliness ? timelinessVi[r.timeliness] : '']);
  });
  [6, 26, 60, 24, 11, 30, 17, 17, 17, 17, 22, 11].forEach((w, i) => {
    sheet.getColumn(i + 1).width = w;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
