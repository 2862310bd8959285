import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, decideThroughSteps } from '../../../test/support/dossier-steps.ts';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp, testConfig } from '../../../test/support/test-app.ts';
import { buildApp } from '../../app.ts';
import { postalServiceAt } from '../../platform/postal/postal-service.ts';
import { startPostalSimulator } from '../../simulators/postal-simulator.ts';
import { DEMO_PASSWORD } from '../directory/demo-accounts.ts';

const SECRET = 'bi-mat-buu-chinh';
let postal: Awaited<ReturnType<typeof startPostalSimulator>>;
let t: TestApp;
let counter: Session;
let specialist: Session;
let leader: Session;
let justiceId: string;
let procedureCode: string;

beforeAll(async () => {
  postal = await startPostalSimulator(SECRET);
  t = await createTestApp({ CQS_POSTAL_URL: postal.url, CQS_POSTAL_SECRET: SECRET });
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  leader = await signIn(t.app, 'lanhdao.stp', DEMO_PASSWORD);
  ({ justiceId, procedureCode } = await justiceProcedure(t.db));
});
afterAll(async () => {
  await t.close();
  await postal.close();
});

async function decided(channel: 1 | 3, name: string) {
  const res = await counterDossier(t.app, counter, { procedureCode, decidingOrgUnitId: justiceId, applicantName: name, channel });
  const processing = await act(t.app, res.id, 'start_processing', res.rowVersion, counter);
  const d = await decideThroughSteps(t.app, res.id, processing.json().rowVersion, specialist, leader);
  expect(d.json().status).toBe(9);
  return d.json() as { id: string; code: string; rowVersion: number };
}

describe('returning the result', () => {
  it('sends it by public post, recording the tracking number the operator gives', async () => {
    const d = await decided(3, 'Người nhận qua bưu điện');
    const view = await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${d.id}`, headers: { cookie: counter.cookie } });
    expect(view.body).toMatch(/id="delivery-postal"[^>]*checked/);
    const sent = await act(t.app, d.id, 'deliver_result', d.rowVersion, counter, { deliveryMethod: 'postal' });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({ status: 10, resultDelivery: { method: 'postal', postalTracking: expect.stringMatching(/^EB\d{8}VN$/) } });
    expect(postal.shipments.get(`CQS-${d.code}`)).toMatchObject({ recipient: { name: 'Người nhận qua bưu điện', address: '15 Lê Lợi, phường Nha Trang' } });
  });

  it('books the same shipment again for a retried hand-over instead of a second one', async () => {
    const service = postalServiceAt(postal.url, SECRET);
    const shipment = { reference: 'CQS-THU-LAI', recipient: { name: 'A', address: '1 Trần Phú, Nha Trang', phone: null }, contents: 'Kết quả' };
    const first = await service.ship(shipment);
    expect(await service.ship(shipment)).toEqual(first);
    await expect(postalServiceAt(postal.url, 'sai-bi-mat').ship(shipment)).rejects.toThrow(/401/);
  });

  it('keeps the dossier decided when the operator refuses, and answers 503', async () => {
    // A second app on the same database whose postal secret the operator does not accept.
    const wrong = await buildApp(testConfig({ CQS_POSTAL_URL: postal.url, CQS_POSTAL_SECRET: 'sai-bi-mat' }), t.db);
    try {
      const d = await decided(3, 'Người nhận khi bưu điện lỗi');
      const res = await wrong.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/actions/deliver_result`, headers: { ...authHeaders(counter), 'if-match': `"${d.rowVersion}"` }, payload: { deliveryMethod: 'postal' } });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('upstream_unavailable');
      const after = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}`, headers: { cookie: counter.cookie } });
      expect(after.json()).toMatchObject({ status: 9, resultDelivery: null });
      expect(postal.shipments.has(`CQS-${d.code}`)).toBe(false);
    } finally {
      await wrong.close();
    }
  });

  it('returns online only with an electronic result, and takes a delivery method only when returning', async () => {
    const d = await decided(1, 'Người nhận trực tuyến');
    const online = await act(t.app, d.id, 'deliver_result', d.rowVersion, counter, { deliveryMethod: 'online' });
    expect(online.statusCode).toBe(400);
    expect(online.json().errors[0]).toMatchObject({ field: 'deliveryMethod', code: 'no_electronic_result' });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}`, headers: { cookie: counter.cookie } })).json().status).toBe(9);
    const misplaced = await act(t.app, d.id, 'withdraw', d.rowVersion, counter, { deliveryMethod: 'postal' });
    expect(misplaced.statusCode).toBe(400);
    const atCounter = await act(t.app, d.id, 'deliver_result', d.rowVersion, counter, {});
    expect(atCounter.json().resultDelivery).toEqual({ method: 'counter', postalTracking: null });
  });

  it('goes back the way the applicant asked on the dossier, to the address given, unless the officer says otherwise', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers/counter',
      headers: authHeaders(counter),
      payload: { procedureCode, decidingOrgUnitId: justiceId, channel: 1, applicantName: 'Người muốn nhận qua bưu điện', address: '15 Lê Lợi, phường Nha Trang', phone: '0905123456', request: 'Đề nghị giải quyết thủ tục', resultDelivery: 'postal', deliveryAddress: '7 Thái Nguyên, phường Nha Trang' },
    });
    expect(res.statusCode).toBe(201);
    const processing = await act(t.app, res.json().id, 'start_processing', res.json().rowVersion, counter);
    const d = (await decideThroughSteps(t.app, res.json().id, processing.json().rowVersion, specialist, leader)).json();
    const view = await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${d.id}`, headers: { cookie: counter.cookie } });
    expect(view.body).toMatch(/id="delivery-postal"[^>]*checked/);
    const sent = await act(t.app, d.id, 'deliver_result', d.rowVersion, counter);
    expect(sent.json()).toMatchObject({ status: 10, resultDelivery: { method: 'postal' } });
    expect(postal.shipments.get(`CQS-${d.code}`)).toMatchObject({ recipient: { address: '7 Thái Nguyên, phường Nha Trang', phone: '0905123456' } });
  });
});
