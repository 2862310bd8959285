import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../../src/modules/directory/demo-accounts.ts';
import { enqueueMessage } from '../../src/platform/outbox/outbox.ts';
import { startSmsGatewaySimulator } from '../../src/simulators/sms-gateway-simulator.ts';
import { type CliRun, freePort, runCli } from '../support/cli-process.ts';
import { type ClonedDatabase, clonePostgresTemplate } from '../support/pg-clone.ts';

// Two `cqs start` processes on one PostgreSQL database, as behind a load balancer: a session made by one is served by
// the other and ended everywhere by either; outgoing messages are claimed by one process each, never sent twice.
const onServer = inject('dbTemplate').kind === 'postgres';

describe.runIf(onServer)('two app processes on one database', () => {
  let db: ClonedDatabase;
  let dataDir: string;
  let gateway: Awaited<ReturnType<typeof startSmsGatewaySimulator>>;
  const servers: { run: CliRun; base: string }[] = [];

  beforeAll(async () => {
    db = await clonePostgresTemplate('cqs_two');
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cqs-two-'));
    gateway = await startSmsGatewaySimulator('s'.repeat(32));
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const run = runCli(['start'], { DATABASE_URL: db.url, CQS_DATA_DIR: dataDir, PORT: String(port), CQS_DEMO: '0', CQS_SMS_URL: gateway.url, CQS_SMS_SECRET: 's'.repeat(32) });
      servers.push({ run, base: `http://127.0.0.1:${port}` });
    }
    await Promise.all(servers.map((s) => s.run.waitFor(/CQS is running/)));
  }, 120_000);
  afterAll(async () => {
    for (const s of servers) s.run.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => s.run.exited));
    await gateway?.close();
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const [first, second] = [() => servers[0]?.base ?? '', () => servers[1]?.base ?? ''];

  it('serves a session made by one process from the other, and ends it on both when either signs out', async () => {
    const visit = await fetch(`${first()}/healthz`);
    const csrfCookie = (visit.headers.getSetCookie().find((c) => c.startsWith('cqs_csrf=')) ?? '').split(';')[0] ?? '';
    const csrf = csrfCookie.slice('cqs_csrf='.length);
    const login = await fetch(`${first()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: csrfCookie, 'x-csrf-token': csrf }, body: JSON.stringify({ username: DEMO_CITIZEN_ID, password: DEMO_PASSWORD }) });
    expect(login.status).toBe(200);
    const token = ((await login.json()) as { csrfToken: string }).csrfToken;
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const mine = (base: string) => fetch(`${base}/api/v1/dossiers`, { headers: { cookie } }).then((r) => r.status);
    expect([await mine(first()), await mine(second())]).toEqual([200, 200]);
    const out = await fetch(`${second()}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': token } });
    expect(out.status).toBe(204);
    expect([await mine(first()), await mine(second())]).toEqual([401, 401]);
  });

  it('sends each outgoing message once, whichever process claims it', async () => {
    const count = 40;
    await db.handle.db.transaction().execute(async (tx) => {
      for (let i = 0; i < count; i++) await enqueueMessage(tx, { topic: 'sms', payload: { to: '0905000111', text: `Tin nhắn ${i}` }, dedupeKey: `two-processes-${i}`, record: { type: 'test', id: String(i) } });
    });
    const deadline = Date.now() + 60_000;
    while (gateway.received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    // A moment more, for a second delivery that should not come.
    await new Promise((r) => setTimeout(r, 3000));
    const texts = gateway.received.map((m) => m.text);
    expect(texts).toHaveLength(count);
    expect(new Set(texts).size).toBe(count);
    const rows = await db.handle.db.selectFrom('outbox_messages').select(['status', 'lease_owner']).where('dedupe_key', 'like', 'two-processes-%').execute();
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  }, 90_000);
});
