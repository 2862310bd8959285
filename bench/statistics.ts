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
import { percentiles, timeEach } from './stats.ts';

export interface StatisticsFigures {
  readonly rebuildSeconds: number;
  readonly records: number;
  readonly month: ReturnType<typeof percentiles>;
  readonly year: ReturnType<typeof percentiles>;
  readonly decade: ReturnType<typeof percentiles>;
  readonly lookup: ReturnType<typeof percentiles>;
  /** /healthz while nothing else runs, and while the register of the last year downloads (`exportRows` lines). */
  readonly healthIdle: ReturnType<typeof percentiles>;
  readonly healthDuringExport: ReturnType<typeof percentiles>;
  readonly exportRows: number;
  readonly exportSeconds: number;
  /** Month figures per second with one client and with eight at once. */
  readonly oneClient: number;
  readonly eightClients: number;
}

/** The province leader's figures for the last month, year and ten years, `n` requests each, one client. */
/** `exportDays`: how many days back the register export covers (about 100,000 lines at the bench's volume). */
export async function statisticsOverHttp(db: Db, n: number, exportDays: number): Promise<StatisticsFigures> {
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
    const health = () => fetch(`${base}/healthz`).then((r) => r.arrayBuffer());
    const healthIdle = percentiles(await timeEach(n, health));
    // The province's register of the last days, as the province's leader downloads it, with /healthz asked meanwhile.
    const clerk = await db.selectFrom('users').select('id').where('username', '=', 'lanhdao.tinh').executeTakeFirstOrThrow();
    const clerkCookie = `${SESSION_COOKIE}=${await createSession(db, clerk.id, 8, { ip: '127.0.0.1', userAgent: 'bench' })}`;
    const exportStarted = performance.now();
    let exporting = true;
    const download = fetch(`${base}/mot-cua/so-theo-doi.xlsx?from=${back(exportDays - 1)}&to=${today}`, { headers: { cookie: clerkCookie } })
      .then(async (r) => {
        if (r.status !== 200) throw new Error(`register: ${r.status} ${await r.text()}`);
        return (await r.arrayBuffer()).byteLength;
      })
      .finally(() => {
        exporting = false;
      });
    const during: number[] = [];
    while (exporting) {
      const t0 = performance.now();
      await health();
      during.push(performance.now() - t0);
    }
    await download;
    const exportSeconds = (performance.now() - exportStarted) / 1000;
    const exportRows = Number((await db.selectFrom('dossiers').select((eb) => eb.fn.countAll<string>().as('n')).where('received_at', '>=', new Date(`${back(exportDays - 1)}T00:00:00+07:00`)).executeTakeFirstOrThrow()).n);
    return {
      oneClient,
      eightClients,
      healthIdle,
      healthDuringExport: percentiles(during),
      exportRows,
      exportSeconds,
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
