import { ExportRunner } from '../../platform/exports/index.ts';
import { systemClock } from '../../platform/time.ts';
import path from 'node:path';
import { renderErrorPage } from '../../web/pages.tsx';
import { insertOrgUnit } from '../../../test/support/org-fixture.ts';
import { TenantScope } from '../../platform/db/tenant-scope.ts';
import { addTenant } from '../../platform/tenancy/add-tenant.ts';
import { TenantDirectory } from '../../platform/tenancy/tenants.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { justiceProcedure } from '../../../test/support/justice.ts';
import { act } from '../../../test/support/dossier-steps.ts';
import { multipartBody } from '../../../test/support/multipart.ts';
import { pdfBytes } from '../../../test/support/paper-files.ts';
import { anonCsrf, authHeaders, insertUser, type Session, signIn, TEST_PASSWORD, testConfig } from '../../../test/support/test-app.ts';
import { createTestDb } from '../../../test/support/test-db.ts';
import { systemActor } from '../../platform/audit/audit-log.ts';
import { authRoutes } from '../accounts/routes.tsx';
import { CalendarStore } from '../../platform/calendar/calendar-store.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import { DiskFileStore } from '../../platform/files/file-store.ts';
import { type App, createServer } from '../../platform/http/server.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { setPaperRequirements } from '../procedures/paper-requirements.ts';
import { dossierRoutes } from './routes.tsx';

/**
 * Every route the dossiers module registers, found as it registers them, so that a route added later without an
 * authorisation check fails here. Only the routes named public below may answer an anonymous caller.
 */
const PUBLIC = new Set(['GET /tra-cuu-ho-so', 'GET /api/v1/dossier-lookup', 'GET /dich-vu-cong/nop/:code', 'POST /api/v1/payments/callback']);
// Routes a signed-in citizen uses for their own account, not for a particular dossier.
const CITIZEN_OWN = new Set(['GET /dich-vu-cong/ho-so', 'GET /dich-vu-cong/kho-giay-to', 'GET /api/v1/me/records', 'GET /api/v1/dossiers', 'POST /api/v1/dossiers', 'POST /api/v1/files', 'POST /dich-vu-cong/nop/:code', 'GET /api/v1/dossiers/prefill/:code']);

let h: DatabaseHandle;
let app: App;
const routes: { method: string; url: string }[] = [];
let s: Record<'applicant' | 'otherCitizen' | 'outsideCounter' | 'outsideSpecialist' | 'counter', Session>;
let ids: { dossier: string; paper: string; record: string; procedureCode: string; justiceId: string };

