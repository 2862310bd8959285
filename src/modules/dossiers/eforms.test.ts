import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody } from '../../../test/support/multipart.ts';
import { outboxMessagesOf } from '../../../test/support/outbox.ts';
import { pdfBytes } from '../../../test/support/paper-files.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';

// The e-forms seeded for five commune procedures, filled in online: checked against the version's form, started from
// what the citizen's account and earlier dossiers say, each answer kept with where it came from.

let t: TestApp;
let citizen: Session;
let counter: Session;
let leader: Session;
let nhaTrang: string;
let camAn: string;

const BIRTH = '1.001193';
const MARITAL = '1.004873';
const RESIDENCE = '1.004222';
const HOME = { commune: '22366', street: '25 Lê Thánh Tôn' };

/** The demo citizen's answers to the marital-status e-form, for `purpose`. */
const maritalAnswers = (purpose: string, changed: Record<string, unknown> = {}) => ({
  nguoi_yeu_cau_ho_ten: 'Nguyễn Thị Mai',
  nguoi_yeu_cau_noi_cu_tru: HOME,
  nguoi_yeu_cau_so_dinh_danh: DEMO_CITIZEN_ID,
  quan_he: 'Bản thân',
  ho_ten: 'Nguyễn Thị Mai',
  ngay_sinh: '1990-03-14',
  gioi_tinh: 'Nữ',
  dan_toc: 'Kinh',
  quoc_tich: 'Việt Nam',
  so_dinh_danh: DEMO_CITIZEN_ID,
  noi_cu_tru: HOME,
  tinh_trang_hon_nhan: 'Hiện tại chưa đăng ký kết hôn với ai',
  muc_dich: purpose,
  cam_doan: true,
  ...changed,
});
const HOME_TEXT = '25 Lê Thánh Tôn, Phường Nha Trang, Tỉnh Khánh Hòa';

/** A walk-in marital-status dossier the counter records, with the address and phone the officer typed. */
const maritalWalkIn = (decidingOrgUnitId: string, applicantName: string, address: string, phone: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/dossiers/counter',
    headers: authHeaders(counter),
    payload: { procedureCode: MARITAL, decidingOrgUnitId, channel: 1, applicantName, address, phone, request: 'Xin xác nhận tình trạng hôn nhân' },
  });
const unit = async (name: string) => (await t.db.selectFrom('org_units').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
const submit = (key: string, payload: Record<string, unknown>, s: Session = citizen) =>
  t.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...authHeaders(s), 'idempotency-key': key }, payload: { address: HOME_TEXT, request: 'Đề nghị giải quyết thủ tục', ...payload } });
const upload = async () => {
  const body = multipartBody({}, { name: 'file', filename: 'giay-chung-sinh.pdf', data: pdfBytes('giấy chứng sinh') });
  return (await t.app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...authHeaders(citizen), 'content-type': body.contentType }, payload: body.payload })).json().id as string;
};
const originsOf = async (dossierId: string) =>
  Object.fromEntries((await t.db.selectFrom('dossier_answers').select(['field_key', 'origin']).where('dossier_id', '=', dossierId).execute()).map((r) => [r.field_key, r.origin]));

/** The birth declaration as the account fills it, with the child's part typed. */
const birthAnswers = (changes: Record<string, unknown> = {}) => ({
  nguoi_yeu_cau_ho_ten: 'Nguyễn Thị Mai',
  nguoi_yeu_cau_noi_cu_tru: HOME,
  nguoi_yeu_cau_so_dinh_danh: DEMO_CITIZEN_ID,
  quan_he: 'Mẹ',
  ho_ten: 'Trần Minh An',
  ngay_sinh: '2026-01-20',
  gioi_tinh: 'Nam',
  dan_toc: 'Kinh',
  quoc_tich: 'Việt Nam',
  noi_sinh: 'Bệnh viện Đa khoa tỉnh Khánh Hòa, 19 Yersin, phường Nha Trang',
  que_quan: 'Khánh Hòa',
  me_ho_ten: 'Nguyễn Thị Mai',
  me_nam_sinh: '1990',
  cam_doan: true,
  ...changes,
});

beforeAll(async () => {
  t = await createTestApp();
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  leader = await signIn(t.app, 'lanhdao.tinh', DEMO_PASSWORD);
  nhaTrang = await unit('UBND phường Nha Trang');
  camAn = await unit('UBND xã Cam An');
});
afterAll(async () => t.close());

