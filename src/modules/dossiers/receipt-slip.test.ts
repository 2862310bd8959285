import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act } from '../../../test/support/dossier-steps.ts';
import { justiceProcedure } from '../../../test/support/justice.ts';
import { multipartBody } from '../../../test/support/multipart.ts';
import { pdfBytes } from '../../../test/support/paper-files.ts';
import { pdfText, pdfTextAvailable } from '../../../test/support/pdf-text.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { systemActor } from '../../platform/audit/audit-log.ts';
import { formatClockDate, formatDateWords } from '../../web/format.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { setPaperRequirements } from '../procedures/paper-requirements.ts';
import { processingTimeOf, procedureInForce } from '../procedures/index.ts';
import { legalTime } from './form-layout.ts';

describe.runIf(pdfTextAvailable())('receipt slip (Mẫu 01)', () => {
  let t: TestApp;
  let counter: Session;
  let target: Awaited<ReturnType<typeof justiceProcedure>>;
  const slip = async (id: string, s: Session = counter, base = 'mot-cua') => {
    const res = await t.app.inject({ method: 'GET', url: `/${base}/ho-so/${id}/phieu/giay-tiep-nhan.pdf`, headers: { cookie: s.cookie } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    return pdfText(res.rawPayload);
  };
  const upload = async (s: Session, name: string) => {
    const file = multipartBody({}, { name: 'file', filename: name, data: pdfBytes(name) });
    return (await t.app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...authHeaders(s), 'content-type': file.contentType }, payload: file.payload })).json().id as string;
  };
  const receive = async (payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers/counter', headers: authHeaders(counter), payload: { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, request: 'Nộp tại quầy', ...payload } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; code: string; dueAt: string; receivedAt: string; rowVersion: number };
  };

  beforeAll(async () => {
    t = await createTestApp();
    counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
    target = await justiceProcedure(t.db, { online: true, workingDays: true });
    await setPaperRequirements(t.db, systemActor('test'), target.versionId, [
      { seq: 1, name: 'Tờ khai theo mẫu', required: true, mediaTypes: ['application/pdf'], maxBytes: 1024 * 1024 },
      { seq: 2, name: 'Giấy khai sinh', required: false, mediaTypes: ['application/pdf'], maxBytes: 1024 * 1024 },
    ]);
  });
  afterAll(async () => t?.close());

  it('follows the template: letterhead, motto, place and date, applicant, papers and sets, legal time, dates, return, officer', async () => {
    const scan = await upload(counter, 'to-khai-quet.pdf');
    const d = await receive({
      channel: 1,
      applicantName: 'Nguyễn Thị Hồng Nhung',
      address: '5 Yersin, phường Nha Trang',
      phone: '0905123456',
      sets: 2,
      papers: [{ requirement: 1, fileId: scan }],
      receivedPapers: [
        { requirement: 1, originals: 1, copies: 0 },
        { requirement: 2, originals: 0, copies: 2 },
      ],
    });
    const { text, flow, pageSize, orientation } = await slip(d.id);
    expect(pageSize).toMatch(/^419\.5\d* x 595\.2\d* pts/);
    expect(orientation).toBe('portrait');
    // Upper left the governing body, upper right the national name, on the same first line.
    expect(text).toMatch(/^\s*VĂN PHÒNG UBND TỈNH KHÁNH HÒA {2,}CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\s*$/m);
    expect(flow).toContain('VĂN PHÒNG UBND TỈNH KHÁNH HÒA TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH');
    expect(flow).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc');
    expect(flow).toContain(`Khánh Hòa, ${formatDateWords(new Date(d.receivedAt))}`);
    expect(flow).toContain('Mẫu số 01 (TT 03/2025/TT-VPCP)');
    expect(flow).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(flow).toContain(`Mã hồ sơ: ${d.code}`);
    expect(flow).toContain('Trung tâm Phục vụ hành chính công tỉnh tiếp nhận hồ sơ của: Nguyễn Thị Hồng Nhung');
    expect(flow).toContain('Địa chỉ: 5 Yersin, phường Nha Trang');
    expect(flow).toContain('Số điện thoại: 0905123456');
    const procedure = await procedureInForce(t.db, target.procedureCode);
    expect(flow).toContain(`Nội dung yêu cầu giải quyết: ${procedure?.name}`);
    // The papers with their originals and copies, side by side in the table.
    expect(text).toMatch(/Bản\s+Bản/);
    expect(text).toMatch(/1\s+Tờ khai theo mẫu\s+01\s+00\s+Đã số hóa \(1 tệp\)/);
    expect(text).toMatch(/2\s+Giấy khai sinh\s+00\s+02\s*$/m);
    expect(flow).toContain('2. Số lượng hồ sơ: 02 (bộ)');
    const legal = legalTime(await processingTimeOf(t.db, procedure?.versionId ?? ''));
    expect(legal).toMatch(/ngày làm việc$/);
    expect(flow).toContain(`3. Thời gian giải quyết hồ sơ theo quy định: ${legal}`);
    expect(flow).toContain(`4. Thời gian nhận hồ sơ: ${formatClockDate(new Date(d.receivedAt))}`);
    expect(flow).toContain(`5. Thời gian trả kết quả giải quyết hồ sơ: ${formatClockDate(new Date(d.dueAt))}`);
    expect(flow).toContain('6. Nơi, hình thức trả kết quả: Trực tiếp tại Trung tâm Phục vụ hành chính công tỉnh');
    expect(flow).toMatch(/NGƯỜI NỘP HỒ SƠ .*NGƯỜI TIẾP NHẬN HỒ SƠ .*Phạm Thị Lan/);
  });

  it('says the result goes back by post for a postal dossier, and online with electronic papers for an online one', async () => {
    const postal = await receive({ channel: 3, applicantName: 'Trần Văn Bưu', address: '7 Lý Tự Trọng, phường Nha Trang' });
    expect((await slip(postal.id)).flow).toContain('6. Nơi, hình thức trả kết quả: Qua dịch vụ bưu chính công ích, đến địa chỉ: 7 Lý Tự Trọng, phường Nha Trang');
    const citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
    const paper = await upload(citizen, 'to-khai.pdf');
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: { ...authHeaders(citizen), 'idempotency-key': 'giay-tiep-nhan-truc-tuyen' },
      payload: { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, address: '12 Trần Phú, Nha Trang', phone: '0912345678', request: 'Đề nghị giải quyết', papers: [{ requirement: 1, fileId: paper }] },
    });
    await act(t.app, submitted.json().id, 'receive', submitted.json().rowVersion, counter);
    const online = await slip(submitted.json().id, citizen, 'dich-vu-cong');
    expect(online.text).toMatch(/1\s+Tờ khai theo mẫu\s+Bản điện tử \(1 tệp\)/);
    expect(online.flow).toContain('Số điện thoại: 0912345678');
    expect(online.flow).toContain('Hình thức nộp: Trực tuyến');
    expect(online.flow).toContain('6. Nơi, hình thức trả kết quả: Trực tuyến');
  });

  it('records phone, sets and counts typed at the counter, showing every problem next to its field with what was typed', async () => {
    const fields = { _csrf: counter.csrf, procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, channel: '1', applicantName: 'Phan Thị Quầy', address: '3 Hùng Vương, Nha Trang', request: 'Nộp tại quầy' };
    const post = (extra: Record<string, string>) => {
      const body = multipartBody({ ...fields, ...extra });
      return t.app.inject({ method: 'POST', url: '/mot-cua/tiep-nhan', headers: { cookie: counter.cookie, 'content-type': body.contentType }, payload: body.payload });
    };
    const bad = await post({ phone: '12345', sets: '0', received_2_copies: 'hai' });
    expect(bad.statusCode).toBe(400);
    for (const id of ['f-phone-error', 'f-sets-error', 'f-received_2_copies-error']) expect(bad.body).toContain(`id="${id}"`);
    expect(bad.body).toContain('value="hai"');
    expect(bad.body).toContain('value="Phan Thị Quầy"');
    const ok = await post({ phone: '0987654321', sets: '3', received_1_originals: '1', received_2_copies: '2' });
    expect(ok.statusCode).toBe(303);
    const id = /\/mot-cua\/ho-so\/([0-9a-f-]{36})/.exec(ok.headers.location ?? '')?.[1] ?? '';
    const { text, flow } = await slip(id);
    expect(flow).toContain('Số điện thoại: 0987654321');
    expect(flow).toContain('2. Số lượng hồ sơ: 03 (bộ)');
    expect(text).toMatch(/1\s+Tờ khai theo mẫu\s+01\s+00\s*$/m);
    expect(text).toMatch(/2\s+Giấy khai sinh\s+00\s+02\s*$/m);
  });

  it('is not given to someone who cannot see the dossier', async () => {
    const d = await receive({ channel: 1, applicantName: 'Người Khác', address: '1 Trần Phú, Nha Trang' });
    const citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
    expect((await t.app.inject({ method: 'GET', url: `/dich-vu-cong/ho-so/${d.id}/phieu/giay-tiep-nhan.pdf`, headers: { cookie: citizen.cookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}/forms/receipt`, headers: { cookie: citizen.cookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${d.id}/phieu/giay-tiep-nhan.pdf` })).statusCode).toBe(401);
  });
});
