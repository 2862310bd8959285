import ExcelJS from 'exceljs';
import { type SqlBool, sql } from 'kysely';
import { type CurrentUser, permissionScopes } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { resolveUnitScope, type UnitScope } from '../../platform/auth/unit-scope.ts';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { AppError } from '../../platform/errors.ts';
import { localDateOf, localDayStart } from '../../platform/time.ts';
import { formatDateWords, formatIsoDate } from '../../web/format.ts';
import { type Letterhead, letterheadsOf } from '../directory/index.ts';
import { versionNames } from '../procedures/index.ts';
import { formFor } from './form-templates.ts';
import { type DossierStatus, statusLabelsVi } from './status.ts';

// The export reads and writes this many lines at a time: memory stays flat and other requests get their turn.
const EXPORT_BATCH = 2000;
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

type Period = { readonly from: string; readonly to: string };
// The receipt instant as the database keeps it (to the microsecond), and the code.
type Cursor = { readonly receivedAt: string; readonly code: string };

/** The dossiers received in the period by or for the units in scope (the register's lines, before any order). */
function receivedIn(db: DbOrTx, scope: UnitScope, period: Period) {
  let q = db.selectFrom('dossiers as d').where('d.received_at', '>=', localDayStart(period.from)).where('d.received_at', '<', localDayStart(period.to, 1));
  if ('unitIds' in scope) {
    const units = [...scope.unitIds];
    q = q.where((eb) => eb.or([eb('d.receiving_org_unit_id', 'in', units), eb('d.deciding_org_unit_id', 'in', units)]));
  }
  return q;
}

/** Up to `limit` lines in receipt order, after `cursor` (the last line of the batch before). */
async function registerLines(db: DbOrTx, scope: UnitScope, period: Period, limit: number, cursor: Cursor | null): Promise<(RegisterRow & { readonly key: Cursor | null })[]> {
  let q = receivedIn(db, scope, period);
  if (cursor) q = q.where(sql<SqlBool>`(d.received_at, d.code) > (${cursor.receivedAt}::timestamptz, ${cursor.code})`);
  const rows = await q
    .leftJoin('org_units as c', 'c.id', 'd.deciding_org_unit_id')
    .select(['d.code', 'd.procedure_version_id', 'd.applicant_name', 'd.channel', 'd.received_at', 'd.submitted_at', 'd.original_due_at', 'd.due_at', 'd.decided_at', 'd.returned_at', 'd.status', 'd.timeliness', 'c.name as deciding'])
    .select([
      sql<string | null>`d.form_data->>'address'`.as('address'),
      sql<string | null>`d.form_data->>'phone'`.as('phone'),
      sql<string | null>`d.form_data->>'sets'`.as('sets'),
      sql<string>`d.received_at::text`.as('received_key'),
      (eb) => eb.selectFrom('dossier_events as e').select((e) => e.fn.min<Date>('e.occurred_at').as('at')).whereRef('e.dossier_id', '=', 'd.id').where('e.action', '=', 'start_processing').as('transferred_at'),
    ])
    .orderBy('d.received_at')
    .orderBy('d.code')
    .limit(limit)
    .execute();
  const names = await versionNames(db, rows.map((r) => r.procedure_version_id));
  return rows.map((r) => ({
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
    key: r.code ? { receivedAt: r.received_key, code: r.code } : null,
  }));
}

async function registerScope(db: DbOrTx, user: CurrentUser): Promise<UnitScope> {
  const prefixes = permissionScopes(user, 'dossiers.register');
  if (prefixes.length === 0) throw new AppError('forbidden');
  return resolveUnitScope(db, prefixes);
}

/**
 * The register's first lines, for its page: every dossier received in the period [from, to] (local dates) by or for
 * the units in the user's register scope, in receipt order, `limit` at most, and how many there are.
 */
export async function registerRows(db: DbOrTx, user: CurrentUser, period: Period, limit: number): Promise<{ rows: RegisterRow[]; total: number }> {
  const scope = await registerScope(db, user);
  const [rows, count] = await Promise.all([registerLines(db, scope, period, limit, null), receivedIn(db, scope, period).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()]);
  return { rows, total: Number(count.n) };
}

/** Every line of the register, batch by batch in receipt order (the export reads them as it writes). */
async function* allRegisterLines(db: DbOrTx, scope: UnitScope, period: Period): AsyncIterable<readonly RegisterRow[]> {
  let cursor: Cursor | null = null;
  for (;;) {
    const batch = await registerLines(db, scope, period, EXPORT_BATCH, cursor);
    if (batch.length > 0) yield batch;
    const last = batch[batch.length - 1];
    if (batch.length < EXPORT_BATCH || !last?.key) return;
    cursor = last.key;
  }
}

/**
 * The dossier register (Sổ theo dõi hồ sơ) as a workbook: the register's lines numbered continuously, under the unit's
 * letterhead and the national motto, with the template version in force at the period's end; A4 landscape, its column
 * headers repeated on every printed page. What the user may not read is refused before anything is written; the
 * workbook then streams to `out` as its lines are read, a batch at a time, so a year of a province's dossiers takes
 * no more memory than a page and never holds up the other requests.
 */
export async function openDossierRegister(db: DbOrTx, user: CurrentUser, period: Period, now: Date): Promise<{ write(out: Writable): Promise<void> }> {
  const [scope, heads, form] = await Promise.all([registerScope(db, user), letterheadsOf(db, [registerUnitOf(user)]), formFor(db, 'register', period.to)]);
  const head = [...heads.values()][0];
  return { write: (out) => writeRegister(db, scope, period, now, { head, form }, out) };
}

async function writeRegister(db: DbOrTx, scope: UnitScope, period: Period, now: Date, about: { head: Letterhead | undefined; form: { title: string; number: string; reference: string } }, out: Writable): Promise<void> {
  const { head, form } = about;
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
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

  sheet.getRow(HEADER_ROW + 1).commit();
  let n = 0;
  for await (const batch of allRegisterLines(db, scope, period)) {
    for (const r of batch) {
      n += 1;
      writeLine(sheet.getRow(REGISTER_FIRST_ROW + n - 1), n, r);
    }
    // The writer does not wait for a slow reader: wait here, so that no more than a batch is ever held in memory.
    if (out.writableNeedDrain) await once(out, 'drain');
  }
  sheet.commit();
  await book.commit();
}

/** One line of the register: its cells, boxed, dates as dates; committed at once (the sheet keeps no rows). */
function writeLine(row: ExcelJS.Row, n: number, r: RegisterRow): void {
  const extended = r.originalDueAt && r.dueAt && r.dueAt.getTime() !== r.originalDueAt.getTime() ? `Hẹn lại: ${localDateOf(r.dueAt).split('-').reverse().join('/')}` : null;
  const note = [statusLabelsVi[r.status], r.timeliness ? timelinessVi[r.timeliness] : null, channelVi[r.channel], extended].filter(Boolean).join('; ');
  row.values = [
    n,
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
  COLUMNS.forEach((c, j) => {
    const cell = row.getCell(j + 1);
    cell.border = boxed;
    cell.alignment = { vertical: 'top', wrapText: true };
    if (c.date) cell.numFmt = 'dd/mm/yyyy';
  });
  row.commit();
}


