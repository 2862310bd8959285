import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { DEMO_CITIZEN_ID } from '../src/modules/directory/demo-accounts.ts';
import { dueDate } from '../src/platform/deadlines/deadline-clock.ts';
import { listDossiers } from '../src/modules/dossiers/read-dossiers.ts';
import { dossierFacts } from '../src/modules/dossiers/dossier-counts.ts';
import { localDateOf } from '../src/platform/time.ts';
import { countPeriodsOf } from '../src/platform/records/record-counts.ts';
import { setPaperRequirements } from '../src/modules/procedures/paper-requirements.ts';
import { submitOnline } from '../src/modules/dossiers/submit-dossier.ts';
import { systemActor } from '../src/platform/audit/audit-log.ts';
import type { CurrentUser } from '../src/platform/auth/permissions.ts';
import { CalendarStore } from '../src/platform/calendar/calendar-store.ts';
import type { WorkingCalendar } from '../src/platform/calendar/working-calendar.ts';
import type { Db, Tx } from '../src/platform/db/database.ts';
import { tenantOf } from '../src/platform/db/tenant-scope.ts';
import { DiskFileStore, type FileStore } from '../src/platform/files/file-store.ts';
import { storeUpload } from '../src/platform/files/store-upload.ts';
import { uploadFromBuffer } from '../src/platform/http/multipart.ts';
import { foldVietnamese } from '../src/platform/text/vietnamese.ts';
import { pdfBytes } from '../test/support/paper-files.ts';
import { concurrentRate } from './audit-overhead.ts';
import { percentiles, ratePerSecond, timeEach } from './stats.ts';

/** Due-date computations per second, against plain date arithmetic over the same inputs. */
export function dueDateRate(calendar: WorkingCalendar, n: number): { rate: number; baseline: number } {
  const start = Date.UTC(2026, 0, 1);
  const instants = Array.from({ length: 1000 }, (_, i) => new Date(start + i * 7_919_000));
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink += dueDate(calendar, instants[i % 1000] as Date, { value: (i % 30) + 1, unit: 'working_day' })?.getTime() ?? 0;
  const rate = (n * 1000) / (performance.now() - t0);
  const t1 = performance.now();
  for (let i = 0; i < n; i++) sink += new Date((instants[i % 1000] as Date).getTime() + ((i % 30) + 1) * 86_400_000).getTime();
  const baseline = (n * 1000) / (performance.now() - t1);
  if (sink === 42) console.log('');
  return { rate, baseline };
}

async function citizen(db: Db): Promise<CurrentUser> {
  const u = await db.selectFrom('users').select(['id', 'full_name']).where('username', '=', DEMO_CITIZEN_ID).executeTakeFirstOrThrow();
  return { id: u.id, kind: 'citizen', username: DEMO_CITIZEN_ID, fullName: u.full_name, grants: [] };
}

/** Other citizens like the demo one (their own accounts, so that each uploads under its own quota lock). */
async function moreCitizens(db: Db, count: number): Promise<CurrentUser[]> {
  const { id: _id, ...template } = await db.selectFrom('users').selectAll().where('username', '=', DEMO_CITIZEN_ID).executeTakeFirstOrThrow();
  return Promise.all(
    Array.from({ length: count }, async (_, k) => {
      const username = `0561990${String(k).padStart(5, '0')}`;
      const row = await db.insertInto('users').values({ ...template, username, personal_id: username }).returning(['id', 'full_name']).executeTakeFirstOrThrow();
      return { id: row.id, kind: 'citizen' as const, username, fullName: row.full_name, grants: [] };
    }),
  );
}

async function onlineTarget(db: Db): Promise<{ code: string; unitId: string; versionId: string }> {
  const row = await db
    .selectFrom('procedure_assignments as a')
    .innerJoin('procedures as p', 'p.id', 'a.procedure_id')
    .innerJoin('org_units as ou', 'ou.id', 'a.org_unit_id')
    .innerJoin('procedure_versions as v', (j) => j.onRef('v.procedure_id', '=', 'p.id').on('v.valid_to', 'is', null))
    .select(['p.national_code', 'a.org_unit_id', 'v.id as version_id'])
    .where('ou.kind', '=', 'people_committee')
    .where((eb) => eb(eb.val('online'), '=', eb.fn.any('v.channels')))
    .orderBy('p.national_code')
    .executeTakeFirstOrThrow();
  return { code: row.national_code, unitId: row.org_unit_id, versionId: row.version_id };
}

