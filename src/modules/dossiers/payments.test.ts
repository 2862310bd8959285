import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { hmac } from '../../platform/payment/gateway.ts';
import { startPaymentGatewaySimulator } from '../../simulators/payment-gateway-simulator.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { outboxMessagesOf } from '../../../test/support/outbox.ts';

const SECRET = 'bi-mat-cong-thanh-toan';
let t: TestApp;
let gateway: Awaited<ReturnType<typeof startPaymentGatewaySimulator>>;
let citizen: Session;
let counter: Session;
let specialist: Session;
let dossierId: string;

beforeAll(async () => {
  gateway = await startPaymentGatewaySimulator(SECRET);
  t = await createTestApp({ CQS_PAYMENT_URL: gateway.url, CQS_PAYMENT_SECRET: SECRET, CQS_PUBLIC_URL: 'http://cqs.test' });
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
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
  const d = await t.app.inject({
    method: 'POST',
    url: '/api/v1/dossiers',
    headers: { ...authHeaders(citizen), 'idempotency-key': 'thanh-toan-phi-1' },
    payload: { procedureCode: p.national_code, decidingOrgUnitId: unit.id, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết' },
  });
  if (d.statusCode !== 201) throw new Error(d.body);
  dossierId = d.json().id;
  let v = d.json().rowVersion;
  for (const [action, who] of [
    ['receive', counter],
    ['start_processing', counter],
  ] as const) {
    v = (await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${dossierId}/actions/${action}`, headers: { ...authHeaders(who), 'if-match': `"${v}"` }, payload: {} })).json().rowVersion;
  }
  const noAmount = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${dossierId}/actions/request_fee`, headers: { ...authHeaders(specialist), 'if-match': `"${v}"` }, payload: {} });
  expect(noAmount.json().errors[0].field).toBe('amountVnd');
  const fee = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${dossierId}/actions/request_fee`, headers: { ...authHeaders(specialist), 'if-match': `"${v}"` }, payload: { amountVnd: 50_000, feeOverrideReason: 'Phí cấp thêm bản sao theo đề nghị của người nộp' } });
  expect(fee.json(), fee.body).toMatchObject({ status: 6 });
  const told = (await outboxMessagesOf(t.db, 'dossier', dossierId)).filter((m) => m.text.includes('Yêu cầu nộp phí'));
  expect(told.length).toBeGreaterThan(0);
  for (const m of told) expect(m.text.replace(/\s/g, ' ')).toContain('Số tiền cần nộp: 50.000 ₫');
});
afterAll(async () => {
  await t.close();
  await gateway.close();
});

const paymentId = async () => (await t.db.selectFrom('payments').select('id').where('dossier_id', '=', dossierId).where('status', '=', 'pending').executeTakeFirstOrThrow()).id;
const callback = (body: Record<string, unknown>, secret = SECRET) => {
  const raw = JSON.stringify(body);
  return t.app.inject({ method: 'POST', url: '/api/v1/payments/callback', headers: { 'content-type': 'application/json', 'x-payment-signature': hmac(secret, raw) }, payload: raw });
};

describe('online fee payment', () => {
  it('sends the applicant to the gateway with a signed checkout the gateway accepts', async () => {
    const view = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${dossierId}`, headers: { cookie: citizen.cookie } });
    expect(view.json().feeDue).toEqual({ amountVnd: 50000 });
    const res = await t.app.inject({ method: 'POST', url: `/dich-vu-cong/ho-so/${dossierId}/thanh-toan`, headers: { cookie: citizen.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${citizen.csrf}` });
    expect(res.statusCode).toBe(303);
    const location = res.headers.location as string;
    expect(location.startsWith(`${gateway.url}/pay?`)).toBe(true);
    const page = await fetch(location);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('50.000');
    expect((await fetch(location.replace('amount=50000', 'amount=5'))).status).toBe(400);
  });

  it('refuses forged, stale and mismatched callbacks', async () => {
    const order = await paymentId();
    const base = { order, amount: 50_000, status: 'paid', providerRef: 'NH-1', nonce: randomUUID(), timestamp: new Date().toISOString() };
    expect((await callback(base, 'khoa-gia')).statusCode).toBe(401);
    expect((await callback({ ...base, nonce: randomUUID(), timestamp: '2020-01-01T00:00:00Z' })).statusCode).toBe(400);
    expect((await callback({ ...base, nonce: randomUUID(), amount: 5_000 })).statusCode).toBe(400);
    const forgedBody = JSON.stringify(base);
    const tampered = await t.app.inject({ method: 'POST', url: '/api/v1/payments/callback', headers: { 'content-type': 'application/json', 'x-payment-signature': hmac(SECRET, forgedBody) }, payload: forgedBody.replace('50000', '500') });
    expect(tampered.statusCode).toBe(401);
    const status = await t.db.selectFrom('dossiers').select('status').where('id', '=', dossierId).executeTakeFirstOrThrow();
    expect(status.status).toBe(6);
  });

  it('settles the fee and resumes the dossier once; a replayed callback is refused', async () => {
    const body = { order: await paymentId(), amount: 50_000, status: 'paid', providerRef: 'NH-2', nonce: randomUUID(), timestamp: new Date().toISOString() };
    const ok = await callback(body);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ accepted: true, outcome: 'paid' });
    const view = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${dossierId}`, headers: { cookie: citizen.cookie } });
    expect(view.json()).toMatchObject({ status: 4, feeDue: null });
    expect(view.json().events.at(-1)).toMatchObject({ action: 'pay_fee', actor: 'Cổng thanh toán' });
    const replay = await callback(body);
    expect(replay.statusCode).toBe(409);
    const payments = await t.db.selectFrom('payments').select(['status', 'method', 'provider_ref']).where('dossier_id', '=', dossierId).execute();
    expect(payments).toEqual([{ status: 'paid', method: 'online', provider_ref: 'NH-2' }]);
    // The pay button of a page left open: the dossier again, saying there is nothing left to pay.
    const again = await t.app.inject({ method: 'POST', url: `/dich-vu-cong/ho-so/${dossierId}/thanh-toan`, headers: { cookie: citizen.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${citizen.csrf}` });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Hồ sơ không có khoản phí nào đang chờ thanh toán.');
  });
});
