import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_CONTACT, DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../../modules/directory/demo-accounts.ts';
import { startSmsGatewaySimulator } from '../../simulators/sms-gateway-simulator.ts';
import { startSmtpSink } from '../../simulators/smtp-sink.ts';
import { deliverDueMessages, type Transport } from './outbox.ts';
import { smsGatewayTransport } from './sms-gateway.ts';
import { smtpTransport } from './smtp-transport.ts';

let t: TestApp;
let citizen: Session;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let gateway: Awaited<ReturnType<typeof startSmsGatewaySimulator>>;
let transports: Record<'email' | 'sms', Transport>;

beforeAll(async () => {
  t = await createTestApp();
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
  sink = await startSmtpSink();
  gateway = await startSmsGatewaySimulator('bi-mat-cong-sms');
  transports = { email: smtpTransport(sink.url, 'CQS <no-reply@cqs.invalid>'), sms: smsGatewayTransport(gateway.url, 'bi-mat-cong-sms') };
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

describe('notifications through the outbox', () => {
  it('sends an e-mail over SMTP and an SMS through the signed gateway protocol, once per change', async () => {
    const d = await submit('thong-bao-1');
    await submit('thong-bao-1');
    const result = await deliverDueMessages(t.db, transports);
    expect(result).toEqual({ sent: 2, failed: 0 });
    const mail = sink.received.find((m) => m.raw.includes(d.code));
    expect(mail?.to).toEqual([DEMO_CITIZEN_CONTACT.email]);
    expect(gateway.received.filter((m) => m.text.includes(d.code))).toEqual([{ to: DEMO_CITIZEN_CONTACT.phone, text: expect.stringContaining('Mới đăng ký') }]);
    expect(await deliverDueMessages(t.db, transports)).toEqual({ sent: 0, failed: 0 });
  });

  it('retries after a refusal, and never delivers with a wrong signature', async () => {
    const d = await submit('thong-bao-2');
    gateway.state.failNext = 1;
    const first = await deliverDueMessages(t.db, transports);
    expect(first).toEqual({ sent: 1, failed: 1 });
    const pending = await t.db.selectFrom('outbox_messages').select(['status', 'attempts', 'last_error']).where('dossier_id', '=', d.id).where('channel', '=', 'sms').executeTakeFirstOrThrow();
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, last_error: 'SMS gateway answered 503' });
    await t.db.updateTable('outbox_messages').set({ next_attempt_at: new Date(0) }).where('dossier_id', '=', d.id).execute();
    const forged = await deliverDueMessages(t.db, { ...transports, sms: smsGatewayTransport(gateway.url, 'sai-bi-mat') });
    expect(forged).toEqual({ sent: 0, failed: 1 });
    await t.db.updateTable('outbox_messages').set({ next_attempt_at: new Date(0) }).where('dossier_id', '=', d.id).execute();
    expect(await deliverDueMessages(t.db, transports)).toEqual({ sent: 1, failed: 0 });
    expect(gateway.received.filter((m) => m.text.includes(d.code)).length).toBe(1);
  });

  it('shows the outbox to province administrators only', async () => {
    const admin = await signIn(t.app, 'admin', DEMO_PASSWORD);
    const page = await t.app.inject({ method: 'GET', url: '/quan-tri/hop-thu', headers: { cookie: admin.cookie } });
    expect(page.body).toContain('Đã gửi');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/outbox-messages', headers: { cookie: citizen.cookie } })).statusCode).toBe(403);
    const commune = await signIn(t.app, 'quantri.xa', DEMO_PASSWORD);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/outbox-messages', headers: { cookie: commune.cookie } })).statusCode).toBe(403);
  });
});
