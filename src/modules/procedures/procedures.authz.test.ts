import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody } from '../../../test/support/multipart.ts';
import { insertOrgUnit } from '../../../test/support/org-fixture.ts';
import { authHeaders, createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';

let t: TestApp;
let province: { id: string; path: string };
let commune: { id: string; path: string };
const sessions: Record<string, Session> = {};

beforeAll(async () => {
  t = await createTestApp();
  province = await insertOrgUnit(t.db, 'Tỉnh phân quyền');
  commune = await insertOrgUnit(t.db, 'Xã phân quyền', province);
  await insertUser(t.db, { username: 'pq.xa', roles: [{ role: 'administrator', orgUnitId: commune.id }] });
  await insertUser(t.db, { username: 'pq.cv', roles: [{ role: 'specialist', orgUnitId: province.id }] });
  await insertUser(t.db, { username: '056099111222', kind: 'citizen', personalId: '056099111222' });
  sessions.commune = await signIn(t.app, 'pq.xa');
  sessions.specialist = await signIn(t.app, 'pq.cv');
  sessions.citizen = await signIn(t.app, '056099111222');
});
afterAll(async () => t.close());

describe('catalogue administration denies', () => {
  it('anonymous visitors (401), citizens and officials without the permission (403)', async () => {
    const routes = ['/quan-tri/thu-tuc', `/api/v1/org-units/${commune.id}/procedures`];
    for (const url of routes) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
      expect((await t.app.inject({ method: 'GET', url, headers: { cookie: sessions.citizen?.cookie ?? '' } })).statusCode, url).toBe(403);
      expect((await t.app.inject({ method: 'GET', url, headers: { cookie: sessions.specialist?.cookie ?? '' } })).statusCode, url).toBe(403);
    }
  });

  it('a commune administrator the import and the province’s units (404 outside the subtree)', async () => {
    const s = sessions.commune as Session;
    const body = multipartBody({ _csrf: s.csrf }, { name: 'file', filename: 'x.csv', data: Buffer.from('ma_thu_tuc,ten_thu_tuc\n') });
    const imp = await t.app.inject({ method: 'POST', url: '/api/v1/procedures/imports', headers: { cookie: s.cookie, 'content-type': body.contentType }, payload: body.payload });
    expect(imp.statusCode).toBe(403);
    const put = await t.app.inject({ method: 'PUT', url: `/api/v1/org-units/${province.id}/procedures`, headers: authHeaders(s), payload: { nationalCodes: [] } });
    expect(put.statusCode).toBe(404);
    const page = await t.app.inject({ method: 'GET', url: `/quan-tri/thu-tuc/don-vi/${province.id}`, headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(404);
    const own = await t.app.inject({ method: 'PUT', url: `/api/v1/org-units/${commune.id}/procedures`, headers: authHeaders(s), payload: { nationalCodes: ['1.001193'] } });
    expect(own.statusCode).toBe(200);
  });

  it('unsafe requests without the CSRF token', async () => {
    const s = sessions.commune as Session;
    const res = await t.app.inject({ method: 'PUT', url: `/api/v1/org-units/${commune.id}/procedures`, headers: { cookie: s.cookie }, payload: { nationalCodes: [] } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf');
  });
});
