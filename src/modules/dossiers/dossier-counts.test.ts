import { exportRegister } from '../../../test/support/exports.ts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, decideThroughSteps } from '../../../test/support/dossier-steps.ts';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { systemActor } from '../../platform/audit/audit-log.ts';
import { CalendarStore } from '../../platform/calendar/calendar-store.ts';
import { localDateOf } from '../../platform/time.ts';
import { DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { rebuildDossierCounts } from './dossier-counts.ts';
import ExcelJS from 'exceljs';
import { bulkDossiers } from '../../../bench/dossiers.ts';
import { generateDemoDossiers } from './demo-dossiers.ts';
import { REGISTER_FIRST_ROW } from './register-export.ts';

let t: TestApp;
let counter: Session;
let leader: Session;

/** The counts as kept: every non-zero counter, in key order. */
const snapshot = async () =>
  (await t.db.selectFrom('record_counts').select(['grain', 'period', 'unit_id', 'via_unit_id', 'metric', 'n']).where('record_type', '=', 'dossier').where('n', '<>', '0').orderBy(['grain', 'period', 'unit_id', 'via_unit_id', 'metric']).execute()).map(
    (r) => ({ ...r, n: Number(r.n) }),
  );

beforeAll(async () => {
  t = await createTestApp();
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  leader = await signIn(t.app, 'lanhdao.stp', DEMO_PASSWORD);
  const specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  const { justiceId, procedureCode } = await justiceProcedure(t.db);
  // Through the engine: received, decided, refused, sent back for papers, a deadline moved.
  const decided = await counterDossier(t.app, counter, { procedureCode, decidingOrgUnitId: justiceId, applicantName: 'Người nộp đếm 1' });
  const processing = await act(t.app, decided.id, 'start_processing', decided.rowVersion, counter);
  expect((await decideThroughSteps(t.app, decided.id, processing.json().rowVersion, specialist, leader)).statusCode).toBe(200);
  const refused = await counterDossier(t.app, counter, { procedureCode, decidingOrgUnitId: justiceId, applicantName: 'Người nộp đếm 2', channel: 3 });
  expect((await act(t.app, refused.id, 'stop', refused.rowVersion, counter, { note: 'Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan' })).statusCode).toBeLessThan(500);
  const waiting = await counterDossier(t.app, counter, { procedureCode, decidingOrgUnitId: justiceId, applicantName: 'Người nộp đếm 3' });
  await act(t.app, waiting.id, 'request_supplement', waiting.rowVersion, counter, { note: 'Bổ sung bản sao giấy khai sinh của người con' });
  // And the bulk generator, which writes rows in batches: two weeks of a province.
  await generateDemoDossiers(t.db, await new CalendarStore(t.db).get(), systemActor('test'), { from: '2026-03-02', to: '2026-03-13', perDay: 30, seed: 7 });
});
afterAll(async () => t.close());

describe('per-unit daily counts of dossiers', () => {
  it('kept with every change are exactly what a rebuild from the dossiers computes', async () => {
    const incremental = await snapshot();
    expect(incremental.length).toBeGreaterThan(50);
    expect(incremental.every((r) => r.n > 0)).toBe(true);
    await rebuildDossierCounts(t.db, new Date());
    expect(await snapshot()).toEqual(incremental);
  });

  /** Each unit's figures from the statistics API (province-wide leader: no unit list) and counted one by one. */
  const compare = async (from: string, to: string) => {
    const province = await signIn(t.app, 'lanhdao.tinh', DEMO_PASSWORD);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/dossier-statistics?from=${from}&to=${to}`, headers: authHeaders(province) });
    expect(res.statusCode).toBe(200);
    const start = new Date(`${from}T00:00:00+07:00`);
    const end = new Date(new Date(`${to}T00:00:00+07:00`).getTime() + 86_400_000);
    const asOf = new Date() < end ? new Date() : end;
    const pending = sql`d.received_at < ${end} AND (d.decided_at IS NULL OR d.decided_at >= ${end}) AND d.status NOT IN (3, 7, 8)`;
    const direct = await t.db
      .selectFrom('dossiers as d')
      .select([
        'd.deciding_org_unit_id as orgUnitId',
        sql<string>`count(*) FILTER (WHERE d.received_at >= ${start} AND d.received_at < ${end})`.as('received'),
        sql<string>`count(*) FILTER (WHERE d.received_at >= ${start} AND d.received_at < ${end} AND d.channel = 2)`.as('receivedOnline'),
        sql<string>`count(*) FILTER (WHERE d.decided_at >= ${start} AND d.decided_at < ${end} AND d.timeliness = 'late')`.as('decidedLate'),
        sql<string>`count(*) FILTER (WHERE ${pending})`.as('pending'),
        sql<string>`count(*) FILTER (WHERE ${pending} AND d.due_at < ${asOf})`.as('pendingOverdue'),
      ])
      .where('d.deciding_org_unit_id', 'is not', null)
      .groupBy('d.deciding_org_unit_id')
      .execute();
    const expected = direct
      .map((r) => ({ orgUnitId: r.orgUnitId, received: Number(r.received), receivedOnline: Number(r.receivedOnline), decidedLate: Number(r.decidedLate), pending: Number(r.pending), pendingOverdue: Number(r.pendingOverdue) }))
      .filter((r) => r.received + r.pending > 0);
    const got = (res.json().rows as Record<string, unknown>[])
      .map((r) => ({ orgUnitId: r.orgUnitId, received: r.received, receivedOnline: r.receivedOnline, decidedLate: r.decidedLate, pending: r.pending, pendingOverdue: r.pendingOverdue }))
      .filter((r) => Number(r.received) + Number(r.pending) > 0);
    const byUnit = (a: { orgUnitId: unknown }, b: { orgUnitId: unknown }) => String(a.orgUnitId).localeCompare(String(b.orgUnitId));
    expect(got.sort(byUnit)).toEqual(expected.sort(byUnit));
    return expected;
  };

  it('are built by the server as it starts where they never were, as a rebuild would build them', async () => {
    const built = await snapshot();
    await sql`DELETE FROM record_counts WHERE record_type = 'dossier'`.execute(t.db);
    await sql`DELETE FROM record_count_builds WHERE record_type = 'dossier'`.execute(t.db);
    const job = t.app.jobs.find((j) => j.name === 'dossier counts');
    expect(job?.runAtStart).toBe(true);
    await job?.run();
    expect(await snapshot()).toEqual(built);
  });

  it('give the figures the dossiers give when counted one by one, for a period still under way', async () => {
    const rows = await compare('2026-03-01', localDateOf(new Date()));
    expect(rows.reduce((n, r) => n + r.received, 0)).toBeGreaterThan(100);
  });

  it('read the pending and overdue of a past period as balances at its end (days, whole months, days)', async () => {
    for (const [from, to] of [['2026-02-20', '2026-03-09'], ['2026-02-15', '2026-04-10'], ['2026-03-04', '2026-03-04']] as const) await compare(from, to);
    const pending = await compare('2026-03-02', '2026-03-06');
    expect(pending.reduce((n, r) => n + r.pending, 0)).toBeGreaterThan(0);
    // A period ending while a late dossier was past its due date and not yet decided: it counts as overdue there.
    const late = await t.db.selectFrom('dossiers').select(['due_at', 'decided_at']).where('timeliness', '=', 'late').where(sql<boolean>`decided_at - due_at > interval '2 days'`).orderBy('code').limit(1).executeTakeFirstOrThrow();
    const end = localDateOf(new Date((late.due_at?.getTime() ?? 0) + 86_400_000));
    const overdue = await compare('2026-03-01', end);
    expect(overdue.reduce((n, r) => n + r.pendingOverdue, 0)).toBeGreaterThan(0);
  });

  it('read by key past instants shared by thousands of dossiers, to the microsecond: each dossier once', async () => {
    // Rows written by SQL, as an import would: received at instants to the microsecond, 30-odd per instant.
    await bulkDossiers(t.db, 12_000);
    await rebuildDossierCounts(t.db, new Date());
    const rows = await compare('2025-12-01', localDateOf(new Date()));
    expect(rows.reduce((n, r) => n + r.received, 0)).toBeGreaterThan(12_000);
    // The register export reads 2,000 lines at a time by receipt instant and code.
    const from = localDateOf(new Date(Date.now() - 120 * 86_400_000));
    const province = await signIn(t.app, 'lanhdao.tinh', DEMO_PASSWORD);
    const res = await exportRegister(t.app, province, from, localDateOf(new Date()));
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Sổ theo dõi hồ sơ');
    const codes: string[] = [];
    sheet?.eachRow((row, n) => {
      if (n >= REGISTER_FIRST_ROW) codes.push(String(row.getCell(2).value));
    });
    const expected = await t.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<string>().as('n')).where('received_at', '>=', new Date(`${from}T00:00:00+07:00`)).executeTakeFirstOrThrow();
    expect(codes.length).toBeGreaterThan(3000);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.length).toBe(Number(expected.n));
  }, 180_000);
});
