import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonCsrf, authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { verifyAuditLog } from '../../platform/audit/verify-audit-log.ts';
import { DEMO_PASSWORD } from './demo-accounts.ts';
import { letterheadsOf } from './letterhead.ts';

let t: TestApp;
let admin: Session;
let rootId: string;
let justiceId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signIn(t.app, 'admin', DEMO_PASSWORD);
  const root = await t.db.selectFrom('org_units').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow();
  rootId = root.id;
  justiceId = (await t.db.selectFrom('org_units').select('id').where('name', '=', 'Sở Tư pháp').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t.close());

const fields = (res: { json(): unknown }) => ((res.json() as { errors: { field: string }[] }).errors ?? []).map((e) => e.field).sort();

describe('demo province', () => {
  it('has 65 current communes, the two merged provinces and a commune people’s committee each', async () => {
    const communes = await t.db.selectFrom('admin_units').select('id').where('level', '=', 'commune').where('valid_to', 'is', null).execute();
    expect(communes.length).toBe(65);
    const old = await t.db.selectFrom('admin_units').select('name').where('level', '=', 'province').where('valid_to', '=', '2025-07-01').orderBy('code').execute();
    expect(old.map((o) => o.name)).toEqual(['Khánh Hòa', 'Ninh Thuận']);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/org-units', headers: { cookie: admin.cookie } });
    const units = res.json() as { kind: string; agencyCode: string }[];
    expect(units.filter((u) => u.kind === 'people_committee').length).toBe(66);
    expect(units[0]?.agencyCode).toBe('000.00.00.H32');
  });

  it('answers what an old Ninh Thuận commune was on 01/03/2025 and what it is now', async () => {
    const old = await t.app.inject({ method: 'GET', url: `/api/v1/admin-units?q=${encodeURIComponent('phuong my hai')}&on=2025-03-01` });
    expect(old.statusCode).toBe(200);
    const unit = (old.json() as { id: string; fullName: string; parents: { fullName: string }[] }[])[0];
    expect(unit?.fullName).toBe('Phường Mỹ Hải');
    expect(unit?.parents.map((p) => p.fullName)).toContain('Tỉnh Ninh Thuận');
    const history = await t.app.inject({ method: 'GET', url: `/api/v1/admin-units/${unit?.id}` });
    const current = (history.json() as { current: { fullName: string; validTo: string | null; parents: { fullName: string }[] }[] }).current;
    expect(current.length).toBeGreaterThan(0);
    expect(current.every((c) => c.validTo === null && c.parents.some((p) => p.fullName === 'Tỉnh Khánh Hòa'))).toBe(true);
    const today = await t.app.inject({ method: 'GET', url: `/api/v1/admin-units?q=${encodeURIComponent('phuong my hai')}` });
    expect(today.json()).toEqual([]);
    const page = await t.app.inject({ method: 'GET', url: `/don-vi-hanh-chinh?q=${encodeURIComponent('Mỹ Hải')}&on=2025-03-01` });
    expect(page.body).toContain('Nay là:');
  });
});

describe('org units', () => {
  it('creates, edits with If-Match and refuses stale or duplicate codes', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/org-units',
      headers: authHeaders(admin),
      payload: { parentId: justiceId, name: 'Phòng Hành chính tư pháp', kind: 'division', agencyCode: '000.02.02.H32' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const dup = await t.app.inject({ method: 'POST', url: '/api/v1/org-units', headers: authHeaders(admin), payload: { parentId: justiceId, name: 'Trùng mã', kind: 'division', agencyCode: '000.02.02.H32' } });
    expect(fields(dup)).toEqual(['agencyCode']);
    const noMatch = await t.app.inject({ method: 'PATCH', url: `/api/v1/org-units/${id}`, headers: authHeaders(admin), payload: { name: 'Phòng mới' } });
    expect(noMatch.statusCode).toBe(428);
    const ok = await t.app.inject({ method: 'PATCH', url: `/api/v1/org-units/${id}`, headers: { ...authHeaders(admin), 'if-match': '"1"' }, payload: { name: 'Phòng Hành chính tư pháp và bổ trợ' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    const stale = await t.app.inject({ method: 'PATCH', url: `/api/v1/org-units/${id}`, headers: { ...authHeaders(admin), 'if-match': '"1"' }, payload: { name: 'Ghi đè' } });
    expect(stale.statusCode).toBe(409);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/org-units', headers: authHeaders(admin), payload: { parentId: 'x', name: '', kind: 'huyen', agencyCode: 'H32' } });
    expect(fields(bad)).toEqual(['agencyCode', 'kind', 'name', 'parentId']);
  });

  it('keeps the typed values and explains a stale edit on the page', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/quan-tri/don-vi/${justiceId}`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${admin.csrf}&rowVersion=99&name=${encodeURIComponent('Sở Tư pháp <mới>')}&kind=department`,
    });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Dữ liệu đã bị người khác thay đổi');
    expect(res.body).toContain('value="Sở Tư pháp &lt;mới>"');
  });

  it('refuses to close a unit that still has staff, and closes an empty one', async () => {
    const busy = await t.app.inject({ method: 'POST', url: `/api/v1/org-units/${justiceId}/close`, headers: { ...authHeaders(admin), 'if-match': '"1"' } });
    expect(busy.statusCode).toBe(409);
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/org-units', headers: authHeaders(admin), payload: { parentId: justiceId, name: 'Tổ tạm thời', kind: 'other' } });
    const closed = await t.app.inject({ method: 'POST', url: `/api/v1/org-units/${created.json().id}/close`, headers: { ...authHeaders(admin), 'if-match': '"1"' } });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().validTo).not.toBeNull();
  });
});

