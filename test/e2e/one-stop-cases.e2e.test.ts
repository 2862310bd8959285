import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIsoDate } from '../../src/web/format.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../../src/modules/directory/demo-accounts.ts';
import { CalendarStore } from '../../src/platform/calendar/calendar-store.ts';
import { localDateOf } from '../../src/platform/time.ts';
import { browserAvailable, expectAccessible, type LiveServer, signInThroughPage, startLiveServer } from '../support/browser.ts';
import { act } from '../support/dossier-steps.ts';
import { counterDossier, justiceProcedure } from '../support/justice.ts';
import { pngBytes } from '../support/paper-files.ts';
import { pdfText, pdfTextAvailable } from '../support/pdf-text.ts';
import { authHeaders, signIn } from '../support/test-app.ts';

const run = browserAvailable() && pdfTextAvailable();

describe.runIf(run)('one-stop cases in Chromium at 360 px: counter receipt, supplement, refusal, overdue with apology', () => {
  let s: LiveServer;
  let target: Awaited<ReturnType<typeof justiceProcedure>>;
  beforeAll(async () => {
    s = await startLiveServer();
    target = await justiceProcedure(s.handle.db, { online: true });
  });
  afterAll(async () => s?.close());

  const pageAs = async (username: string) => {
    const page = await (await s.newContext(360)).newPage();
    await signInThroughPage(page, s.baseUrl, username, DEMO_PASSWORD);
    return page;
  };
  const onlineDossier = async (key: string) => {
    const citizen = await signIn(s.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: { ...authHeaders(citizen), 'idempotency-key': key },
      payload: { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết thủ tục' },
    });
    return res.json() as { id: string; code: string };
  };

  it('records a walk-in dossier with a scanned paper and prints the receipt slip with the code', async () => {
    const officer = await pageAs('motcua.tinh');
    await officer.goto(`${s.baseUrl}/mot-cua/tiep-nhan`);
    await expectAccessible(officer, 'counter: choose procedure');
    // Words of a name, without diacritics, list the procedures to choose from.
    await officer.getByLabel('Mã hoặc tên thủ tục').fill('dang ky khai sinh');
    await officer.getByRole('button', { name: 'Tiếp tục' }).click();
    expect(await officer.getByRole('heading', { name: 'Chọn thủ tục' }).isVisible()).toBe(true);
    await expectAccessible(officer, 'counter: procedures found by name');
    await officer.getByLabel('Mã hoặc tên thủ tục').fill(target.procedureCode);
    await officer.getByRole('button', { name: /Tiếp tục|Chọn/ }).click();
    await officer.getByLabel('Cơ quan giải quyết').selectOption({ label: 'Sở Tư pháp' });
    await officer.getByLabel('Họ tên người nộp').fill('Trần Thị Bích');
    await officer.getByLabel('Địa chỉ').fill('25 Yersin, phường Nha Trang');
    await officer.getByLabel('Số điện thoại').fill('0905111222');
    await officer.getByLabel('Nội dung yêu cầu').fill('Đề nghị cấp bản sao trích lục');
    await officer.locator('input[type="file"]').first().setInputFiles({ name: 'ban-quet.png', mimeType: 'image/png', buffer: pngBytes() });
    await officer.getByLabel(/^Số bản chính/).first().fill('1');
    await expectAccessible(officer, 'counter receipt form');
    await officer.getByRole('button', { name: 'Tiếp nhận' }).click();
    const notice = (await officer.getByRole('status').first().textContent()) ?? '';
    const code = /Đã tiếp nhận hồ sơ (\S+)\./.exec(notice)?.[1] ?? '';
    expect(code).toMatch(/-\d{6}-\d{4}$/);
    expect(await officer.locator('.paper-list').textContent()).toContain('ban-quet.png');
    await expectAccessible(officer, 'received dossier');
    const href = (await officer.getByRole('link', { name: /Mẫu 01/ }).getAttribute('href')) ?? '';
    const slip = await officer.request.get(`${s.baseUrl}${href}`);
    expect(slip.headers()['content-type']).toBe('application/pdf');
    const text = pdfText(Buffer.from(await slip.body())).text.replace(/\s+/g, ' ');
    expect(text).toContain(code);
    expect(text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(text).toContain('Trần Thị Bích');
    expect(text).toContain('Số điện thoại: 0905111222');
    expect(text).toMatch(/ 01 +00 +Đã số hóa \(1 tệp\)/);
  });

  it('asks for a supplement with the reason next to the field, and the citizen answers with a paper online', async () => {
    const d = await onlineDossier('e2e-bo-sung');
    const officer = await pageAs('motcua.tinh');
    await officer.goto(`${s.baseUrl}/mot-cua/ho-so/${d.id}`);
    await officer.getByRole('button', { name: 'Yêu cầu bổ sung hồ sơ' }).click();
    expect(await officer.locator('#f-note-error').textContent()).toContain('ít nhất 10 ký tự');
    await expectAccessible(officer, 'supplement without reason');
    await officer.getByLabel('Ghi chú').fill('Bổ sung bản sao giấy khai sinh của người được cấp');
    await officer.getByRole('button', { name: 'Yêu cầu bổ sung hồ sơ' }).click();
    expect(await officer.locator('dl.summary').textContent()).toContain('Yêu cầu bổ sung giấy tờ');

    const citizen = await pageAs(DEMO_CITIZEN_ID);
    await citizen.goto(`${s.baseUrl}/dich-vu-cong/ho-so/${d.id}`);
    expect(await citizen.locator('main').textContent()).toContain('Bổ sung bản sao giấy khai sinh');
    await expectAccessible(citizen, 'citizen: supplement requested');
    await citizen.getByLabel(/Giấy tờ bổ sung/).setInputFiles({ name: 'khai-sinh.png', mimeType: 'image/png', buffer: pngBytes() });
    await citizen.getByRole('button', { name: 'Đã bổ sung hồ sơ' }).click();
    expect(await citizen.locator('dl.summary').textContent()).toContain('Mới đăng ký');
    expect(await citizen.locator('.paper-list').textContent()).toContain('khai-sinh.png');

    // The counter sees what came back since the request: the paper added and the note.
    await officer.reload();
    const answered = (await officer.locator('section[aria-labelledby="bo-sung"]').textContent()) ?? '';
    expect(answered).toContain('Bổ sung bản sao giấy khai sinh của người được cấp');
    expect(answered).toContain('Bổ sung mới: Giấy tờ bổ sung');
    await expectAccessible(officer, 'supplement answered');
  });

  it('withdraws only after a confirmation with a reason, saying what happens to the fee paid', async () => {
    const d = await onlineDossier('e2e-rut-ho-so');
    const counter = await signIn(s.app, 'motcua.tinh', DEMO_PASSWORD);
    const specialist = await signIn(s.app, 'chuyenvien.stp', DEMO_PASSWORD);
    const view = (await s.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}`, headers: { cookie: counter.cookie } })).json();
    const received = await act(s.app, d.id, 'receive', view.rowVersion, counter);
    const started = await act(s.app, d.id, 'start_processing', received.json().rowVersion, counter);
    const due = await act(s.app, d.id, 'request_fee', started.json().rowVersion, specialist, { amountVnd: 20_000, feeOverrideReason: 'Phí cấp bản sao theo đề nghị của người nộp' });
    expect((await act(s.app, d.id, 'pay_fee', due.json().rowVersion, counter, { receiptNumber: 'BL-E2E-01' })).statusCode).toBe(200);

    const citizen = await pageAs(DEMO_CITIZEN_ID);
    await citizen.goto(`${s.baseUrl}/dich-vu-cong/ho-so/${d.id}`);
    expect(await citizen.locator('#phi-le-phi + ul').textContent()).toContain('số biên lai BL-E2E-01');
    await citizen.getByRole('link', { name: 'Rút hồ sơ…' }).click();
    expect(await citizen.locator('main').textContent()).toContain('Phí, lệ phí đã nộp không được hoàn trả');
    await expectAccessible(citizen, 'withdrawal confirmation');
    await citizen.getByRole('button', { name: 'Xác nhận rút hồ sơ' }).click();
    // The browser asks for the required reason first; without it the server says so next to the field.
    await citizen.locator('#f-reason').evaluate((el) => el.removeAttribute('required'));
    await citizen.getByRole('button', { name: 'Xác nhận rút hồ sơ' }).click();
    expect(await citizen.locator('#f-reason-error').textContent()).toContain('Ghi rõ lý do rút hồ sơ');
    await expectAccessible(citizen, 'withdrawal without a reason');
    await citizen.getByLabel(/Lý do rút hồ sơ/).fill('Tôi không còn nhu cầu giải quyết thủ tục này');
    await citizen.getByRole('button', { name: 'Xác nhận rút hồ sơ' }).click();
    await citizen.waitForURL(/da-rut=1/);
    expect(await citizen.locator('dl.summary').textContent()).toContain('Công dân yêu cầu rút hồ sơ');
    await expectAccessible(citizen, 'withdrawn dossier');
  });

  it('refuses a dossier with its reason and prints the refusal (Mẫu 03)', async () => {
    const d = await onlineDossier('e2e-tu-choi');
    const officer = await pageAs('motcua.tinh');
    await officer.goto(`${s.baseUrl}/mot-cua/ho-so/${d.id}`);
    await officer.getByLabel('Ghi chú').fill('Thủ tục không thuộc thẩm quyền giải quyết của Sở Tư pháp');
    await officer.getByRole('button', { name: 'Từ chối tiếp nhận' }).click();
    expect(await officer.locator('dl.summary').textContent()).toContain('Không được tiếp nhận');
    await expectAccessible(officer, 'refused dossier');
    const href = (await officer.getByRole('link', { name: /Mẫu 03/ }).getAttribute('href')) ?? '';
    const pdf = await officer.request.get(`${s.baseUrl}${href}`);
    expect(pdfText(Buffer.from(await pdf.body())).text.replace(/\s+/g, ' ')).toContain('Thủ tục không thuộc thẩm quyền giải quyết của Sở Tư pháp');
  });

  it('apologises for an overdue dossier with a new date, once', async () => {
    const counter = await signIn(s.app, 'motcua.tinh', DEMO_PASSWORD);
    const d = await counterDossier(s.app, counter, { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, applicantName: 'Lê Văn Quá Hạn' });
    await act(s.app, d.id, 'start_processing', d.rowVersion, counter);
    await s.handle.db.updateTable('dossiers').set({ due_at: new Date(Date.now() - 86_400_000) }).where('id', '=', d.id).execute();
    const calendar = await new CalendarStore(s.handle.db).get();
    const newDate = localDateOf(calendar.addWorkingDays(new Date(), 3));
    const specialist = await pageAs('chuyenvien.stp');
    await specialist.goto(`${s.baseUrl}/mot-cua?view=overdue`);
    await expectAccessible(specialist, 'overdue queue');
    await specialist.getByRole('link', { name: d.code }).click();
    await specialist.getByLabel('Ngày hẹn trả mới').fill(formatIsoDate(newDate));
    await specialist.getByLabel('Lý do quá hạn').fill('Cần xác minh thêm với Ủy ban nhân dân phường');
    await specialist.getByRole('button', { name: 'Lập văn bản xin lỗi và hẹn lại' }).click();
    expect(await specialist.locator('main').textContent()).toContain('Đã hẹn lại ngày trả kết quả');
    expect(await specialist.getByRole('button', { name: 'Lập văn bản xin lỗi và hẹn lại' }).count()).toBe(0);
    await expectAccessible(specialist, 'after the apology');
    const href = (await specialist.getByRole('link', { name: /Mẫu 04/ }).getAttribute('href')) ?? '';
    const pdf = await specialist.request.get(`${s.baseUrl}${href}`);
    expect(pdfText(Buffer.from(await pdf.body())).text.replace(/\s+/g, ' ')).toContain('Cần xác minh thêm với Ủy ban nhân dân phường');
  });
});
