import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody } from '../../../test/support/multipart.ts';
import { insertOrgUnit } from '../../../test/support/org-fixture.ts';
import { authHeaders, createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';

let t: TestApp;
let admin: Session;
let root: { id: string; path: string };

beforeAll(async () => {
  t = await createTestApp();
  root = await insertOrgUnit(t.db, 'Tỉnh kiểm thử thủ tục');
  await insertUser(t.db, { username: 'tt.admin', roles: [{ role: 'administrator', orgUnitId: root.id }] });
  admin = await signIn(t.app, 'tt.admin');
});
afterAll(async () => t.close());

describe('public catalogue', () => {
  it('searches through the API with and without diacritics', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/procedures?q=${encodeURIComponent('dang ky khai sinh')}&limit=5` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items[0].name.toLowerCase()).toContain('đăng ký khai sinh');
    expect(body.limit).toBe(5);
  });

  it('reports every bad query parameter at once', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/procedures?limit=1000&sector=abc&level=huyen&extra=1' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'level', 'limit', 'sector']);
  });

  it('serves a procedure, its versions and sectors; unknown codes are 404', async () => {
    const p = await t.app.inject({ method: 'GET', url: '/api/v1/procedures/1.001193' });
    expect(p.statusCode).toBe(200);
    expect(p.json()).toMatchObject({ nationalCode: '1.001193', detailLevel: 'detailed' });
    expect(p.json().documents.length).toBeGreaterThan(0);
    const v1 = await t.app.inject({ method: 'GET', url: '/api/v1/procedures/1.001193/versions/1' });
    expect(v1.json().detailLevel).toBe('summary');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/procedures/9.999999' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/procedures/abc' })).statusCode).toBe(400);
    const units = await t.app.inject({ method: 'GET', url: '/api/v1/procedures/1.001193/units' });
    expect(units.json().length).toBe(65);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/procedures/9.999999/units' })).statusCode).toBe(404);
    const sectors = await t.app.inject({ method: 'GET', url: '/api/v1/sectors' });
    expect(sectors.json().some((s: { name: string }) => s.name === 'Hộ tịch')).toBe(true);
  });

  it('renders the search page with filters kept and the procedure page with documents and fees', async () => {
    const list = await t.app.inject({ method: 'GET', url: `/thu-tuc?q=${encodeURIComponent('khai sinh')}&level=commune` });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('value="khai sinh"');
    expect(list.body).toMatch(/Tìm thấy \d+ thủ tục/);
    const bad = await t.app.inject({ method: 'GET', url: '/thu-tuc?level=huyen' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Giá trị không nằm trong danh sách cho phép.');
    const page = await t.app.inject({ method: 'GET', url: '/thu-tuc/1.001193' });
    expect(page.body).toContain('Thành phần hồ sơ');
    expect(page.body).toContain('Giấy chứng sinh');
    expect(page.body).toContain('Miễn phí');
    expect(page.body).toContain('Các phiên bản');
    const old = await t.app.inject({ method: 'GET', url: '/thu-tuc/1.001193/phien-ban/1' });
    expect(old.body).toContain('đã hết hiệu lực');
    expect((await t.app.inject({ method: 'GET', url: '/thu-tuc/9.999999' })).statusCode).toBe(404);
  });
});

describe('catalogue administration', () => {
  const upload = (filename: string, data: Buffer, session: Session = admin) => {
    const body = multipartBody({ _csrf: session.csrf }, { name: 'file', filename, data });
    return t.app.inject({ method: 'POST', url: '/api/v1/procedures/imports', headers: { cookie: session.cookie, 'content-type': body.contentType }, payload: body.payload });
  };

  it('imports an uploaded CSV and reports rejects with reasons', async () => {
    const csv = 'ma_thu_tuc,ten_thu_tuc,cap_thuc_hien,linh_vuc,kenh_nop,thoi_han_giai_quyet,phi_le_phi\n2.999001,Thủ tục thử nghiệm,Cấp tỉnh,Thử nghiệm,Trực tuyến,5 Ngày làm việc,"50,000 Việt Nam Đồng"\nabc,,,,,,\n';
    const res = await upload('thu.csv', Buffer.from(csv));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ created: 1, rejects: [{ row: 3, code: 'abc' }] });
    const p = await t.app.inject({ method: 'GET', url: '/api/v1/procedures/2.999001' });
    expect(p.json().fees).toEqual([{ label: '50,000 Việt Nam Đồng', amountVnd: 50000 }]);
  });

  it('refuses a renamed binary, a wrong type and an oversized file', async () => {
    const exe = Buffer.concat([Buffer.from('MZ\u0090\u0000\u0003'), Buffer.alloc(64, 0)]);
    const renamed = await upload('danh-muc.csv', exe);
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json().errors[0]).toMatchObject({ field: 'file' });
    const pdf = await upload('danh-muc.pdf', Buffer.from('%PDF-1.7 ...'));
    expect(pdf.statusCode).toBe(400);
    const big = await upload('lon.csv', Buffer.alloc(11 * 1024 * 1024, 97));
    expect(big.statusCode).toBe(413);
  });

  it('shows the upload error next to the field on the page, and the summary of a good file', async () => {
    const page = (filename: string, data: Buffer, session: Session = admin) => {
      const body = multipartBody({ _csrf: session.csrf }, { name: 'file', filename, data });
      return t.app.inject({ method: 'POST', url: '/quan-tri/thu-tuc/nhap', headers: { cookie: session.cookie, 'content-type': body.contentType }, payload: body.payload });
    };
    const wrong = await page('x.csv', Buffer.from('khong,phai\n1,2\n'));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Chỉ nhận tệp danh mục');
    const big = await page('lon.csv', Buffer.alloc(11 * 1024 * 1024, 97));
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain('Tệp vượt quá 10 MB.');
    const csv = 'ma_thu_tuc,ten_thu_tuc,cap_thuc_hien,linh_vuc,kenh_nop,thoi_han_giai_quyet,phi_le_phi\n2.999002,Thủ tục thử trang quản trị,Cấp tỉnh,Thử nghiệm,Trực tuyến,5 Ngày làm việc,Không\n';
    const good = await page('thu.csv', Buffer.from(csv));
    expect(good.statusCode).toBe(200);
    expect(good.body).toContain('1 thủ tục mới');
  });

  it('assigns procedures to an org unit, reporting every unknown code', async () => {
    const url = `/api/v1/org-units/${root.id}/procedures`;
    const bad = await t.app.inject({ method: 'PUT', url, headers: authHeaders(admin), payload: { nationalCodes: ['1.001193', '9.000000', 'x'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['nationalCodes.1', 'nationalCodes.2']);
    const ok = await t.app.inject({ method: 'PUT', url, headers: authHeaders(admin), payload: { nationalCodes: ['1.001193', '2.999001'] } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().items.map((i: { nationalCode: string }) => i.nationalCode)).toEqual(['1.001193', '2.999001']);
    const form = await t.app.inject({
      method: 'POST',
      url: `/quan-tri/thu-tuc/don-vi/${root.id}/xoa`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${admin.csrf}&nationalCode=2.999001`,
    });
    expect(form.statusCode).toBe(303);
    const page = await t.app.inject({ method: 'GET', url: `/quan-tri/thu-tuc/don-vi/${root.id}`, headers: { cookie: admin.cookie } });
    expect(page.body).toContain('1 thủ tục');
  });

  it('shows a bad or unknown code next to the field of the assignment form, keeping what was typed', async () => {
    const post = (code: string) =>
      t.app.inject({
        method: 'POST',
        url: `/quan-tri/thu-tuc/don-vi/${root.id}/them`,
        headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${admin.csrf}&nationalCode=${encodeURIComponent(code)}`,
      });
    const malformed = await post('1.23<b>');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).toContain('Mã thủ tục có dạng 1.234567.');
    expect(malformed.body).toContain('value="1.23&lt;b>"');
    const unknown = await post('9.000001');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('Không có thủ tục mã &quot;9.000001&quot;.');
    expect(unknown.body).toContain('value="9.000001"');
  });
});
