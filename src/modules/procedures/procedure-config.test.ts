import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { systemActor } from '../../platform/audit/audit-log.ts';
import { DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { importProcedures } from './import-procedures.ts';
import { workflowOf } from './workflow-definition.ts';

let t: TestApp;
let admin: Session;
let communeAdmin: Session;
let specialist: Session;
// A detailed commune procedure with no seeded e-form (the birth registration has one: see dossiers/eforms.test.ts).
const CODE = '1.000656';

beforeAll(async () => {
  t = await createTestApp();
  admin = await signIn(t.app, 'admin', DEMO_PASSWORD);
  communeAdmin = await signIn(t.app, 'quantri.xa', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
});
afterAll(async () => t.close());

const versionInForce = async () => (await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${CODE}/workflow` })).json().versionNo as number;
/** A PUT over the version in force, or over the version given (`null`: without If-Match). */
const put = async (s: Session, what: string, payload: unknown, version?: number | null) => {
  const v = version === undefined ? await versionInForce() : version;
  return t.app.inject({ method: 'PUT', url: `/api/v1/procedures/${CODE}/${what}`, headers: { ...authHeaders(s), ...(v === null ? {} : { 'if-match': `"${v}"` }) }, payload: payload as Record<string, unknown> });
};

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
    expect(page.body).toContain('Giấy tờ, biểu mẫu và quy trình xử lý');
    const post = async (path: string, form: string) =>
      t.app.inject({ method: 'POST', url: `/quan-tri/thu-tuc/${CODE}/cau-hinh/${path}`, headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${admin.csrf}&versionNo=${await versionInForce()}&${form}` });
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
    expect([papers.statusCode, papers.headers.location]).toEqual([303, `/quan-tri/thu-tuc/${CODE}/cau-hinh?da-luu=giay-to#giay-to`]);
    const after = await t.app.inject({ method: 'GET', url: String(papers.headers.location), headers: { cookie: admin.cookie } });
    expect(after.body).toContain('Đã lưu danh sách giấy tờ.');
    const saved = await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${CODE}/paper-requirements` });
    expect(saved.json().requirements).toEqual([{ seq: 1, name: 'Đơn đề nghị', required: true, mediaTypes: ['application/pdf', 'image/png'], maxBytes: 5 * 1024 * 1024, hint: null }]);
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
      payload: new URLSearchParams({ _csrf: admin.csrf, versionNo: String(await versionInForce()), 'fields.0.key': 'muc_dich', 'fields.0.label': 'Mục đích', 'fields.0.kind': 'select', 'fields.0.required': '1', 'fields.0.options': 'Xin việc; Du học' }).toString(),
    });
    expect(post.statusCode).toBe(303);
    expect((await t.app.inject({ method: 'GET', url: String(post.headers.location), headers: { cookie: admin.cookie } })).body).toContain('Đã lưu biểu mẫu.');
    const saved = await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${CODE}/form-fields` });
    expect(saved.json().fields).toEqual([{ key: 'muc_dich', label: 'Mục đích', kind: 'select', required: true, options: ['Xin việc', 'Du học'], help: null, group: null, prefill: null, source: null }]);
  });
});

