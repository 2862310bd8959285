import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { anonCsrf, authHeaders, createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';

/** The denial side of identity verification and API clients: anonymous, citizens, officers and keys out of scope. */
let t: TestApp;
let s: Record<'citizen' | 'counter' | 'specialist' | 'admin' | 'wardAdmin' | 'outsideCounter', Session>;
let justiceId: string;
let wardId: string;
let centreId: string;
let justiceDossier: string;

beforeAll(async () => {
  t = await createTestApp();
  const p = await justiceProcedure(t.db);
  justiceId = p.justiceId;
  wardId = (await t.db.selectFrom('org_units').select('id').where('name', 'like', 'UBND phường%').orderBy('path').executeTakeFirstOrThrow()).id;
  centreId = (await t.db.selectFrom('org_units').select('id').where('name', 'like', 'Trung tâm Phục vụ hành chính công tỉnh%').executeTakeFirstOrThrow()).id;
  const wardCentre = await t.db.selectFrom('org_units').select('id').where('name', 'like', 'Trung tâm Phục vụ hành chính công phường%').orderBy('path').executeTakeFirstOrThrow();
  await insertUser(t.db, { username: 'motcua.phuong.xm', roles: [{ role: 'one_stop_officer', orgUnitId: wardCentre.id }] });
  s = {
    citizen: await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD),
    counter: await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD),
    specialist: await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD),
    admin: await signIn(t.app, 'admin', DEMO_PASSWORD),
    wardAdmin: await signIn(t.app, 'quantri.xa', DEMO_PASSWORD),
    outsideCounter: await signIn(t.app, 'motcua.phuong.xm'),
  };
  justiceDossier = (await counterDossier(t.app, s.counter, { procedureCode: p.procedureCode, decidingOrgUnitId: justiceId, applicantName: 'Người nộp' })).id;
});
afterAll(async () => t.close());

const call = async (method: 'GET' | 'POST', url: string, who: Session | null, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, headers: who ? authHeaders(who) : await anonCsrf(t.app), ...(payload ? { payload } : {}) });

const keyFor = async (orgUnitId: string, permissions: string[]) => {
  const res = await call('POST', '/api/v1/api-clients', s.admin, { name: 'Ứng dụng thử', orgUnitId, permissions });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; key: string };
};
const withKey = (key: string, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => t.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });

describe('identity verification routes', () => {
  const verification = () => ({ orgUnitId: centreId, personalId: '079305001111', code: 'AAAA-BBBB' });

  it('ask an anonymous visitor to sign in', async () => {
    for (const [method, url] of [['GET', '/dich-vu-cong/tai-khoan'], ['POST', '/dich-vu-cong/tai-khoan/ma-xac-minh'], ['GET', '/api/v1/me/identity'], ['POST', '/api/v1/me/identity/counter-code'], ['GET', '/xac-minh-danh-tinh'], ['POST', '/xac-minh-danh-tinh'], ['POST', '/api/v1/identity-verifications']] as const) {
      expect((await call(method, url, null, method === 'POST' && url.startsWith('/api/v1/identity') ? verification() : undefined)).statusCode, url).toBe(401);
    }
  });

  it('keep the citizen’s own pages from officers and the officers’ verification from citizens and other roles', async () => {
    for (const [method, url] of [['GET', '/dich-vu-cong/tai-khoan'], ['GET', '/api/v1/me/identity'], ['POST', '/api/v1/me/identity/counter-code']] as const) {
      expect((await call(method, url, s.counter)).statusCode, url).toBe(403);
    }
    for (const who of [s.citizen, s.specialist, s.admin]) {
      expect((await call('POST', '/api/v1/identity-verifications', who, verification())).statusCode).toBe(403);
      expect((await call('GET', '/xac-minh-danh-tinh', who)).statusCode).toBe(403);
    }
  });

  it('refuse a counter outside the officer’s subtree as if it did not exist', async () => {
    const res = await call('POST', '/api/v1/identity-verifications', s.outsideCounter, verification());
    expect(res.statusCode).toBe(404);
    const page = await t.app.inject({ method: 'POST', url: '/xac-minh-danh-tinh', headers: { cookie: s.outsideCounter.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: s.outsideCounter.csrf, ...verification() }).toString() });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('Bạn không xác minh danh tính tại đơn vị này.');
    expect(page.body).toContain('value="079305001111"');
  });
});

