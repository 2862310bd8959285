import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../../src/modules/directory/demo-accounts.ts';
import type { Page } from 'playwright-core';
import { axeViolations, browserAvailable, type LiveServer, overflowsHorizontally, signInThroughPage, startLiveServer } from '../support/browser.ts';
import { counterDossier, justiceProcedure } from '../support/justice.ts';
import { signIn } from '../support/test-app.ts';

const run = browserAvailable();

describe.runIf(run)('user journeys in Chromium', () => {
  let s: LiveServer;
  let justiceId: string;
  let officialId: string;
  beforeAll(async () => {
    s = await startLiveServer();
    justiceId = (await s.handle.db.selectFrom('org_units').select('id').where('name', '=', 'Sở Tư pháp').executeTakeFirstOrThrow()).id;
    officialId = (await s.handle.db.selectFrom('users').select('id').where('username', '=', 'chuyenvien.stp').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => s?.close());

  it('a citizen finds a procedure without diacritics and reads what to prepare (360 px)', async () => {
    const ctx = await s.newContext(360);
    const page = await ctx.newPage();
    await page.goto(`${s.baseUrl}/`);
    await page.getByLabel('Tìm thủ tục hành chính').fill('dang ky khai sinh');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await page.waitForURL(/\/thu-tuc\?/);
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toMatch(/Tìm thấy \d+ thủ tục/);
    await page.getByRole('link', { name: 'Thủ tục đăng ký khai sinh', exact: true }).click();
    await page.waitForURL(/\/thu-tuc\/1\.001193$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Thủ tục đăng ký khai sinh');
    expect(await page.locator('table').first().textContent()).toContain('Giấy chứng sinh');
    expect(await overflowsHorizontally(page)).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    await ctx.close();
  });

  it('an administrator creates an official through the form, sees errors next to fields first', async () => {
    const ctx = await s.newContext(360);
    const page = await ctx.newPage();
    await signInThroughPage(page, s.baseUrl, 'admin', DEMO_PASSWORD);
    await page.goto(`${s.baseUrl}/quan-tri/can-bo/moi`);
    await page.getByLabel('Tên đăng nhập').fill('Sai Dinh Dang');
    await page.getByLabel('Họ và tên').fill('Phan Thị Quyên');
    await page.locator('#f-orgUnitId').selectOption(justiceId);
    await page.getByLabel('Mật khẩu ban đầu').fill('ngan');
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    expect(await page.locator('#f-username-error').textContent()).toContain('Không đúng định dạng.');
    expect(await page.locator('#f-roles-error').textContent()).toContain('Cần ít nhất 1 mục.');
    expect(await page.getByLabel('Họ và tên').inputValue()).toBe('Phan Thị Quyên');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Tên đăng nhập').fill('phan.thi.quyen');
    await page.getByLabel('Chuyên viên').check();
    await page.getByLabel('Mật khẩu ban đầu').fill('Quyen-2026-moi!');
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    await page.waitForURL(/\/quan-tri\/can-bo\/[0-9a-f-]+\?da-tao=1/);
    expect(await page.getByRole('status').textContent()).toContain('Đã tạo tài khoản cán bộ.');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Phan Thị Quyên');
    await ctx.close();
  });

  /** Each page: one h1, no axe-core (WCAG 2.1 AA) violation, nothing wider than the 360 px screen. */
  const sweep = async (page: Page, paths: readonly string[]) => {
    for (const path of paths) {
      await page.goto(`${s.baseUrl}${path}`);
      expect(await page.getByRole('heading', { level: 1 }).count(), path).toBe(1);
      expect(await axeViolations(page), path).toEqual([]);
      expect(await overflowsHorizontally(page), path).toBe(false);
    }
  };
  const signedIn = async (username: string) => {
    const page = await (await s.newContext(360)).newPage();
    await signInThroughPage(page, s.baseUrl, username, DEMO_PASSWORD);
    return page;
  };

  it('every public page passes axe-core (WCAG 2.1 AA) and fits 360 px', async () => {
    const ctx = await s.newContext(360);
    const page = await ctx.newPage();
    await sweep(page, ['/', '/thu-tuc', '/thu-tuc?q=khai+sinh', '/thu-tuc/1.001193', '/thu-tuc/1.001193/phien-ban/1', '/don-vi-hanh-chinh?q=my+hai&on=2025-03-01', '/dang-ky', '/dang-nhap', '/tra-cuu-ho-so']);
    await page.goto(`${s.baseUrl}/dang-ky`);
    await page.getByRole('button', { name: 'Đăng ký' }).click();
    expect(await page.locator('.error-summary').count()).toBe(1);
    expect(await axeViolations(page), 'registration with errors').toEqual([]);
    await ctx.close();
  });

  // The reference lists every operation with its schemas: the longest page there is, so it has a test (and time) of its own.
  it('the API reference passes axe-core (WCAG 2.1 AA) and fits 360 px', async () => {
    const ctx = await s.newContext(360);
    await sweep(await ctx.newPage(), ['/api/docs']);
    await ctx.close();
  }, 180_000);

  it("every administrator's page passes axe-core and fits 360 px", async () => {
    const page = await signedIn('admin');
    await sweep(page, [
      '/quan-tri/don-vi',
      `/quan-tri/don-vi/${justiceId}`,
      '/quan-tri/can-bo',
      '/quan-tri/can-bo/moi',
      `/quan-tri/can-bo/${officialId}`,
      '/quan-tri/thu-tuc',
      `/quan-tri/thu-tuc/don-vi/${justiceId}`,
      '/quan-tri/lich',
      '/quan-tri/nhat-ky',
      '/quan-tri/thu-tuc/1.001193/cau-hinh',
      '/quan-tri/hop-thu',
      '/quan-tri/quy-tac',
    ]);
    await page.context().close();
    // A dozen pages, the setup page of a procedure with a seeded e-form among them: axe takes a while on a busy machine.
  }, 120_000);

  it("a provincial leader's statistics and queues and a citizen's own pages pass axe-core and fit 360 px", async () => {
    const leader = await signedIn('lanhdao.tinh');
    expect(new URL(leader.url()).pathname, 'an officer lands on the work queue').toBe('/mot-cua');
    await sweep(leader, ['/thong-ke/ho-so', '/thong-ke/ho-so?from=01/01/2026&to=31/13/2026', '/mot-cua?view=all', '/mot-cua?view=due_soon', '/mot-cua/so-theo-doi', '/mot-cua/so-theo-doi?from=31/02/2026']);
    await leader.context().close();
    const citizen = await signedIn(DEMO_CITIZEN_ID);
    await sweep(citizen, ['/dich-vu-cong/ho-so', '/dich-vu-cong/kho-giay-to', '/tra-cuu-ho-so', '/dich-vu-cong/tai-khoan', '/dich-vu-cong/thong-tin-ca-nhan', '/dich-vu-cong/nop/1.001193']);
    await citizen.context().close();
  });

  it("the clerk's register, the reporting officer's figures and a public look-up with its steps pass axe-core and fit 360 px", async () => {
    const counter = await signIn(s.app, 'motcua.tinh', DEMO_PASSWORD);
    const { procedureCode } = await justiceProcedure(s.handle.db);
    const d = await counterDossier(s.app, counter, { procedureCode, decidingOrgUnitId: justiceId, applicantName: 'Lý Thị Tra Cứu' });
    const clerk = await signedIn('vanthu.stp');
    expect(new URL(clerk.url()).pathname).toBe('/mot-cua');
    await sweep(clerk, ['/mot-cua', '/mot-cua/so-theo-doi', `/mot-cua/ho-so/${d.id}`]);
    await clerk.context().close();
    const reporter = await signedIn('baocao.stp');
    expect(new URL(reporter.url()).pathname).toBe('/thong-ke/ho-so');
    await sweep(reporter, ['/thong-ke/ho-so']);
    await reporter.context().close();
    const anyone = await (await s.newContext(360)).newPage();
    await sweep(anyone, [`/tra-cuu-ho-so?code=${encodeURIComponent(d.code)}`]);
    expect(await anyone.locator('main').textContent()).toContain('Tiếp nhận hồ sơ — Được tiếp nhận');
    expect(await anyone.locator('main').textContent()).not.toContain('Lý Thị Tra Cứu');
    await anyone.context().close();
  });

  it('a clerk exports the register: the export page follows the background job by itself, then offers the file (axe, 360 px)', async () => {
    const counter = await signIn(s.app, 'motcua.tinh', DEMO_PASSWORD);
    const { procedureCode } = await justiceProcedure(s.handle.db);
    await counterDossier(s.app, counter, { procedureCode, decidingOrgUnitId: justiceId, applicantName: 'Đỗ Văn Xuất' });
    const clerk = await signedIn('vanthu.stp');
    await clerk.goto(`${s.baseUrl}/mot-cua/so-theo-doi`);
    await clerk.getByRole('button', { name: 'Xuất sổ theo dõi (Excel)' }).click();
    await clerk.waitForURL(/\/tai-ve\/[0-9a-f-]{36}$/);
    expect(await clerk.locator('#export-status').textContent()).toBe('Đang chờ xuất');
    expect(await axeViolations(clerk), 'export page, waiting').toEqual([]);
    expect(await overflowsHorizontally(clerk)).toBe(false);
    // The server's runner takes it up; the page, left open, notices and shows the download without a click.
    s.app.exports.start(300);
    const link = clerk.getByRole('link', { name: /Tải tệp về/ });
    await link.waitFor({ timeout: 60_000 });
    expect(await clerk.locator('#export-status').textContent()).toBe('Đã xuất xong');
    expect(await axeViolations(clerk), 'export page, done').toEqual([]);
    const [download] = await Promise.all([clerk.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^so-theo-doi-ho-so-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
    await sweep(clerk, ['/tai-ve']);
    expect(await clerk.locator('main').textContent()).toContain('Đã xuất xong');
    await clerk.context().close();
  }, 120_000);
});
