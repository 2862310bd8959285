import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../../src/modules/directory/demo-accounts.ts';
import { verifyAuditLog } from '../../src/platform/audit/verify-audit-log.ts';
import { justiceProcedure } from '../support/justice.ts';
import { multipartBody } from '../support/multipart.ts';
import { pdfBytes, pngBytes } from '../support/paper-files.ts';
import { type ClonedDatabase, clonePostgresTemplate } from '../support/pg-clone.ts';

const template = inject('dbTemplate');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

// Killing the server while the submission's transaction is open must leave no dossier, no paper and no audit event;
// the citizen's retry with the same idempotency key then creates it exactly once. Killed once its COMMIT is sent, the
// dossier is whole and the retry answers with it.
describe.runIf(template.kind === 'postgres')('a server killed during an online submission', () => {
  let clone: ClonedDatabase;
  let dataDir: string;
  let server: ChildProcess | undefined;
  let base: string;

  const startServer = async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
      env: { ...process.env, DATABASE_URL: clone.url, PORT: String(port), CQS_DATA_DIR: dataDir, CQS_DEMO: '0', CQS_SESSION_SECRET: 's'.repeat(40), LOG_LEVEL: 'silent', CQS_LOGIN_RATE_PER_MINUTE: '1000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('CQS is running')) resolve();
      });
      child.stderr?.on('data', (c: Buffer) => {
        out += c.toString();
      });
      child.on('exit', () => reject(new Error(`server exited: ${out}`)));
    });
    server = child;
  };

  beforeAll(async () => {
    if (template.kind !== 'postgres') return;
    clone = await clonePostgresTemplate('cqs_kill_submit');
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cqs-kill-submit-'));
    await startServer();
  }, 60_000);
  afterAll(async () => {
    if (template.kind !== 'postgres') return;
    server?.kill('SIGKILL');
    await clone.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const signIn = async () => {
    const first = await fetch(`${base}/healthz`);
    const csrf = /cqs_csrf=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')?.[1] ?? '';
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `cqs_csrf=${csrf}`, 'x-csrf-token': csrf },
      body: JSON.stringify({ username: DEMO_CITIZEN_ID, password: DEMO_PASSWORD }),
    });
    const cookie = (res.headers.getSetCookie() ?? []).map((c) => c.split(';')[0]).join('; ');
    return { cookie, 'x-csrf-token': ((await res.json()) as { csrfToken: string }).csrfToken };
  };
  const uploadFile = async (auth: Record<string, string>, filename: string, data: Buffer) => {
    const body = multipartBody({}, { name: 'file', filename, data });
    const res = await fetch(`${base}/api/v1/files`, { method: 'POST', headers: { ...auth, 'content-type': body.contentType }, body: body.payload });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };

  /** A procedure with two papers, a signed-in citizen with both uploaded, and the submission request to send. */
  const prepare = async (key: string) => {
    const db = clone.handle.db;
    const { justiceId, procedureCode, versionId } = await justiceProcedure(db, { online: true });
    await db
      .insertInto('paper_requirements')
      .values([
        { procedure_version_id: versionId, seq: 1, name: 'Tờ khai', required: true, media_types: ['application/pdf'], max_bytes: 1024 * 1024 },
        { procedure_version_id: versionId, seq: 2, name: 'Ảnh chụp', required: false, media_types: ['image/png'], max_bytes: 1024 * 1024 },
      ])
      .onConflict((oc) => oc.doNothing())
      .execute();
    const auth = await signIn();
    const papers = [
      { requirement: 1, fileId: await uploadFile(auth, 'to-khai.pdf', pdfBytes()) },
      { requirement: 2, fileId: await uploadFile(auth, 'anh.png', pngBytes()) },
    ];
    return () =>
      fetch(`${base}/api/v1/dossiers`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ procedureCode: procedureCode, decidingOrgUnitId: justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết', papers }),
      });
  };

  /**
   * Holds `table` so that the submission's transaction stops at its first write there, then kills the server. The
   * waiter is found in the lock table (a held-back write travels with the COMMIT in one long string, cut short in
   * pg_stat_activity's text); `statement` narrows it to the submission's own statement. Asked outside the locking
   * transaction, which would see the activity as it was when it first looked.
   */
  const killWhileBlockedOn = (table: string, submit: () => Promise<Response>, statement = '%') =>
    clone.handle.db.transaction().execute(async (tx) => {
      await sql`LOCK TABLE ${sql.table(table)} IN EXCLUSIVE MODE`.execute(tx);
      const pending = submit().then(
        (r) => r.status,
        () => 'connection lost' as const,
      );
      let waited = false;
      for (let i = 0; i < 200 && !waited; i++) {
        const waiting = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE NOT l.granted AND l.relation = ${table}::regclass AND a.query LIKE ${statement}`.execute(clone.handle.db);
        waited = (waiting.rows[0]?.n ?? 0) > 0;
        if (!waited) await new Promise((r) => setTimeout(r, 50));
      }
      server?.kill('SIGKILL');
      return { waited, outcome: await pending };
    });

  const byKey = (key: string) => clone.handle.db.selectFrom('dossiers').select('id').where('idempotency_key', '=', key).execute();

  it('leaves nothing of the dossier when killed before COMMIT, and the retry with the same key creates it once', async () => {
    const db = clone.handle.db;
    const submit = await prepare('nop-khi-may-chu-tat');
    // The dossier's own row is the transaction's first write that returns something: it cannot wait for the COMMIT.
    const blocked = await killWhileBlockedOn('dossiers', submit, 'insert into "dossiers"%');
    expect(blocked).toEqual({ waited: true, outcome: 'connection lost' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await byKey('nop-khi-may-chu-tat')).toEqual([]);
    expect((await verifyAuditLog(db, { seal: true })).problems).toEqual([]);

    await startServer();
    const retried = await submit();
    expect(retried.status).toBe(201);
    const again = await submit();
    expect(again.status).toBe(200);
    const first = (await retried.json()) as { id: string; papers: unknown[] };
    expect(((await again.json()) as { id: string }).id).toBe(first.id);
    expect(first.papers).toHaveLength(2);
    expect(await byKey('nop-khi-may-chu-tat')).toHaveLength(1);
    expect((await verifyAuditLog(db, { seal: true })).problems).toEqual([]);
  }, 120_000);

  it('keeps the whole dossier when killed after sending COMMIT, and the retry answers with it', async () => {
    const db = clone.handle.db;
    if (!server || server.exitCode !== null || server.signalCode !== null) await startServer();
    const submit = await prepare('nop-roi-may-chu-tat');
    // The papers are written with the COMMIT: the server dies with its transaction's last words already sent.
    const blocked = await killWhileBlockedOn('dossier_papers', submit);
    expect(blocked).toEqual({ waited: true, outcome: 'connection lost' });
    let kept: { id: string }[] = [];
    for (let i = 0; i < 100 && kept.length === 0; i++) {
      kept = await byKey('nop-roi-may-chu-tat');
      if (kept.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(kept).toHaveLength(1);
    const id = kept[0]?.id ?? '';
    expect(await db.selectFrom('dossier_papers').select('id').where('dossier_id', '=', id).execute()).toHaveLength(2);
    expect(await db.selectFrom('dossier_events').select('id').where('dossier_id', '=', id).execute()).toHaveLength(1);

    await startServer();
    const retried = await submit();
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as { id: string }).id).toBe(id);
    expect(await byKey('nop-roi-may-chu-tat')).toHaveLength(1);
    expect((await verifyAuditLog(db, { seal: true })).problems).toEqual([]);
  }, 120_000);
});
