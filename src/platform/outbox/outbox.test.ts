import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxMessagesOf } from '../../../test/support/outbox.ts';
import { anonCsrf, authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_CONTACT, DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../../modules/directory/demo-accounts.ts';
import { startSmsGatewaySimulator } from '../../simulators/sms-gateway-simulator.ts';
import { startSilentSmtpRelay, startSmtpSink } from '../../simulators/smtp-sink.ts';
import type { TopicHandlers } from './handlers.ts';
import { enqueueMessage } from './outbox.ts';
import { smsHandler } from './sms-gateway.ts';
import { emailHandler } from './smtp-transport.ts';
import { claimDueMessages, deliverDueMessages, recordOutcome } from './worker.ts';

let t: TestApp;
let citizen: Session;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let gateway: Awaited<ReturnType<typeof startSmsGatewaySimulator>>;
let handlers: TopicHandlers;

beforeAll(async () => {
  t = await createTestApp();
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
  sink = await startSmtpSink();
  gateway = await startSmsGatewaySimulator('bi-mat-cong-sms');
  handlers = { email: emailHandler(sink.url, 'CQS <no-reply@cqs.invalid>'), sms: smsHandler(gateway.url, 'bi-mat-cong-sms') };
});
afterAll(async () => {
  await sink.close();
  await gateway.close();
  await t.close();
});

async function submit(key: string) {
  const unit = await t.db.selectFrom('org_units').select('id').where('name', '=', 'Sở Tư pháp').executeTakeFirstOrThrow();
  const p = await t.db
    .selectFrom('procedure_assignments as a')
    .innerJoin('procedures as p', 'p.id', 'a.procedure_id')
    .innerJoin('procedure_versions as v', (j) => j.onRef('v.procedure_id', '=', 'p.id').on('v.valid_to', 'is', null))
    .select('p.national_code')
    .where('a.org_unit_id', '=', unit.id)
    .where((eb) => eb(eb.val('online'), '=', eb.fn.any('v.channels')))
    .orderBy('p.national_code')
    .executeTakeFirstOrThrow();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/dossiers',
    headers: { ...authHeaders(citizen), 'idempotency-key': key },
    payload: { procedureCode: p.national_code, decidingOrgUnitId: unit.id, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết' },
  });
  return res.json() as { id: string; code: string };
}

const rowsOf = (dossierId: string) =>
  t.db.selectFrom('outbox_messages').select(['id', 'topic', 'status', 'attempts', 'last_error', 'next_attempt_at', 'lease_owner', 'lease_until']).where('record_type', '=', 'dossier').where('record_id', '=', dossierId).orderBy('topic').execute();
const makeDue = (dossierId: string) => t.db.updateTable('outbox_messages').set({ next_attempt_at: new Date(0) }).where('record_id', '=', dossierId).where('status', '=', 'pending').execute();
const dbNow = async () => (await sql<{ now: Date }>`SELECT now() AS now`.execute(t.db)).rows[0]?.now ?? new Date();