describe('API client management', () => {
  it('asks an anonymous visitor to sign in and refuses citizens and officials who are not administrators', async () => {
    const routes = [['GET', '/api/v1/api-clients'], ['POST', '/api/v1/api-clients'], ['GET', '/quan-tri/ung-dung'], ['GET', '/quan-tri/ung-dung/moi']] as const;
    const body = { name: 'X ứng dụng', orgUnitId: justiceId, permissions: ['dossiers.read'] };
    for (const [method, url] of routes) expect((await call(method, url, null, method === 'POST' ? body : undefined)).statusCode, url).toBe(401);
    for (const who of [s.citizen, s.counter, s.specialist]) {
      for (const [method, url] of routes) expect((await call(method, url, who, method === 'POST' ? body : undefined)).statusCode, url).toBe(403);
    }
  });

  it('keeps an administrator to the units of their subtree', async () => {
    const justiceClient = await keyFor(justiceId, ['dossiers.read']);
    const outside = await call('POST', '/api/v1/api-clients', s.wardAdmin, { name: 'Ứng dụng phường', orgUnitId: justiceId, permissions: ['dossiers.read'] });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors).toEqual([expect.objectContaining({ field: 'orgUnitId', code: 'not_found' })]);
    expect((await call('GET', `/api/v1/api-clients/${justiceClient.id}`, s.wardAdmin)).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/api-clients/${justiceClient.id}/revoke`, s.wardAdmin)).statusCode).toBe(404);
    expect((await call('GET', `/quan-tri/ung-dung/${justiceClient.id}`, s.wardAdmin)).statusCode).toBe(404);
    const listed = await call('GET', '/api/v1/api-clients', s.wardAdmin);
    expect(listed.json().map((c: { id: string }) => c.id)).not.toContain(justiceClient.id);
    // Still working: the ward administrator's attempts changed nothing.
    expect((await withKey(justiceClient.key, 'GET', `/api/v1/dossiers/${justiceDossier}`)).statusCode).toBe(200);
  });

  it('grants no key the power to make keys or to verify identities', async () => {
    const res = await call('POST', '/api/v1/api-clients', s.admin, { name: 'Ứng dụng quá quyền', orgUnitId: justiceId, permissions: ['api_clients.manage', 'identity.verify'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'permissions', code: 'not_grantable' })]);
  });
});

describe('API clients on the denial side', () => {
  it('a revoked key is refused everywhere', async () => {
    const client = await keyFor(justiceId, ['dossiers.read']);
    await call('POST', `/api/v1/api-clients/${client.id}/revoke`, s.admin);
    for (const url of [`/api/v1/dossiers/${justiceDossier}`, '/api/v1/dossiers', '/api/v1/auth/me']) expect((await withKey(client.key, 'GET', url)).statusCode, url).toBe(401);
  });

  it('a key of another unit does not see this unit’s dossiers', async () => {
    const ward = await keyFor(wardId, ['dossiers.read', 'dossiers.statistics']);
    expect((await withKey(ward.key, 'GET', `/api/v1/dossiers/${justiceDossier}`)).statusCode).toBe(404);
    const queue = await withKey(ward.key, 'GET', '/api/v1/dossiers?view=all');
    expect(queue.statusCode).toBe(200);
    expect(queue.json().items.map((d: { id: string }) => d.id)).not.toContain(justiceDossier);
    const stats = await withKey(ward.key, 'GET', '/api/v1/dossier-statistics');
    expect(stats.json().rows.map((r: { orgUnitId: string }) => r.orgUnitId)).not.toContain(justiceId);
  });

  it('a key without the permission a route needs is refused (403), whatever its unit', async () => {
    const reader = await keyFor(justiceId, ['dossiers.read']);
    expect((await withKey(reader.key, 'POST', '/api/v1/org-units', { parentId: justiceId, name: 'Phòng mới', kind: 'division' })).statusCode).toBe(403);
    expect((await withKey(reader.key, 'GET', '/api/v1/org-units')).statusCode).toBe(403);
    expect((await withKey(reader.key, 'GET', '/api/v1/api-clients')).statusCode).toBe(403);
    expect((await withKey(reader.key, 'POST', '/api/v1/identity-verifications', { orgUnitId: centreId, personalId: '079305001111', code: 'AAAA-BBBB' })).statusCode).toBe(403);
    const act = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${justiceDossier}/actions/start_processing`, headers: { authorization: `Bearer ${reader.key}`, 'if-match': '"1"' } });
    expect(act.statusCode).toBe(403);
    expect((await withKey(reader.key, 'GET', '/api/v1/audit-events')).statusCode).toBe(403);
  });

  it('a key is not taken on pages, which keep to the browser session', async () => {
    const client = await keyFor(justiceId, ['dossiers.read']);
    expect((await withKey(client.key, 'GET', '/mot-cua')).statusCode).toBe(401);
  });
});