describe('letterheads of official forms', () => {
  const unitId = (name: string) => t.db.selectFrom('org_units').select('id').where('name', '=', name).executeTakeFirstOrThrow().then((u) => u.id);

  it('prints the governing body above each unit and the place of its seat, from the unit or the tree', async () => {
    const centreId = await unitId('Trung tâm Phục vụ hành chính công tỉnh');
    const commune = await t.db.selectFrom('org_units as ou').innerJoin('admin_units as au', 'au.id', 'ou.admin_unit_id').select(['ou.id', 'au.name']).where('ou.kind', '=', 'service_centre').where('au.level', '=', 'commune').orderBy('ou.name').executeTakeFirstOrThrow();
    const heads = await letterheadsOf(t.db, [rootId, justiceId, centreId, commune.id]);
    expect(heads.get(rootId)).toEqual({ unitName: 'UBND tỉnh Khánh Hòa', governingBody: null, placeName: 'Khánh Hòa' });
    expect(heads.get(justiceId)).toEqual({ unitName: 'Sở Tư pháp', governingBody: 'UBND tỉnh Khánh Hòa', placeName: 'Khánh Hòa' });
    expect(heads.get(centreId)).toEqual({ unitName: 'Trung tâm Phục vụ hành chính công tỉnh', governingBody: 'Văn phòng UBND tỉnh Khánh Hòa', placeName: 'Khánh Hòa' });
    const communeHead = heads.get(commune.id);
    expect(communeHead?.governingBody).toMatch(/^UBND (phường|xã|đặc khu) /);
    expect(communeHead?.placeName).toBe(commune.name);
  });

  it('lets an administrator set and clear them, on the page (kept when refused) and through the API', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/org-units', headers: authHeaders(admin), payload: { parentId: justiceId, name: 'Phòng Bổ trợ tư pháp', kind: 'division', governingBody: 'Sở Tư pháp tỉnh Khánh Hòa', placeName: 'Nha Trang' } });
    expect(created.json()).toMatchObject({ governingBody: 'Sở Tư pháp tỉnh Khánh Hòa', placeName: 'Nha Trang' });
    const id = created.json().id;
    expect((await letterheadsOf(t.db, [id])).get(id)).toMatchObject({ governingBody: 'Sở Tư pháp tỉnh Khánh Hòa', placeName: 'Nha Trang' });
    const form = (extra: string) => `_csrf=${admin.csrf}&rowVersion=1&name=${encodeURIComponent('Phòng Bổ trợ tư pháp')}&kind=division${extra}`;
    const refused = await t.app.inject({ method: 'POST', url: `/quan-tri/don-vi/${id}`, headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form(`&placeName=X&governingBody=${encodeURIComponent('Sở Tư pháp')}`) });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('value="Sở Tư pháp"');
    expect(refused.body).toContain('id="f-placeName-error"');
    const cleared = await t.app.inject({ method: 'POST', url: `/quan-tri/don-vi/${id}`, headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form('') });
    expect(cleared.statusCode).toBe(303);
    expect((await letterheadsOf(t.db, [id])).get(id)).toEqual({ unitName: 'Phòng Bổ trợ tư pháp', governingBody: 'Sở Tư pháp', placeName: 'Khánh Hòa' });
  });
});