describe('the seeded e-forms', () => {
  it("ask the birth declaration's questions, by section, each with its source, as the API documents them", async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${BIRTH}/form-fields` });
    expect(res.statusCode).toBe(200);
    const { fields, answersSchema } = res.json();
    const byKey = Object.fromEntries(fields.map((f: { key: string }) => [f.key, f]));
    expect(byKey.nguoi_yeu_cau_noi_cu_tru).toMatchObject({ kind: 'address', required: true, group: 'Người yêu cầu', prefill: 'address' });
    expect(byKey.nguoi_yeu_cau_so_dinh_danh).toMatchObject({ kind: 'personal_id', prefill: 'personal_id' });
    expect(byKey.ngay_sinh).toMatchObject({ kind: 'date', group: 'Người được khai sinh' });
    expect(byKey.dan_toc.options).toHaveLength(54);
    expect(byKey.cam_doan).toMatchObject({ kind: 'checkbox', required: true });
    expect(fields.every((f: { source: string | null }) => (f.source ?? '').includes('Tờ khai') || (f.source ?? '').includes('../shared'))).toBe(true);
    expect(answersSchema.required).toEqual(expect.arrayContaining(['ho_ten', 'ngay_sinh', 'cam_doan']));
    expect(answersSchema.properties.nguoi_yeu_cau_noi_cu_tru).toMatchObject({ type: 'object', required: ['commune', 'street'] });
    expect(answersSchema.properties.cam_doan.type).toBe('boolean');
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(JSON.stringify(docs.json().paths['/api/v1/procedures/{code}/form-fields'])).toContain('answersSchema');
  });

  it('ask for clean papers, each said required or optional, with when it is needed', async () => {
    const res = (await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${BIRTH}/paper-requirements` })).json();
    expect(res.custom).toBe(true);
    expect(res.requirements.map((r: { name: string; required: boolean }) => [r.name, r.required])).toEqual([
      ['Giấy chứng sinh', true],
      ['Văn bản ủy quyền', false],
      ['Biên bản về việc trẻ bị bỏ rơi', false],
      ['Văn bản xác nhận của cơ sở y tế đã thực hiện kỹ thuật hỗ trợ sinh sản cho việc mang thai hộ', false],
      ['Giấy tờ chứng minh nơi cư trú', false],
    ]);
    expect(res.requirements.filter((r: { required: boolean }) => !r.required).every((r: { hint: string | null }) => (r.hint ?? '').length > 10)).toBe(true);
    const page = await t.app.inject({ method: 'GET', url: `/dich-vu-cong/nop/${BIRTH}`, headers: { cookie: citizen.cookie } });
    expect(page.body).toContain('1. Giấy chứng sinh<span class="required"> (bắt buộc)</span>');
    expect(page.body).toContain('2. Văn bản ủy quyền<span class="required"> (nếu có)</span>');
  });

  it('are in force for the five procedures, each as a setup version of its procedure', async () => {
    for (const code of [BIRTH, RESIDENCE, '1.001612', '1.004194', MARITAL]) {
      const form = (await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${code}/form-fields` })).json();
      expect(form.fields.length, code).toBeGreaterThan(8);
      expect(form.fields.every((f: { source: string | null }) => (f.source ?? '').length > 10), code).toBe(true);
      const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${code}` })).json();
      expect(detail.versions[0], code).toMatchObject({ origin: 'setup', validTo: null });
    }
  });
});