// Whole PDFs of about 20 KB, distinct per call, as the upload path checks structure.
const paper = (i: number, kind: string) => pdfBytes(`${kind} ${i} ${randomUUID()}`, 20_000);

/**
 * Copies of every row one submission path wrote — two file rows and their audit events, the dossier, its timeline
 * event, code counter, two notifications, two papers, two digitised records, its counts and its audit event — with
 * fresh keys, in the path's own transactions (each upload's file written and flushed to the same store, its row and
 * audit event in one; the submission's rows in one, by multi-row INSERTs): the write cost of the same rows under the
 * same durability, with none of the checks or reads.
 */
async function rawRowsOfOneSubmission(db: Db, store: FileStore, userId: string, mode: 'path' | 'autocommit'): Promise<(i: number) => Promise<void>> {
  // The earlier baseline, kept beside the fair one for the record: every statement committed on its own, no files.
  const inTransaction = <T>(work: (tx: Db | Tx) => Promise<T>) => (mode === 'path' ? db.transaction().execute(work) : work(db));
  const d = await db.selectFrom('dossiers').selectAll().where('applicant_user_id', '=', userId).limit(1).executeTakeFirstOrThrow();
  const event = await db.selectFrom('dossier_events').selectAll().where('dossier_id', '=', d.id).executeTakeFirstOrThrow();
  const messages = await db.selectFrom('outbox_messages').selectAll().where('record_type', '=', 'dossier').where('record_id', '=', d.id).execute();
  const papers = await db.selectFrom('dossier_papers').selectAll().where('dossier_id', '=', d.id).execute();
  const records = await db.selectFrom('digitised_records').selectAll().where('source_dossier_id', '=', d.id).execute();
  const file = await db.selectFrom('stored_files').selectAll().where('id', '=', papers[0]?.file_id ?? '').executeTakeFirstOrThrow();
  const audit = await db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').limit(3).execute();
  // The count rows the path wrote for this dossier: each of its metrics at every grain of its unit's day.
  const day = localDateOf(d.submitted_at);
  const metrics = [...new Set(dossierFacts(d).map((f) => f.metric))];
  const counts =
    metrics.length === 0 || !d.deciding_org_unit_id
      ? []
      : await db
          .selectFrom('record_counts')
          .selectAll()
          .where('record_type', '=', 'dossier')
          .where('unit_id', '=', d.deciding_org_unit_id)
          .where('via_unit_id', '=', d.receiving_org_unit_id)
          .where('metric', 'in', metrics)
          .where((eb) => eb.or(countPeriodsOf(day).map((c) => eb.and([eb('grain', '=', c.grain), eb('period', '=', c.period)]))))
          .execute();
  const counter = await db.selectFrom('numbering_counters').selectAll().where('series_key', '=', 'dossier_code').orderBy('period_key').limit(1).executeTakeFirstOrThrow();
  // Dossier-code counter rows are keyed by unit and day: the copies take days before any in the table.
  const firstDay = Date.parse(`${counter.period_key}T00:00:00Z`);
  const firstSeq = Number(audit[0]?.seq ?? 0) + 1_000_000;
  const { id: _e, ...eventRow } = event;
  const auditCopy = (i: number, k: number) => {
    const a = audit[k] ?? audit[0];
    if (!a) throw new Error('no audit event to copy');
    return { ...a, seq: firstSeq + i * 3 + k, summary: JSON.stringify(a.summary) };
  };
  return async (i) => {
    const fileIds = [randomUUID(), randomUUID()];
    for (const [k, id] of fileIds.entries()) {
      const sha256 = mode === 'path' ? await store.put(paper(i, k === 0 ? 'a' : 'b')) : file.sha256;
      await inTransaction(async (tx) => {
        await tx.insertInto('stored_files').values({ ...file, id, sha256, signatures: JSON.stringify(file.signatures) }).execute();
        await tx.insertInto('audit_events').values(auditCopy(i, k)).execute();
      });
    }
    const dossierId = randomUUID();
    await inTransaction(async (tx) => {
      await tx.insertInto('dossiers').values({ ...d, id: dossierId, code: `RAW-${i}-${dossierId}`, idempotency_key: dossierId, form_data: JSON.stringify(d.form_data) }).execute();
      await tx.insertInto('dossier_events').values({ ...eventRow, dossier_id: dossierId, data: JSON.stringify(event.data) }).execute();
      await tx.insertInto('numbering_counters').values({ ...counter, period_key: new Date(firstDay - (i + 1) * 86_400_000).toISOString().slice(0, 10) }).execute();
      if (messages.length > 0) await tx.insertInto('outbox_messages').values(messages.map((m) => ({ ...m, id: randomUUID(), record_id: dossierId, payload: JSON.stringify(m.payload), dedupe_key: `raw:${dossierId}:${m.topic}` }))).execute();
      await tx.insertInto('dossier_papers').values(papers.map((p, k) => ({ ...p, id: randomUUID(), dossier_id: dossierId, file_id: fileIds[k] ?? p.file_id }))).execute();
      if (records.length > 0) await tx.insertInto('digitised_records').values(records.map((r, k) => ({ ...r, id: randomUUID(), source_dossier_id: dossierId, file_id: fileIds[k] ?? r.file_id }))).execute();
      // Counts are upserts onto the same unit's day, as the path's are.
      if (counts.length > 0) {
        await tx
          .insertInto('record_counts')
          .values(counts.map((c) => ({ ...c, record_type: `raw-${mode}` })))
          .onConflict((oc) => oc.columns(['record_type', 'grain', 'period', 'unit_id', 'via_unit_id', 'metric']).doUpdateSet({ n: sql`record_counts.n + excluded.n` }))
          .execute();
      }
      await tx.insertInto('audit_events').values(auditCopy(i, 2)).execute();
    });
  };
}

