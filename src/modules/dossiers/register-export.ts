import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { type CurrentUser, permissionScopes } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { localDateOf } from '../../platform/time.ts';
import { formatDateWords, formatIsoDate } from '../../web/format.ts';
import { letterheadsOf } from '../directory/index.ts';
import { versionNames } from '../procedures/index.ts';
import { formFor } from './form-templates.ts';
import { type DossierStatus, statusLabelsVi } from './status.ts';

const MAX_ROWS = 100_000;
export const timelinessVi = { early: 'Trước hạn', on_time: 'Đúng hạn', late: 'Quá hạn' } as const;
export const channelVi = { 1: 'Nộp trực tiếp', 2: 'Nộp trực tuyến', 3: 'Nộp qua bưu chính' } as const;

/**
 * The register's columns (TT 01/2018 Mẫu 06, TT 03/2025 Mẫu 07): a column under a group shares the group's header
 * cell above its own; dates are real Excel dates.
 */
const COLUMNS: readonly { header: string; group?: string; width: number; date?: boolean }[] = [
  { header: 'STT', width: 5 },
  { header: 'Mã hồ sơ', width: 26 },
  { header: 'Tên thủ tục hành chính', width: 40 },
  { header: 'Số lượng hồ sơ (bộ)', width: 9 },
  { header: 'Tên người nộp hồ sơ', width: 22 },
  { header: 'Địa chỉ', group: 'Địa chỉ, số điện thoại', width: 28 },
  { header: 'Số điện thoại', group: 'Địa chỉ, số điện thoại', width: 13 },
  { header: 'Cơ quan chủ trì giải quyết', width: 24 },
  { header: 'Nhận hồ sơ (ngày, tháng, năm)', width: 12, date: true },
  { header: 'Hẹn trả kết quả (ngày, tháng, năm)', width: 12, date: true },
  { header: 'Chuyển hồ sơ đến cơ quan giải quyết (ngày, tháng, năm)', width: 14, date: true },
  { header: 'Nhận kết quả từ cơ quan giải quyết (ngày, tháng, năm)', width: 14, date: true },
  { header: 'Ngày, tháng, năm', group: 'Trả kết quả cho cá nhân, tổ chức', width: 12, date: true },
  { header: 'Ký nhận', group: 'Trả kết quả cho cá nhân, tổ chức', width: 14 },
  { header: 'Ghi chú', width: 24 },
];
const HEADER_ROW = 7;
export const REGISTER_FIRST_ROW = HEADER_ROW + 2;

/** A calendar day of Asia/Ho_Chi_Minh as an Excel date (a whole serial number, whatever the server's zone). */
const excelDate = (d: Date | null): Date | null => (d ? new Date(`${localDateOf(d)}T00:00:00Z`) : null);

const thin = { style: 'thin' } as const;
const boxed = { top: thin, left: thin, bottom: thin, right: thin };

/** The unit whose register it is: the highest unit of the user's reading scope. */
function registerUnitOf(user: CurrentUser): string {
  const top = [...permissionScopes(user, 'dossiers.register')].sort((a, b) => a.length - b.length)[0] ?? '';
  const id = top.split('/').filter(Boolean).pop();
  if (!id) throw new AppError('forbidden');
  return id;
}

/** One line of the register (TT 01/2018 Mẫu 06, TT 03/2025 Mẫu 07). */
export interface RegisterRow {
  readonly code: string | null;
  readonly procedureName: string;
  readonly sets: number;
  readonly applicantName: string;
  readonly address: string | null;
  readonly phone: string | null;
  readonly channel: 1 | 2 | 3;
  readonly deciding: string | null;
  readonly receivedAt: Date;
  /** The appointment given at receipt; `dueAt` differs from it when a new date was set. */
  readonly originalDueAt: Date | null;
  readonly dueAt: Date | null;
  readonly transferredAt: Date | null;
  readonly decidedAt: Date | null;
  readonly returnedAt: Date | null;
  readonly status: DossierStatus;
  readonly timeliness: keyof typeof timelinessVi | null;
}