describe('officials', () => {
  const newOfficial = { username: 'nguyen.van.b', fullName: "Nguyễn Văn B'; DROP TABLE users;-- <script>alert(1)</script>", orgUnitId: '', roles: ['specialist'], password: 'Mat-khau-moi-2026' };

  it('creates an official, reports all problems at once and refuses a double submit', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/officials', headers: authHeaders(admin), payload: { username: 'A B', fullName: '', orgUnitId: rootId, roles: [], password: 'ngan', email: 'x@' } });
    expect(bad.statusCode).toBe(400);
    expect(fields(bad)).toEqual(['email', 'fullName', 'password', 'password', 'roles', 'username']);
    const payload = { ...newOfficial, orgUnitId: justiceId };
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/officials', headers: authHeaders(admin), payload });
    expect(first.statusCode).toBe(201);
    expect(first.json().fullName).toBe(newOfficial.fullName);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/officials', headers: authHeaders(admin), payload });
    expect(again.statusCode).toBe(400);
    expect(fields(again)).toEqual(['username']);
    const newcomer = await signIn(t.app, 'nguyen.van.b', newOfficial.password);
    expect(newcomer.csrf).not.toBe('');
  });

  it('shows injected names escaped and searches without diacritics', async () => {
    const page = await t.app.inject({ method: 'GET', url: `/quan-tri/can-bo?q=${encodeURIComponent('nguyen van b')}`, headers: { cookie: admin.cookie } });
    expect(page.body).toContain("Nguyễn Văn B'; DROP TABLE users;-- &lt;script>alert(1)&lt;/script>");
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).toContain('1 cán bộ');
  });

  it('grants and revokes roles, disables (ending sessions) and re-enables, resets the password', async () => {
    const official = (await t.app.inject({ method: 'GET', url: '/api/v1/officials?q=nguyen.van.b', headers: { cookie: admin.cookie } })).json().items[0];
    const session = await signIn(t.app, 'nguyen.van.b', newOfficial.password);
    const granted = await t.app.inject({ method: 'POST', url: `/api/v1/officials/${official.id}/roles`, headers: authHeaders(admin), payload: { orgUnitId: justiceId, role: 'clerk' } });
    expect(granted.json().roles.length).toBe(2);
    const clerk = granted.json().roles.find((r: { role: string }) => r.role === 'clerk');
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/officials/${official.id}/roles/${clerk.id}`, headers: authHeaders(admin) });
    expect(revoked.json().roles.length).toBe(1);
    const last = await t.app.inject({ method: 'DELETE', url: `/api/v1/officials/${official.id}/roles/${revoked.json().roles[0].id}`, headers: authHeaders(admin) });
    expect(last.statusCode).toBe(409);
    const disabled = await t.app.inject({ method: 'POST', url: `/api/v1/officials/${official.id}/disable`, headers: authHeaders(admin) });
    expect(disabled.json().status).toBe('disabled');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: session.cookie } })).statusCode).toBe(401);
    await t.app.inject({ method: 'POST', url: `/api/v1/officials/${official.id}/enable`, headers: authHeaders(admin) });
    const weak = await t.app.inject({ method: 'POST', url: `/api/v1/officials/${official.id}/reset-password`, headers: authHeaders(admin), payload: { password: 'abc' } });
    expect(weak.statusCode).toBe(400);
    const reset = await t.app.inject({ method: 'POST', url: `/api/v1/officials/${official.id}/reset-password`, headers: authHeaders(admin), payload: { password: 'Mat-khau-khac-2026' } });
    expect(reset.statusCode).toBe(204);
    await signIn(t.app, 'nguyen.van.b', 'Mat-khau-khac-2026');
  });

  it('lets nobody disable themselves', async () => {
    const me = (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: admin.cookie } })).json();
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/officials/${me.id}/disable`, headers: authHeaders(admin) });
    expect([404, 409]).toContain(res.statusCode);
  });

  it('creates an official through the page, keeping typed values on error', async () => {
    const form = `_csrf=${admin.csrf}&username=tran.c&fullName=${encodeURIComponent('Trần Văn C')}&orgUnitId=${justiceId}&roles=specialist&roles=clerk&password=short`;
    const res = await t.app.inject({ method: 'POST', url: '/quan-tri/can-bo/moi', headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('value="Trần Văn C"');
    expect(res.body).toMatch(/value="clerk" checked/);
    const ok = await t.app.inject({ method: 'POST', url: '/quan-tri/can-bo/moi', headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form.replace('password=short', 'password=Mat-khau-2026-dai') });
    expect(ok.statusCode).toBe(303);
    expect((await verifyAuditLog(t.db, { seal: true })).problems).toEqual([]);
  });
});