/**
 * Online submissions per second with two attachments, through the whole path a citizen's browser takes: each paper
 * uploaded (content sniffed, written to the file store and flushed, its row and audit event), then the submission
 * (validation, paper checks, routing, code allocation, dossier, timeline event, papers, digitised records,
 * notification, counts, audit event). The baseline writes copies of the same rows and files in the same transactions
 * through the same driver (rawRowsOfOneSubmission).
 */
export async function submissionThroughput(db: Db, calendar: WorkingCalendar, n: number): Promise<{ rate: number; baseline: number; autocommit: number; eightClients: number }> {
  const user = await citizen(db);
  const target = await onlineTarget(db);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cqs-bench-files-'));
  const store = new DiskFileStore(dir);
  const actor = systemActor('bench');
  await setPaperRequirements(db, actor, target.versionId, [{ seq: 1, name: 'Tờ khai và bản sao giấy tờ', required: true, mediaTypes: ['application/pdf'], maxBytes: 1024 * 1024 }]);
  const submit = async (i: number, by = user) => {
    const a = await storeUpload(db, store, actor, by.id, 'file', uploadFromBuffer('to-khai.pdf', paper(i, 'a')));
    const b = await storeUpload(db, store, actor, by.id, 'file', uploadFromBuffer('ban-sao.pdf', paper(i, 'b')));
    const papers = [
      { requirement: 1, fileId: a.id },
      { requirement: 1, fileId: b.id },
    ];
    await submitOnline(db, { calendar, now: new Date() }, by, actor, { procedureCode: target.code, decidingOrgUnitId: target.unitId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết', papers }, randomUUID());
  };
  const rate = await ratePerSecond(n, submit);
  const baseline = await ratePerSecond(n, await rawRowsOfOneSubmission(db, store, user.id, 'path'));
  const autocommit = await ratePerSecond(n, await rawRowsOfOneSubmission(db, store, user.id, 'autocommit'));
  // Eight citizens at once, every dossier received by the same unit on the same day: each commit moves the same count
  // rows (the unit's day, week, month, year and all time) and takes the same code counter, so they queue on them.
  const citizens = await moreCitizens(db, 8);
  const eightClients = await concurrentRate(n, 8, (i) => submit(n + i, citizens[i % 8]));
  await rm(dir, { recursive: true, force: true });
  return { rate, baseline, autocommit, eightClients };
}

/** Bulk dossiers for the queue benchmark, spread over the demo units and a year, most of them closed; those in processing at their first step. */
export async function bulkDossiers(db: Db, count: number): Promise<void> {
  const tenant = tenantOf(db);
  await sql`
    WITH routes AS (
      SELECT (row_number() OVER (ORDER BY a.org_unit_id, v.id)) - 1 AS i, a.org_unit_id AS unit, v.procedure_id, v.id AS version
      FROM procedure_assignments a
      JOIN org_units ou ON ou.id = a.org_unit_id AND ou.tenant_id = a.tenant_id AND ou.kind <> 'service_centre'
      JOIN procedure_versions v ON v.procedure_id = a.procedure_id AND v.valid_to IS NULL
      WHERE a.tenant_id = ${tenant}),
    n AS (SELECT count(*) AS c FROM routes)
    INSERT INTO dossiers (tenant_id, code, procedure_id, procedure_version_id, channel, status, applicant_name, applicant_search,
                          receiving_org_unit_id, deciding_org_unit_id, step_seq, step_org_unit_id, submitted_at, received_at, due_at,
                          decided_at, timeliness, rule_set_id, created_at, updated_at)
    SELECT ${tenant}::smallint, 'BENCH-' || g, r.procedure_id, r.version, 1 + g % 3,
           CASE WHEN g % 29 = 0 THEN 4 WHEN g % 31 = 0 THEN 2 WHEN g % 37 = 0 THEN 5 ELSE 10 END,
           'Người nộp ' || g, ${foldVietnamese('Người nộp')} || ' ' || g, r.unit, r.unit,
           CASE WHEN g % 29 = 0 THEN 1 END, CASE WHEN g % 29 = 0 THEN r.unit END,
           now() - (g % 365) * interval '1 day', now() - (g % 365) * interval '1 day', now() + ((g % 40) - 10) * interval '1 day',
           -- Returned ones were decided a few days after receipt, one in ten late.
           CASE WHEN g % 29 <> 0 AND g % 31 <> 0 AND g % 37 <> 0 THEN LEAST(now(), now() - (g % 365) * interval '1 day' + (g % 5) * interval '1 day') END,
           CASE WHEN g % 29 <> 0 AND g % 31 <> 0 AND g % 37 <> 0 THEN (CASE WHEN g % 10 = 0 THEN 'late' WHEN g % 3 = 0 THEN 'on_time' ELSE 'early' END) END,
           (SELECT id FROM rule_sets WHERE record_type = 'dossier' ORDER BY valid_from DESC LIMIT 1), now(), now()
    FROM generate_series(1, ${count}) g JOIN routes r ON r.i = g % (SELECT c FROM n)`.execute(db);
  await sql`ANALYZE dossiers`.execute(db);
}

/** An officer's "to do" queue (first page) with `count` dossiers in the database, against a lookup by code. */
export async function queueLatency(db: Db, n: number): Promise<{ queue: ReturnType<typeof percentiles>; lookup: ReturnType<typeof percentiles> }> {
  const units = await db.selectFrom('org_units').select(['id', 'path', 'name']).where('kind', '=', 'people_committee').where('parent_id', 'is not', null).orderBy('name').limit(20).execute();
  const officers: CurrentUser[] = units.map((u) => ({ id: randomUUID(), kind: 'official', username: 'bench', fullName: 'bench', grants: [{ role: 'specialist', orgUnitId: u.id, orgPath: u.path, orgName: u.name }] }));
  const calendar = await new CalendarStore(db).get();
  await timeEach(30, (i) => listDossiers(db, { calendar, now: new Date() }, officers[i % officers.length] as CurrentUser, { view: 'todo', limit: 50 }));
  const queue = percentiles(await timeEach(n, (i) => listDossiers(db, { calendar, now: new Date() }, officers[i % officers.length] as CurrentUser, { view: 'todo', limit: 50 })));
  const lookup = percentiles(await timeEach(n, (i) => db.selectFrom('dossiers').select(['id', 'status']).where('code', '=', `BENCH-${(i * 7919) % 1000 + 1}`).executeTakeFirst()));
  return { queue, lookup };
}