describe('an e-form defined as data', () => {
  const field = (i: number, f: Record<string, string>) => Object.fromEntries(Object.entries(f).map(([k, v]) => [`fields.${i}.${k}`, v]));

  it('has kinds, help, sections, facts it is filled in from and sources; the definition is checked all at once', async () => {
    const unknownKind = await put(admin, 'form-fields', { fields: [{ key: 'noi_o', label: 'Nơi ở', kind: 'addresses', required: true, options: [] }] });
    expect(unknownKind.json().errors.map((e: { field: string }) => e.field)).toEqual(['fields.0.kind']);
    const wrong = await put(admin, 'form-fields', {
      fields: [
        { key: 'ngay_sinh', label: 'Ngày sinh', kind: 'text', required: true, options: [], prefill: 'date_of_birth' },
        { key: 'gioi_tinh', label: 'Giới tính', kind: 'select', required: true, options: ['Nam', 'Khác'], prefill: 'sex' },
        { key: 'cam_doan', label: 'Cam đoan', kind: 'checkbox', required: true, options: ['Có', 'Không'] },
      ],
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)).toEqual(['fields.0.prefill:kind', 'fields.1.prefill:options', 'fields.2.options:not_allowed']);
    const before = await versionInForce();
    const fields = [
      { key: 'nguoi_mat', label: 'Họ, chữ đệm, tên người đã chết', kind: 'text', required: true, options: [], group: 'Người đã chết', source: 'Tờ khai đăng ký khai tử: «Họ, chữ đệm, tên người đã chết»' },
      { key: 'noi_cu_tru', label: 'Nơi cư trú cuối cùng', kind: 'address', required: true, options: [], group: 'Người đã chết', help: 'Nơi thường trú; nếu không có thì nơi tạm trú.' },
      { key: 'so_dinh_danh', label: 'Số định danh cá nhân người yêu cầu', kind: 'personal_id', required: true, options: [], group: 'Người yêu cầu', prefill: 'personal_id' },
      { key: 'cam_doan', label: 'Tôi cam đoan', kind: 'checkbox', required: true, options: [] },
    ];
    const ok = await put(admin, 'form-fields', { fields }, before);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().versionNo).toBe(before + 1);
    expect(ok.json().fields[1]).toEqual({ ...fields[1], prefill: null, source: null });
    expect(ok.json().answersSchema.properties.so_dinh_danh).toMatchObject({ type: 'string', pattern: '^[0-9]{12}$' });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${CODE}` })).json().versions[0].origin).toBe('setup');
    // The version before keeps its own e-form, which the dossiers filled in under it were checked against.
    const previous = await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${CODE}/versions/${before}/form-fields` });
    expect(previous.json().fields.map((f: { key: string }) => f.key)).not.toEqual(fields.map((f) => f.key));
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${CODE}/versions/${before + 1}/form-fields` })).json().fields).toEqual(ok.json().fields);
  });

  it('is edited on the setup page: new kinds, a fact to fill in from, and rows moved by their order', async () => {
    const page = await t.app.inject({ method: 'GET', url: `/quan-tri/thu-tuc/${CODE}/cau-hinh`, headers: { cookie: admin.cookie } });
    expect(page.body).toContain('<option value="address" selected>Địa chỉ (tỉnh, phường/xã, số nhà)</option>');
    expect(page.body).toContain('<option value="personal_id" selected>');
    const before = await versionInForce();
    const payload = new URLSearchParams({
      _csrf: admin.csrf,
      versionNo: String(before),
      ...field(0, { key: 'cam_doan', label: 'Tôi cam đoan', kind: 'checkbox', required: '1', order: '3' }),
      ...field(1, { key: 'ho_ten', label: 'Họ, chữ đệm, tên người yêu cầu', kind: 'text', required: '1', prefill: 'full_name', group: 'Người yêu cầu', help: 'Như trên giấy tờ tùy thân', source: 'Tờ khai, dòng 1', order: '1' }),
      ...field(2, { key: 'ngay_chet', label: 'Ngày chết', kind: 'date', prefill: 'phone', order: '2' }),
    });
    const wrong = await t.app.inject({ method: 'POST', url: `/quan-tri/thu-tuc/${CODE}/cau-hinh/bieu-mau`, headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: payload.toString() });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('&quot;Số điện thoại&quot; chỉ điền được vào trường kiểu Số điện thoại.');
    expect(wrong.body).toMatch(/name="fields.0.key"[^>]*value="ho_ten"/);
    expect(await versionInForce()).toBe(before);
    payload.set('fields.2.prefill', '');
    const saved = await t.app.inject({ method: 'POST', url: `/quan-tri/thu-tuc/${CODE}/cau-hinh/bieu-mau`, headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: payload.toString() });
    expect(saved.statusCode).toBe(303);
    const form = (await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${CODE}/form-fields` })).json();
    expect(form.versionNo).toBe(before + 1);
    expect(form.fields.map((f: { key: string }) => f.key)).toEqual(['ho_ten', 'ngay_chet', 'cam_doan']);
    expect(form.fields[0]).toEqual({ key: 'ho_ten', label: 'Họ, chữ đệm, tên người yêu cầu', kind: 'text', required: true, options: [], help: 'Như trên giấy tờ tùy thân', group: 'Người yêu cầu', prefill: 'full_name', source: 'Tờ khai, dòng 1' });
  });
});

