// A province at scale: every officer page and API a working day touches, through HTTP with a session, on data
// made by `cqs seed --years N` (or an existing seeded database), against the public look-up of one dossier by its
// code through HTTP in the same run.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { rebuildDossierCounts } from '../src/modules/dossiers/dossier-counts.ts';
import { createSession, SESSION_COOKIE } from '../src/platform/auth/sessions.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Db } from '../src/platform/db/database.ts';
import { localDateOf } from '../src/platform/time.ts';
import { concurrentRate } from './audit-overhead.ts';
import { exportBesideRequests } from './export-beside.ts';
import { ms, percentiles, type Row, timeEach } from './stats.ts';

interface Probe {
  readonly who: string;
  readonly label: string;
  readonly url: string;
  readonly target: number;
}

/** The officers whose pages are measured: the province's leader, the one-stop counter, a department specialist. */
const OFFICERS = { leader: 'lanhdao.tinh', counter: 'motcua.tinh', specialist: 'chuyenvien.stp' } as const;

export async function provinceScenarios(db: Db, label: string, n: number): Promise<Row[]> {
  const volume = Number((await db.selectFrom('dossiers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const span = await db.selectFrom('dossiers').select((eb) => [eb.fn.min('submitted_at').as('first'), eb.fn.max('submitted_at').as('last')]).executeTakeFirstOrThrow();
  const years = Math.round((new Date(span.last ?? 0).getTime() - new Date(span.first ?? 0).getTime()) / (365.25 * 86_400_000));
  await rebuildDossierCounts(db, new Date());
  // The rebuild rewrote every count row: vacuum now, as a server that keeps its counts one change at a time never
  // needs, rather than while the figures are being measured.
  await sql`VACUUM ANALYZE record_counts`.execute(db);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cqs-bench-province-'));
  const app = await buildApp(loadConfig({ NODE_ENV: 'production', CQS_SESSION_SECRET: 'b'.repeat(40), CQS_AUDIT_KEY: 'k'.repeat(40), CQS_DATA_DIR: dataDir, LOG_LEVEL: 'silent', CQS_LOOKUPS_PER_MINUTE: '100000' }), db);
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const cookies = new Map<string, string>();
    for (const [who, username] of Object.entries(OFFICERS)) {
      const user = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
      cookies.set(who, `${SESSION_COOKIE}=${await createSession(db, user.id, 8, { ip: '127.0.0.1', userAgent: 'bench' })}`);
    }
    const get = async (who: string, url: string): Promise<string> => {
      const res = await fetch(`${base}${url}`, { headers: cookies.has(who) ? { cookie: cookies.get(who) ?? '' } : {} });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.slice(0, 300)}`);
      return body;
    };
    const recent = await db.selectFrom('dossiers').select(['id', 'code', 'applicant_name']).where('code', 'is not', null).orderBy('submitted_at', 'desc').limit(1).executeTakeFirstOrThrow();
    const code = recent.code ?? '';
    const surname = recent.applicant_name.split(' ').slice(-2).join(' ');
    const second = JSON.parse(await get('leader', '/api/v1/dossiers?view=all')) as { nextCursor: string | null };
    const today = localDateOf(new Date());
    const back = (days: number) => localDateOf(new Date(Date.now() - days * 86_400_000));
    const probes: Probe[] = [
      ...(['todo', 'mine', 'due_soon', 'overdue', 'waiting', 'all'] as const).flatMap((view) => [
        { who: 'leader', label: `queue "${view}", province leader (page)`, url: `/mot-cua?view=${view}`, target: 20 },
        { who: 'counter', label: `queue "${view}", one-stop counter (API)`, url: `/api/v1/dossiers?view=${view}`, target: 20 },
      ]),
      { who: 'specialist', label: 'queue "todo", department specialist (page)', url: '/mot-cua?view=todo', target: 20 },
      { who: 'leader', label: 'queue "all", second page by key (API)', url: `/api/v1/dossiers?view=all&after=${second.nextCursor ?? ''}`, target: 20 },
      { who: 'leader', label: 'search by applicant name, a year (page)', url: `/mot-cua?view=all&q=${encodeURIComponent(surname)}`, target: 20 },
      { who: 'leader', label: 'search by part of a code, a year (API)', url: `/api/v1/dossiers?view=all&q=${encodeURIComponent(code.slice(-11))}`, target: 20 },
      { who: 'leader', label: 'dossier page', url: `/mot-cua/ho-so/${recent.id}`, target: 20 },
      { who: 'counter', label: 'counter receipt form', url: '/mot-cua/tiep-nhan', target: 20 },
      { who: 'leader', label: 'statistics page, last month', url: `/thong-ke/ho-so?from=${back(30)}&to=${today}`, target: 100 },
      { who: 'leader', label: 'statistics API, last year', url: `/api/v1/dossier-statistics?from=${back(365)}&to=${today}`, target: 100 },
      { who: 'leader', label: `statistics API, all ${years} year${years === 1 ? '' : 's'}`, url: `/api/v1/dossier-statistics?from=${localDateOf(new Date(span.first ?? 0))}&to=${today}`, target: 100 },
    ];
    const lookupUrl = `/api/v1/dossier-lookup?code=${encodeURIComponent(code)}`;
    // Warm-up: plans and caches, as on a server that has been running for a while.
    for (const p of probes) await timeEach(5, () => get(p.who, p.url));
    const lookup = percentiles(await timeEach(n, () => get('', lookupUrl)));
    const baseline = `public look-up by code over HTTP p95 ${ms(lookup.p95)}`;
    const rows: Row[] = [];
    const scale = `${volume.toLocaleString('en')} dossiers over ${years} year${years === 1 ? '' : 's'}`;
    for (const p of probes) {
      const t = percentiles(await timeEach(n, () => get(p.who, p.url)));
      rows.push({ db: label, scenario: `${p.label}, ${scale} (p50 / p95 / p99)`, result: `${ms(t.p50)} / ${ms(t.p95)} / ${ms(t.p99)}`, baseline, ratio: `${(t.p95 / lookup.p95).toFixed(1)}×`, target: `p95 < ${p.target} ms`, verdict: t.p95 < p.target ? 'ok' : 'MISSED' });
    }
    const todo = () => get('leader', '/mot-cua?view=todo');
    const one = await concurrentRate(200, 1, todo);
    const eight = await concurrentRate(200, 8, todo);
    rows.push({ db: label, scenario: `province leader's to-do page, 8 concurrent clients (/s), ${scale}`, result: `${eight.toFixed(0)} /s`, baseline: `1 client ${one.toFixed(0)} /s`, ratio: `${(eight / one).toFixed(2)}×`, target: '≥ 1× (scales, not collapses; 2 cores)', verdict: eight >= one ? 'ok' : 'MISSED' });
    rows.push(...(await exportBesideRequests(app, db, base, cookies.get('leader') ?? '', label, n)));
    return rows;
  } finally {
    await app.close();
  }
}