describe('a submission', () => {
  it('is checked against the e-form of the version in force, with every problem at once', async () => {
    const res = await submit('khai-sinh-sai', {
      procedureCode: BIRTH,
      decidingOrgUnitId: nhaTrang,
      fields: birthAnswers({ ho_ten: undefined, nguoi_yeu_cau_so_dinh_danh: '123', ngay_sinh: '2026-02-30', gioi_tinh: 'Khác', nguoi_yeu_cau_noi_cu_tru: { commune: '99999', street: '' }, cam_doan: 'có', me_noi_cu_tru: 'Nha Trang' }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort()).toEqual([
      'fields.cam_doan:type',
      'fields.gioi_tinh:choice',
      'fields.ho_ten:required',
      'fields.me_noi_cu_tru:type',
      'fields.ngay_sinh:date',
      'fields.nguoi_yeu_cau_noi_cu_tru.commune:unknown',
      'fields.nguoi_yeu_cau_noi_cu_tru.street:required',
      'fields.nguoi_yeu_cau_so_dinh_danh:personal_id_format',
      'papers.1:required',
    ]);
  });

  it('keeps each answer with where it came from: left as the account offered it, or typed (a changed offer is typed)', async () => {
    const prefill = (await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/prefill/${BIRTH}`, headers: { cookie: citizen.cookie } })).json();
    expect(prefill.fields).toMatchObject({
      nguoi_yeu_cau_ho_ten: { value: 'Nguyễn Thị Mai', origin: 'account' },
      nguoi_yeu_cau_so_dinh_danh: { value: DEMO_CITIZEN_ID, origin: 'account' },
      nguoi_yeu_cau_noi_cu_tru: { value: HOME, origin: 'account' },
    });
    expect(prefill.contact).toMatchObject({ address: { value: HOME_TEXT, origin: 'account' }, phone: { value: '0912345678', origin: 'account' } });
    const fileId = await upload();
    const res = await submit('khai-sinh-dung', {
      procedureCode: BIRTH,
      decidingOrgUnitId: nhaTrang,
      phone: '0912345678',
      papers: [{ requirement: 1, fileId }],
      fields: birthAnswers({ nguoi_yeu_cau_noi_cu_tru: { commune: HOME.commune, street: '27 Lê Thánh Tôn' } }),
    });
    expect(res.statusCode).toBe(201);
    const origins = await originsOf(res.json().id);
    expect(origins).toMatchObject({ nguoi_yeu_cau_ho_ten: 'account', nguoi_yeu_cau_so_dinh_danh: 'account', nguoi_yeu_cau_noi_cu_tru: 'typed', ho_ten: 'typed', cam_doan: 'typed' });
    expect(Object.keys(origins)).toHaveLength(14);
    const view = res.json().form;
    expect(view.answers.find((a: { key: string }) => a.key === 'nguoi_yeu_cau_noi_cu_tru')).toMatchObject({ value: '27 Lê Thánh Tôn, Phường Nha Trang, Tỉnh Khánh Hòa', origin: 'typed', group: 'Người yêu cầu' });
    expect(view.answers.find((a: { key: string }) => a.key === 'nguoi_yeu_cau_ho_ten')).toMatchObject({ origin: 'account', sourceDossierCode: null });
    expect(view.contactOrigins).toEqual({ address: { origin: 'account', sourceDossierCode: null }, phone: { origin: 'account', sourceDossierCode: null } });
    const officer = await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${res.json().id}`, headers: { cookie: leader.cookie } });
    expect(officer.body).toContain('Nguyễn Thị Mai<span class="meta"> (tự động điền từ tài khoản)</span>');
  });

  it('fills in from an earlier dossier what the account does not say, naming that dossier', async () => {
    const profile = (await t.app.inject({ method: 'GET', url: '/api/v1/me/profile', headers: { cookie: citizen.cookie } })).json();
    const cleared = await t.app.inject({ method: 'PUT', url: '/api/v1/me/profile', headers: authHeaders(citizen), payload: { ...profile, dateOfBirth: null, fullName: undefined, personalId: undefined, address: { commune: HOME.commune, street: HOME.street } } });
    expect(cleared.statusCode).toBe(200);
    const residence = await submit('thuong-tru', {
      procedureCode: RESIDENCE,
      decidingOrgUnitId: nhaTrang,
      fields: { ho_ten: 'Nguyễn Thị Mai', ngay_sinh: '1990-03-14', gioi_tinh: 'Nữ', so_dinh_danh: DEMO_CITIZEN_ID, chu_ho_ho_ten: 'Nguyễn Thị Mai', quan_he_chu_ho: 'Là chủ hộ', dia_chi_thuong_tru: HOME, truong_hop: 'Chỗ ở hợp pháp thuộc quyền sở hữu của mình' },
    });
    expect(residence.statusCode).toBe(201);
    expect((await originsOf(residence.json().id)).ngay_sinh).toBe('typed');
    const prefill = (await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/prefill/${MARITAL}`, headers: { cookie: citizen.cookie } })).json();
    expect(prefill.fields.ngay_sinh).toEqual({ value: '1990-03-14', origin: 'previous_dossier', sourceDossierCode: residence.json().code });
    expect(prefill.fields.ho_ten.origin).toBe('account');
    const page = await t.app.inject({ method: 'GET', url: `/dich-vu-cong/nop/${MARITAL}`, headers: { cookie: citizen.cookie } });
    expect(page.body).toContain(`Tự động điền từ hồ sơ trước (${residence.json().code})`);
    expect(page.body).toMatch(/name="fields.ngay_sinh"[^>]*value="14\/03\/1990"/);
    await t.app.inject({ method: 'PUT', url: '/api/v1/me/profile', headers: authHeaders(citizen), payload: { ...profile, fullName: undefined, personalId: undefined, address: { commune: HOME.commune, street: HOME.street } } });
  });

  it('sends notifications to the contact phone and e-mail given on the dossier, online and at the counter', async () => {
    const online = await submit('lien-he-rieng', {
      procedureCode: MARITAL,
      decidingOrgUnitId: nhaTrang,
      phone: '0987654321',
      email: 'lien.he@example.vn',
      fields: maritalAnswers('Để vay vốn ngân hàng'),
    });
    expect(online.statusCode).toBe(201);
    const sent = await outboxMessagesOf(t.db, 'dossier', online.json().id);
    expect(sent.map((m) => `${m.topic}:${m.to}`).sort()).toEqual(['email:lien.he@example.vn', 'sms:0987654321']);
    expect(online.json().form).toMatchObject({ phone: '0987654321', email: 'lien.he@example.vn' });
    const walkIn = await maritalWalkIn(nhaTrang, 'Lê Văn Tư', '3 Lê Lợi, phường Nha Trang', '0905111222');
    expect(walkIn.statusCode).toBe(201);
    expect((await outboxMessagesOf(t.db, 'dossier', walkIn.json().id)).map((m) => `${m.topic}:${m.to}`)).toEqual(['sms:0905111222']);
  });

  it("keeps how the applicant wants the result back, which is the officer's default when returning it", async () => {
    const res = await submit('nhan-qua-buu-dien', {
      procedureCode: MARITAL,
      decidingOrgUnitId: nhaTrang,
      resultDelivery: 'postal',
      deliveryAddress: '8 Pasteur, phường Nha Trang, Khánh Hòa',
      fields: maritalAnswers('Để kết hôn'),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().form.delivery).toEqual({ method: 'postal', address: '8 Pasteur, phường Nha Trang, Khánh Hòa' });
    const page = await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${res.json().id}`, headers: { cookie: leader.cookie } });
    expect(page.body).toContain('Người nộp đề nghị nhận kết quả');
    expect(page.body).toContain('qua bưu chính công ích: 8 Pasteur, phường Nha Trang, Khánh Hòa');
  });
});

