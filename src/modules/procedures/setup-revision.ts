import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { VersionOrigin } from '../../platform/db/schema.ts';
import { isTenantTable, tenantOf } from '../../platform/db/tenant-scope.ts';
import { AppError } from '../../platform/errors.ts';
import { todayLocal } from '../../platform/time.ts';

/** A procedure version as the setup editor names it. */
export interface VersionRef {
  readonly id: string;
  readonly versionNo: number;
}

/** One part of a procedure's setup (papers, processing steps or form fields) being replaced. */
export interface SetupEdit<T> {
  /** The audit action of this part. */
  readonly action: string;
  /** The part as a version has it (null when it uses the defaults), in the same shape as `after`. */
  readonly read: (tx: Tx, versionId: string) => Promise<T | null>;
  /** Replaces the part's rows of a new version (it starts with a copy of the old version's). */
  readonly write: (tx: Tx, versionId: string) => Promise<void>;
  /** The part as it will be (null: the defaults). */
  readonly after: T | null;
}

// Columns of a version that make up its published content, copied as they are into a setup revision.
const CONTENT_COLUMNS = [
  'procedure_id',
  'decision_ref',
  'name',
  'sector_id',
  'ministry',
  'procedure_type',
  'levels',
  'channels',
  'online_level',
  'processing_time_raw',
  'processing_value',
  'processing_unit',
  'fees',
  'fee_raw',
  'documents',
  'channel_details',
  'steps',
  'requirements',
  'result',
  'legal_basis',
  'applicants',
  'implementing_agency',
  'deciding_agency',
  'source_url',
  'detail_level',
  'content_hash',
  'search_text',
] as const;

// The tables holding a version's setup, with their columns besides the version.
const SETUP_TABLES: Record<string, readonly string[]> = {
  paper_requirements: ['seq', 'name', 'required', 'media_types', 'max_bytes', 'hint'],
  workflow_steps: ['seq', 'name', 'role', 'org_unit_id', 'budget_percent'],
  form_fields: ['seq', 'key', 'label', 'kind', 'required', 'options', 'help_text', 'group_label', 'prefill', 'source'],
};

/**
 * Copies the administrator's setup (papers, processing steps, form fields) of each of `fromVersionIds` to the
 * version now in force of the same procedure: a new version starts with the setup of the one it supersedes.
 */
export async function carrySetupForward(tx: Tx, fromVersionIds: readonly string[]): Promise<void> {
  if (fromVersionIds.length === 0) return;
  const ids = [...fromVersionIds];
  for (const [table, columns] of Object.entries(SETUP_TABLES)) {
    const from = sql`FROM ${sql.table(table)} r
      JOIN procedure_versions o ON o.id = r.procedure_version_id
      JOIN procedure_versions n ON n.procedure_id = o.procedure_id AND n.valid_to IS NULL
      WHERE r.procedure_version_id = ANY(${ids}::uuid[]) AND n.id <> ALL(${ids}::uuid[])`;
    const into = sql`INSERT INTO ${sql.table(table)} (procedure_version_id, ${sql.join(columns.map((c) => sql.ref(c)))})`;
    if (!isTenantTable(table)) {
      await sql`${into} SELECT n.id, ${sql.join(columns.map((c) => sql.ref(`r.${c}`)))} ${from}`.execute(tx);
      continue;
    }
    // A province's own setup rows (the processing steps) are copied within its tenant: read, then written as values,
    // so that each statement names the tenant and runs on one shard (an INSERT … SELECT on Citus runs on all).
    const tenant = tenantOf(tx);
    const rows = await sql<Record<string, unknown>>`SELECT n.id AS procedure_version_id, ${sql.join(columns.map((c) => sql.ref(`r.${c}`)))}
      ${from} AND r.tenant_id = ${tenant}`.execute(tx);
    if (rows.rows.length === 0) continue;
    const keys = ['procedure_version_id', ...columns];
    await sql`INSERT INTO ${sql.table(table)} (tenant_id, ${sql.join(keys.map((c) => sql.ref(c)))})
      VALUES ${sql.join(rows.rows.map((r) => sql`(${tenant}, ${sql.join(keys.map((k) => r[k]))})`))}`.execute(tx);
  }
}

