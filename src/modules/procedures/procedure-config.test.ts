import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_PASSWORD } from '../directory/demo-accounts.ts';

let t: TestApp;
let admin: Session;
let communeAdmin: Session;
let specialist: Session;
const CODE = '1.001193';

beforeAll(async () => {
  t = await createTestApp();
  admin = await signIn(t.app, 'admin', DEMO_PASSWORD);
  communeAdmin = await signIn(t.app, 'quantri.xa', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
});
afterAll(async () => t.close());

const put = (s: Session, what: string, payload: unknown) => t.app.inject({ method: 'PUT', url: `/api/v1/procedures/${CODE}/${what}`, headers: authHeaders(s), payload: payload as Record<string, unknown> });

describe('paper requirements and workflow of a procedure version', () => {
  it('derives papers from the published list until the administrator sets them', async () => {
    const derived = await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${CODE}/paper-requirements` });
    expect(derived.json().custom).toBe(false);
    expect(derived.json().requirements.length).toBeGreaterThan(0);
    const set = await put(admin, 'paper-requirements', { requirements: [{ name: 'Tờ khai đăng ký khai sinh', required: true, mediaTypes: ['application/pdf'], maxBytes: 2_000_000 }] });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ custom: true, requirements: [{ seq: 1, name: 'Tờ khai đăng ký khai sinh', required: true }] });
  });

  it('checks a workflow: shares add up to 100 %, units exist; only the province administrator may set it', async () => {
    const bad = await put(admin, 'workflow', {
      steps: [
        { name: 'Thẩm định', role: 'specialist', orgUnitId: null, budgetPercent: 50 },
        { name: 'Liên thông', role: 'specialist', orgUnitId: '00000000-0000-4000-8000-000000000000', budgetPercent: 20 },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['steps', 'steps.1.orgUnitId']);
    const steps = [
      { name: 'Thẩm định', role: 'specialist', orgUnitId: null, budgetPercent: 60 },
      { name: 'Phê duyệt', role: 'agency_leader', orgUnitId: null, budgetPercent: 40 },
    ];
    expect((await put(communeAdmin, 'workflow', { steps })).statusCode).toBe(403);
    expect((await put(specialist, 'workflow', { steps })).statusCode).toBe(403);
    const ok = await put(admin, 'workflow', { steps });
    expect(ok.json()).toMatchObject({ custom: true, steps: [{ seq: 1, name: 'Thẩm định' }, { seq: 2, role: 'agency_leader' }] });
  });

  it('edits both through the page, keeping what was typed when there are errors', async () => {
    const page = await t.app.inject({ method: 'GET', url: `/quan-tri/thu-tuc/${CODE}/cau-hinh`, headers: { cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Giấy tờ và quy trình xử lý');
    const post = (path: string, form: string) =>
      t.app.inject({ method: 'POST', url: `/quan-tri/thu-tuc/${CODE}/cau-hinh/${path}`, headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${admin.csrf}&${form}` });
    const wrong = await post('quy-trinh', `${encodeURIComponent('steps.0.name')}=Th%E1%BA%A9m+%C4%91%E1%BB%8Bnh+ri%C3%AAng&${encodeURIComponent('steps.0.budgetPercent')}=70`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Tổng tỷ lệ thời gian các bước phải bằng 100 % (hiện là 70 %)');
    expect(wrong.body).toContain('Thẩm định riêng');
    const papers = await post(
      'giay-to',
      [`requirements.0.name=${encodeURIComponent('Đơn đề nghị')}`, 'requirements.0.required=1', 'requirements.0.mediaTypes=application%2Fpdf', 'requirements.0.mediaTypes=image%2Fpng', 'requirements.0.maxMb=5']
        .map((p) => p.replace(/^([^=]+)/, (k) => encodeURIComponent(k)))
        .join('&'),
    );
    expect(papers.statusCode).toBe(200);
    expect(papers.body).toContain('Đã lưu danh sách giấy tờ.');
    const saved = await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${CODE}/paper-requirements` });
    expect(saved.json().requirements).toEqual([{ seq: 1, name: 'Đơn đề nghị', required: true, mediaTypes: ['application/pdf', 'image/png'], maxBytes: 5 * 1024 * 1024 }]);
  });
});

describe('form fields of a procedure version', () => {
  it('sets them by API with every problem at once, and through the page', async () => {
    const bad = await put(admin, 'form-fields', {
      fields: [
        { key: 'ngay_sinh', label: 'Ngày sinh', kind: 'date', required: true, options: [] },
        { key: 'ngay_sinh', label: 'Trùng', kind: 'text', required: false, options: [] },
        { key: 'muc_dich', label: 'Mục đích', kind: 'select', required: true, options: ['Một'] },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['fields.1.key', 'fields.2.options']);
    expect((await put(specialist, 'form-fields', { fields: [] })).statusCode).toBe(403);
    const post = await t.app.inject({
      method: 'POST',
      url: `/quan-tri/thu-tuc/${CODE}/cau-hinh/bieu-mau`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: admin.csrf, 'fields.0.key': 'muc_dich', 'fields.0.label': 'Mục đích', 'fields.0.kind': 'select', 'fields.0.required': '1', 'fields.0.options': 'Xin việc; Du học' }).toString(),
    });
    expect(post.statusCode).toBe(200);
    expect(post.body).toContain('Đã lưu biểu mẫu.');
    const saved = await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${CODE}/form-fields` });
    expect(saved.json().fields).toEqual([{ key: 'muc_dich', label: 'Mục đích', kind: 'select', required: true, options: ['Xin việc', 'Du học'] }]);
  });
});
