// `npm run bench`: measures CQS on the embedded database and, when PostgreSQL binaries are present, on a throwaway
// PostgreSQL server, and prints one table. Each figure is set against a baseline measured in the same run.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PROVINCE_DOSSIERS_PER_DAY, seedDemo, seedDossiers } from '../src/demo/seed-demo.ts';
import { searchProcedures } from '../src/modules/procedures/search-procedures.ts';
import { type DatabaseHandle, openDatabase, openPglite } from '../src/platform/db/database.ts';
import { createDatabase, databaseUrl, dropDatabase } from '../src/platform/db/server-databases.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { auditOverhead, sealerThroughput } from './audit-overhead.ts';
import { bulkDossiers, dueDateRate, queueLatency, submissionThroughput } from './dossiers.ts';
import { CalendarStore } from '../src/platform/calendar/calendar-store.ts';
import { provinceScenarios } from './province.ts';
import { startupScenarios } from './startup.ts';
import { statisticsOverHttp } from './statistics.ts';
import { ms, percentiles, renderTable, type Row, timeEach } from './stats.ts';

const QUERIES = ['dang ky khai sinh', 'khai sinh', 'Đăng ký kết hôn', 'giấy phép xây dựng', 'cap giay chung nhan', 'hộ tịch', 'đất đai', 'thue', 'chứng thực', 'bảo trợ xã hội'];

async function freshDatabase(): Promise<{ handle: DatabaseHandle; label: string; url?: string; drop?: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    // A data folder on disk, as `cqs start` keeps it: an in-memory database would flatter every write.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cqs-bench-pglite-'));
    const pglite = await openPglite(path.join(dir, 'pgdata'));
    const handle = await openDatabase({ kind: 'pglite-instance', pglite });
    return { handle: { ...handle, close: async () => { await handle.close(); await pglite.close(); await rm(dir, { recursive: true, force: true }); } }, label: 'PGlite (on disk)' };
  }
  const name = `cqs_bench_${randomBytes(4).toString('hex')}`;
  await createDatabase(serverUrl, name);
  const url = databaseUrl(serverUrl, name);
  const handle = await openDatabase({ kind: 'postgres', url });
  return { handle, label: 'PostgreSQL', url, drop: () => dropDatabase(serverUrl, name) };
}

