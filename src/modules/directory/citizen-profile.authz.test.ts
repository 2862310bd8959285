import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonCsrf, authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_PASSWORD } from './demo-accounts.ts';

let t: TestApp;
let official: Session;

beforeAll(async () => {
  t = await createTestApp();
  official = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
});
afterAll(async () => t.close());

describe("a citizen's profile", () => {
  it('is refused to anonymous callers (401) and to officials, who have none (403)', async () => {
    const anon = await anonCsrf(t.app);
    for (const [method, url] of [
      ['GET', '/api/v1/me/profile'],
      ['PUT', '/api/v1/me/profile'],
      ['GET', '/dich-vu-cong/thong-tin-ca-nhan'],
      ['POST', '/dich-vu-cong/thong-tin-ca-nhan'],
    ] as const) {
      expect((await t.app.inject({ method, url, headers: anon, payload: {} })).statusCode, `${method} ${url}`).toBe(401);
      expect((await t.app.inject({ method, url, headers: authHeaders(official), payload: {} })).statusCode, `${method} ${url}`).toBe(403);
    }
  });
});
