import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from './demo-accounts.ts';

// A citizen's profile, which the e-forms are filled in from: their page and the API, every problem at once.

let t: TestApp;
let citizen: Session;

beforeAll(async () => {
  t = await createTestApp();
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
});
afterAll(async () => t.close());

const page = (form: Record<string, string>) =>
  t.app.inject({ method: 'POST', url: '/dich-vu-cong/thong-tin-ca-nhan', headers: { cookie: citizen.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: citizen.csrf, ...form }).toString() });

describe("a citizen's profile", () => {
  it('holds what forms are filled in from: date of birth, sex, ethnicity, the address on the admin units, contact', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me/profile', headers: { cookie: citizen.cookie } });
    expect(res.json()).toEqual({
      fullName: 'Nguyễn Thị Mai',
      personalId: DEMO_CITIZEN_ID,
      phone: '0912345678',
      email: 'mai.nguyen@example.vn',
      dateOfBirth: '1990-03-14',
      sex: 'female',
      ethnicity: 'Kinh',
      address: { commune: '22366', street: '25 Lê Thánh Tôn', text: '25 Lê Thánh Tôn, Phường Nha Trang, Tỉnh Khánh Hòa' },
    });
  });

  it('is changed through the API with every problem at once, and audited', async () => {
    const bad = await t.app.inject({ method: 'PUT', url: '/api/v1/me/profile', headers: authHeaders(citizen), payload: { phone: '12', dateOfBirth: '1990-02-30', ethnicity: 'Không có', address: { commune: '00000', street: '1 Trần Phú' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['dateOfBirth', 'phone']);
    const unknown = await t.app.inject({ method: 'PUT', url: '/api/v1/me/profile', headers: authHeaders(citizen), payload: { ethnicity: 'Không có', address: { commune: '00000', street: '1 Trần Phú' } } });
    expect(unknown.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['address.commune', 'ethnicity']);
    const ok = await t.app.inject({ method: 'PUT', url: '/api/v1/me/profile', headers: authHeaders(citizen), payload: { phone: '0912345678', email: 'mai.nguyen@example.vn', dateOfBirth: '1990-03-14', sex: 'female', ethnicity: 'Kinh', address: { commune: '22333', street: '5 Phạm Văn Đồng' } } });
    expect(ok.json().address).toEqual({ commune: '22333', street: '5 Phạm Văn Đồng', text: '5 Phạm Văn Đồng, Phường Bắc Nha Trang, Tỉnh Khánh Hòa' });
    const audit = await t.db.selectFrom('audit_events').select(['action', 'summary']).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit.action).toBe('citizen.profile_updated');
  });

  it('is edited on its page without JavaScript: dates as dd/MM/yyyy, errors next to the fields, input kept', async () => {
    // Reached from the citizen's account page.
    const account = await t.app.inject({ method: 'GET', url: '/dich-vu-cong/tai-khoan', headers: { cookie: citizen.cookie } });
    expect(account.body).toContain('href="/dich-vu-cong/thong-tin-ca-nhan"');
    const shown = await t.app.inject({ method: 'GET', url: '/dich-vu-cong/thong-tin-ca-nhan', headers: { cookie: citizen.cookie } });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toMatch(/name="dateOfBirth"[^>]*value="14\/03\/1990"/);
    expect(shown.body).toContain('<option value="22333" selected>Phường Bắc Nha Trang</option>');
    const wrong = await page({ dateOfBirth: '31/02/1990', 'address.commune': '22366', phone: '0912345678' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toMatch(/id="f-dateOfBirth-error"/);
    expect(wrong.body).toMatch(/id="f-address-error"/);
    expect(wrong.body).toMatch(/name="dateOfBirth"[^>]*value="31\/02\/1990"/);
    const saved = await page({ dateOfBirth: '14/03/1990', sex: 'female', ethnicity: 'Kinh', 'address.province': '56', 'address.commune': '22366', 'address.street': '25 Lê Thánh Tôn', phone: '0912345678', email: 'mai.nguyen@example.vn' });
    expect([saved.statusCode, saved.headers.location]).toEqual([303, '/dich-vu-cong/thong-tin-ca-nhan?da-luu=1']);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me/profile', headers: { cookie: citizen.cookie } })).json().address.commune).toBe('22366');
  });

});
