import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../../src/modules/directory/demo-accounts.ts';
import { systemActor } from '../../src/platform/audit/audit-log.ts';
import { setPaperRequirements } from '../../src/modules/procedures/paper-requirements.ts';
import { justiceProcedure } from '../support/justice.ts';
import { exeBytes, pdfBytes } from '../support/paper-files.ts';
import { makeTestPki, plainPdf, signPdf } from '../support/signed-pdf.ts';
import { browserAvailable, expectAccessible, type LiveServer, signInThroughPage, startLiveServer } from '../support/browser.ts';

const run = browserAvailable();

const checkPage = expectAccessible;

describe.runIf(run)('a dossier from the citizen to the result, in Chromium at 360 px', () => {
  let s: LiveServer;
  let procedureCode: string;
  let signedResult: Buffer;
  beforeAll(async () => {
    const pki = await makeTestPki();
    const signer = await pki.issue({ commonName: 'Võ Thị Thu', organisation: 'Sở Tư pháp tỉnh Khánh Hòa' });
    signedResult = await signPdf(await plainPdf('Quyết định'), signer, { chain: [pki.ca.cert] });
    s = await startLiveServer();
    const p = await justiceProcedure(s.handle.db, { online: true });
    procedureCode = p.procedureCode;
    await setPaperRequirements(s.handle.db, systemActor('test'), p.versionId, [
      { seq: 1, name: 'Tờ khai theo mẫu', required: true, mediaTypes: ['application/pdf'], maxBytes: 1024 * 1024 },
      { seq: 2, name: 'Ảnh chụp giấy tờ liên quan', required: false, mediaTypes: ['image/jpeg', 'image/png'], maxBytes: 1024 * 1024 },
    ]);
  });
  afterAll(async () => s?.close());

  it('citizen submits, one-stop receives, the department decides, the counter returns the result', async () => {
    const citizen = await (await s.newContext(360)).newPage();
    await signInThroughPage(citizen, s.baseUrl, DEMO_CITIZEN_ID, DEMO_PASSWORD);
    await citizen.goto(`${s.baseUrl}/thu-tuc/${procedureCode}`);
    await citizen.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
    await checkPage(citizen, 'submission form');
    await citizen.getByRole('button', { name: 'Tiếp tục' }).click();
    expect(await citizen.locator('.error-summary').count()).toBe(1);
    await checkPage(citizen, 'submission form with errors');
    await citizen.locator('#f-decidingOrgUnitId').selectOption({ label: 'Sở Tư pháp' });
    await citizen.getByLabel('Địa chỉ liên hệ').fill('12 Trần Phú, phường Nha Trang');
    await citizen.getByLabel('Nội dung yêu cầu').fill('Đề nghị cấp phiếu lý lịch tư pháp');
    await citizen.getByLabel(/Ảnh chụp giấy tờ liên quan/).setInputFiles({ name: 'anh.png', mimeType: 'image/png', buffer: exeBytes() });
    await citizen.getByRole('button', { name: 'Tiếp tục' }).click();
    // The disguised program is refused next to its field; the required form is still missing.
    expect(await citizen.locator('#f-papers-2-error').textContent()).toContain('chương trình máy tính');
    expect(await citizen.locator('#f-papers-1-error').textContent()).toContain('Tờ khai theo mẫu');
    expect(await citizen.getByLabel('Địa chỉ liên hệ').inputValue()).toBe('12 Trần Phú, phường Nha Trang');
    await checkPage(citizen, 'submission form with paper errors');
    await citizen.getByLabel(/Tờ khai theo mẫu/).setInputFiles({ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: pdfBytes() });
    await citizen.getByRole('button', { name: 'Tiếp tục' }).click();
    await checkPage(citizen, 'check your answers');
    expect(await citizen.locator('dl.summary').textContent()).toContain('to-khai.pdf');
    expect(await citizen.locator('dl.summary').textContent()).toContain('12 Trần Phú, phường Nha Trang');
    await citizen.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    await citizen.waitForURL(/\/dich-vu-cong\/ho-so\/[0-9a-f-]+\?da-nop=1/);
    const notice = (await citizen.getByRole('status').textContent()) ?? '';
    const code = /Mã hồ sơ của bạn là (\S+)\./.exec(notice)?.[1] ?? '';
    expect(code).toMatch(/-\d{6}-\d{4}$/);
    await checkPage(citizen, 'dossier page');

    const officer = await (await s.newContext(360)).newPage();
    await signInThroughPage(officer, s.baseUrl, 'motcua.tinh', DEMO_PASSWORD);
    await officer.goto(`${s.baseUrl}/mot-cua`);
    await checkPage(officer, 'queue');
    await officer.getByRole('link', { name: code }).click();
    await officer.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
    await officer.getByRole('button', { name: 'Chuyển xử lý' }).click();
    expect(await officer.locator('dl.summary').textContent()).toContain('Đang xử lý');

    const specialist = await (await s.newContext(360)).newPage();
    await signInThroughPage(specialist, s.baseUrl, 'chuyenvien.stp', DEMO_PASSWORD);
    await specialist.goto(`${s.baseUrl}/mot-cua?view=all&q=${encodeURIComponent(code)}`);
    await specialist.getByRole('link', { name: code }).click();
    await checkPage(specialist, 'dossier actions');
    expect(await specialist.locator('dl.summary').textContent()).toContain('1/2: Thẩm định hồ sơ');
    await specialist.getByLabel('Người xử lý bước tiếp theo (khi chuyển bước)').selectOption({ label: 'Võ Thị Thu' });
    await specialist.getByRole('button', { name: 'Chuyển bước xử lý tiếp theo' }).click();
    expect(await specialist.locator('dl.summary').textContent()).toContain('2/2: Lãnh đạo xem xét, phê duyệt kết quả');

    const leader = await (await s.newContext(360)).newPage();
    await signInThroughPage(leader, s.baseUrl, 'lanhdao.stp', DEMO_PASSWORD);
    await leader.goto(`${s.baseUrl}/mot-cua?view=mine`);
    await checkPage(leader, 'queue with bulk assignment');
    await leader.getByRole('link', { name: code }).click();
    // Without its result the decision is refused, each message next to its field.
    await leader.getByRole('button', { name: 'Đã giải quyết xong' }).click();
    expect(await leader.locator('#f-resultNumber-error').textContent()).toContain('số, ký hiệu');
    expect(await leader.locator('#f-resultIssuedOn-error').textContent()).toContain('ngày ban hành');
    await checkPage(leader, 'decision without its result');
    await leader.getByLabel(/Kết quả giải quyết điện tử đã ký số/).setInputFiles({ name: 'quyet-dinh.pdf', mimeType: 'application/pdf', buffer: signedResult });
    await leader.getByLabel('Số, ký hiệu kết quả bản giấy').fill('125/QĐ-STP');
    await leader.getByRole('button', { name: 'Đã giải quyết xong' }).click();
    expect(await leader.locator('dl.summary').textContent()).toContain('Trước hạn');
    expect(await leader.locator('dl.summary').textContent()).toContain('Bản điện tử đã ký số (xem giấy tờ của hồ sơ), số 125/QĐ-STP');
    const papers = (await leader.locator('.paper-list').textContent()) ?? '';
    expect(papers).toContain('quyet-dinh.pdf');
    // Verified, not detected: signer and issuer shown; the test CA is not on this server's trust list.
    expect(papers).toContain('Chữ ký số hợp lệ');
    expect(papers).toContain('Người ký: Võ Thị Thu, Sở Tư pháp tỉnh Khánh Hòa');
    expect(papers).toContain('KHÔNG thuộc danh sách tin cậy');
    await checkPage(leader, 'decided with a verified result');

    await officer.reload();
    await officer.getByRole('button', { name: 'Trả kết quả' }).click();
    expect(await officer.locator('dl.summary').textContent()).toContain('Đã trả kết quả');

    await citizen.goto(`${s.baseUrl}/tra-cuu-ho-so?code=${encodeURIComponent(code)}`);
    expect(await citizen.getByRole('status').textContent()).toContain('Đã trả kết quả');
    await checkPage(citizen, 'look-up');
    await citizen.getByRole('link', { name: 'Xem chi tiết' }).click();
    await checkPage(citizen, 'rating form');
    expect(await citizen.locator('.paper-list').textContent()).toContain('Kết quả giải quyết');
    await citizen.getByLabel('Rất hài lòng').check();
    await citizen.getByRole('button', { name: 'Gửi đánh giá' }).click();
    expect(await citizen.locator('main').textContent()).toContain('Đánh giá của người nộp: Rất hài lòng');
    await citizen.getByRole('link', { name: 'Kho giấy tờ' }).click();
    await checkPage(citizen, 'digitised records');
    expect(await citizen.locator('table').textContent()).toContain('Kết quả giải quyết');
    // One journey through five accounts' pages: a guard against a hang, well above what it takes on a slow machine.
  }, 180_000);
});