describe('the online form, without JavaScript', () => {
  const post = (fields: Record<string, string>, extra = '') =>
    t.app.inject({
      method: 'POST',
      url: `/dich-vu-cong/nop/${MARITAL}`,
      headers: { cookie: citizen.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `${new URLSearchParams({ _csrf: citizen.csrf, idempotencyKey: 'trang-tthn-1', decidingOrgUnitId: nhaTrang, request: 'Đề nghị cấp giấy xác nhận', ...fields }).toString()}${extra}`,
    });

  it('starts with the account filled in and marked, in sections, with an address on the admin units', async () => {
    const page = await t.app.inject({ method: 'GET', url: `/dich-vu-cong/nop/${MARITAL}`, headers: { cookie: citizen.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<legend>Người được cấp Giấy xác nhận</legend>');
    expect(page.body).toMatch(/name="fields.nguoi_yeu_cau_ho_ten"[^>]*value="Nguyễn Thị Mai"/);
    expect(page.body).toMatch(/id="f-fields-nguoi_yeu_cau_ho_ten-mark">Tự động điền từ tài khoản/);
    expect(page.body).toContain('<option value="22366" selected>Phường Nha Trang</option>');
    expect(page.body).toMatch(/name="fields.noi_cu_tru.street"[^>]*value="25 Lê Thánh Tôn"/);
    expect(page.body).toMatch(/name="phone"[^>]*value="0912345678"/);
    expect(page.body).toContain('name="resultDelivery" value="postal"');
  });

  it('shows every error next to its field, keeps what was typed, and marks only what is still as offered', async () => {
    const res = await post({
      'fields.nguoi_yeu_cau_ho_ten': 'Nguyễn T. Mai',
      'fields.nguoi_yeu_cau_noi_cu_tru.commune': HOME.commune,
      'fields.nguoi_yeu_cau_noi_cu_tru.street': HOME.street,
      'fields.nguoi_yeu_cau_so_dinh_danh': '05619000123',
      'fields.ngay_sinh': '31/02/1990',
      address: HOME_TEXT,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Số định danh cá nhân gồm đúng 12 chữ số.');
    expect(res.body).toContain('Ngày không hợp lệ');
    expect(res.body).toContain('Vui lòng đánh dấu: Tôi cam đoan những nội dung khai trên đây là đúng sự thật.');
    expect(res.body).toMatch(/name="fields.nguoi_yeu_cau_ho_ten"[^>]*value="Nguyễn T. Mai"/);
    expect(res.body).toMatch(/name="fields.ngay_sinh"[^>]*value="31\/02\/1990"/);
    expect(res.body).not.toContain('id="f-fields-nguoi_yeu_cau_ho_ten-mark"');
    expect(res.body).toContain('id="f-fields-nguoi_yeu_cau_noi_cu_tru-mark"');
  });

  it('goes through the check of the answers to a dossier whose answers say where they came from', async () => {
    const form = {
      'fields.nguoi_yeu_cau_ho_ten': 'Nguyễn Thị Mai',
      'fields.nguoi_yeu_cau_noi_cu_tru.commune': HOME.commune,
      'fields.nguoi_yeu_cau_noi_cu_tru.street': HOME.street,
      'fields.nguoi_yeu_cau_so_dinh_danh': DEMO_CITIZEN_ID,
      'fields.quan_he': 'Bản thân',
      'fields.ho_ten': 'Nguyễn Thị Mai',
      'fields.ngay_sinh': '14/03/1990',
      'fields.gioi_tinh': 'Nữ',
      'fields.dan_toc': 'Kinh',
      'fields.quoc_tich': 'Việt Nam',
      'fields.so_dinh_danh': DEMO_CITIZEN_ID,
      'fields.noi_cu_tru.commune': HOME.commune,
      'fields.noi_cu_tru.street': HOME.street,
      'fields.tinh_trang_hon_nhan': 'Hiện tại chưa đăng ký kết hôn với ai',
      'fields.muc_dich': 'Để bổ sung hồ sơ vay vốn',
      'fields.cam_doan': '1',
      address: HOME_TEXT,
      phone: '0912345678',
      resultDelivery: 'counter',
    };
    const review = await post(form);
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain('Kiểm tra thông tin trước khi nộp');
    expect(review.body).toContain('Nguyễn Thị Mai<span class="autofill"> (Tự động điền từ tài khoản)</span>');
    expect(review.body).toContain(`${HOME_TEXT}<span class="autofill"> (Tự động điền từ tài khoản)</span>`);
    expect(review.body).toContain('14/03/1990<span class="autofill"> (Tự động điền từ tài khoản)</span>');
    const done = await post(form, '&step=submit');
    expect(done.statusCode).toBe(303);
    const id = String(done.headers.location).match(/ho-so\/([0-9a-f-]+)/)?.[1] ?? '';
    expect(await originsOf(id)).toMatchObject({ nguoi_yeu_cau_ho_ten: 'account', ngay_sinh: 'account', quan_he: 'typed', cam_doan: 'typed' });
  });
});

describe('the share of form fields filled in automatically', () => {
  const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
  it('is counted per deciding unit from the stored answers, for the plan target', async () => {
    // 14 e-form answers (8 left as the account gave them) and 2 contact ones (both from the account)…
    const online = await submit('thong-ke-tu-dong', {
      procedureCode: MARITAL,
      decidingOrgUnitId: camAn,
      phone: '0912345678',
      fields: maritalAnswers('Để vay vốn', { noi_cu_tru: { commune: HOME.commune, street: '9 Hùng Vương' } }),
    });
    expect(online.statusCode).toBe(201);
    // …and a walk-in dossier whose address and phone the officer typed.
    const walkIn = await maritalWalkIn(camAn, 'Phan Văn Năm', 'Thôn Tân Xương, xã Cam An', '0905333444');
    expect(walkIn.statusCode).toBe(201);
    const stats = (await t.app.inject({ method: 'GET', url: `/api/v1/dossier-statistics?from=${today}&to=${today}`, headers: { cookie: leader.cookie } })).json();
    const row = stats.rows.find((r: { orgUnitId: string }) => r.orgUnitId === camAn);
    expect(row).toMatchObject({ formFields: 18, formFieldsAutofilled: 10 });
    expect(row.autofillShare).toBeCloseTo(10 / 18, 6);
    expect(stats.total.formFields).toBeGreaterThanOrEqual(18);
    const page = await t.app.inject({ method: 'GET', url: `/thong-ke/ho-so?from=${today}&to=${today}`, headers: { cookie: leader.cookie } });
    expect(page.body).toContain('Tỷ lệ tự động điền');
    expect(page.body).toContain('55,6 %');
  });
});