describe('citizen registration', () => {
  const valid = { personalId: '079205001234', fullName: 'Lê Thị Hồng', phone: '0912345678', password: 'Cong-dan-2026!', passwordConfirmation: 'Cong-dan-2026!' };

  const smsTo = async (phone: string) => {
    const rows = await t.db.selectFrom('outbox_messages').select('payload').where('topic', '=', 'sms').orderBy('created_at').execute();
    return rows.map((r) => r.payload as { to: string; text: string }).filter((p) => p.to === phone).map((p) => p.text);
  };
  const register = async (body: Record<string, string>) => t.app.inject({ method: 'POST', url: '/api/v1/citizens', headers: await anonCsrf(t.app), payload: body });

  it('answers the same whether or not the number has an account, and tells only the contacts which it was', async () => {
    const first = await register(valid);
    expect(first.statusCode).toBe(202);
    const [link] = (await smsTo(valid.phone)).map((text) => /(http\S+\/dang-ky\/kich-hoat\?ma=\S+)/.exec(text)?.[1]);
    expect(link).toBeDefined();
    // Pending until the link is used: no sign-in yet.
    await expect(signIn(t.app, valid.personalId, valid.password)).rejects.toThrow(/401/);
    const token = new URL(link ?? '').searchParams.get('ma') ?? '';
    const page = await t.app.inject({ method: 'GET', url: `/dang-ky/kich-hoat?ma=${token}` });
    expect(page.body).toContain('Kích hoạt tài khoản');
    const csrf = await anonCsrf(t.app);
    const activated = await t.app.inject({ method: 'POST', url: '/dang-ky/kich-hoat', headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${csrf['x-csrf-token']}&ma=${token}` });
    expect(activated.statusCode).toBe(303);
    expect(activated.headers.location).toBe('/dang-nhap?da-kich-hoat=1');
    await signIn(t.app, valid.personalId, valid.password);
    // Someone else registers the same number: the same answer, the account unchanged, both phones told.
    const again = await register({ ...valid, fullName: 'Người khác', phone: '0987000111', password: 'Khac-hoan-toan-2026!', passwordConfirmation: 'Khac-hoan-toan-2026!' });
    expect({ status: again.statusCode, body: again.json() }).toEqual({ status: first.statusCode, body: first.json() });
    await signIn(t.app, valid.personalId, valid.password);
    expect((await smsTo('0987000111'))[0]).toContain('đã có tài khoản');
    expect((await smsTo(valid.phone)).at(-1)).toContain('Có người vừa đăng ký');
    const account = await t.db.selectFrom('users').select(['full_name', 'phone']).where('username', '=', valid.personalId).executeTakeFirstOrThrow();
    expect(account).toEqual({ full_name: valid.fullName, phone: valid.phone });
    // The page too: the same redirect for a new number and a taken one.
    const form = async (personalId: string) => {
      const c = await anonCsrf(t.app);
      const body = new URLSearchParams({ _csrf: c['x-csrf-token'] ?? '', ...valid, personalId, phone: '0987000222' }).toString();
      return t.app.inject({ method: 'POST', url: '/dang-ky', headers: { cookie: c.cookie ?? '', 'content-type': 'application/x-www-form-urlencoded' }, payload: body });
    };
    const [taken, fresh] = [await form(valid.personalId), await form('079205004321')];
    expect([taken.statusCode, taken.headers.location]).toEqual([fresh.statusCode, fresh.headers.location]);
    expect(fresh.headers.location).toBe('/dang-ky/da-gui');
    // A used or made-up link activates nothing.
    const reused = await t.app.inject({ method: 'POST', url: '/api/v1/citizens/activation', headers: await anonCsrf(t.app), payload: { token } });
    expect(reused.statusCode).toBe(400);
    for (const ma of [token, 'x'.repeat(30), '']) {
      const c = await anonCsrf(t.app);
      const page = await t.app.inject({ method: 'POST', url: '/dang-ky/kich-hoat', headers: { cookie: c.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${c['x-csrf-token']}&ma=${ma}` });
      expect(page.statusCode, ma).toBe(400);
      expect(page.body).toContain('Liên kết kích hoạt không đúng, đã dùng hoặc đã hết hạn.');
    }
    expect((await verifyAuditLog(t.db, { seal: true })).problems).toEqual([]);
  });

  it('needs a phone or an e-mail to send the activation link to', async () => {
    const { phone: _p, ...noContact } = valid;
    const res = await register({ ...noContact, personalId: '079205001235' });
    expect(fields(res)).toEqual(['phone']);
  });

  it('explains a malformed number, a weak password and a mismatch together, in Vietnamese, on the page', async () => {
    const csrf = await anonCsrf(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/dang-ky',
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${csrf['x-csrf-token']}&personalId=003190001234&fullName=${encodeURIComponent('Lê Văn Tú')}&password=abc&passwordConfirmation=abd&phone=12345`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('3 chữ số đầu không phải mã tỉnh');
    expect(res.body).toContain('Mật khẩu nhập lại không khớp.');
    expect(res.body).toContain('value="Lê Văn Tú"');
    expect(res.body).not.toContain('value="abc"');
  });
});
