import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { foldVietnamese } from '../../platform/text/vietnamese.ts';
import { todayLocal } from '../../platform/time.ts';
import { contentHash } from './content-hash.ts';
import { parseCatalogueCsv } from './parse-catalogue.ts';
import { parseDetailedJson } from './parse-detailed.ts';
import { carrySetupForward } from './setup-revision.ts';
import type { ParseResult, ProcedureRecord, RejectedRow } from './procedure-record.ts';

export type ImportKind = 'catalogue' | 'detailed';

export interface ImportSummary {
  readonly runId: string;
  readonly total: number;
  readonly created: number;
  readonly newVersions: number;
  readonly unchanged: number;
  readonly rejects: readonly RejectedRow[];
}

export type ProgressListener = (done: number, total: number) => void;

const BATCH = 200;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function parseProcedureFile(kind: ImportKind, text: string): ParseResult {
  return kind === 'catalogue' ? parseCatalogueCsv(text) : parseDetailedJson(text);
}

async function sectorIds(tx: Tx, records: readonly ProcedureRecord[]): Promise<Map<string, number>> {
  const names = [...new Set(records.map((r) => r.sector))];
  if (names.length > 0) {
    await sql`INSERT INTO sectors (name) SELECT unnest(${names}::text[]) ON CONFLICT (name) DO NOTHING`.execute(tx);
  }
  const rows = await tx.selectFrom('sectors').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.name, r.id]));
}

async function procedureIds(tx: Tx, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length > 0) {
    await sql`INSERT INTO procedures (national_code) SELECT unnest(${codes}::text[]) ON CONFLICT (national_code) DO NOTHING`.execute(tx);
  }
  // Locked until the import commits, so that an administrator's setup revision of one of them waits for it (and
  // the import for the revision): each supersedes the version the other put in force.
  const rows = await tx.selectFrom('procedures').select(['id', 'national_code']).where('national_code', 'in', codes.length > 0 ? codes : ['']).orderBy('id').forUpdate().execute();
  return new Map(rows.map((r) => [r.national_code, r.id]));
}

function versionRow(r: ProcedureRecord, procedureId: string, versionNo: number, sectorId: number | null, today: string) {
  return {
    procedure_id: procedureId,
    version_no: versionNo,
    decision_ref: r.decisionRef,
    valid_from: today,
    valid_to: null,
    name: r.name,
    sector_id: sectorId,
    ministry: r.ministry,
    procedure_type: r.procedureType,
    levels: [...r.levels],
    channels: [...r.channels],
    online_level: r.onlineLevel,
    processing_time_raw: r.processingTime.raw,
    processing_value: r.processingTime.value,
    processing_unit: r.processingTime.unit,
    fees: JSON.stringify(r.fees),
    fee_raw: r.feeRaw,
    documents: JSON.stringify(r.documents),
    channel_details: JSON.stringify(r.channelDetails),
    steps: r.steps,
    requirements: r.requirements,
    result: r.result,
    legal_basis: JSON.stringify(r.legalBasis),
    applicants: r.applicants,
    implementing_agency: r.implementingAgency,
    deciding_agency: r.decidingAgency,
    source_url: r.sourceUrl,
    detail_level: r.detailLevel,
    content_hash: contentHash(r),
    search_text: foldVietnamese(`${r.name} ${r.nationalCode} ${r.sector}`),
  };
}

/**
 * Imports a catalogue file in one transaction: a record whose content changed closes the version in force and
 * becomes the next version (old versions stay readable), keeping the setup the administrator gave the old one; an
 * identical record is left alone.
 */
export async function importProcedures(
  db: Db,
  actor: Actor,
  file: { fileName: string; text: string; kind: ImportKind },
  onProgress?: ProgressListener,
): Promise<ImportSummary> {
  const startedAt = new Date();
  const parsed = parseProcedureFile(file.kind, file.text);
  const records = parsed.records;
  const today = todayLocal();
  return db.transaction().execute(async (tx) => {
    const sectors = await sectorIds(tx, records);
    const ids = await procedureIds(tx, records.map((r) => r.nationalCode));
    const current = await tx
      .selectFrom('procedure_versions')
      .select(['id', 'procedure_id', 'version_no', 'content_hash'])
      .where('valid_to', 'is', null)
      .execute();
    const currentByProcedure = new Map(current.map((v) => [v.procedure_id, v]));
    let created = 0;
    let newVersions = 0;
    let unchanged = 0;
    const toClose: string[] = [];
    const rows: ReturnType<typeof versionRow>[] = [];
    for (const r of records) {
      const procedureId = ids.get(r.nationalCode) ?? '';
      const existing = currentByProcedure.get(procedureId);
      const row = versionRow(r, procedureId, (existing?.version_no ?? 0) + 1, sectors.get(r.sector) ?? null, today);
      if (existing?.content_hash === row.content_hash) unchanged += 1;
      else {
        if (existing) {
          toClose.push(existing.id);
          newVersions += 1;
        } else created += 1;
        rows.push(row);
      }
    }
    for (const batch of chunks(toClose, 1000)) {
      await tx.updateTable('procedure_versions').set({ valid_to: today }).where('id', 'in', batch).execute();
    }
    let done = 0;
    for (const batch of chunks(rows, BATCH)) {
      await tx.insertInto('procedure_versions').values(batch).execute();
      done += batch.length;
      onProgress?.(done, rows.length);
    }
    // A new decision changes the published content, not the administrator's papers, steps and form.
    for (const batch of chunks(toClose, 1000)) await carrySetupForward(tx, batch);
    const run = await tx
      .insertInto('import_runs')
      .values({
        kind: `procedures.${file.kind}`,
        file_name: file.fileName.slice(0, 300),
        file_sha256: createHash('sha256').update(file.text).digest('hex'),
        accepted: created + newVersions,
        unchanged,
        rejected: parsed.rejects.length,
        rejects: JSON.stringify(parsed.rejects),
        actor_label: actor.label,
        started_at: startedAt,
        finished_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const summary = { runId: run.id, total: records.length + parsed.rejects.length, created, newVersions, unchanged, rejects: parsed.rejects };
    await recordAudit(tx, actor, {
      action: 'procedures.imported',
      entityType: 'import_run',
      entityId: run.id,
      after: { fileName: file.fileName, kind: file.kind, created, newVersions, unchanged, rejected: parsed.rejects.length },
    });
    return summary;
  });
}
