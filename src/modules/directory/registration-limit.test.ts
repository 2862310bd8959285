import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonCsrf, createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { systemActor } from '../../platform/audit/audit-log.ts';
import { Throttled } from '../../platform/auth/throttle.ts';
import { registerCitizen, registrationLimit } from './register-citizen.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ CQS_REGISTRATIONS_PER_HOUR: '2' });
});
afterAll(async () => t.close());

const citizen = (n: number) => ({ personalId: `0792050077${String(n).padStart(2, '0')}`, fullName: 'Phạm Thị Lan', phone: '0912000111', password: 'Cong-dan-2026!', passwordConfirmation: 'Cong-dan-2026!' });
const context = { publicUrl: 'http://127.0.0.1:3000', now: new Date() };

async function viaApi(ip: string, body: Record<string, string>): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'POST', url: '/api/v1/citizens', remoteAddress: ip, headers: await anonCsrf(t.app), payload: body });
}

async function viaPage(ip: string, body: Record<string, string>): Promise<LightMyRequestResponse> {
  const csrf = await anonCsrf(t.app);
  return t.app.inject({
    method: 'POST',
    url: '/dang-ky',
    remoteAddress: ip,
    headers: { cookie: csrf.cookie ?? '', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf['x-csrf-token'] ?? '', ...body }).toString(),
  });
}

const accounts = (personalIds: string[]) => t.db.selectFrom('users').select('username').where('username', 'in', personalIds).execute();

describe('registrations per client address', () => {
  it('refuses registrations past the hourly limit, on the API and the page together, without creating the account', async () => {
    const ip = '198.51.100.40';
    expect((await viaApi(ip, citizen(1))).statusCode).toBe(202);
    expect((await viaPage(ip, citizen(2))).statusCode).toBe(303);
    const api = await viaApi(ip, citizen(3));
    expect(api.statusCode).toBe(429);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(api.json()).toMatchObject({ code: 'rate_limited', detail: expect.stringContaining('quá nhiều lượt đăng ký') });
    expect(Number(api.headers['retry-after'])).toBeGreaterThan(0);
    const page = await viaPage(ip, { ...citizen(4), fullName: 'Võ Văn Bình', phone: '0912345678' });
    expect(page.statusCode).toBe(429);
    expect(page.headers['retry-after']).toBeDefined();
    expect(page.body).toContain('Đã có quá nhiều lượt đăng ký tài khoản từ địa chỉ mạng này. Vui lòng thử lại sau');
    expect(page.body).toContain('value="Võ Văn Bình"');
    expect(page.body).toContain('value="079205007704"');
    expect(page.body).toContain('value="0912345678"');
    expect(page.body).not.toContain('value="Cong-dan-2026!"');
    expect((await accounts([citizen(3).personalId, citizen(4).personalId])).length).toBe(0);
    // Another address is counted on its own.
    expect((await viaApi('198.51.100.41', citizen(5))).statusCode).toBe(202);
  });

  it('does not count input that fails validation, and still reports its field errors once the limit is reached', async () => {
    const ip = '198.51.100.42';
    for (let i = 0; i < 3; i++) expect((await viaApi(ip, { ...citizen(6), password: 'ngan' })).statusCode).toBe(400);
    expect((await viaApi(ip, citizen(6))).statusCode).toBe(202);
    expect((await viaApi(ip, citizen(7))).statusCode).toBe(202);
    const invalid = await viaPage(ip, { ...citizen(8), passwordConfirmation: 'khac' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Mật khẩu nhập lại không khớp.');
  });

  it('is enforced by the use case itself, whichever way it is called', async () => {
    const limit = registrationLimit('198.51.100.43', 1);
    await registerCitizen(t.db, systemActor(), citizen(9), limit, context);
    await expect(registerCitizen(t.db, systemActor(), citizen(10), limit, context)).rejects.toBeInstanceOf(Throttled);
    expect((await accounts([citizen(10).personalId])).length).toBe(0);
  });
});
