import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act } from '../../../test/support/dossier-steps.ts';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { multipartBody } from '../../../test/support/multipart.ts';
import { outboxMessagesOf } from '../../../test/support/outbox.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';

/**
 * Fees are asked for from the procedure's fee table (another amount only with a reason) and settled only by the
 * payment gateway's verified callback or by the counter with a receipt number — never by the applicant's word.
 */
let t: TestApp;
let counter: Session;
let specialist: Session;
let citizen: Session;
let target: Awaited<ReturnType<typeof justiceProcedure>>;

beforeAll(async () => {
  t = await createTestApp();
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
  target = await justiceProcedure(t.db, { online: true, workingDays: true });
  // The procedure's published fee table: one amount.
  await t.db.updateTable('procedure_versions').set({ fees: JSON.stringify([{ label: '50,000 Việt Nam Đồng', amountVnd: 50_000 }]), fee_raw: '50,000 Việt Nam Đồng' }).where('id', '=', target.versionId).execute();
});
afterAll(async () => t.close());

async function inProcessing(name: string) {
  const d = await counterDossier(t.app, counter, { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, applicantName: name });
  const started = await act(t.app, d.id, 'start_processing', d.rowVersion, counter);
  return { id: d.id, rowVersion: started.json().rowVersion as number };
}

async function onlineWithFeeDue(key: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/dossiers',
    headers: { ...authHeaders(citizen), 'idempotency-key': key },
    payload: { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết thủ tục' },
  });
  const received = await act(t.app, res.json().id, 'receive', res.json().rowVersion, counter);
  const started = await act(t.app, res.json().id, 'start_processing', received.json().rowVersion, counter);
  const due = await act(t.app, res.json().id, 'request_fee', started.json().rowVersion, specialist, {});
  expect(due.json().status).toBe(6);
  return { id: res.json().id as string, rowVersion: due.json().rowVersion as number };
}

