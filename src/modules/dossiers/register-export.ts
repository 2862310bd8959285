import ExcelJS from 'exceljs';
import { type CurrentUser, permissionScopes } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { formatDateTime, formatIsoDate } from '../../web/format.ts';
import { versionNames } from '../procedures/index.ts';
import { type DossierStatus, statusLabelsVi } from './status.ts';

const MAX_ROWS = 100_000;
export const timelinessVi = { early: 'Trước hạn', on_time: 'Đúng hạn', late: 'Quá hạn' } as const;
export const channelVi = { 1: 'Trực tiếp', 2: 'Trực tuyến', 3: 'Bưu chính' } as const;

/** One line of the register (Mẫu 07). */
export interface RegisterRow {
  readonly code: string | null;
  readonly procedureName: string;
  readonly applicantName: string;
  readonly channel: 1 | 2 | 3;
  readonly deciding: string | null;
  readonly receivedAt: Date;
  readonly dueAt: Date | null;
  readonly decidedAt: Date | null;
  readonly returnedAt: Date | null;
  readonly status: DossierStatus;
  readonly timeliness: keyof typeof timelinessVi | null;
}

/**
 * Mẫu 07, the dossier register: the dossiers submitted in the period [from, to] (local dates) by or for the units in
 * the user's register scope, in receipt order; `limit` lines at most (the page shows the first ones, the export all).
 */
export async function registerRows(db: DbOrTx, user: CurrentUser, period: { from: string; to: string }, limit = MAX_ROWS): Promise<{ rows: RegisterRow[]; total: number }> {
  const prefixes = permissionScopes(user, 'dossiers.register');
  if (prefixes.length === 0) throw new AppError('forbidden');
  const units = (await db.selectFrom('org_units').select('id').where((eb) => eb.or(prefixes.map((p) => eb('path', 'like', `${p}%`)))).execute()).map((u) => u.id);
  const from = new Date(`${period.from}T00:00:00+07:00`);
  const to = new Date(new Date(`${period.to}T00:00:00+07:00`).getTime() + 86_400_000);
  const inPeriod = db
    .selectFrom('dossiers as d')
    .where((eb) => eb.or([eb('d.receiving_org_unit_id', 'in', units), eb('d.deciding_org_unit_id', 'in', units)]))
    .where('d.submitted_at', '>=', from)
    .where('d.submitted_at', '<', to);
  const [rows, count] = await Promise.all([
    inPeriod
      .leftJoin('org_units as c', 'c.id', 'd.deciding_org_unit_id')
      .select(['d.code', 'd.procedure_version_id', 'd.applicant_name', 'd.channel', 'd.received_at', 'd.submitted_at', 'd.due_at', 'd.decided_at', 'd.returned_at', 'd.status', 'd.timeliness', 'c.name as deciding'])
      .orderBy('d.submitted_at')
      .orderBy('d.id')
      .limit(Math.min(limit, MAX_ROWS))
      .execute(),
    inPeriod.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const names = await versionNames(db, rows.map((r) => r.procedure_version_id));
  return {
    total: Number(count.n),
    rows: rows.map((r) => ({
      code: r.code,
      procedureName: names.get(r.procedure_version_id)?.name ?? '',
      applicantName: r.applicant_name,
      channel: r.channel,
      deciding: r.deciding,
      receivedAt: r.received_at ?? r.submitted_at,
      dueAt: r.due_at,
      decidedAt: r.decided_at,
      returnedAt: r.returned_at,
      status: r.status,
      timeliness: r.timeliness,
    })),
  };
}

/** The register as an .xlsx workbook, numbered continuously. */
export async function dossierRegister(db: DbOrTx, user: CurrentUser, period: { from: string; to: string }): Promise<Buffer> {
  const { rows } = await registerRows(db, user, period);
  const book = new ExcelJS.Workbook();
  book.creator = 'CQS';
  const sheet = book.addWorksheet('Sổ theo dõi hồ sơ');
  sheet.addRow([`SỔ THEO DÕI HỒ SƠ (Mẫu 07) từ ${formatIsoDate(period.from)} đến ${formatIsoDate(period.to)}`]).font = { bold: true };
  sheet.addRow([]);
  sheet.addRow(['STT', 'Mã hồ sơ', 'Thủ tục', 'Người nộp', 'Kênh', 'Cơ quan giải quyết', 'Ngày nhận', 'Hẹn trả', 'Ngày giải quyết', 'Ngày trả kết quả', 'Trạng thái', 'Kết quả']).font = { bold: true };
  const dt = (d: Date | null) => (d ? formatDateTime(d) : '');
  rows.forEach((r, i) => {
    sheet.addRow([i + 1, r.code ?? '', r.procedureName, r.applicantName, channelVi[r.channel], r.deciding ?? '', dt(r.receivedAt), dt(r.dueAt), dt(r.decidedAt), dt(r.returnedAt), statusLabelsVi[r.status], r.timeliness ? timelinessVi[r.timeliness] : '']);
  });
  [6, 26, 60, 24, 11, 30, 17, 17, 17, 17, 22, 11].forEach((w, i) => {
    sheet.getColumn(i + 1).width = w;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
