import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.ts';
import { startPaymentGatewaySimulator } from '../../src/simulators/payment-gateway-simulator.ts';
import { startVneidSimulator } from '../../src/simulators/vneid-simulator.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import type { App } from '../../src/platform/http/server.ts';
import { testConfig } from './test-app.ts';
import { createTestDb } from './test-db.ts';

export const CHROMIUM_PATH = process.env.CQS_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Whether browser tests can run here. Without Chromium they are skipped with the reason printed, unless
 * CQS_REQUIRE_BROWSER=1 (set by CI), where a missing browser is a failure.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CQS_REQUIRE_BROWSER === '1') {
    throw new Error(`CQS_REQUIRE_BROWSER=1 but Chromium is missing at ${CHROMIUM_PATH} (apt-get install chromium)`);
  }
  console.warn(`Browser tests SKIPPED: Chromium not found at ${CHROMIUM_PATH}. Install Debian's chromium to run them.`);
  return false;
}

export interface LiveServer {
  readonly baseUrl: string;
  readonly app: App;
  readonly handle: DatabaseHandle;
  readonly browser: Browser;
  newContext(width?: number): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** A free loopback port, so that the server knows its public address (payment return and callback) before it listens. */
async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * A real CQS server on a free loopback port over a fresh copy of the test database, and a headless Chromium; with
 * `payments`, the local payment gateway simulator too, and with `vneid` the local VNeID provider, as `cqs start` runs them.
 */
export async function startLiveServer(options: { payments?: boolean; vneid?: boolean } = {}): Promise<LiveServer> {
  const handle = await createTestDb();
  const port = await freePort();
  const secret = randomBytes(32).toString('hex');
  const gateway = options.payments ? await startPaymentGatewaySimulator(secret) : null;
  const client = { clientId: 'cqs-e2e', clientSecret: randomBytes(16).toString('hex') };
  const idp = options.vneid ? await startVneidSimulator({ clients: [{ ...client, redirectUris: [`http://127.0.0.1:${port}/dang-nhap/vneid/callback`] }], identities: [] }) : null;
  const env = {
    PORT: String(port),
    CQS_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...(gateway ? { CQS_PAYMENT_URL: gateway.url, CQS_PAYMENT_SECRET: secret } : {}),
    ...(idp ? { CQS_VNEID_ISSUER: idp.issuer, CQS_VNEID_CLIENT_ID: client.clientId, CQS_VNEID_CLIENT_SECRET: client.clientSecret } : {}),
  };
  const app = await buildApp(testConfig(env), handle.db);
  await app.listen({ host: '127.0.0.1', port });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    handle,
    browser,
    newContext: (width = 1280) => browser.newContext({ viewport: { width, height: 800 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' }),
    close: async () => {
      await browser.close();
      await app.close();
      await gateway?.close();
      await idp?.close();
      await handle.close();
    },
  };
}

export interface AxeViolation {
  readonly id: string;
  readonly help: string;
  readonly targets: string[];
}

/** WCAG 2.1 A and AA rules of axe-core; returns the violations in a readable form. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** True when the page needs horizontal scrolling at the current viewport (content wider than the screen). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

export async function signInThroughPage(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/dang-nhap`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForLoadState('load');
}

/** The page passes axe-core (WCAG 2.1 AA) and fits its viewport width. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const { expect } = await import('vitest');
  expect(await axeViolations(page), label).toEqual([]);
  expect(await overflowsHorizontally(page), label).toBe(false);
}
