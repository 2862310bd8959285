// Statistics through HTTP with a session, as a leader's browser asks for them, against an indexed point SELECT
// served through HTTP in the same run (the public look-up of one dossier by its code).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { rebuildDossierCounts } from '../src/modules/dossiers/dossier-counts.ts';
import { createSession, SESSION_COOKIE } from '../src/platform/auth/sessions.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Db } from '../src/platform/db/database.ts';
import { localDateOf } from '../src/platform/time.ts';
import { concurrentRate } from './audit-overhead.ts';
import { exportBesideRequests } from './export-beside.ts';
import { percentiles, type Row, timeEach } from './stats.ts';

export interface StatisticsFigures {
  readonly rebuildSeconds: number;
  readonly records: number;
  readonly month: ReturnType<typeof percentiles>;
  readonly year: ReturnType<typeof percentiles>;
  readonly decade: ReturnType<typeof percentiles>;
  readonly lookup: ReturnType<typeof percentiles>;
  /** /healthz while the register of the last 100,000 dossiers received is exported, and alone (exportBesideRequests). */
  readonly exported: readonly Row[];
  /** Month figures per second with one client and with eight at once. */
  readonly oneClient: number;
  readonly eightClients: number;
}

/** The province leader's figures for the last month, year and ten years, `n` requests each, one client. */
export async function statisticsOverHttp(db: Db, label: string, n: number): Promise<StatisticsFigures> {
  const started = performance.now();
  const { records } = await rebuildDossierCounts(db, new Date());
  const rebuildSeconds = (performance.now() - started) / 1000;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cqs-bench-http-'));
  const app = await buildApp(loadConfig({ NODE_ENV: 'production', CQS_SESSION_SECRET: 'b'.repeat(40), CQS_AUDIT_KEY: 'k'.repeat(40), CQS_DATA_DIR: dataDir, LOG_LEVEL: 'silent', CQS_LOOKUPS_PER_MINUTE: '100000' }), db);
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const leader = await db.selectFrom('users').select('id').where('username', '=', 'lanhdao.tinh').executeTakeFirstOrThrow();
    const cookie = `${SESSION_COOKIE}=${await createSession(db, leader.id, 8, { ip: '127.0.0.1', userAgent: 'bench' })}`;
    const get = async (url: string) => {
      const res = await fetch(`${base}${url}`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const today = localDateOf(new Date());
    const back = (days: number) => localDateOf(new Date(Date.now() - days * 86_400_000));
    const figures = (from: string) => `/api/v1/dossier-statistics?from=${from}&to=${today}`;
    const code = (await db.selectFrom('dossiers').select('code').where('code', 'is not', null).limit(1).executeTakeFirstOrThrow()).code ?? '';
    const lookupUrl = `/api/v1/dossier-lookup?code=${encodeURIComponent(code)}`;
    await timeEach(20, (i) => get(i % 2 === 0 ? figures(back(30)) : lookupUrl));
    const oneClient = await concurrentRate(200, 1, () => get(figures(back(30))));
    const eightClients = await concurrentRate(200, 8, () => get(figures(back(30))));
    const exported = await exportBesideRequests(app, db, base, cookie, label, n);
    return {
      oneClient,
      eightClients,
      exported,
      rebuildSeconds,
      records,
      month: percentiles(await timeEach(n, () => get(figures(back(30))))),
      year: percentiles(await timeEach(n, () => get(figures(back(365))))),
      decade: percentiles(await timeEach(n, () => get(figures(back(3652))))),
      lookup: percentiles(await timeEach(n, () => get(lookupUrl))),
    };
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