async function searchScenario(h: DatabaseHandle, db: string): Promise<Row> {
  const codes = (await h.db.selectFrom('procedures').select('national_code').limit(200).execute()).map((r) => r.national_code);
  const n = 400;
  // Warm-up: plans and caches, as on a server that has been running for a while.
  await timeEach(50, (i) => searchProcedures(h.db, { q: QUERIES[i % QUERIES.length] ?? '' }));
  const search = percentiles(await timeEach(n, (i) => searchProcedures(h.db, { q: QUERIES[i % QUERIES.length] ?? '' })));
  const lookup = percentiles(
    await timeEach(n, (i) => h.db.selectFrom('procedures').select(['id', 'national_code']).where('national_code', '=', codes[i % codes.length] ?? '').executeTakeFirst()),
  );
  const target = db === 'PostgreSQL' ? 'p95 < 10 ms' : '—';
  return {
    db,
    scenario: 'catalogue search, 2,642 procedures (p50 / p95 / p99)',
    result: `${ms(search.p50)} / ${ms(search.p95)} / ${ms(search.p99)}`,
    baseline: `indexed lookup by code p95 ${ms(lookup.p95)}`,
    ratio: `${(search.p95 / lookup.p95).toFixed(1)}×`,
    target,
    verdict: db === 'PostgreSQL' ? (search.p95 < 10 ? 'ok' : 'MISSED') : '—',
  };
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)} % time`;

/**
 * The audit event's cost on a mutation, and on the server how audited mutations scale from one client to eight
 * (no global lock: each transaction's events go to a stream of their own). Two mutations: the smallest edit, and a
 * state change as the transition engine writes it (record and timeline entry); next to each, the cost of one plain row
 * written in the audit event's place, the least any second write can cost.
 */
async function auditScenarios(h: DatabaseHandle, db: string): Promise<Row[]> {
  const concurrent = db === 'PostgreSQL' ? [1, 8] : [1];
  const rows: Row[] = [];
  const audited: number[] = [];
  for (const shape of ['edit', 'transition'] as const) {
    const r = await auditOverhead(h.db, 630, concurrent, shape);
    audited.push(...[...r.values()].map((x) => x.withAudit));
    const one = r.get(1) ?? { withAudit: 0, withoutAudit: 0, withPlainRow: 0, overhead: 0, floor: 0 };
    const what = shape === 'edit' ? 'smallest edit (read, update under version)' : 'state change (read, update under version, timeline entry)';
    const { overhead, floor } = one;
    rows.push(
      { db, scenario: `${what} with its audit event (tx/s)`, result: `${one.withAudit.toFixed(0)} tx/s`, baseline: `same without audit ${one.withoutAudit.toFixed(0)} tx/s`, ratio: pct(overhead), target: 'overhead < 30 %', verdict: overhead < 0.3 ? 'ok' : 'MISSED' },
      { db, scenario: `${what} with one plain row instead (tx/s)`, result: `${one.withPlainRow.toFixed(0)} tx/s`, baseline: `same without audit ${one.withoutAudit.toFixed(0)} tx/s`, ratio: pct(floor), target: '— (floor)', verdict: '—' },
    );
    const eight = r.get(8);
    if (!eight) continue;
    const scale = eight.withAudit / one.withAudit;
    const plainScale = eight.withoutAudit / one.withoutAudit;
    const overhead8 = eight.overhead;
    rows.push(
      { db, scenario: `${what}, audited, 8 concurrent clients (tx/s)`, result: `${eight.withAudit.toFixed(0)} tx/s`, baseline: `1 client ${one.withAudit.toFixed(0)} tx/s (unaudited scales ${plainScale.toFixed(1)}×)`, ratio: `${scale.toFixed(1)}×`, target: '≥ 3×', verdict: scale >= 3 ? 'ok' : 'MISSED' },
      { db, scenario: `${what} with its audit event, 8 concurrent clients (tx/s)`, result: `${eight.withAudit.toFixed(0)} tx/s`, baseline: `same without audit ${eight.withoutAudit.toFixed(0)} tx/s`, ratio: pct(overhead8), target: 'overhead < 30 %', verdict: overhead8 < 0.3 ? 'ok' : 'MISSED' },
    );
  }
  // The sealer must stay ahead of the fastest audited mutations measured above, or events would wait ever longer.
  const fastest = Math.max(...audited);
  const s = await sealerThroughput(h.db, 50_000);
  rows.push({
    db,
    scenario: 'sealer: 50,000 waiting events chained (events/s)',
    result: `${s.rate.toFixed(0)} /s`,
    baseline: `the same seal rows inserted, same batches ${s.baseline.toFixed(0)} /s`,
    ratio: (s.rate / s.baseline).toFixed(2),
    target: `> fastest audited mutations above (${fastest.toFixed(0)} tx/s)`,
    verdict: s.rate > fastest ? 'ok' : 'MISSED',
  });
  return rows;
}

function startupRows(db: string, first: number, later: number): Row[] {
  return [
    { db, scenario: 'first start: schema + demo import, until /readyz', result: `${first.toFixed(1)} s`, baseline: `later start ${later.toFixed(1)} s`, ratio: `${(first / later).toFixed(1)}×`, target: '< 60 s', verdict: first < 60 ? 'ok' : 'MISSED' },
    { db, scenario: 'later start on existing data, until /readyz', result: `${later.toFixed(1)} s`, baseline: '—', ratio: '—', target: '< 5 s', verdict: later < 5 ? 'ok' : 'MISSED' },
  ];
}

async function dossierScenarios(h: DatabaseHandle, db: string): Promise<Row[]> {
  const calendar = await new CalendarStore(h.db).get();
  const rows: Row[] = [];
  if (db.startsWith('PGlite')) {
    const due = dueDateRate(calendar, 300_000);
    rows.push({ db: 'in process', scenario: 'due-date computation (working days)', result: `${Math.round(due.rate).toLocaleString('en')} /s`, baseline: `plain date arithmetic ${Math.round(due.baseline).toLocaleString('en')} /s`, ratio: `${(due.rate / due.baseline).toFixed(3)}`, target: '≥ 100,000 /s', verdict: due.rate >= 100_000 ? 'ok' : 'MISSED' });
  }
  const sub = await submissionThroughput(h.db, calendar, 300);
  rows.push({ db, scenario: 'online submission with two attachments (uploads + submission)', result: `${sub.rate.toFixed(0)} /s`, baseline: `the same rows and files in the same transactions ${sub.baseline.toFixed(0)} /s`, ratio: (sub.rate / sub.baseline).toFixed(2), target: 'ratio ≥ 0.5', verdict: sub.rate / sub.baseline >= 0.5 ? 'ok' : 'MISSED' });
  if (db === 'PostgreSQL') {
    rows.push({ db, scenario: 'online submissions to one unit on one day, 8 concurrent clients (/s)', result: `${sub.eightClients.toFixed(0)} /s`, baseline: `1 client ${sub.rate.toFixed(0)} /s`, ratio: `${(sub.eightClients / sub.rate).toFixed(2)}×`, target: `≥ 1× (the same count rows and code counter for all; ${os.cpus().length} cores)`, verdict: sub.eightClients >= sub.rate ? 'ok' : 'MISSED' });
  }
  rows.push({ db, scenario: 'online submission, against the earlier baseline (until 12/2026)', result: `${sub.rate.toFixed(0)} /s`, baseline: `the same rows, each INSERT committed on its own, no files ${sub.autocommit.toFixed(0)} /s`, ratio: (sub.rate / sub.autocommit).toFixed(2), target: '— (kept for the record)', verdict: '—' });
  // A million dossiers on the server; PGlite (demo and pilots) gets a tenth, enough to show the same plan.
  const volume = db === 'PostgreSQL' ? 1_000_000 : 100_000;
  await bulkDossiers(h.db, volume);
  const q = await queueLatency(h.db, 300);
  rows.push({
    db,
    scenario: `officer queue, first page, ${volume.toLocaleString('en')} dossiers (p50 / p95 / p99)`,
    result: `${ms(q.queue.p50)} / ${ms(q.queue.p95)} / ${ms(q.queue.p99)}`,
    baseline: `lookup by code p95 ${ms(q.lookup.p95)}`,
    ratio: `${(q.queue.p95 / q.lookup.p95).toFixed(1)}×`,
    target: db === 'PostgreSQL' ? 'p95 < 20 ms' : '—',
    verdict: db === 'PostgreSQL' ? (q.queue.p95 < 20 ? 'ok' : 'MISSED') : '—',
  });
  const st = await statisticsOverHttp(h.db, db, 200);
  const lookup = `public look-up by code over HTTP p95 ${ms(st.lookup.p95)}`;
  rows.push({ db, scenario: `counts rebuilt from ${st.records.toLocaleString('en')} dossiers (cqs counts rebuild)`, result: `${st.rebuildSeconds.toFixed(1)} s`, baseline: '—', ratio: `${Math.round(st.records / st.rebuildSeconds).toLocaleString('en')} dossiers/s`, target: '—', verdict: '—' });
  rows.push({
    db,
    scenario: 'province statistics over HTTP, last month, 8 concurrent clients',
    result: `${st.eightClients.toFixed(0)} /s`,
    baseline: `1 client ${st.oneClient.toFixed(0)} /s`,
    ratio: `${(st.eightClients / st.oneClient).toFixed(2)}×`,
    target: db === 'PostgreSQL' ? `≥ 1× (scales, not collapses; ${os.cpus().length} cores)` : '—',
    verdict: db === 'PostgreSQL' ? (st.eightClients >= st.oneClient ? 'ok' : 'MISSED') : '—',
  });
  rows.push(...st.exported);
  for (const [label, p] of [['last month', st.month], ['last year', st.year], ['last ten years', st.decade]] as const) {
    rows.push({
      db,
      scenario: `province statistics over HTTP, ${label}, ${volume.toLocaleString('en')} dossiers (p50 / p95 / p99)`,
      result: `${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.p99)}`,
      baseline: lookup,
      ratio: `${(p.p95 / st.lookup.p95).toFixed(1)}×`,
      target: 'p95 < 100 ms',
      verdict: p.p95 < 100 ? 'ok' : 'MISSED',
    });
  }
  return rows;
}

/**
 * Scenario groups; `npm run bench -- audit` runs only the audit scenarios (and appends nothing to RESULTS.md).
 * `--years N` (default 1) sets how many years `cqs seed` generates for the province group, on PostgreSQL; with
 * CQS_BENCH_PROVINCE_URL the group reads a database seeded beforehand (`cqs seed --years 10`) instead.
 */
const GROUPS = ['search', 'audit', 'dossiers', 'startup', 'province'] as const;
const argv = process.argv.slice(2);
const yearsAt = argv.indexOf('--years');
const years = yearsAt >= 0 ? Number(argv[yearsAt + 1]) : 1;
const only = argv.filter((_, i) => yearsAt < 0 || (i !== yearsAt && i !== yearsAt + 1));
const wanted = (group: (typeof GROUPS)[number]) => only.length === 0 || only.includes(group);

async function measureHere(): Promise<Row[]> {
  const fresh = await freshDatabase();
  const rows: Row[] = [];
  try {
    await migrate(fresh.handle.db);
    if (wanted('search') || wanted('dossiers')) await seedDemo(fresh.handle.db);
    if (wanted('search')) rows.push(await searchScenario(fresh.handle, fresh.label));
    if (wanted('audit')) rows.push(...(await auditScenarios(fresh.handle, fresh.label)));
    if (wanted('dossiers')) rows.push(...(await dossierScenarios(fresh.handle, fresh.label)));
  } finally {
    await fresh.handle.close();
    await fresh.drop?.();
  }
  if (wanted('province') && fresh.label === 'PostgreSQL') rows.push(...(await provinceRows()));
  if (!wanted('startup')) return rows;
  // Start-up of the real CLI; on PostgreSQL it uses a database of its own, created empty.
  const startDb = fresh.label === 'PostgreSQL' ? await freshDatabase() : null;
  if (startDb) await startDb.handle.close();
  const s = await startupScenarios(startDb?.url);
  await startDb?.drop?.();
  rows.push(...startupRows(fresh.label, s.first, s.later));
  return rows;
}

/** The province group on a database of its own: seeded here for `--years`, or the one CQS_BENCH_PROVINCE_URL names. */
async function provinceRows(): Promise<Row[]> {
  const given = process.env.CQS_BENCH_PROVINCE_URL;
  const fresh = given ? { handle: await openDatabase({ kind: 'postgres', url: given }), label: 'PostgreSQL', drop: undefined } : await freshDatabase();
  try {
    if (!given) {
      await migrate(fresh.handle.db);
      await seedDemo(fresh.handle.db);
      await seedDossiers(fresh.handle.db, await new CalendarStore(fresh.handle.db).get(), years, PROVINCE_DOSSIERS_PER_DAY, { monthly: true });
    }
    return await provinceScenarios(fresh.handle.db, fresh.label, 200);
  } finally {
    await fresh.handle.close();
    await fresh.drop?.();
  }
}

async function main(): Promise<void> {
  if (!Number.isInteger(years) || years < 1 || years > 30) throw new Error('--years takes a whole number of years from 1 to 30');
  const unknown = only.filter((g) => !(GROUPS as readonly string[]).includes(g));
  if (unknown.length > 0) throw new Error(`unknown scenario group(s) ${unknown.join(', ')}; choose from ${GROUPS.join(', ')}`);
  const rows = await measureHere();
  if (process.env.CQS_BENCH_CHILD === '1') {
    console.log(`ROWS:${JSON.stringify(rows)}`);
    return;
  }
  if (!process.env.DATABASE_URL && existsSync('scripts/with-postgres.sh')) {
    const child = spawnSync('scripts/with-postgres.sh', [process.execPath, '--import', 'tsx', 'bench/run.ts', ...argv], {
      env: { ...process.env, CQS_BENCH_CHILD: '1', CQS_PG_DURABLE: '1' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 10 * 1024 * 1024,
    });
    const line = child.stdout.split('\n').find((l) => l.startsWith('ROWS:'));
    if (line) rows.push(...(JSON.parse(line.slice(5)) as Row[]));
    else console.error('PostgreSQL pass skipped: the throwaway server could not be started.');
  }
  const table = renderTable(rows);
  console.log(table);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  if (only.length > 0) return;
  appendFileSync('bench/RESULTS.md', `\n## ${new Date().toISOString()} — ${machine}\n\n${table}\n`);
}

await main();