/**
 * The version in force of the procedure that `versionId` belongs to, with the procedure locked until the end of the
 * transaction so that two revisions (or a revision and an import) of one procedure run one after the other.
 */
async function lockedVersionInForce(tx: Tx, versionId: string): Promise<VersionRef & { procedureId: string }> {
  const of = await tx.selectFrom('procedure_versions').select('procedure_id').where('id', '=', versionId).executeTakeFirst();
  if (!of) throw new AppError('not_found');
  // The procedure row never changes, so waiting on it (rather than on the version row, which a revision closes) sees
  // the version a concurrent revision put in force.
  await tx.selectFrom('procedures').select('id').where('id', '=', of.procedure_id).forUpdate().execute();
  const v = await tx.selectFrom('procedure_versions').select(['id', 'version_no']).where('procedure_id', '=', of.procedure_id).where('valid_to', 'is', null).executeTakeFirst();
  if (!v) throw new AppError('not_found');
  return { id: v.id, versionNo: v.version_no, procedureId: of.procedure_id };
}

/** Two parts of the setup replaced together, so that they make one new version (e.g. an e-form and its papers). */
export function combinedEdit<A, B>(action: string, a: SetupEdit<A>, b: SetupEdit<B>): SetupEdit<{ [k: string]: A | B | null }> {
  return {
    action,
    read: async (tx, id) => {
      const [x, y] = [await a.read(tx, id), await b.read(tx, id)];
      return x === null && y === null ? null : { [a.action]: x, [b.action]: y };
    },
    write: async (tx, id) => {
      await a.write(tx, id);
      await b.write(tx, id);
    },
    after: a.after === null && b.after === null ? null : { [a.action]: a.after, [b.action]: b.after },
  };
}

export const staleSetup = (versionNo: number) =>
  new AppError('conflict', {
    messageVi: `Cấu hình thủ tục vừa được thay đổi (nay là phiên bản ${versionNo}). Nội dung bạn nhập vẫn được giữ; hãy xem lại rồi lưu lại nếu vẫn muốn thay.`,
    detail: `The setup changed meanwhile; the version in force is now ${versionNo}.`,
  });

/**
 * Replaces one part of a procedure's setup by making a new version: a copy of the version in force (number + 1,
 * superseding it as a catalogue import does) that carries the old setup with this part replaced. Dossiers keep the
 * version they were received under, so the rules of a dossier in progress never change under it.
 * `versionId` names the procedure (any of its versions); `expectedVersionNo`, when given, is the version the
 * administrator edited — a save over a version that has since been superseded is a conflict. A save that changes
 * nothing makes no version.
 */
export async function reviseSetup<T>(db: Db, actor: Actor, versionId: string, edit: SetupEdit<T>, expectedVersionNo?: number): Promise<VersionRef> {
  return db.transaction().execute(async (tx) => {
    const current = await lockedVersionInForce(tx, versionId);
    if (expectedVersionNo !== undefined && expectedVersionNo !== current.versionNo) throw staleSetup(current.versionNo);
    const before = await edit.read(tx, current.id);
    if (isDeepStrictEqual(before, edit.after)) return { id: current.id, versionNo: current.versionNo };
    const today = todayLocal();
    await tx.updateTable('procedure_versions').set({ valid_to: today }).where('id', '=', current.id).execute();
    const next = await tx
      .insertInto('procedure_versions')
      .columns([...CONTENT_COLUMNS, 'version_no', 'valid_from', 'origin'])
      .expression((eb) =>
        eb
          .selectFrom('procedure_versions')
          .select([...CONTENT_COLUMNS, eb.lit(current.versionNo + 1).as('version_no'), sql<string>`${today}::date`.as('valid_from'), sql<VersionOrigin>`'setup'`.as('origin')])
          .where('id', '=', current.id),
      )
      .returning(['id', 'version_no'])
      .executeTakeFirstOrThrow();
    await carrySetupForward(tx, [current.id]);
    await edit.write(tx, next.id);
    await recordAudit(tx, actor, {
      action: edit.action,
      entityType: 'procedure_version',
      entityId: next.id,
      before: { versionId: current.id, versionNo: current.versionNo, setup: before },
      after: { versionId: next.id, versionNo: next.version_no, setup: edit.after },
    });
    return { id: next.id, versionNo: next.version_no };
  });
}
