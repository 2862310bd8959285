import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { anonCsrf, authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { verifyAuditLog } from '../../platform/audit/verify-audit-log.ts';
import { DEMO_PASSWORD } from '../directory/demo-accounts.ts';

let t: TestApp;
let admin: Session;
let justiceId: string;
let dossierId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signIn(t.app, 'admin', DEMO_PASSWORD);
  const p = await justiceProcedure(t.db);
  justiceId = p.justiceId;
  dossierId = (await counterDossier(t.app, await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD), { procedureCode: p.procedureCode, decidingOrgUnitId: justiceId, applicantName: 'Người nộp qua quầy' })).id;
});
afterAll(async () => t.close());

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const makeClient = async (permissions: string[], orgUnitId = justiceId, name = 'Hệ thống báo cáo của Sở') => {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/api-clients', headers: authHeaders(admin), payload: { name, orgUnitId, permissions } });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; key: string; keyPrefix: string; permissions: string[] };
};

describe('API clients', () => {
  it('get a key shown once and stored only as a hash', async () => {
    const created = await makeClient(['dossiers.read']);
    expect(created.key).toMatch(/^cqs_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.keyPrefix)).toBe(true);
    const row = await t.db.selectFrom('api_clients').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(created.key.slice(10));
    const listed = await t.app.inject({ method: 'GET', url: `/api/v1/api-clients/${created.id}`, headers: { cookie: admin.cookie } });
    expect(listed.json()).not.toHaveProperty('key');
    const audit = await t.db.selectFrom('audit_events').select(['action', 'org_unit_id']).where('entity_id', '=', created.id).execute();
    expect(audit).toEqual([{ action: 'api_client.created', org_unit_id: justiceId }]);
  });

  it('call the API with the bearer key alone, within their permissions and unit, with no CSRF token', async () => {
    const reader = await makeClient(['dossiers.read']);
    const one = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${dossierId}`, headers: bearer(reader.key) });
    expect(one.statusCode).toBe(200);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(reader.key) });
    expect(me.json()).toMatchObject({ kind: 'official', csrfToken: '', roles: [], apiClient: { id: reader.id, orgUnitId: justiceId, permissions: ['dossiers.read'] } });
    const manager = await makeClient(['directory.manage'], justiceId, 'Đồng bộ danh mục');
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/org-units', headers: bearer(manager.key), payload: { parentId: justiceId, name: 'Phòng Hành chính tư pháp', kind: 'division' } });
    expect(created.statusCode).toBe(201);
    const audit = await t.db.selectFrom('audit_events').select(['actor_label', 'actor_id']).where('entity_id', '=', created.json().id).executeTakeFirstOrThrow();
    const service = await t.db.selectFrom('api_clients').select('user_id').where('id', '=', manager.id).executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(service.user_id);
    const used = await t.db.selectFrom('api_clients').select('last_used_at').where('id', '=', manager.id).executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();
  });

  it('stop working the moment they are revoked, and a bad key never falls back to the cookies sent with it', async () => {
    const client = await makeClient(['dossiers.read']);
    const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/api-clients/${client.id}/revoke`, headers: authHeaders(admin) });
    expect(revoked.json().revokedAt).not.toBeNull();
    const refused = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${dossierId}`, headers: bearer(client.key) });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const withCookie = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { ...bearer('cqs_not-a-key'), cookie: admin.cookie } });
    expect(withCookie.statusCode).toBe(401);
    // Signing in with a password is not a way in for a service account either.
    const account = await t.db.selectFrom('api_clients as c').innerJoin('users as u', 'u.id', 'c.user_id').select(['u.username', 'u.status']).where('c.id', '=', client.id).executeTakeFirstOrThrow();
    expect(account.status).toBe('disabled');
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: await anonCsrf(t.app), payload: { username: account.username, password: 'x' } });
    expect(login.statusCode).toBe(401);
  });

  it('are documented in the OpenAPI document: the bearer scheme and each operation’s security', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/api/v1/dossiers'].get.security).toEqual([{ session: [] }, { apiKey: [] }]);
    expect(doc.paths['/api/v1/org-units'].post.security).toEqual([{ session: [], csrf: [] }, { apiKey: [] }]);
    expect(doc.paths['/api/v1/procedures'].get.security).toEqual([]);
    expect(doc.paths['/api/v1/auth/login'].post.security).toEqual([]);
  });

  it('are made through the administrators’ page, which shows the key once and says what is wrong next to the fields', async () => {
    const form = (fields: string) => t.app.inject({ method: 'POST', url: '/quan-tri/ung-dung/moi', headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${admin.csrf}&${fields}` });
    const wrong = await form(`name=${encodeURIComponent('Cổng DVC quốc gia')}&orgUnitId=${justiceId}`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('id="f-permissions-error"');
    expect(wrong.body).toContain('value="Cổng DVC quốc gia"');
    const ok = await form(`name=${encodeURIComponent('Cổng DVC quốc gia')}&orgUnitId=${justiceId}&permissions=dossiers.read&permissions=dossiers.receive`);
    expect(ok.statusCode).toBe(303);
    const once = ok.cookies.find((c) => c.name === 'cqs_once_api_key');
    expect(once?.httpOnly).toBe(true);
    const page = await t.app.inject({ method: 'GET', url: String(ok.headers.location), headers: { cookie: `${admin.cookie}; cqs_once_api_key=${once?.value}` } });
    expect(page.body).toContain(once?.value ?? 'missing');
    const key = once?.value ?? '';
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${dossierId}`, headers: bearer(key) })).statusCode).toBe(200);
    const later = await t.app.inject({ method: 'GET', url: String(ok.headers.location), headers: { cookie: admin.cookie } });
    expect(later.body).not.toContain(key);
    const revoke = await t.app.inject({ method: 'POST', url: `${ok.headers.location}/thu-hoi`, headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${admin.csrf}` });
    expect(revoke.statusCode).toBe(303);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${dossierId}`, headers: bearer(key) })).statusCode).toBe(401);
    const list = await t.app.inject({ method: 'GET', url: '/quan-tri/ung-dung', headers: { cookie: admin.cookie } });
    expect(list.body).toContain('Cổng DVC quốc gia');
    expect(list.body).toContain('Đã thu hồi');
    expect((await verifyAuditLog(t.db, { seal: true })).problems).toEqual([]);
  });
});
