import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonCsrf, createTestApp, type TestApp } from '../../test/support/test-app.ts';
import { DEMO_ACCOUNTS, DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../modules/directory/demo-accounts.ts';
import { seedDemoCitizenDossiers } from '../modules/dossiers/demo-citizen-dossiers.ts';
import { CalendarStore } from '../platform/calendar/calendar-store.ts';

/**
 * Every demo account printed at start signs in through the page, lands on its own work, can do something real there,
 * and is shown (and let into) nothing that is not its business.
 */
let t: TestApp;
let codes: Map<number, { id: string; code: string }>;

beforeAll(async () => {
  t = await createTestApp();
  // What a first start shows: the citizen's four dossiers, one waiting at the counter.
  await seedDemoCitizenDossiers(t.db, await new CalendarStore(t.db).get());
  const own = await t.db.selectFrom('dossiers as d').innerJoin('users as u', 'u.id', 'd.applicant_user_id').select(['d.id', 'd.code', 'd.status']).where('u.username', '=', DEMO_CITIZEN_ID).execute();
  codes = new Map(own.map((d) => [d.status, { id: d.id, code: d.code ?? '' }]));
});
afterAll(async () => t?.close());

interface Browser {
  readonly landing: string;
  readonly cookie: string;
  readonly csrf: string;
  get(url: string): Promise<{ status: number; body: string }>;
  post(url: string, fields: Record<string, string>): Promise<{ status: number; location: string | undefined; body: string }>;
  nav(): Promise<string[]>;
}

/** Signs in through the sign-in form, as a person would, asking for no page in particular. */
async function signInAs(username: string): Promise<Browser> {
  const anon = await anonCsrf(t.app);
  const res = await t.app.inject({
    method: 'POST',
    url: '/dang-nhap',
    headers: { cookie: anon.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: anon['x-csrf-token'] ?? '', username, password: DEMO_PASSWORD, next: '/' }).toString(),
  });
  expect(res.statusCode, username).toBe(303);
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).json().csrfToken as string;
  const get = async (url: string) => {
    const r = await t.app.inject({ method: 'GET', url, headers: { cookie } });
    return { status: r.statusCode, body: r.body };
  };
  return {
    landing: String(res.headers.location),
    cookie,
    csrf,
    get,
    post: async (url, fields) => {
      const r = await t.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString() });
      return { status: r.statusCode, location: r.headers.location === undefined ? undefined : String(r.headers.location), body: r.body };
    },
    nav: async () => {
      const body = (await get('/')).body;
      const menu = body.slice(body.indexOf('aria-label="Điều hướng chính"'), body.indexOf('</nav>', body.indexOf('aria-label="Điều hướng chính"')));
      return [...menu.matchAll(/href="([^"]+)"/g)].map((m) => m[1] ?? '');
    },
  };
}