describe('each change of the setup is a new version of the procedure', () => {
  const versionRow = (no: number) =>
    t.db.selectFrom('procedure_versions as v').innerJoin('procedures as p', 'p.id', 'v.procedure_id').select(['v.id', 'v.valid_to', 'v.name']).where('p.national_code', '=', CODE).where('v.version_no', '=', no).executeTakeFirstOrThrow();

  it('supersedes the version in force, carrying the rest of the setup, and leaves the old version as it was', async () => {
    const before = await versionInForce();
    const oldSteps = (await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${CODE}/workflow` })).json().steps;
    const oldPapers = (await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${CODE}/paper-requirements` })).json().requirements;
    const steps = [{ name: 'Thẩm định và trình ký', role: 'specialist', orgUnitId: null, budgetPercent: 100 }];
    const res = await put(admin, 'workflow', { steps }, before);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe(`"${before + 1}"`);
    expect(res.json()).toMatchObject({ versionNo: before + 1, steps: [{ seq: 1, name: 'Thẩm định và trình ký' }] });
    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${CODE}` })).json();
    expect(detail.versionNo).toBe(before + 1);
    expect(detail.versions[0]).toMatchObject({ versionNo: before + 1, origin: 'setup', validTo: null });
    expect(detail.versions.at(-1).origin).toBe('catalogue');
    const history = await t.app.inject({ method: 'GET', url: `/thu-tuc/${CODE}` });
    expect(history.body).toContain('(tỉnh điều chỉnh giấy tờ, biểu mẫu hoặc quy trình xử lý)');
    expect((await t.app.inject({ method: 'GET', url: `/thu-tuc/${CODE}/phien-ban/${before}` })).statusCode).toBe(200);
    const papersNow = await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${CODE}/paper-requirements` });
    expect(papersNow.json().requirements).toEqual(oldPapers);
    const old = await versionRow(before);
    expect(old.valid_to).not.toBeNull();
    expect((await workflowOf(t.db, old.id)).steps).toEqual(oldSteps);
    const audit = await t.db.selectFrom('audit_events').select(['action', 'entity_id']).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'procedure.workflow_set', entity_id: (await versionRow(before + 1)).id });
    // Saving the same steps again changes nothing, so it makes no version.
    const again = await put(admin, 'workflow', { steps }, before + 1);
    expect(again.json().versionNo).toBe(before + 1);
  });

  it('refuses a save over a superseded version (409) or without If-Match (428), by API and page', async () => {
    const now = await versionInForce();
    const fields = { fields: [{ key: 'ghi_chu', label: 'Ghi chú', kind: 'text', required: false, options: [] }] };
    const stale = await put(admin, 'form-fields', fields, now - 1);
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.json().code).toBe('conflict');
    expect((await put(admin, 'form-fields', fields, null)).statusCode).toBe(428);
    expect(await versionInForce()).toBe(now);
    const page = await t.app.inject({
      method: 'POST',
      url: `/quan-tri/thu-tuc/${CODE}/cau-hinh/bieu-mau`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: admin.csrf, versionNo: String(now - 1), 'fields.0.key': 'ghi_chu', 'fields.0.label': 'Ghi chú của tôi', 'fields.0.kind': 'text' }).toString(),
    });
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain(`Cấu hình thủ tục vừa được thay đổi (nay là phiên bản ${now})`);
    expect(page.body).toContain('Ghi chú của tôi');
    expect(page.body).toContain(`name="versionNo" value="${now}"`);
    expect(await versionInForce()).toBe(now);
  });

  it('two administrators saving over the same version: one wins, the other is told', async () => {
    const now = await versionInForce();
    const steps = (name: string) => ({ steps: [{ name, role: 'specialist', orgUnitId: null, budgetPercent: 100 }] });
    const [a, b] = await Promise.all([put(admin, 'workflow', steps('Bước của A'), now), put(admin, 'workflow', steps('Bước của B'), now)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect(await versionInForce()).toBe(now + 1);
  });

  it('a changed catalogue record becomes a new version keeping the setup; the units that handle it stay', async () => {
    const setup = async () => Promise.all(['paper-requirements', 'workflow', 'form-fields'].map(async (w) => (await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${CODE}/${w}` })).json()));
    const units = async () => (await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${CODE}/units` })).json();
    const [papers, workflow, fields] = await setup();
    const unitsBefore = await units();
    expect(workflow.custom).toBe(true);
    const header = 'ma_thu_tuc,ten_thu_tuc,cap_thuc_hien,linh_vuc,kenh_nop,thoi_han_giai_quyet,phi_le_phi\n';
    const text = `${header}${CODE},Đăng ký khai sinh (quyết định mới),Cấp xã,Hộ tịch,Trực tuyến; Trực tiếp,3 Ngày làm việc,Miễn phí\n`;
    const summary = await importProcedures(t.db, systemActor('test'), { fileName: 'moi.csv', kind: 'catalogue', text });
    expect(summary.newVersions).toBe(1);
    const [p2, w2, f2] = await setup();
    expect(w2.versionNo).toBe(workflow.versionNo + 1);
    expect([p2.requirements, w2.steps, f2.fields]).toEqual([papers.requirements, workflow.steps, fields.fields]);
    expect(await units()).toEqual(unitsBefore);
  });
});
