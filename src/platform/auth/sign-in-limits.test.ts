import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonCsrf, createTestApp, insertUser, type TestApp, TEST_PASSWORD, testConfig } from '../../../test/support/test-app.ts';
import { buildApp } from '../../app.ts';
import { verifyAuditLog } from '../audit/verify-audit-log.ts';
import type { App } from '../http/server.ts';
import { backoffMinutes, claimAttempt, purgeBackoffs } from './backoff.ts';
import { DEVICE_COOKIE, deviceTokenUserId, issueDeviceToken } from './device.ts';
import { safeNext } from './safe-next.ts';
import { countHit, purgeRateLimits, Throttled } from './throttle.ts';

// Three free failures keep the tests short; the default is five.
const FREE_FAILURES = '3';
let t: TestApp;
let ids: Record<string, string>;
const extra: App[] = [];

beforeAll(async () => {
  t = await createTestApp({ CQS_LOGIN_MAX_FAILURES: FREE_FAILURES });
  ids = {};
  for (const username of ['canbo.backoff', 'canbo.device', 'canbo.exists', 'canbo.next', 'canbo.proxy', 'canbo.centre']) ids[username] = await insertUser(t.db, { username });
});
afterAll(async () => {
  for (const app of extra) await app.close();
  await t.close();
});

async function appWith(env: Record<string, string>): Promise<App> {
  const app = await buildApp(testConfig({ CQS_LOGIN_MAX_FAILURES: FREE_FAILURES, ...env }), t.db);
  extra.push(app);
  return app;
}

interface Attempt {
  readonly username: string;
  readonly password?: string;
  readonly ip?: string;
  readonly cookie?: string;
  readonly headers?: Record<string, string>;
  readonly app?: App;
}

async function apiLogin(a: Attempt): Promise<LightMyRequestResponse> {
  const app = a.app ?? t.app;
  const csrf = await anonCsrf(app);
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: a.ip ?? '192.0.2.10',
    headers: { ...csrf, ...a.headers, cookie: [csrf.cookie, a.cookie].filter(Boolean).join('; ') },
    payload: { username: a.username, password: a.password ?? 'sai-mat-khau' },
  });
}