const rowVersion = async (b: Browser, id: string) => (await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${id}`, headers: { cookie: b.cookie } })).json().rowVersion as number;
const act = async (b: Browser, id: string, action: string) => b.post(`/mot-cua/ho-so/${id}`, { action, rowVersion: String(await rowVersion(b, id)) });
const PUBLIC = ['/thu-tuc', '/tra-cuu-ho-so'];
const ADMIN_ROOT = ['/quan-tri/lich', '/quan-tri/hop-thu', '/quan-tri/danh-so'];

/** What each demo account checks, in an order that lets the counter, the specialist and the leader pass one dossier on. */
const checks: Record<string, (b: Browser) => Promise<void>> = {
  admin: async (b) => {
    expect(b.landing).toBe('/quan-tri/don-vi');
    expect(await b.nav()).toEqual([...PUBLIC, '/quan-tri/ung-dung', '/quan-tri/don-vi', '/quan-tri/can-bo', '/quan-tri/thu-tuc', '/quan-tri/lich', '/quan-tri/nhat-ky', '/quan-tri/hop-thu', '/quan-tri/danh-so', '/quan-tri/quy-tac']);
    const units = await b.get(b.landing);
    expect(units.status).toBe(200);
    expect(units.body).toContain('Sở Tư pháp');
    for (const path of ADMIN_ROOT) expect((await b.get(path)).status, path).toBe(200);
    // A real change: a unit under the province, on the form.
    const root = await t.db.selectFrom('org_units').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow();
    const made = await b.post('/quan-tri/don-vi', { parentId: root.id, kind: 'department', name: 'Ban Quản lý khu kinh tế' });
    expect(made.status).toBe(303);
    expect((await b.get(made.location ?? '')).body).toContain('Ban Quản lý khu kinh tế');
    expect((await b.get('/mot-cua')).status).toBe(403);
  },
  'quantri.xa': async (b) => {
    expect(b.landing).toBe('/quan-tri/don-vi');
    // A ward's administrator administers the ward: not the province's calendar, outbox or numbering series.
    expect(await b.nav()).toEqual([...PUBLIC, '/quan-tri/ung-dung', '/quan-tri/don-vi', '/quan-tri/can-bo', '/quan-tri/thu-tuc', '/quan-tri/nhat-ky', '/quan-tri/quy-tac']);
    const units = await b.get(b.landing);
    expect(units.body).toMatch(/UBND phường/);
    expect(units.body).not.toContain('Sở Tư pháp');
    for (const path of ADMIN_ROOT) expect((await b.get(path)).status, path).toBe(403);
    expect((await b.get('/quan-tri/can-bo')).body).toContain('Huỳnh Văn Nam');
  },
  'motcua.tinh': async (b) => {
    expect(b.landing).toBe('/mot-cua');
    expect(await b.nav()).toEqual([...PUBLIC, '/xac-minh-danh-tinh', '/mot-cua', '/mot-cua/so-theo-doi', '/tai-ve']);
    const waiting = codes.get(1);
    if (!waiting) throw new Error('no dossier waiting at the counter');
    expect((await b.get(b.landing)).body).toContain(waiting.code);
    expect((await act(b, waiting.id, 'receive')).status).toBe(303);
    expect((await act(b, waiting.id, 'start_processing')).status).toBe(303);
    expect((await b.get('/mot-cua/tiep-nhan?procedureCode=khai+sinh')).body).toContain('Chọn thủ tục');
    expect((await b.get('/thong-ke/ho-so')).status).toBe(403);
  },
  'chuyenvien.stp': async (b) => {
    expect(b.landing).toBe('/mot-cua');
    expect(await b.nav()).toEqual([...PUBLIC, '/mot-cua']);
    const d = codes.get(1);
    if (!d) throw new Error('no dossier');
    expect((await b.get(b.landing)).body).toContain(d.code);
    expect((await act(b, d.id, 'forward')).status).toBe(303);
    expect((await b.get('/thong-ke/ho-so')).status).toBe(403);
    expect((await b.get('/mot-cua/so-theo-doi')).status).toBe(403);
  },
  'lanhdao.stp': async (b) => {
    expect(b.landing).toBe('/mot-cua');
    expect(await b.nav()).toEqual([...PUBLIC, '/mot-cua', '/mot-cua/so-theo-doi', '/tai-ve', '/thong-ke/ho-so']);
    const d = codes.get(1);
    if (!d) throw new Error('no dossier');
    expect((await b.get(b.landing)).body).toContain(d.code);
    expect((await act(b, d.id, 'send_back')).status).toBe(303);
    const figures = await b.get('/thong-ke/ho-so');
    expect(figures.status).toBe(200);
    expect(figures.body).toContain('<td>Sở Tư pháp</td>');
    expect((await b.get('/quan-tri/don-vi')).status).toBe(403);
  },
  'lanhdao.tinh': async (b) => {
    expect(b.landing).toBe('/mot-cua');
    expect(await b.nav()).toEqual([...PUBLIC, '/mot-cua', '/mot-cua/so-theo-doi', '/tai-ve', '/thong-ke/ho-so', '/quan-tri/quy-tac']);
    expect((await b.get('/mot-cua?view=all')).body).toContain(codes.get(10)?.code ?? 'none');
    expect((await b.get('/thong-ke/ho-so')).body).toContain('<td>Sở Tư pháp</td>');
    expect((await b.get('/quan-tri/can-bo')).status).toBe(403);
  },
  'vanthu.stp': async (b) => {
    // The clerk follows the department's dossiers and keeps its register; acting on them is not theirs.
    expect(b.landing).toBe('/mot-cua');
    expect(await b.nav()).toEqual([...PUBLIC, '/mot-cua', '/mot-cua/so-theo-doi', '/tai-ve']);
    const d = codes.get(1);
    if (!d) throw new Error('no dossier');
    const detail = await b.get(`/mot-cua/ho-so/${d.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).not.toContain('id="thao-tac"');
    expect((await act(b, d.id, 'forward')).status).toBe(403);
    const register = await b.get('/mot-cua/so-theo-doi?from=01/01/2020');
    expect(register.status).toBe(200);
    expect(register.body).toContain(d.code);
    expect((await b.get('/thong-ke/ho-so')).status).toBe(403);
  },
  'baocao.stp': async (b) => {
    // The reporting officer reads the department's figures, never a dossier or a name.
    expect(b.landing).toBe('/thong-ke/ho-so');
    expect(await b.nav()).toEqual([...PUBLIC, '/thong-ke/ho-so']);
    const figures = await b.get(b.landing);
    expect(figures.status).toBe(200);
    expect(figures.body).toContain('<td>Sở Tư pháp</td>');
    expect(figures.body).not.toContain('so-theo-doi');
    expect((await b.get('/thong-ke/ho-so.xlsx')).status).toBe(200);
    for (const path of ['/mot-cua', `/mot-cua/ho-so/${codes.get(1)?.id}`, '/mot-cua/so-theo-doi', `/api/v1/dossiers?q=${codes.get(1)?.code}`]) expect((await b.get(path)).status, path).toBe(403);
  },
  [DEMO_CITIZEN_ID]: async (b) => {
    expect(b.landing).toBe('/');
    expect(await b.nav()).toEqual([...PUBLIC, '/dich-vu-cong/tai-khoan', '/dich-vu-cong/ho-so', '/dich-vu-cong/kho-giay-to']);
    const mine = await b.get('/dich-vu-cong/ho-so');
    for (const status of [1, 5, 6, 10]) expect(mine.body).toContain(codes.get(status)?.code ?? 'none');
    const returned = codes.get(10);
    if (!returned) throw new Error('no returned dossier');
    // Nothing chosen: said next to the choices, the comment kept; rated once, a second rating is refused above the page.
    const unchosen = await b.post(`/dich-vu-cong/ho-so/${returned.id}/danh-gia`, { comment: 'Góp ý <giữ lại>' });
    expect(unchosen.status).toBe(400);
    expect(unchosen.body).toContain('Vui lòng chọn một mức đánh giá.');
    expect(unchosen.body).toContain('Góp ý &lt;giữ lại>');
    expect((await b.post(`/dich-vu-cong/ho-so/${returned.id}/danh-gia`, { rating: '1' })).status).toBe(303);
    const twice = await b.post(`/dich-vu-cong/ho-so/${returned.id}/danh-gia`, { rating: '2' });
    expect(twice.status).toBe(400);
    expect(twice.body).toContain('Bạn đã đánh giá hồ sơ này.');
    expect((await b.get('/mot-cua')).status).toBe(403);
  },
};

describe('the demo accounts', () => {
  it('has a check for every account printed at start', () => {
    expect(DEMO_ACCOUNTS.map((a) => a.username).sort()).toEqual(Object.keys(checks).sort());
  });

  // In this order: the counter receives and hands over, the specialist forwards, the leader sends back.
  for (const username of ['admin', 'quantri.xa', 'motcua.tinh', 'chuyenvien.stp', 'lanhdao.stp', 'lanhdao.tinh', 'vanthu.stp', 'baocao.stp', DEMO_CITIZEN_ID]) {
    it(`${username} lands on their work and can do it`, async () => {
      const check = checks[username];
      if (!check) throw new Error(`no check for ${username}`);
      await check(await signInAs(username));
    });
  }
});