beforeAll(async () => {
  h = await createTestDb();
  const config = testConfig();
  const deps = { db: h.db, config, calendar: new CalendarStore(h.db), files: new DiskFileStore(path.join(config.dataDir, 'files')), exports: new ExportRunner(h.db, path.join(config.dataDir, 'exports'), systemClock) };
  const capture = (a: App) => {
    a.addHook('onRoute', (r) => {
      for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
    });
  };
  app = await createServer(deps, [authRoutes(deps), capture, dossierRoutes(deps)], { errorPage: renderErrorPage });
  await app.ready();

  const p = await justiceProcedure(h.db, { online: true });
  await setPaperRequirements(h.db, systemActor('test'), p.versionId, [{ seq: 1, name: 'Tờ khai theo mẫu', required: true, mediaTypes: ['application/pdf'], maxBytes: 1024 * 1024 }]);
  const commune = await h.db.selectFrom('org_units').select('id').where('name', 'like', 'Trung tâm Phục vụ hành chính công phường%').executeTakeFirstOrThrow();
  const communeCommittee = await h.db.selectFrom('org_units').select('id').where('name', 'like', 'UBND phường%').executeTakeFirstOrThrow();
  await insertUser(h.db, { username: '079205007777', kind: 'citizen', personalId: '079205007777', fullName: 'Người khác' });
  await insertUser(h.db, { username: 'motcua.ngoai', roles: [{ role: 'one_stop_officer', orgUnitId: commune.id }] });
  await insertUser(h.db, { username: 'chuyenvien.ngoai', roles: [{ role: 'specialist', orgUnitId: communeCommittee.id }] });
  s = {
    applicant: await signIn(app, DEMO_CITIZEN_ID, DEMO_PASSWORD),
    otherCitizen: await signIn(app, '079205007777'),
    outsideCounter: await signIn(app, 'motcua.ngoai'),
    outsideSpecialist: await signIn(app, 'chuyenvien.ngoai'),
    counter: await signIn(app, 'motcua.tinh', DEMO_PASSWORD),
  };

  const file = multipartBody({}, { name: 'file', filename: 'to-khai.pdf', data: pdfBytes() });
  const uploaded = await app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...authHeaders(s.applicant), 'content-type': file.contentType }, payload: file.payload });
  const submitted = await app.inject({
    method: 'POST',
    url: '/api/v1/dossiers',
    headers: { ...authHeaders(s.applicant), 'idempotency-key': 'phan-quyen-1' },
    payload: { procedureCode: p.procedureCode, decidingOrgUnitId: p.justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết thủ tục', papers: [{ requirement: 1, fileId: uploaded.json().id }] },
  });
  expect(submitted.statusCode).toBe(201);
  const records = await app.inject({ method: 'GET', url: '/api/v1/me/records', headers: { cookie: s.applicant.cookie } });
  ids = { dossier: submitted.json().id, paper: submitted.json().papers[0].id, record: records.json()[0].id, procedureCode: p.procedureCode, justiceId: p.justiceId };
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

/** A request that would succeed for the right person: real ids in the path, a valid body. */
function requestFor(r: { method: string; url: string }) {
  const params: Record<string, string> = { id: r.url.startsWith('/api/v1/me/records') ? ids.record : ids.dossier, paperId: ids.paper, code: ids.procedureCode, form: r.url.startsWith('/api/') ? 'control_slip' : 'kiem-soat.pdf', action: 'withdraw' };
  const url = r.url.replace(/:(\w+)/g, (_, name: string) => params[name] ?? name);
  const bodies: Record<string, Record<string, unknown>> = {
    'POST /api/v1/dossiers': { procedureCode: ids.procedureCode, decidingOrgUnitId: ids.justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết thủ tục' },
    'POST /api/v1/dossiers/counter': { procedureCode: ids.procedureCode, decidingOrgUnitId: ids.justiceId, channel: 1, applicantName: 'Trần Văn Ngoài', address: '3 Lê Lợi, Nha Trang', request: 'Nộp trực tiếp' },
    'POST /api/v1/dossiers/:id/actions/:action': { note: 'Tôi muốn rút hồ sơ này' },
    'POST /api/v1/dossiers/:id/extension': { newDueDate: '2027-06-01', reason: 'Cần xác minh thêm' },
    'POST /api/v1/dossiers/:id/rating': { rating: 1 },
    'POST /api/v1/dossiers/assignments': { dossierIds: [ids.dossier], assigneeId: ids.dossier },
    'POST /api/v1/dossier-register/exports': { from: '2026-01-01', to: '2026-01-31' },
    'POST /mot-cua/so-theo-doi/xuat': { from: '2026-01-01', to: '2026-01-31' },
  };
  const body = bodies[`${r.method} ${r.url}`] ?? (r.method === 'POST' ? { action: 'withdraw', note: 'Tôi muốn rút hồ sơ này' } : undefined);
  return { method: r.method as 'GET' | 'POST', url: url.replace(/\*$/, ''), body };
}

async function call(r: { method: string; url: string }, session: Session | null, at: { app: App; host?: string } = { app }) {
  const req = requestFor(r);
  const headers = { ...(session ? authHeaders(session) : await anonCsrf(at.app)), 'if-match': '"1"', 'idempotency-key': `phan-quyen-${Math.random()}`, ...(at.host ? { host: at.host } : {}) };
  return at.app.inject({ method: req.method, url: req.url, headers, ...(req.body ? { payload: req.body } : {}) });
}

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const mentionsDossier = (r: { url: string }) => r.url.includes(':id');

describe('dossier routes deny', () => {
  it('are all found (the list below is what is checked)', () => {
    expect(routes.length).toBeGreaterThan(30);
    for (const p of PUBLIC) expect(routes.map(key)).toContain(p);
  });

  it('anonymous callers on every route but the public ones (401, even with a valid CSRF token)', async () => {
    for (const r of routes.filter((x) => !PUBLIC.has(key(x)))) {
      expect((await call(r, null)).statusCode, key(r)).toBe(401);
    }
  });

  it("other citizens and officers outside the dossier's units: every route naming it answers 404, as if it did not exist", async () => {
    for (const who of ['otherCitizen', 'outsideCounter', 'outsideSpecialist'] as const) {
      for (const r of routes.filter(mentionsDossier)) {
        // The back office tells a citizen only that it is for officials, never anything about the dossier.
        const expected = who === 'otherCitizen' && r.url.startsWith('/mot-cua/') ? 403 : 404;
        expect((await call(r, s[who])).statusCode, `${who}: ${key(r)}`).toBe(expected);
      }
    }
  });

  it("citizens the officers' routes (403)", async () => {
    for (const r of routes.filter((x) => !PUBLIC.has(key(x)) && !CITIZEN_OWN.has(key(x)) && !mentionsDossier(x))) {
      expect((await call(r, s.otherCitizen)).statusCode, key(r)).toBe(403);
    }
  });

  it('the applicant the officers’ pages of their own dossier, and officers the applicant’s actions', async () => {
    for (const r of routes.filter((x) => x.url.startsWith('/mot-cua/ho-so/:id'))) {
      expect((await call(r, s.applicant)).statusCode, key(r)).toBe(403);
    }
    const portal = await app.inject({ method: 'GET', url: `/dich-vu-cong/ho-so/${ids.dossier}`, headers: { cookie: s.counter.cookie } });
    expect([portal.statusCode, portal.headers.location]).toEqual([303, `/mot-cua/ho-so/${ids.dossier}`]);
    const rating = await call({ method: 'POST', url: '/api/v1/dossiers/:id/rating' }, s.counter);
    expect(rating.statusCode).toBe(404);
    const stillThere = await app.inject({ method: 'GET', url: `/api/v1/dossiers/${ids.dossier}`, headers: { cookie: s.applicant.cookie } });
    expect(stillThere.json().status).toBe(1);
  });

  it('leaves out of the queue and the statistics what lies outside the officer’s units', async () => {
    const code = (await app.inject({ method: 'GET', url: `/api/v1/dossiers/${ids.dossier}`, headers: { cookie: s.counter.cookie } })).json().code as string;
    for (const view of ['all', 'todo']) {
      const outside = await app.inject({ method: 'GET', url: `/api/v1/dossiers?view=${view}&q=${encodeURIComponent(code)}`, headers: { cookie: s.outsideCounter.cookie } });
      expect(outside.json().items, view).toHaveLength(0);
      const inside = await app.inject({ method: 'GET', url: `/api/v1/dossiers?view=${view}&q=${encodeURIComponent(code)}`, headers: { cookie: s.counter.cookie } });
      expect(inside.json().items.map((i: { code: string }) => i.code), view).toEqual([code]);
    }
    const others = await app.inject({ method: 'GET', url: '/api/v1/dossiers', headers: { cookie: s.otherCitizen.cookie } });
    expect(others.json().total).toBe(0);
    // The register (Mẫu 07) lists the dossiers the units received, not those only submitted online; the figures are
    // not a counter's or a specialist's at all.
    const register = (who: Session) => app.inject({ method: 'GET', url: '/mot-cua/so-theo-doi?from=01/01/2020', headers: { cookie: who.cookie } });
    expect((await register(s.counter)).body).not.toContain(code);
    const current = (await app.inject({ method: 'GET', url: `/api/v1/dossiers/${ids.dossier}`, headers: { cookie: s.counter.cookie } })).json();
    expect((await act(app, ids.dossier, 'receive', current.rowVersion, s.counter)).statusCode).toBe(200);
    expect((await register(s.counter)).body).toContain(code);
    const outsideRegister = await register(s.outsideCounter);
    expect(outsideRegister.statusCode).toBe(200);
    expect(outsideRegister.body).not.toContain(code);
    for (const who of [s.outsideCounter, s.outsideSpecialist]) expect((await app.inject({ method: 'GET', url: '/api/v1/dossier-statistics', headers: { cookie: who.cookie } })).statusCode).toBe(403);
  });
});

/**
 * The same routes served for two provinces (issue 11): the dossier above is Khánh Hòa's (tenant 1). Another
 * province's people, at that province's host, with the widest roles it has, find nothing of it on any route.
 */
describe('dossier routes across provinces', () => {
  const HCM = 'hcm.cqs.test';
  let both: App;
  let other: Record<'leader' | 'counter' | 'citizen', Session>;

  beforeAll(async () => {
    await addTenant(h.db, systemActor('test'), { id: 1, provinceCode: '56', name: 'Khánh Hòa', hosts: ['khanhhoa.cqs.test'] });
    await addTenant(h.db, systemActor('test'), { id: 2, provinceCode: '79', name: 'Thành phố Hồ Chí Minh', hosts: [HCM] });
    const hcm = h.db.withoutPlugins().withPlugin(new TenantScope(2));
    const root = await insertOrgUnit(hcm, 'UBND Thành phố Hồ Chí Minh');
    const centre = await insertOrgUnit(hcm, 'Trung tâm Phục vụ hành chính công Thành phố', root);
    await insertUser(hcm, { username: 'lanhdao.hcm', roles: [{ role: 'agency_leader', orgUnitId: root.id }, { role: 'specialist', orgUnitId: root.id }] });
    await insertUser(hcm, { username: 'motcua.hcm', roles: [{ role: 'one_stop_officer', orgUnitId: centre.id }] });
    await insertUser(hcm, { username: '079205008888', kind: 'citizen', personalId: '079205008888' });
    const config = testConfig();
    const deps = { db: h.db, config, calendar: new CalendarStore(h.db), files: new DiskFileStore(path.join(config.dataDir, 'files')), exports: new ExportRunner(h.db, path.join(config.dataDir, 'exports'), systemClock), tenants: await TenantDirectory.load(h.db) };
    both = await createServer(deps, [authRoutes(deps), dossierRoutes(deps)], { errorPage: renderErrorPage });
    await both.ready();
    const signInAt = async (username: string) => {
      const csrf = await anonCsrf(both);
      const res = await both.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { ...csrf, host: HCM }, payload: { username, password: TEST_PASSWORD } });
      expect(res.statusCode, username).toBe(200);
      return { cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '), csrf: (res.json() as { csrfToken: string }).csrfToken };
    };
    other = { leader: await signInAt('lanhdao.hcm'), counter: await signInAt('motcua.hcm'), citizen: await signInAt('079205008888') };
  });
  afterAll(async () => both?.close());

  it('every route naming the dossier answers 404 to them, as if it did not exist (a citizen: 403 at the back office)', async () => {
    for (const who of ['leader', 'counter', 'citizen'] as const) {
      for (const r of routes.filter(mentionsDossier)) {
        const expected = who === 'citizen' && r.url.startsWith('/mot-cua/') ? 403 : 404;
        expect((await call(r, other[who], { app: both, host: HCM })).statusCode, `${who}: ${key(r)}`).toBe(expected);
      }
    }
  });

  it('their queues, look-ups and register hold none of it, while its own province still sees it', async () => {
    const code = (await app.inject({ method: 'GET', url: `/api/v1/dossiers/${ids.dossier}`, headers: { cookie: s.counter.cookie } })).json().code as string;
    for (const who of [other.leader, other.counter]) {
      const list = await both.inject({ method: 'GET', url: `/api/v1/dossiers?view=all&q=${encodeURIComponent(code)}`, headers: { cookie: who.cookie, host: HCM } });
      expect(list.json().items).toEqual([]);
    }
    const lookup = await both.inject({ method: 'GET', url: `/api/v1/dossier-lookup?code=${encodeURIComponent(code)}`, headers: { host: HCM } });
    expect(lookup.statusCode).toBe(404);
    const ownLookup = await both.inject({ method: 'GET', url: `/api/v1/dossier-lookup?code=${encodeURIComponent(code)}`, headers: { host: 'khanhhoa.cqs.test' } });
    expect(ownLookup.statusCode).toBe(200);
    const register = await both.inject({ method: 'GET', url: '/mot-cua/so-theo-doi?from=01/01/2020', headers: { cookie: other.counter.cookie, host: HCM } });
    expect(register.statusCode).toBe(200);
    expect(register.body).not.toContain(code);
  });
});