async function formLogin(a: Attempt & { next?: string }): Promise<LightMyRequestResponse> {
  const app = a.app ?? t.app;
  const csrf = await anonCsrf(app);
  const fields = { _csrf: csrf['x-csrf-token'] ?? '', username: a.username, password: a.password ?? 'sai-mat-khau', ...(a.next === undefined ? {} : { next: a.next }) };
  return app.inject({
    method: 'POST',
    url: '/dang-nhap',
    remoteAddress: a.ip ?? '192.0.2.10',
    headers: { cookie: csrf.cookie ?? '', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
}

const deviceCookieOf = (res: LightMyRequestResponse) => res.cookies.find((c) => c.name === DEVICE_COOKIE);

async function failTimes(n: number, a: Attempt): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < n; i++) codes.push((await apiLogin(a)).statusCode);
  return codes;
}

describe('back-off per account instead of a lock-out', () => {
  it('makes attempts from unknown devices wait after the free failures, answering 429 with Retry-After, and audits each failure', async () => {
    expect(await failTimes(3, { username: 'canbo.backoff' })).toEqual([401, 401, 401]);
    const res = await apiLogin({ username: 'canbo.backoff', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ type: 'urn:cqs:problem:rate_limited', detail: 'Đăng nhập không thành công nhiều lần. Vui lòng thử lại sau 1 phút.' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    const failures = await t.db.selectFrom('audit_events').select(['action', 'summary']).where('entity_id', '=', ids['canbo.backoff'] ?? '').orderBy('seq').execute();
    expect(failures.map((f) => f.action)).toEqual(['auth.login_failed', 'auth.login_failed', 'auth.login_failed']);
    expect(failures[2]?.summary).toMatchObject({ after: { failedLogins: 3, waitMinutes: 1, knownDevice: false } });
    expect((await verifyAuditLog(t.db, { seal: true })).problems).toEqual([]);
  });

  it('allows one attempt again when the wait is over, doubles the wait after another failure, and forgets after a success', async () => {
    const pastWait = () => t.db.updateTable('sign_in_backoffs').set({ retry_at: new Date(Date.now() - 1000) }).where('key', '=', 'name:canbo.backoff').execute();
    await pastWait();
    expect((await apiLogin({ username: 'canbo.backoff' })).statusCode).toBe(401);
    const waiting = await apiLogin({ username: 'canbo.backoff', password: TEST_PASSWORD });
    expect(waiting.statusCode).toBe(429);
    expect(Number(waiting.headers['retry-after'])).toBeGreaterThan(60);
    await pastWait();
    expect((await apiLogin({ username: 'canbo.backoff', password: TEST_PASSWORD })).statusCode).toBe(200);
    expect(await failTimes(2, { username: 'canbo.backoff' })).toEqual([401, 401]);
  });

  it('lets the owner sign in from a known device while strangers are kept waiting', async () => {
    const first = await apiLogin({ username: 'canbo.device', password: TEST_PASSWORD, ip: '192.0.2.20' });
    const device = deviceCookieOf(first);
    expect(device?.httpOnly).toBe(true);
    expect(device?.maxAge).toBeGreaterThan(30 * 86_400);
    expect(deviceTokenUserId('x'.repeat(40), device?.value)).toBe(ids['canbo.device']);
    const cookie = `${DEVICE_COOKIE}=${device?.value}`;
    expect(await failTimes(4, { username: 'canbo.device', ip: '198.51.100.66' })).toEqual([401, 401, 401, 429]);
    expect((await apiLogin({ username: 'canbo.device', password: TEST_PASSWORD, ip: '198.51.100.66' })).statusCode).toBe(429);
    const owner = await apiLogin({ username: 'canbo.device', password: TEST_PASSWORD, ip: '192.0.2.20', cookie });
    expect(owner.statusCode).toBe(200);
    // The owner's own typo from that device does not start the strangers' wait over, nor lift it.
    expect((await apiLogin({ username: 'canbo.device', ip: '192.0.2.20', cookie })).statusCode).toBe(401);
    expect((await apiLogin({ username: 'canbo.device', password: TEST_PASSWORD, ip: '198.51.100.66' })).statusCode).toBe(429);
  });

  it('does not take a forged, altered or another account’s device cookie as known', async () => {
    const other = issueDeviceToken('x'.repeat(40), ids['canbo.backoff'] ?? '');
    const forged = issueDeviceToken('y'.repeat(40), ids['canbo.device'] ?? '');
    const [userId, nonce] = other.split('.');
    const altered = `${ids['canbo.device']}.${nonce}.${other.split('.')[2]}`;
    expect(userId).toBe(ids['canbo.backoff']);
    for (const value of [other, forged, altered, 'nonsense']) {
      const res = await apiLogin({ username: 'canbo.device', password: TEST_PASSWORD, cookie: `${DEVICE_COOKIE}=${value}` });
      expect(res.statusCode).toBe(429);
    }
  });

  it('answers an unknown username exactly like a throttled existing account', async () => {
    const unknown = { username: 'khong.ton.tai', ip: '203.0.113.7' };
    const existing = { username: 'canbo.exists', ip: '203.0.113.8' };
    expect(await failTimes(3, unknown)).toEqual(await failTimes(3, existing));
    const [a, b] = [await apiLogin({ ...unknown, password: TEST_PASSWORD }), await apiLogin({ ...existing, password: TEST_PASSWORD })];
    const comparable = (res: LightMyRequestResponse) => {
      const { requestId: _r, ...body } = res.json() as Record<string, unknown>;
      return { status: res.statusCode, type: res.headers['content-type'], retryAfter: typeof res.headers['retry-after'], body };
    };
    expect(comparable(a)).toEqual(comparable(b));
    expect(a.statusCode).toBe(429);
    const [pageA, pageB] = [await formLogin(unknown), await formLogin(existing)];
    expect(pageA.statusCode).toBe(pageB.statusCode);
    expect(pageA.body.replace(unknown.username, '?').replace(/value="[\w-]{20,}"/g, '')).toBe(pageB.body.replace(existing.username, '?').replace(/value="[\w-]{20,}"/g, ''));
  });
});

describe('the back-off policy', () => {
  const policy = { freeFailures: 2, maxDelayMinutes: 4 };
  const at = (t0: Date, minutes: number) => new Date(t0.getTime() + minutes * 60_000);

  it('waits 1, 2, 4 … minutes after the free failures, capped', () => {
    expect([1, 2, 3, 4, 5, 6, 40].map((f) => backoffMinutes(f, policy))).toEqual([0, 1, 2, 4, 4, 4, 4]);
  });

  it('allows exactly one attempt each time a wait ends, never locks indefinitely, and forgets old failures', async () => {
    const key = 'name:policy.test';
    const t0 = new Date('2026-03-02T01:00:00Z');
    expect(await claimAttempt(t.db, key, policy, t0)).toBe(1);
    expect(await claimAttempt(t.db, key, policy, t0)).toBe(2);
    await expect(claimAttempt(t.db, key, policy, at(t0, 0.5))).rejects.toMatchObject({ retryAfterSeconds: 30 });
    expect(await claimAttempt(t.db, key, policy, at(t0, 1))).toBe(3);
    await expect(claimAttempt(t.db, key, policy, at(t0, 1))).rejects.toBeInstanceOf(Throttled);
    expect(await claimAttempt(t.db, key, policy, at(t0, 3))).toBe(4);
    expect(await claimAttempt(t.db, key, policy, at(t0, 7))).toBe(5);
    await expect(claimAttempt(t.db, key, policy, at(t0, 10.5))).rejects.toMatchObject({ retryAfterSeconds: 30 });
    expect(await claimAttempt(t.db, key, policy, at(t0, 11))).toBe(6);
    expect(await claimAttempt(t.db, key, policy, at(t0, 15 + 24 * 60))).toBe(1);
    expect(await purgeBackoffs(t.db, at(t0, 16 + 48 * 60))).toBeGreaterThanOrEqual(1);
    expect(await t.db.selectFrom('sign_in_backoffs').select('key').where('key', '=', key).executeTakeFirst()).toBeUndefined();
  });
});

describe('fixed-window counters', () => {
  it('refuses past the limit until the window is over, then counts afresh; old windows are purged', async () => {
    const limit = { key: 'test:counter', max: 2, windowSeconds: 60 };
    const t0 = new Date('2026-03-02T02:00:00Z');
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    await countHit(t.db, limit, t0);
    await countHit(t.db, limit, at(10));
    await expect(countHit(t.db, limit, at(20))).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 40 });
    await countHit(t.db, limit, at(60));
    await countHit(t.db, limit, at(61));
    await expect(countHit(t.db, limit, at(62))).rejects.toBeInstanceOf(Throttled);
    expect(await purgeRateLimits(t.db, at(60 + 3601))).toBeGreaterThanOrEqual(1);
    expect(await t.db.selectFrom('rate_limit_hits').select('key').where('key', '=', limit.key).executeTakeFirst()).toBeUndefined();
  });
});

describe('sign-in limits per account and client address, the page and the API together', () => {
  it('counts alternating form and API attempts on one account from one address against the same limit', async () => {
    const app = await appWith({ CQS_LOGIN_RATE_PER_MINUTE: '2' });
    const ip = '198.51.100.30';
    expect([(await formLogin({ app, ip, username: 'a.1' })).statusCode, (await apiLogin({ app, ip, username: 'a.1' })).statusCode]).toEqual([401, 401]);
    const api = await apiLogin({ app, ip, username: 'a.1' });
    expect(api.statusCode).toBe(429);
    expect(api.json()).toMatchObject({ code: 'rate_limited' });
    expect(Number(api.headers['retry-after'])).toBeGreaterThan(0);
    const page = await formLogin({ app, ip, username: 'a.1' });
    expect(page.statusCode).toBe(429);
    expect(page.headers['retry-after']).toBeDefined();
    expect(page.body).toContain('Bạn thao tác quá nhanh');
    expect(page.body).toContain('value="a.1"');
    // The same account from another address has its own count.
    expect((await apiLogin({ app, ip: '198.51.100.31', username: 'a.1' })).statusCode).toBe(401);
  });

  it('does not lock out the other officers of a service centre behind one address', async () => {
    const app = await appWith({ CQS_LOGIN_RATE_PER_MINUTE: '2' });
    const ip = '198.51.100.40';
    expect(await failTimes(3, { app, ip, username: 'motcua.go.sai' })).toEqual([401, 401, 429]);
    // Colleagues at the same centre, same address: unaffected, and one signs in.
    expect((await apiLogin({ app, ip, username: 'motcua.khac' })).statusCode).toBe(401);
    expect((await apiLogin({ app, ip, username: 'canbo.centre', password: TEST_PASSWORD })).statusCode).toBe(200);
  });

  it('keeps a ceiling per address whatever the account, against trying many accounts at once', async () => {
    const app = await appWith({ CQS_LOGIN_ADDRESS_RATE_PER_MINUTE: '3' });
    const ip = '198.51.100.50';
    const codes = [];
    for (const username of ['s.1', 's.2', 's.3', 's.4']) codes.push((await apiLogin({ app, ip, username })).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
    expect((await apiLogin({ app, ip: '198.51.100.51', username: 's.5' })).statusCode).toBe(401);
  });
});

describe('client address behind a proxy', () => {
  const via = (proxy: string, client: string) => ({ ip: proxy, headers: { 'x-forwarded-for': client } });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    const app = await appWith({ CQS_LOGIN_RATE_PER_MINUTE: '1' });
    expect((await apiLogin({ app, username: 'p.1', ...via('10.9.0.1', '198.51.100.1') })).statusCode).toBe(401);
    expect((await apiLogin({ app, username: 'p.1', ...via('10.9.0.1', '198.51.100.2') })).statusCode).toBe(429);
  });

  it('keys limits and sessions on the forwarded client when the request comes from a trusted proxy, and only then', async () => {
    const app = await appWith({ CQS_LOGIN_RATE_PER_MINUTE: '1', CQS_TRUST_PROXY: '10.8.0.0/16, 10.7.0.1' });
    expect((await apiLogin({ app, username: 'p.3', ...via('10.8.3.4', '198.51.100.11') })).statusCode).toBe(401);
    expect((await apiLogin({ app, username: 'p.3', ...via('10.7.0.1', '198.51.100.12') })).statusCode).toBe(401);
    expect((await apiLogin({ app, username: 'p.3', ...via('10.8.3.4', '198.51.100.11') })).statusCode).toBe(429);
    // Not a trusted proxy: its header is ignored and its own address is counted.
    expect((await apiLogin({ app, username: 'p.6', ...via('10.6.0.1', '198.51.100.13') })).statusCode).toBe(401);
    expect((await apiLogin({ app, username: 'p.6', ...via('10.6.0.1', '198.51.100.14') })).statusCode).toBe(429);
    const ok = await apiLogin({ app, username: 'canbo.proxy', password: TEST_PASSWORD, ...via('10.7.0.1', '198.51.100.15') });
    expect(ok.statusCode).toBe(200);
    const session = await t.db.selectFrom('sessions').select('ip').where('user_id', '=', ids['canbo.proxy'] ?? '').executeTakeFirstOrThrow();
    expect(session.ip).toBe('198.51.100.15');
  });
});

