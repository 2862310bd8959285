import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, browserAvailable, type LiveServer, overflowsHorizontally, signInThroughPage, startLiveServer } from '../support/browser.ts';
import { insertUser, TEST_PASSWORD } from '../support/test-app.ts';

const run = browserAvailable();

describe.runIf(run)('kernel pages in Chromium', () => {
  let s: LiveServer;
  beforeAll(async () => {
    s = await startLiveServer();
    await insertUser(s.handle.db, { username: 'e2e.canbo', fullName: 'Trần Thị Bình' });
  });
  afterAll(async () => s?.close());

  for (const width of [1280, 360]) {
    it(`home and sign-in pages pass axe and fit ${width} px`, async () => {
      const ctx = await s.newContext(width);
      const page = await ctx.newPage();
      for (const path of ['/', '/dang-nhap', '/trang-khong-co']) {
        await page.goto(`${s.baseUrl}${path}`);
        expect(await axeViolations(page), path).toEqual([]);
        expect(await overflowsHorizontally(page), path).toBe(false);
      }
      await ctx.close();
    });
  }

  it('shows sign-in errors next to the form, keeps the username, then signs in and out', async () => {
    const ctx = await s.newContext(360);
    const page = await ctx.newPage();
    await signInThroughPage(page, s.baseUrl, 'e2e.canbo', 'sai-mat-khau');
    expect(await page.getByRole('alert').textContent()).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(await page.getByLabel('Tên đăng nhập').inputValue()).toBe('e2e.canbo');
    expect(await axeViolations(page)).toEqual([]);
    await signInThroughPage(page, s.baseUrl, 'e2e.canbo', TEST_PASSWORD);
    expect(await page.locator('.user-name').textContent()).toBe('Trần Thị Bình');
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    expect(await page.getByRole('link', { name: 'Đăng nhập' }).isVisible()).toBe(true);
    await ctx.close();
  });
});
