import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { DEMO_CITIZEN_ID } from '../src/modules/directory/demo-accounts.ts';
import { dueDate } from '../src/modules/dossiers/deadline.ts';
import { listDossiers } from '../src/modules/dossiers/read-dossiers.ts';
import { submitOnline } from '../src/modules/dossiers/submit-dossier.ts';
import { systemActor } from '../src/platform/audit/audit-log.ts';
import type { CurrentUser } from '../src/platform/auth/permissions.ts';
import type { WorkingCalendar } from '../src/platform/calendar/working-calendar.ts';
import type { Db } from '../src/platform/db/database.ts';
import { foldVietnamese } from '../src/platform/text/vietnamese.ts';
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

async function onlineTarget(db: Db): Promise<{ code: string; unitId: string }> {
  const row = await db
    .selectFrom('procedure_assignments as a')
    .innerJoin('procedures as p', 'p.id', 'a.procedure_id')
    .innerJoin('org_units as ou', 'ou.id', 'a.org_unit_id')
    .innerJoin('procedure_versions as v', (j) => j.onRef('v.procedure_id', '=', 'p.id').on('v.valid_to', 'is', null))
    .select(['p.national_code', 'a.org_unit_id'])
    .where('ou.kind', '=', 'people_committee')
    .where((eb) => eb(eb.val('online'), '=', eb.fn.any('v.channels')))
    .orderBy('p.national_code')
    .executeTakeFirstOrThrow();
  return { code: row.national_code, unitId: row.org_unit_id };
}

/**
 * Online submissions per second through the whole use case (validation, routing, code allocation, dossier, timeline
 * event, audit event), against inserting the same dossier rows with a plain INSERT through the same driver.
 */
export async function submissionThroughput(db: Db, calendar: WorkingCalendar, n: number): Promise<{ rate: number; baseline: number }> {
  const user = await citizen(db);
  const target = await onlineTarget(db);
  const input = { procedureCode: target.code, decidingOrgUnitId: target.unitId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết' };
  const rate = await ratePerSecond(n, () => submitOnline(db, calendar, user, systemActor('bench'), input, randomUUID()));
  const sample = await db.selectFrom('dossiers').selectAll().where('applicant_user_id', '=', user.id).limit(1).executeTakeFirstOrThrow();
  const baseline = await ratePerSecond(n, (i) =>
    db
      .insertInto('dossiers')
      .values({ ...sample, id: randomUUID(), code: `RAW-${i}-${randomUUID()}`, idempotency_key: randomUUID(), form_data: JSON.stringify(sample.form_data) })
      .execute(),
  );
  return { rate, baseline };
}

/** Bulk dossiers for the queue benchmark, spread over the demo units and a year, most of them closed. */
export async function bulkDossiers(db: Db, count: number): Promise<void> {
  await sql`
    WITH routes AS (
      SELECT (row_number() OVER (ORDER BY a.org_unit_id, v.id)) - 1 AS i, a.org_unit_id AS unit, v.procedure_id, v.id AS version
      FROM procedure_assignments a
      JOIN org_units ou ON ou.id = a.org_unit_id AND ou.kind <> 'service_centre'
      JOIN procedure_versions v ON v.procedure_id = a.procedure_id AND v.valid_to IS NULL),
    n AS (SELECT count(*) AS c FROM routes)
    INSERT INTO dossiers (code, procedure_id, procedure_version_id, channel, status, applicant_name, applicant_search,
                          receiving_org_unit_id, deciding_org_unit_id, submitted_at, received_at, due_at, created_at, updated_at)
    SELECT 'BENCH-' || g, r.procedure_id, r.version, 1 + g % 3,
           CASE WHEN g % 29 = 0 THEN 4 WHEN g % 31 = 0 THEN 2 WHEN g % 37 = 0 THEN 5 ELSE 10 END,
           'Người nộp ' || g, ${foldVietnamese('Người nộp')} || ' ' || g, r.unit, r.unit,
           now() - (g % 365) * interval '1 day', now() - (g % 365) * interval '1 day', now() + ((g % 40) - 10) * interval '1 day', now(), now()
    FROM generate_series(1, ${count}) g JOIN routes r ON r.i = g % (SELECT c FROM n)`.execute(db);
  await sql`ANALYZE dossiers`.execute(db);
}

/** An officer's "to do" queue (first page) with `count` dossiers in the database, against a lookup by code. */
export async function queueLatency(db: Db, n: number): Promise<{ queue: ReturnType<typeof percentiles>; lookup: ReturnType<typeof percentiles> }> {
  const units = await db.selectFrom('org_units').select(['id', 'path', 'name']).where('kind', '=', 'people_committee').where('parent_id', 'is not', null).orderBy('name').limit(20).execute();
  const officers: CurrentUser[] = units.map((u) => ({ id: randomUUID(), kind: 'official', username: 'bench', fullName: 'bench', grants: [{ role: 'specialist', orgUnitId: u.id, orgPath: u.path, orgName: u.name }] }));
  await timeEach(30, (i) => listDossiers(db, officers[i % officers.length] as CurrentUser, { view: 'todo', limit: 50 }));
  const queue = percentiles(await timeEach(n, (i) => listDossiers(db, officers[i % officers.length] as CurrentUser, { view: 'todo', limit: 50 })));
  const lookup = percentiles(await timeEach(n, (i) => db.selectFrom('dossiers').select(['id', 'status']).where('code', '=', `BENCH-${(i * 7919) % 1000 + 1}`).executeTakeFirst()));
  return { queue, lookup };
}