describe('where to go after signing in', () => {
  it('keeps same-site paths, percent-encodes non-ASCII and falls back to / for anything else', () => {
    expect(safeNext('/dich-vu-cong/ho-so?trang=2')).toBe('/dich-vu-cong/ho-so?trang=2');
    expect(safeNext('/Đăng')).toBe('/%C4%90%C4%83ng');
    expect(safeNext('/a b')).toBe('/a%20b');
    for (const bad of ['/x\u0000', '/x\r\nSet-Cookie: a=b', '//evil.example', '/\\evil.example', '/a//b', 'https://evil.example', '', '/\ud800', 42, undefined]) {
      expect(safeNext(bad)).toBe('/');
    }
  });

  it('redirects the form to a non-ASCII or NUL-carrying next without failing, and the page carries it safely', async () => {
    const sessions = async () => (await t.db.selectFrom('sessions').select('token_hash').where('user_id', '=', ids['canbo.next'] ?? '').execute()).length;
    const accented = await formLogin({ username: 'canbo.next', password: TEST_PASSWORD, next: '/Đăng' });
    expect(accented.statusCode).toBe(303);
    expect(accented.headers.location).toBe('/%C4%90%C4%83ng');
    // A control character is refused at the boundary, before the password is checked or a session opened.
    const nul = await formLogin({ username: 'canbo.next', password: TEST_PASSWORD, next: '/x\u0000' });
    expect(nul.statusCode).toBe(400);
    expect(await sessions()).toBe(1);
    const page = await t.app.inject({ method: 'GET', url: `/dang-nhap?next=${encodeURIComponent('/x\u0000')}` });
    expect(page.statusCode).toBe(400);
    const odd = await t.app.inject({ method: 'GET', url: `/dang-nhap?next=${encodeURIComponent('//evil.example')}` });
    expect(odd.statusCode).toBe(200);
    expect(odd.body).toContain('name="next" value="/"');
    const wrong = await formLogin({ username: 'canbo.next', next: '/Đăng' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('value="/%C4%90%C4%83ng"');
  });

  it('refuses a next on the API before any session is opened, and ignores one in its query', async () => {
    const before = await t.db.selectFrom('sessions').select('token_hash').execute();
    for (const next of ['/Đăng', '/x\u0000']) {
      const csrf = await anonCsrf(t.app);
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: csrf, payload: { username: 'canbo.next', password: TEST_PASSWORD, next } });
      expect(res.statusCode).toBe(400);
      expect((res.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['next']);
    }
    expect((await t.db.selectFrom('sessions').select('token_hash').execute()).length).toBe(before.length);
    const csrf = await anonCsrf(t.app);
    const query = await t.app.inject({ method: 'POST', url: `/api/v1/auth/login?next=${encodeURIComponent('/Đăng')}`, headers: csrf, payload: { username: 'canbo.next', password: TEST_PASSWORD } });
    expect(query.statusCode).toBe(200);
    expect(query.headers.location).toBeUndefined();
  });
});