describe('fees', () => {
  it('asks for the fee table’s amount; another amount needs a reason; the facts are kept', async () => {
    const d = await inProcessing('Nguyễn Văn Biểu Phí');
    const asked = await act(t.app, d.id, 'request_fee', d.rowVersion, specialist, {});
    expect(asked.statusCode).toBe(200);
    expect(asked.json().feeDue).toEqual({ amountVnd: 50_000 });
    expect(asked.json().feeTable).toEqual({ amountsVnd: [50_000], free: false, text: '50,000 Việt Nam Đồng' });
    expect(asked.json().payments).toMatchObject([{ amountVnd: 50_000, status: 'pending', amountSource: 'fee_table', method: null }]);

    const other = await inProcessing('Trần Thị Khác Biểu Phí');
    const noReason = await act(t.app, other.id, 'request_fee', other.rowVersion, specialist, { amountVnd: 80_000 });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toMatchObject([{ field: 'feeOverrideReason', code: 'reason_required' }]);
    expect(noReason.json().errors[0].message).toContain('50.000');
    const overridden = await act(t.app, other.id, 'request_fee', other.rowVersion, specialist, { amountVnd: 80_000, feeOverrideReason: 'Cấp thêm hai bản sao theo đề nghị của người nộp' });
    expect(overridden.statusCode).toBe(200);
    expect(overridden.json().payments).toMatchObject([{ amountVnd: 80_000, amountSource: 'override', overrideReason: 'Cấp thêm hai bản sao theo đề nghị của người nộp' }]);
    const row = await t.db.selectFrom('payments').select(['fee_table_vnd', 'requested_by']).where('dossier_id', '=', other.id).executeTakeFirstOrThrow();
    expect(row.fee_table_vnd.map(Number)).toEqual([50_000]);
    expect(row.requested_by).not.toBeNull();
  });

  it('never lets the applicant declare a fee paid, through the API or the page', async () => {
    const d = await onlineWithFeeDue('phi-cong-dan-tu-khai');
    // The applicant is told the amount and where it comes from.
    const told = (await outboxMessagesOf(t.db, 'dossier', d.id)).filter((m) => m.text.includes('Yêu cầu nộp phí'));
    expect(told.length).toBeGreaterThan(0);
    for (const m of told) expect(m.text.replace(/\s/g, ' ')).toContain('Số tiền cần nộp: 50.000 ₫ theo biểu phí, lệ phí của thủ tục');
    const view = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}`, headers: { cookie: citizen.cookie } });
    expect(view.json().availableActions).not.toContain('pay_fee');
    const declared = await act(t.app, d.id, 'pay_fee', d.rowVersion, citizen, { receiptNumber: 'TU-KHAI-01' });
    expect(declared.statusCode).toBe(403);
    const page = await t.app.inject({ method: 'GET', url: `/dich-vu-cong/ho-so/${d.id}`, headers: { cookie: citizen.cookie } });
    expect(page.body).not.toContain('value="pay_fee"');
    expect(page.body).toContain('Thanh toán trực tuyến');
    const body = multipartBody({ _csrf: citizen.csrf, action: 'pay_fee', rowVersion: String(d.rowVersion) });
    const posted = await t.app.inject({ method: 'POST', url: `/dich-vu-cong/ho-so/${d.id}`, headers: { cookie: citizen.cookie, 'content-type': body.contentType }, payload: body.payload });
    expect(posted.statusCode).toBe(403);
    const after = await t.db.selectFrom('dossiers').select('status').where('id', '=', d.id).executeTakeFirstOrThrow();
    expect(after.status).toBe(6);
    expect((await t.db.selectFrom('payments').select('status').where('dossier_id', '=', d.id).executeTakeFirstOrThrow()).status).toBe('pending');
  });

  it('records a counter payment only with its receipt number, and shows how, when and by whom it was paid', async () => {
    const d = await onlineWithFeeDue('phi-nop-tai-quay');
    const noReceipt = await act(t.app, d.id, 'pay_fee', d.rowVersion, counter);
    expect(noReceipt.statusCode).toBe(400);
    expect(noReceipt.json().errors).toMatchObject([{ field: 'receiptNumber', code: 'required' }]);
    const body = multipartBody({ _csrf: counter.csrf, action: 'pay_fee', rowVersion: String(d.rowVersion), receiptNumber: 'BL-2026-000123' });
    const posted = await t.app.inject({ method: 'POST', url: `/mot-cua/ho-so/${d.id}`, headers: { cookie: counter.cookie, 'content-type': body.contentType }, payload: body.payload });
    expect(posted.statusCode).toBe(303);
    const view = (await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}`, headers: { cookie: counter.cookie } })).json();
    expect(view.status).toBe(4);
    expect(view.payments).toMatchObject([{ amountVnd: 50_000, status: 'paid', method: 'counter', receiptNumber: 'BL-2026-000123', recordedBy: expect.any(String), paidAt: expect.any(String) }]);
    const page = await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${d.id}`, headers: { cookie: counter.cookie } });
    expect(page.body).toContain('đã nộp tại Bộ phận Một cửa lúc');
    expect(page.body).toContain('số biên lai BL-2026-000123, người thu: ');
    const applicantPage = await t.app.inject({ method: 'GET', url: `/dich-vu-cong/ho-so/${d.id}`, headers: { cookie: citizen.cookie } });
    expect(applicantPage.body).toContain('số biên lai BL-2026-000123');
  });

  it('refuses a counter payment from an officer who does not receive for the dossier', async () => {
    const d = await onlineWithFeeDue('phi-nguoi-khac-thu');
    expect((await act(t.app, d.id, 'pay_fee', d.rowVersion, specialist, { receiptNumber: 'BL-1' })).statusCode).toBe(403);
    const commune = await signIn(t.app, 'quantri.xa', DEMO_PASSWORD);
    expect((await act(t.app, d.id, 'pay_fee', d.rowVersion, commune, { receiptNumber: 'BL-1' })).statusCode).toBe(404);
  });
});
