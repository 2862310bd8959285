import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, browserAvailable, type LiveServer, overflowsHorizontally, signInThroughPage, startLiveServer } from '../support/browser.ts';
import { DEMO_PASSWORD } from '../../src/modules/directory/demo-accounts.ts';
import { allocateNumber, voidNumber } from '../../src/platform/numbering/allocate-number.ts';
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

  it('the numbering series page passes axe, with a skipped number listed and with form errors, and fits 360 px', async () => {
    await s.handle.db.transaction().execute(async (tx) => {
      const n = await allocateNumber(tx, 'dossier_code', { scopeKey: 'e2e', date: '2026-06-01', parts: { agency: '000.00.20.H32' } });
      await voidNumber(tx, { id: null, label: 'e2e', requestId: null }, { seriesKey: 'dossier_code', scopeKey: 'e2e', periodKey: n.periodKey, value: n.value, number: n.number, reason: 'withdrawn', note: 'Nhập nhầm' });
    });
    const ctx = await s.newContext(360);
    const page = await ctx.newPage();
    await signInThroughPage(page, s.baseUrl, 'admin', DEMO_PASSWORD);
    await page.goto(`${s.baseUrl}/quan-tri/danh-so`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dãy số');
    expect(await page.locator('body').textContent()).toContain('000.00.20.H32-260601-0001');
    expect(await axeViolations(page)).toEqual([]);
    expect(await overflowsHorizontally(page)).toBe(false);
    await page.getByLabel('Mẫu số').fill('{agency}-{ngay}');
    await page.getByLabel('Hiệu lực từ ngày').fill('01/01/2020');
    await page.getByRole('button', { name: 'Thêm phiên bản' }).click();
    expect(await page.locator('#f-template-error').textContent()).toContain('{seq}');
    expect(await page.getByLabel('Mẫu số').inputValue()).toBe('{agency}-{ngay}');
    expect(await axeViolations(page)).toEqual([]);
    expect(await overflowsHorizontally(page)).toBe(false);
    await ctx.close();
  });

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
