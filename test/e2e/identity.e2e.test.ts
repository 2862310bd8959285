import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/modules/directory/demo-accounts.ts';
import type { Page } from 'playwright-core';
import { browserAvailable, expectAccessible, type LiveServer, signInThroughPage, startLiveServer } from '../support/browser.ts';
import { insertUser, TEST_PASSWORD } from '../support/test-app.ts';

const run = browserAvailable();

describe.runIf(run)('identity and API clients in Chromium (360 px, axe-core)', () => {
  let s: LiveServer;
  beforeAll(async () => {
    s = await startLiveServer({ vneid: true });
    await insertUser(s.handle.db, { username: '079305009111', kind: 'citizen', personalId: '079305009111', fullName: 'Hồ Thị Yến' });
  });
  afterAll(async () => s?.close());

  const pageAt360 = async () => (await s.newContext(360)).newPage();
  const signedIn = async (username: string, password = DEMO_PASSWORD) => {
    const page = await pageAt360();
    await signInThroughPage(page, s.baseUrl, username, password);
    return page;
  };
  const sweep = async (page: Page, paths: readonly string[]) => {
    for (const path of paths) {
      await page.goto(`${s.baseUrl}${path}`);
      expect(await page.getByRole('heading', { level: 1 }).count(), path).toBe(1);
      await expectAccessible(page, path);
    }
  };

  it('the new public pages pass axe-core and fit 360 px', async () => {
    const page = await pageAt360();
    await sweep(page, ['/dang-nhap', '/dang-ky/da-gui', '/dang-ky/kich-hoat?ma=khong-dung']);
    await page.context().close();
  });

  it('a citizen takes a counter code, an officer verifies them at the counter, and their account says so', async () => {
    const citizen = await signedIn('079305009111', TEST_PASSWORD);
    await citizen.goto(`${s.baseUrl}/dich-vu-cong/tai-khoan`);
    expect(await citizen.locator('dl.summary').textContent()).toContain('Chưa xác minh');
    await expectAccessible(citizen, 'account, not verified');
    await citizen.getByRole('button', { name: 'Lấy mã xác minh tại quầy' }).click();
    const code = (await citizen.locator('strong.code').textContent()) ?? '';
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await expectAccessible(citizen, 'account with the code');

    const officer = await signedIn('motcua.tinh');
    await officer.goto(`${s.baseUrl}/xac-minh-danh-tinh`);
    await expectAccessible(officer, 'counter verification');
    await officer.getByLabel('Số định danh cá nhân trên thẻ').fill('079305009111');
    await officer.getByLabel('Mã xác minh công dân đưa').fill('ABCD-EFGH');
    await officer.getByRole('button', { name: 'Xác minh' }).click();
    expect(await officer.locator('#f-code-error').textContent()).toContain('Mã xác minh không đúng');
    expect(await officer.getByLabel('Số định danh cá nhân trên thẻ').inputValue()).toBe('079305009111');
    await expectAccessible(officer, 'counter verification with an error');
    await officer.getByLabel('Mã xác minh công dân đưa').fill(code);
    await officer.getByRole('button', { name: 'Xác minh' }).click();
    expect(await officer.getByRole('status').textContent()).toContain('Đã xác minh danh tính');

    await citizen.goto(`${s.baseUrl}/dich-vu-cong/tai-khoan`);
    expect(await citizen.locator('dl.summary').textContent()).toContain('Đã xác minh tại bộ phận một cửa');
    await citizen.context().close();
    await officer.context().close();
  });

  it('a person signs in with VNeID level 2 through the provider’s page and lands on their verified account', async () => {
    const page = await pageAt360();
    await page.goto(`${s.baseUrl}/dang-nhap`);
    await page.getByRole('link', { name: 'Đăng nhập bằng VNeID' }).click();
    await page.waitForURL(/\/authorize\?/);
    await page.getByLabel('Số định danh cá nhân').fill('079305009222');
    await page.getByLabel('Họ và tên').fill('Kiều Văn Toàn');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/dich-vu-cong\/tai-khoan\?da-xac-minh=1$/);
    expect(await page.locator('dl.summary').textContent()).toContain('Đã xác minh qua VNeID (mức 2)');
    await expectAccessible(page, 'account verified through VNeID');
    await page.context().close();
  });

  it('an administrator makes an API key through the form, sees it once, and revokes it', async () => {
    const admin = await signedIn('admin');
    await sweep(admin, ['/quan-tri/ung-dung', '/quan-tri/ung-dung/moi']);
    await admin.getByLabel('Tên ứng dụng').fill('Kho dữ liệu tỉnh');
    await admin.getByRole('button', { name: 'Tạo khóa' }).click();
    expect(await admin.locator('#f-permissions-error').textContent()).toContain('Cần ít nhất 1 mục.');
    expect(await admin.getByLabel('Tên ứng dụng').inputValue()).toBe('Kho dữ liệu tỉnh');
    await expectAccessible(admin, 'new key with errors');
    await admin.locator('#f-orgUnitId').selectOption({ label: 'Sở Tư pháp' });
    await admin.getByLabel('Xem hồ sơ').check();
    await admin.getByRole('button', { name: 'Tạo khóa' }).click();
    await admin.waitForURL(/\/quan-tri\/ung-dung\/[0-9a-f-]+$/);
    const key = (await admin.locator('code.secret').textContent()) ?? '';
    expect(key).toMatch(/^cqs_/);
    await expectAccessible(admin, 'key shown once');
    const answer = await fetch(`${s.baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(answer.status).toBe(200);
    await admin.reload();
    expect(await admin.locator('code.secret').count()).toBe(0);
    await admin.getByRole('button', { name: 'Thu hồi khóa' }).click();
    expect(await admin.getByRole('status').textContent()).toContain('Đã thu hồi khóa');
    expect((await fetch(`${s.baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    await admin.context().close();
  });
});
