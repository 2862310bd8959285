// A large export beside other requests: the register of the last 100,000 dossiers received, written by the export
// runner while /healthz is asked for one request after the other, against /healthz alone in the same run.
import type { Db } from '../src/platform/db/database.ts';
import type { App } from '../src/platform/http/server.ts';
import { localDateOf } from '../src/platform/time.ts';
import { ms, percentiles, type Row, timeEach } from './stats.ts';

/**
 * The province's register of the last 100,000 dossiers received, exported through the API while /healthz is asked for
 * one request after the other: its p95 then, next to its p95 with nothing else running, in the same run.
 */
export async function exportBesideRequests(app: App, db: Db, base: string, cookie: string, label: string, n: number): Promise<Row[]> {
  const LINES = 100_000;
  const nth = await db.selectFrom('dossiers').select('received_at').where('received_at', 'is not', null).orderBy('received_at', 'desc').offset(LINES - 1).limit(1).executeTakeFirst();
  if (!nth?.received_at) return [];
  const from = localDateOf(nth.received_at);
  const health = async () => {
    const res = await fetch(`${base}/healthz`);
    await res.text();
  };
  const quiet = percentiles(await timeEach(n * 5, health));
  const me = (await (await fetch(`${base}/api/v1/auth/me`, { headers: { cookie } })).json()) as { csrfToken: string };
  const asked = await fetch(`${base}/api/v1/dossier-register/exports`, { method: 'POST', headers: { cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ from, to: localDateOf(new Date()) }) });
  if (asked.status !== 202) throw new Error(`export: ${asked.status} ${await asked.text()}`);
  const id = ((await asked.json()) as { id: string }).id;
  const t0 = performance.now();
  let running = true;
  const written = app.exports.runPending().finally(() => {
    running = false;
  });
  const samples: number[] = [];
  while (running) samples.push(...(await timeEach(1, health)));
  await written;
  const seconds = (performance.now() - t0) / 1000;
  const view = (await (await fetch(`${base}/api/v1/exports/${id}`, { headers: { cookie } })).json()) as { status: string; rowsDone: number; byteSize: number };
  if (view.status !== 'done') throw new Error(`export ended ${view.status}`);
  const during = percentiles(samples);
  return [
    {
      db: label,
      scenario: `/healthz while the register of ${view.rowsDone.toLocaleString('en')} dossiers is exported (p50 / p95 / p99, ${samples.length} requests)`,
      result: `${ms(during.p50)} / ${ms(during.p95)} / ${ms(during.p99)}`,
      baseline: `/healthz alone p95 ${ms(quiet.p95)}`,
      ratio: `${(during.p95 / quiet.p95).toFixed(1)}×`,
      target: 'p95 < 20 ms (an export never holds up other requests)',
      verdict: during.p95 < 20 ? 'ok' : 'MISSED',
    },
    {
      db: label,
      scenario: `register export, ${view.rowsDone.toLocaleString('en')} lines in a worker thread (lines/s; file ${(view.byteSize / 1048576).toFixed(1)} MB)`,
      result: `${(view.rowsDone / seconds).toFixed(0)} /s (${seconds.toFixed(1)} s)`,
      baseline: '—',
      ratio: '—',
      target: '—',
      verdict: '—',
    },
  ];
}