/**
 * The register's lines: every dossier received in the period [from, to] (local dates) by or for the units in the
 * user's register scope, in receipt order; `limit` lines at most (the page shows the first ones, the export all).
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
    .where('d.received_at', '>=', from)
    .where('d.received_at', '<', to);
  const [rows, count] = await Promise.all([
    inPeriod
      .leftJoin('org_units as c', 'c.id', 'd.deciding_org_unit_id')
      .select(['d.code', 'd.procedure_version_id', 'd.applicant_name', 'd.channel', 'd.received_at', 'd.submitted_at', 'd.original_due_at', 'd.due_at', 'd.decided_at', 'd.returned_at', 'd.status', 'd.timeliness', 'c.name as deciding'])
      .select([
        sql<string | null>`d.form_data->>'address'`.as('address'),
        sql<string | null>`d.form_data->>'phone'`.as('phone'),
        sql<string | null>`d.form_data->>'sets'`.as('sets'),
        (eb) => eb.selectFrom('dossier_events as e').select((e) => e.fn.min<Date>('e.occurred_at').as('at')).whereRef('e.dossier_id', '=', 'd.id').where('e.action', '=', 'start_processing').as('transferred_at'),
      ])
      .orderBy('d.received_at')
      .orderBy('d.code')
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
      sets: Number(r.sets ?? 1),
      applicantName: r.applicant_name,
      address: r.address,
      phone: r.phone,
      channel: r.channel,
      deciding: r.deciding,
      receivedAt: r.received_at ?? r.submitted_at,
      originalDueAt: r.original_due_at,
      dueAt: r.due_at,
      transferredAt: r.transferred_at,
      decidedAt: r.decided_at,
      returnedAt: r.returned_at,
      status: r.status,
      timeliness: r.timeliness,
    })),
  };
}

/**
 * The dossier register (Sổ theo dõi hồ sơ) as a workbook: the register's lines numbered continuously, under the unit's
 * letterhead and the national motto, with the template version in force at the period's end; A4 landscape, its column
 * headers repeated on every printed page.
 */
export async function dossierRegister(db: DbOrTx, user: CurrentUser, period: { from: string; to: string }, now: Date): Promise<Buffer> {
  const [{ rows }, heads, form] = await Promise.all([registerRows(db, user, period), letterheadsOf(db, [registerUnitOf(user)]), formFor(db, 'register', period.to)]);
  const head = [...heads.values()][0];

  const book = new ExcelJS.Workbook();
  book.creator = 'CQS';
  const sheet = book.addWorksheet('Sổ theo dõi hồ sơ', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${HEADER_ROW}:${HEADER_ROW + 1}`, horizontalCentered: true },
    views: [{ state: 'frozen', ySplit: HEADER_ROW + 1 }],
  });
  const last = COLUMNS.length;
  const put = (row: number, from: number, to: number, value: string, font: Partial<ExcelJS.Font>) => {
    sheet.mergeCells(row, from, row, to);
    const cell = sheet.getCell(row, from);
    cell.value = value;
    cell.font = font;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  };
  put(1, 1, 5, (head?.governingBody ?? '').toLocaleUpperCase('vi'), {});
  put(2, 1, 5, (head?.unitName ?? '').toLocaleUpperCase('vi'), { bold: true });
  put(1, 9, last, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true });
  put(2, 9, last, 'Độc lập - Tự do - Hạnh phúc', { bold: true });
  put(3, 9, last, `${head?.placeName ?? '……'}, ${formatDateWords(now)}`, { italic: true });
  put(4, 1, last, form.title, { bold: true, size: 14 });
  put(5, 1, last, `Mẫu số ${form.number} (${form.reference}) — từ ngày ${formatIsoDate(period.from)} đến ngày ${formatIsoDate(period.to)}`, { italic: true });

  COLUMNS.forEach((c, i) => {
    const col = i + 1;
    sheet.getColumn(col).width = c.width;
    const top = sheet.getCell(HEADER_ROW, col);
    const below = sheet.getCell(HEADER_ROW + 1, col);
    if (c.group) {
      top.value = c.group;
      below.value = c.header;
    } else {
      top.value = c.header;
    }
    for (const cell of [top, below]) {
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = boxed;
    }
  });
  // Ungrouped headers span both header rows; a group's name spans its columns.
  COLUMNS.forEach((c, i) => {
    if (!c.group) sheet.mergeCells(HEADER_ROW, i + 1, HEADER_ROW + 1, i + 1);
    else if (COLUMNS[i - 1]?.group !== c.group) sheet.mergeCells(HEADER_ROW, i + 1, HEADER_ROW, i + COLUMNS.filter((x) => x.group === c.group).length);
  });

  rows.forEach((r, i) => {
    const extended = r.originalDueAt && r.dueAt && r.dueAt.getTime() !== r.originalDueAt.getTime() ? `Hẹn lại: ${localDateOf(r.dueAt).split('-').reverse().join('/')}` : null;
    const note = [statusLabelsVi[r.status], r.timeliness ? timelinessVi[r.timeliness] : null, channelVi[r.channel], extended].filter(Boolean).join('; ');
    const values = [
      i + 1,
      r.code ?? '',
      r.procedureName,
      r.sets,
      r.applicantName,
      r.address ?? '',
      r.phone ?? '',
      r.deciding ?? '',
      excelDate(r.receivedAt),
      excelDate(r.originalDueAt ?? r.dueAt),
      excelDate(r.transferredAt),
      excelDate(r.decidedAt),
      excelDate(r.returnedAt),
      null,
      note,
    ];
    const row = sheet.getRow(REGISTER_FIRST_ROW + i);
    row.values = values;
    COLUMNS.forEach((c, j) => {
      const cell = row.getCell(j + 1);
      cell.border = boxed;
      cell.alignment = { vertical: 'top', wrapText: true };
      if (c.date) cell.numFmt = 'dd/mm/yyyy';
    });
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

