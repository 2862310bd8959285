import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../../src/modules/directory/demo-accounts.ts';
import { pdfBytes } from '../support/paper-files.ts';
import { browserAvailable, expectAccessible, type LiveServer, signInThroughPage, startLiveServer } from '../support/browser.ts';

const run = browserAvailable();

describe.runIf(run)('an e-form filled in from the account, in Chromium at 360 px', () => {
  let s: LiveServer;
  beforeAll(async () => {
    s = await startLiveServer();
  });
  afterAll(async () => s?.close());

  it('a citizen registers a birth: the form starts from her account, errors come next to the fields, the answers say where they came from', async () => {
    const page = await (await s.newContext(360)).newPage();
    await signInThroughPage(page, s.baseUrl, DEMO_CITIZEN_ID, DEMO_PASSWORD);
    await page.goto(`${s.baseUrl}/dich-vu-cong/nop/1.001193`);
    expect(await page.getByLabel('Họ, chữ đệm, tên người yêu cầu').inputValue()).toBe('Nguyễn Thị Mai');
    expect(await page.locator('#f-fields-nguoi_yeu_cau_ho_ten-mark').textContent()).toBe('Tự động điền từ tài khoản');
    expect(await page.locator('#f-fields-nguoi_yeu_cau_noi_cu_tru-commune').inputValue()).toBe('22366');
    await expectAccessible(page, 'birth e-form');

    await page.locator('#f-decidingOrgUnitId').selectOption({ label: 'UBND phường Nha Trang' });
    await page.getByLabel('Nội dung yêu cầu').fill('Đăng ký khai sinh cho con trai');
    await page.getByLabel('Quan hệ với người được khai sinh').selectOption('Mẹ');
    await page.locator('#f-fields-ngay_sinh').fill('20/01/2026');
    await page.getByLabel('Số định danh cá nhân của người yêu cầu').fill('05619000123');
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    expect(await page.locator('.error-summary').count()).toBe(1);
    expect(await page.locator('#f-fields-ho_ten-error').textContent()).toContain('Vui lòng nhập: Họ, chữ đệm, tên.');
    expect(await page.locator('#f-fields-nguoi_yeu_cau_so_dinh_danh-error').textContent()).toContain('12 chữ số');
    expect(await page.locator('#f-fields-ngay_sinh').inputValue()).toBe('20/01/2026');
    // The changed number is no longer what the account gave; the name still is.
    expect(await page.locator('#f-fields-nguoi_yeu_cau_so_dinh_danh-mark').count()).toBe(0);
    expect(await page.locator('#f-fields-nguoi_yeu_cau_ho_ten-mark').count()).toBe(1);
    await expectAccessible(page, 'birth e-form with errors');

    await page.getByLabel('Số định danh cá nhân của người yêu cầu').fill(DEMO_CITIZEN_ID);
    await page.locator('#f-fields-ho_ten').fill('Trần Minh An');
    await page.locator('#f-fields-gioi_tinh').selectOption('Nam');
    await page.locator('#f-fields-dan_toc').selectOption('Kinh');
    await page.locator('#f-fields-quoc_tich').fill('Việt Nam');
    await page.getByLabel('Nơi sinh').fill('Bệnh viện Đa khoa tỉnh Khánh Hòa');
    await page.getByLabel('Quê quán').fill('Khánh Hòa');
    await page.getByLabel('Họ, chữ đệm, tên người mẹ').fill('Nguyễn Thị Mai');
    await page.getByLabel(/Tôi cam đoan/).check();
    await page.getByLabel('Gửi qua bưu chính công ích').check();
    await page.getByLabel(/Giấy chứng sinh/).setInputFiles({ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: pdfBytes('giấy chứng sinh') });
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await expectAccessible(page, 'check the answers');
    const summary = (await page.locator('dl.summary').textContent()) ?? '';
    expect(summary).toContain('Nguyễn Thị Mai (Tự động điền từ tài khoản)');
    expect(summary).toContain('Gửi qua bưu chính công ích: 25 Lê Thánh Tôn, Phường Nha Trang, Tỉnh Khánh Hòa');
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    await page.waitForURL(/\/dich-vu-cong\/ho-so\/[0-9a-f-]+\?da-nop=1/);
    await expectAccessible(page, 'dossier page');
    expect(await page.locator('dl.summary').textContent()).toContain('(tự động điền từ tài khoản)');
  }, 180_000);

  it('a citizen corrects her profile; an officer records a walk-in dossier on the same e-form', async () => {
    const citizen = await (await s.newContext(360)).newPage();
    await signInThroughPage(citizen, s.baseUrl, DEMO_CITIZEN_ID, DEMO_PASSWORD);
    await citizen.goto(`${s.baseUrl}/dich-vu-cong/thong-tin-ca-nhan`);
    await citizen.getByLabel('Ngày sinh').fill('31/02/1990');
    await citizen.getByRole('button', { name: 'Lưu thông tin' }).click();
    expect(await citizen.locator('#f-dateOfBirth-error').count()).toBe(1);
    await expectAccessible(citizen, 'profile with errors');
    await citizen.getByLabel('Ngày sinh').fill('14/03/1990');
    await citizen.getByRole('button', { name: 'Lưu thông tin' }).click();
    expect(await citizen.getByRole('status').textContent()).toContain('Đã lưu thông tin cá nhân.');

    const officer = await (await s.newContext(360)).newPage();
    await signInThroughPage(officer, s.baseUrl, 'motcua.tinh', DEMO_PASSWORD);
    await officer.goto(`${s.baseUrl}/mot-cua/tiep-nhan?procedureCode=1.004873`);
    await expectAccessible(officer, 'counter receipt with an e-form');
    await officer.getByRole('button', { name: 'Tiếp nhận và cấp mã hồ sơ' }).click();
    expect(await officer.locator('.error-summary').count()).toBe(1);
    await expectAccessible(officer, 'counter receipt with errors');
  }, 180_000);
});
