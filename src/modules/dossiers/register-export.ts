import { type SqlBool, sql } from 'kysely';
import type { Actor } from '../../platform/audit/index.ts';
import { type CurrentUser, permissionScopes } from '../../platform/auth/permissions.ts';
import type { Db, DbOrTx } from '../../platform/db/database.ts';
import { resolveUnitScope, type UnitScope } from '../../platform/auth/unit-scope.ts';
import { type CellValue, type ExportKind, type ExportRunner, type ExportView, type HeaderCell, requestExport, type SheetLayout, sheetDay } from '../../platform/exports/index.ts';
import { AppError } from '../../platform/errors.ts';
import { localDateOf, localDayStart } from '../../platform/time.ts';
import { formatDateWords, formatIsoDate } from '../../web/format.ts';
import { type Letterhead, letterheadsOf } from '../directory/index.ts';
import { versionNames } from '../procedures/index.ts';
import { formFor } from './form-templates.ts';
import { type DossierStatus, statusLabelsVi } from './status.ts';

// The export reads this many lines at a time: memory stays flat and other requests get their turn.
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

interface RegisterParams {
  readonly from: string;
  readonly to: string;
  /** The requester's register scope when they asked (their org-unit paths). */
  readonly prefixes: readonly string[];
  /** The unit whose register it is, for the letterhead. */
  readonly unitId: string;
  /** The day the register is dated (the request's). */
  readonly datedAt: string;
}

function registerParams(params: Record<string, unknown>): RegisterParams {
  const { from, to, prefixes, unitId, datedAt } = params;
  const text = (v: unknown): v is string => typeof v === 'string';
  if (!text(from) || !text(to) || !text(unitId) || !text(datedAt) || !Array.isArray(prefixes) || !prefixes.every(text)) throw new Error('not the parameters of a register export');
  return { from, to, prefixes, unitId, datedAt };
}

/**
 * Queues the dossier register (Sổ theo dõi hồ sơ, Mẫu 07) of the period for the user's register scope as it is now;
 * what they may not read is refused here, before anything is queued.
 */
export async function requestDossierRegister(db: Db, exportsRunner: ExportRunner, actor: Actor, user: CurrentUser, period: Period, now: Date): Promise<ExportView> {
  const prefixes = permissionScopes(user, 'dossiers.register');
  if (prefixes.length === 0) throw new AppError('forbidden');
  const params: RegisterParams = { ...period, prefixes, unitId: registerUnitOf(user), datedAt: localDateOf(now) };
  const view = await requestExport(db, now, actor, {
    kind: REGISTER_EXPORT,
    params: { ...params },
    title: `Sổ theo dõi hồ sơ từ ${formatIsoDate(period.from)} đến ${formatIsoDate(period.to)}`,
    fileName: `so-theo-doi-ho-so-${period.from}-${period.to}.xlsx`,
  });
  exportsRunner.wake();
  return view;
}

export const REGISTER_EXPORT = 'dossiers.register';

/**
 * The dossier register as a workbook: the register's lines numbered continuously, under the unit's letterhead and
 * the national motto, with the template version in force at the period's end; A4 landscape, its column headers
 * repeated on every printed page. Lines are read by key a batch at a time, so a year of a province's dossiers takes
 * no more memory than a page.
 */
export const registerExportKind: ExportKind = {
  kind: REGISTER_EXPORT,
  permission: 'dossiers.register',
  async open(db, raw) {
    const params = registerParams(raw);
    const period = { from: params.from, to: params.to };
    const [scope, heads, form] = await Promise.all([resolveUnitScope(db, params.prefixes), letterheadsOf(db, [params.unitId]), formFor(db, 'register', period.to)]);
    const count = await receivedIn(db, scope, period).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const layout = registerLayout(heads.get(params.unitId), form, period, params.datedAt);
    return {
      layout,
      total: Number(count.n),
      async *batches() {
        let n = 0;
        for await (const batch of allRegisterLines(db, scope, period)) yield batch.map((r) => lineCells(++n, r));
      },
    };
  },
};

function registerLayout(head: Letterhead | undefined, form: { title: string; number: string; reference: string }, period: Period, datedAt: string): SheetLayout {
  const last = COLUMNS.length;
  const title = (row: number, col: number, toCol: number, value: string, font: HeaderCell['font']): HeaderCell => ({ row, col, toCol, value, font });
  const header: HeaderCell[] = [
    title(1, 1, 5, (head?.governingBody ?? '').toLocaleUpperCase('vi'), {}),
    title(2, 1, 5, (head?.unitName ?? '').toLocaleUpperCase('vi'), { bold: true }),
    title(1, 9, last, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true }),
    title(2, 9, last, 'Độc lập - Tự do - Hạnh phúc', { bold: true }),
    title(3, 9, last, `${head?.placeName ?? '……'}, ${formatDateWords(localDayStart(datedAt))}`, { italic: true }),
    title(4, 1, last, form.title, { bold: true, size: 14 }),
    title(5, 1, last, `Mẫu số ${form.number} (${form.reference}) — từ ngày ${formatIsoDate(period.from)} đến ngày ${formatIsoDate(period.to)}`, { italic: true }),
  ];
  // Ungrouped headers span both header rows; a group's name spans its columns, its columns' names are below it.
  COLUMNS.forEach((c, i) => {
    const col = i + 1;
    if (!c.group) header.push({ row: HEADER_ROW, col, toRow: HEADER_ROW + 1, value: c.header, font: { bold: true }, boxed: true });
    else {
      if (COLUMNS[i - 1]?.group !== c.group) header.push({ row: HEADER_ROW, col, toCol: i + COLUMNS.filter((x) => x.group === c.group).length, value: c.group, font: { bold: true }, boxed: true });
      header.push({ row: HEADER_ROW + 1, col, value: c.header, font: { bold: true }, boxed: true });
    }
  });
  return { sheetName: 'Sổ theo dõi hồ sơ', columns: COLUMNS, header, firstBodyRow: REGISTER_FIRST_ROW, printTitlesRow: `${HEADER_ROW}:${HEADER_ROW + 1}`, landscape: true };
}

/** One line of the register: its cells, dates as calendar days. */
function lineCells(n: number, r: RegisterRow): CellValue[] {
  const extended = r.originalDueAt && r.dueAt && r.dueAt.getTime() !== r.originalDueAt.getTime() ? `Hẹn lại: ${localDateOf(r.dueAt).split('-').reverse().join('/')}` : null;
  const note = [statusLabelsVi[r.status], r.timeliness ? timelinessVi[r.timeliness] : null, channelVi[r.channel], extended].filter(Boolean).join('; ');
  return [
    n,
    r.code ?? '',
    r.procedureName,
    r.sets,
    r.applicantName,
    r.address ?? '',
    r.phone ?? '',
    r.deciding ?? '',
    sheetDay(r.receivedAt),
    sheetDay(r.originalDueAt ?? r.dueAt),
    sheetDay(r.transferredAt),
    sheetDay(r.decidedAt),
    sheetDay(r.returnedAt),
    null,
    note,
  ];
}
