import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from './demo-accounts.ts';

let t: TestApp;
let s: Record<'citizen' | 'specialist' | 'commune', Session>;
let provincialUnit: string;
let provincialOfficial: string;
let communeUnit: string;

beforeAll(async () => {
  t = await createTestApp();
  s = {
    citizen: await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD),
    specialist: await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD),
    commune: await signIn(t.app, 'quantri.xa', DEMO_PASSWORD),
  };
  provincialUnit = (await t.db.selectFrom('org_units').select('id').where('name', '=', 'Sở Tư pháp').executeTakeFirstOrThrow()).id;
  provincialOfficial = (await t.db.selectFrom('users').select('id').where('username', '=', 'chuyenvien.stp').executeTakeFirstOrThrow()).id;
  const grant = await t.db.selectFrom('role_assignments as ra').innerJoin('users as u', 'u.id', 'ra.user_id').select('ra.org_unit_id').where('u.username', '=', 'quantri.xa').executeTakeFirstOrThrow();
  communeUnit = grant.org_unit_id;
});
afterAll(async () => t.close());

type Route = { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: () => string; payload?: () => Record<string, unknown> };
const routes: Route[] = [
  { method: 'GET', url: () => '/api/v1/org-units' },
  { method: 'POST', url: () => '/api/v1/org-units', payload: () => ({ parentId: provincialUnit, name: 'Không được', kind: 'other' }) },
  { method: 'GET', url: () => `/api/v1/org-units/${provincialUnit}` },
  { method: 'PATCH', url: () => `/api/v1/org-units/${provincialUnit}`, payload: () => ({ name: 'Đổi tên' }) },
  { method: 'POST', url: () => `/api/v1/org-units/${provincialUnit}/close` },
  { method: 'GET', url: () => '/api/v1/officials' },
  { method: 'GET', url: () => `/api/v1/officials/${provincialOfficial}` },
  { method: 'PATCH', url: () => `/api/v1/officials/${provincialOfficial}`, payload: () => ({ fullName: 'Đổi tên' }) },
  { method: 'POST', url: () => `/api/v1/officials/${provincialOfficial}/roles`, payload: () => ({ orgUnitId: provincialUnit, role: 'administrator' }) },
  { method: 'POST', url: () => `/api/v1/officials/${provincialOfficial}/disable` },
  { method: 'POST', url: () => `/api/v1/officials/${provincialOfficial}/reset-password`, payload: () => ({ password: 'Mat-khau-chiem-2026' }) },
  { method: 'GET', url: () => '/quan-tri/don-vi' },
  { method: 'GET', url: () => `/quan-tri/don-vi/${provincialUnit}` },
  { method: 'GET', url: () => '/quan-tri/can-bo' },
  { method: 'GET', url: () => `/quan-tri/can-bo/${provincialOfficial}` },
];
const headersFor = (session: Session | null, r: Route) => ({ ...(session ? authHeaders(session) : {}), ...(r.method === 'PATCH' || r.url().endsWith('/close') ? { 'if-match': '"1"' } : {}) });
const call = (r: Route, session: Session | null) => {
  const payload = r.payload?.();
  return t.app.inject({ method: r.method, url: r.url(), headers: headersFor(session, r), ...(payload ? { payload } : {}) });
};

describe('directory administration denies', () => {
  it('anonymous visitors', async () => {
    for (const r of routes) {
      const res = await call(r, null);
      // Unsafe requests fail the CSRF check first; either way nothing happens.
      expect([401, 403], `${r.method} ${r.url()}`).toContain(res.statusCode);
      if (r.method === 'GET') expect(res.statusCode, r.url()).toBe(401);
    }
  });

  it('citizens and officials without the permission', async () => {
    for (const who of ['citizen', 'specialist'] as const) {
      for (const r of routes) expect((await call(r, s[who])).statusCode, `${who} ${r.method} ${r.url()}`).toBe(403);
    }
  });

  it('a commune administrator on provincial records (as if they did not exist)', async () => {
    for (const r of routes.filter((x) => x.url().includes(provincialUnit) || x.url().includes(provincialOfficial))) {
      expect((await call(r, s.commune)).statusCode, `${r.method} ${r.url()}`).toBe(404);
    }
    const create = await t.app.inject({ method: 'POST', url: '/api/v1/org-units', headers: authHeaders(s.commune), payload: { parentId: provincialUnit, name: 'Không được', kind: 'other' } });
    expect(create.statusCode).toBe(400);
    expect(create.json().errors[0].field).toBe('parentId');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/officials', headers: { cookie: s.commune.cookie } });
    expect(list.json().items.map((o: { username: string }) => o.username)).toEqual(['quantri.xa']);
    const units = await t.app.inject({ method: 'GET', url: '/api/v1/org-units', headers: { cookie: s.commune.cookie } });
    expect(units.json().length).toBe(2);
    const official = await t.app.inject({
      method: 'POST',
      url: '/api/v1/officials',
      headers: authHeaders(s.commune),
      payload: { username: 'xa.mot', fullName: 'Cán bộ xã', orgUnitId: provincialUnit, roles: ['specialist'], password: 'Mat-khau-xa-2026' },
    });
    expect(official.json().errors.map((e: { field: string }) => e.field)).toEqual(['orgUnitId']);
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/v1/officials',
      headers: authHeaders(s.commune),
      payload: { username: 'xa.mot', fullName: 'Cán bộ xã', orgUnitId: communeUnit, roles: ['specialist'], password: 'Mat-khau-xa-2026' },
    });
    expect(own.statusCode).toBe(201);
  });
});