async function insertRaw(topic: string, payload: Record<string, unknown>, key: string): Promise<string> {
  const row = await t.db
    .insertInto('outbox_messages')
    .values({ topic, payload: JSON.stringify(payload), dedupe_key: key, record_type: null, record_id: null, next_attempt_at: new Date(0), lease_until: null, lease_owner: null, last_error: null, created_at: new Date(), sent_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('notifications through the outbox', () => {
  it('sends an e-mail over SMTP and an SMS through the signed gateway protocol, once per change', async () => {
    const d = await submit('thong-bao-1');
    await submit('thong-bao-1');
    expect(await outboxMessagesOf(t.db, 'dossier', d.id)).toEqual([
      expect.objectContaining({ topic: 'email', status: 'pending', to: DEMO_CITIZEN_CONTACT.email, subject: expect.stringContaining(d.code) }),
      expect.objectContaining({ topic: 'sms', status: 'pending', to: DEMO_CITIZEN_CONTACT.phone }),
    ]);
    expect(await deliverDueMessages(t.db, handlers)).toEqual({ claimed: 2, sent: 2, retried: 0, failed: 0 });
    const mail = sink.received.find((m) => m.raw.includes(d.code));
    expect(mail?.to).toEqual([DEMO_CITIZEN_CONTACT.email]);
    expect(gateway.received.filter((m) => m.text.includes(d.code))).toEqual([{ to: DEMO_CITIZEN_CONTACT.phone, text: expect.stringContaining('Mới đăng ký') }]);
    expect((await rowsOf(d.id)).map((r) => [r.status, r.attempts, r.lease_owner])).toEqual([
      ['sent', 1, null],
      ['sent', 1, null],
    ]);
    expect(await deliverDueMessages(t.db, handlers)).toMatchObject({ claimed: 0, sent: 0 });
  });

  it('retries a refusal with back-off, never delivers with a wrong signature, and fails when attempts run out', async () => {
    const d = await submit('thong-bao-2');
    gateway.state.failNext = 1;
    const before = await dbNow();
    expect(await deliverDueMessages(t.db, handlers)).toMatchObject({ sent: 1, retried: 1, failed: 0 });
    const [, sms] = await rowsOf(d.id);
    expect(sms).toMatchObject({ topic: 'sms', status: 'pending', attempts: 1, last_error: 'SMS gateway answered 503', lease_owner: null });
    // Back-off: not due again for a minute.
    expect(sms?.next_attempt_at.getTime()).toBeGreaterThan(before.getTime() + 59_000);
    expect(await deliverDueMessages(t.db, handlers)).toMatchObject({ claimed: 0 });
    await makeDue(d.id);
    const forged = { ...handlers, sms: smsHandler(gateway.url, 'sai-bi-mat') };
    expect(await deliverDueMessages(t.db, forged)).toMatchObject({ sent: 0, retried: 1 });
    await makeDue(d.id);
    expect(await deliverDueMessages(t.db, forged, { maxAttempts: 3 })).toMatchObject({ sent: 0, retried: 0, failed: 1 });
    expect((await rowsOf(d.id))[1]).toMatchObject({ status: 'failed', attempts: 3, last_error: 'SMS gateway answered 401' });
    expect(gateway.received.filter((m) => m.text.includes(d.code))).toEqual([]);
    await makeDue(d.id);
    expect(await deliverDueMessages(t.db, handlers)).toMatchObject({ claimed: 0 });
  });

  it('fails a message of a topic nobody handles, and one whose payload its handler cannot read, at once', async () => {
    const webhook = await insertRaw('webhook', { url: 'https://lgsp.invalid/hook', body: {} }, 'thu-webhook');
    const broken = await insertRaw('email', { to: 'a@b.vn' }, 'thu-hong');
    expect(await deliverDueMessages(t.db, handlers)).toMatchObject({ claimed: 2, sent: 0, retried: 0, failed: 2 });
    const rows = await t.db.selectFrom('outbox_messages').select(['id', 'status', 'attempts', 'last_error']).where('id', 'in', [webhook, broken]).execute();
    expect(rows.find((r) => r.id === webhook)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'no handler registered for topic "webhook"' });
    expect(rows.find((r) => r.id === broken)).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringMatching(/^invalid email payload: subject: .*; text: /) });
  });

  it('claims with a lease: a leased message is not claimed twice, an expired lease is claimable again and only the new claim records the outcome', async () => {
    const id = await insertRaw('sms', { to: '0905123456', text: 'Thử thuê' }, 'thu-thue');
    const first = await claimDueMessages(t.db, 'node-a/1', 10, 60_000);
    expect(first.map((m) => [m.id, m.attempts])).toEqual([[id, 1]]);
    expect(await claimDueMessages(t.db, 'node-b/1', 10, 60_000)).toEqual([]);
    // node-a died mid-delivery: its lease runs out.
    await t.db.updateTable('outbox_messages').set({ lease_until: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
    const second = await claimDueMessages(t.db, 'node-b/2', 10, 60_000);
    expect(second.map((m) => [m.id, m.attempts, m.leaseOwner])).toEqual([[id, 2, 'node-b/2']]);
    const [late] = first;
    const [current] = second;
    if (!late || !current) throw new Error('claims expected');
    expect(await recordOutcome(t.db, late, { kind: 'retry', error: 'late' })).toBe(false);
    expect(await recordOutcome(t.db, current, { kind: 'sent' })).toBe(true);
    expect(await t.db.selectFrom('outbox_messages').select(['status', 'attempts', 'lease_owner', 'lease_until', 'last_error']).where('id', '=', id).executeTakeFirst()).toEqual({
      status: 'sent',
      attempts: 2,
      lease_owner: null,
      lease_until: null,
      last_error: null,
    });
  });

  it('keeps serving requests while a relay hangs, then retries the message after the timeout instead of losing it', async () => {
    const relay = await startSilentSmtpRelay();
    try {
      const d = await submit('thong-bao-treo');
      const hung = { ...handlers, email: emailHandler(relay.url, 'CQS <no-reply@cqs.invalid>', 120_000) };
      // A timeout far beyond the test's own: were the connection held during delivery, the requests below would wait for it.
      const stopping = new AbortController();
      let settled = false;
      const delivering = deliverDueMessages(t.db, hung, { timeoutMs: 120_000, signal: stopping.signal }).finally(() => {
        settled = true;
      });
      await relay.connected;
      const page = await t.app.inject({ method: 'GET', url: '/dang-nhap' });
      expect(page.statusCode).toBe(200);
      const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: DEMO_CITIZEN_ID, password: DEMO_PASSWORD }, headers: await anonCsrf(t.app) });
      expect(login.statusCode).toBe(200);
      const mine = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}`, headers: { cookie: citizen.cookie } });
      expect(mine.statusCode).toBe(200);
      expect(settled).toBe(false);
      // The worker stops (the app shuts down): the delivery under way gives up and is kept for later.
      stopping.abort();
      expect(await delivering).toMatchObject({ sent: 1, retried: 1, failed: 0 });
      expect((await rowsOf(d.id))[0]).toMatchObject({ topic: 'email', status: 'pending', attempts: 1, last_error: 'delivery interrupted: the worker stopped', lease_owner: null });
      // Next attempt, with a short timeout: it ends retried, with the timeout as its error, and stays pending.
      await makeDue(d.id);
      const quick = { ...handlers, email: emailHandler(relay.url, 'CQS <no-reply@cqs.invalid>', 300) };
      expect(await deliverDueMessages(t.db, quick, { timeoutMs: 300 })).toMatchObject({ claimed: 1, sent: 0, retried: 1, failed: 0 });
      const [mail] = await rowsOf(d.id);
      expect(mail).toMatchObject({ status: 'pending', attempts: 2, last_error: 'no answer within 0.3 s (timeout)', lease_owner: null, lease_until: null });
      expect(mail?.next_attempt_at.getTime()).toBeGreaterThan((await dbNow()).getTime());
      expect(relay.connections()).toBe(2);
    } finally {
      await relay.close();
    }
  });

  it('enqueues once per dedupe key, with the record that caused it', async () => {
    await t.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 2; i += 1) await enqueueMessage(tx, { topic: 'sms', payload: { to: '0905000111', text: 'Một lần' }, dedupeKey: 'mot-lan', record: { type: 'payment', id: 'p-1' } });
    });
    const rows = await t.db.selectFrom('outbox_messages').select(['topic', 'payload', 'record_type', 'record_id']).where('dedupe_key', '=', 'mot-lan').execute();
    expect(rows).toEqual([{ topic: 'sms', payload: { to: '0905000111', text: 'Một lần' }, record_type: 'payment', record_id: 'p-1' }]);
  });
});
