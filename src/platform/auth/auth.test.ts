import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonCsrf, authHeaders, createTestApp, insertUser, signIn, type TestApp, TEST_PASSWORD, testConfig } from '../../../test/support/test-app.ts';
import { buildApp } from '../../app.ts';
import { verifyAuditLog } from '../audit/verify-audit-log.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await insertUser(t.db, { username: 'canbo.a', fullName: 'Nguyễn Văn A' });
  await insertUser(t.db, { username: 'canbo.lock' });
});
afterAll(async () => t.close());

describe('sign-in API', () => {
  it('signs in, reports the user, and signs out', async () => {
    const s = await signIn(t.app, 'canbo.a');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'canbo.a', fullName: 'Nguyễn Văn A', kind: 'official' });
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: authHeaders(s) });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.headers['content-type']).toContain('application/problem+json');
  });

  it('sets an HTTP-only, SameSite session cookie', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'canbo.a', password: TEST_PASSWORD },
      headers: await anonCsrf(t.app),
    });
    const c = res.cookies.find((x) => x.name === 'cqs_session');
    expect(c?.httpOnly).toBe(true);
    expect(c?.sameSite).toBe('Lax');
  });

  it('lists every field error at once', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 42, extra: 'x' }, headers: await anonCsrf(t.app) });
    expect(res.statusCode).toBe(400);
    const fields = (res.json() as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['extra', 'password', 'username']);
  });

  it('refuses a request without the CSRF token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'canbo.a', password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'csrf' });
  });

  it('does not reveal whether a username exists', async () => {
    const headers = await anonCsrf(t.app);
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'x' }, headers });
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'canbo.a', password: 'x' }, headers });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().detail).toBe(wrong.json().detail);
  });

  it('makes repeated failures wait instead of locking the account, answers 429 rather than 423, and audits them', async () => {
    const headers = await anonCsrf(t.app);
    for (let i = 0; i < 5; i++) {
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'canbo.lock', password: 'wrong' }, headers });
    }
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'canbo.lock', password: TEST_PASSWORD }, headers });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
    const actions = await t.db.selectFrom('audit_events').select('action').where('actor_label', '=', 'canbo.lock').execute();
    expect(actions.map((a) => a.action)).toEqual(Array(5).fill('auth.login_failed'));
    expect((await verifyAuditLog(t.db, { seal: true })).problems).toEqual([]);
  });
});

describe('sign-in page', () => {
  it('keeps the typed username and shows the error in Vietnamese', async () => {
    const csrf = await anonCsrf(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/dang-nhap',
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${csrf['x-csrf-token']}&username=canbo.a&password=sai`,
    });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(res.body).toContain('value="canbo.a"');
  });

  it('redirects only to same-site paths after sign-in', async () => {
    const csrf = await anonCsrf(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/dang-nhap',
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${csrf['x-csrf-token']}&username=canbo.a&password=${encodeURIComponent(TEST_PASSWORD)}&next=${encodeURIComponent('//evil.example')}`,
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it('escapes injected markup in the redisplayed value', async () => {
    const csrf = await anonCsrf(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/dang-nhap',
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${csrf['x-csrf-token']}&username=${encodeURIComponent('"><script>alert(1)</script>')}&password=x`,
    });
    expect(res.body).not.toContain('<script>alert(1)</script>');
  });
});

describe('sign-in rate limit', () => {
  it('answers 429 problem+json past the per-minute limit', async () => {
    const limited = await buildApp(testConfig({ CQS_LOGIN_RATE_PER_MINUTE: '2' }), t.db);
    const headers = await anonCsrf(limited);
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) {
      // The counters live in the shared database: an address of its own keeps earlier tests' attempts out.
      const res = await limited.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '192.0.2.99', payload: { username: 'x', password: 'y' }, headers });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([401, 401, 429]);
    await limited.close();
  });
});

describe('kernel HTTP', () => {
  it('answers unknown API routes with problem+json and pages with HTML', async () => {
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
    const page = await t.app.inject({ method: 'GET', url: '/khong-co' });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('Không tìm thấy trang');
  });

  it('rejects oversized bodies with 413 and sends security headers', async () => {
    const headers = await anonCsrf(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'a', password: 'x'.repeat(1_200_000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const headers = await anonCsrf(t.app);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"username":' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('serves the OpenAPI 3.1 document and health endpoints', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(doc.json()).toMatchObject({ openapi: '3.1.0' });
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).body).toContain('cqs_http_requests_total');
  });
});
