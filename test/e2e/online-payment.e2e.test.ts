import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../../src/modules/directory/demo-accounts.ts';
import { browserAvailable, expectAccessible, type LiveServer, signInThroughPage, startLiveServer } from '../support/browser.ts';
import { act } from '../support/dossier-steps.ts';
import { justiceProcedure } from '../support/justice.ts';
import { authHeaders, signIn } from '../support/test-app.ts';

const run = browserAvailable();

describe.runIf(run)('paying a fee online through the gateway simulator, in Chromium at 360 px', () => {
  let s: LiveServer;
  beforeAll(async () => {
    s = await startLiveServer({ payments: true });
  });
  afterAll(async () => s?.close());

  it('cancels at the gateway and keeps the fee due, then pays and the dossier goes on', async () => {
    const target = await justiceProcedure(s.handle.db, { online: true });
    const applicant = await signIn(s.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
    const counter = await signIn(s.app, 'motcua.tinh', DEMO_PASSWORD);
    const specialist = await signIn(s.app, 'chuyenvien.stp', DEMO_PASSWORD);
    const submitted = await s.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: { ...authHeaders(applicant), 'idempotency-key': 'thanh-toan-truc-tuyen' },
      payload: { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết thủ tục' },
    });
    const d = submitted.json() as { id: string; rowVersion: number };
    const received = (await act(s.app, d.id, 'receive', d.rowVersion, counter)).json();
    const processing = (await act(s.app, d.id, 'start_processing', received.rowVersion, counter)).json();
    expect((await act(s.app, d.id, 'request_fee', processing.rowVersion, specialist, { note: 'Lệ phí cấp phiếu', amountVnd: 150_000, feeOverrideReason: 'Lệ phí cấp phiếu theo nghị quyết của HĐND tỉnh' })).statusCode).toBe(200);

    const citizen = await (await s.newContext(360)).newPage();
    await signInThroughPage(citizen, s.baseUrl, DEMO_CITIZEN_ID, DEMO_PASSWORD);
    await citizen.goto(`${s.baseUrl}/dich-vu-cong/ho-so/${d.id}`);
    expect(await citizen.locator('main').textContent()).toContain('Phí, lệ phí cần nộp: 150.000');
    await expectAccessible(citizen, 'dossier with a fee to pay');

    await citizen.getByRole('button', { name: 'Thanh toán trực tuyến' }).click();
    await citizen.waitForURL(/\/pay\?/);
    expect(await citizen.locator('main').textContent()).toContain('150.000 ₫');
    await citizen.getByRole('button', { name: 'Hủy' }).click();
    await citizen.waitForURL(/da-thanh-toan=1/);
    expect(await citizen.getByRole('status').textContent()).toContain('Chưa nhận được xác nhận thanh toán');
    expect(await citizen.locator('dl.summary').textContent()).toContain('Yêu cầu thực hiện nghĩa vụ tài chính');

    await citizen.getByRole('button', { name: 'Thanh toán trực tuyến' }).click();
    await citizen.waitForURL(/\/pay\?/);
    await citizen.getByRole('button', { name: 'Thanh toán', exact: true }).click();
    await citizen.waitForURL(/da-thanh-toan=1/);
    expect(await citizen.getByRole('status').textContent()).toContain('Đã nhận thanh toán phí, lệ phí');
    expect(await citizen.locator('dl.summary').textContent()).toContain('Đang xử lý');
    expect(await citizen.getByRole('button', { name: 'Thanh toán trực tuyến' }).count()).toBe(0);
    expect(await citizen.locator('main').textContent()).toContain('Đã thanh toán trực tuyến 150.000 ₫');
    // How and when it was paid: through the gateway, with its transaction reference; the applicant never declares it.
    expect(await citizen.locator('#phi-le-phi + ul').textContent()).toMatch(/đã thanh toán trực tuyến qua cổng thanh toán lúc .+, mã giao dịch \S+/);
    expect(await citizen.getByRole('button', { name: 'Đã nộp phí, lệ phí' }).count()).toBe(0);
    await expectAccessible(citizen, 'dossier after the payment');

    const payment = await s.handle.db.selectFrom('payments').select(['status', 'method']).where('dossier_id', '=', d.id).executeTakeFirstOrThrow();
    expect(payment).toEqual({ status: 'paid', method: 'online' });
  });
});
