import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { justiceProcedure } from '../../../test/support/justice.ts';
import { multipartBody } from '../../../test/support/multipart.ts';
import { exeBytes, pdfBytes, pngBytes, signedPdfBytes } from '../../../test/support/paper-files.ts';
import { authHeaders, createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { systemActor } from '../../platform/audit/audit-log.ts';
import { verifyAuditLog } from '../../platform/audit/verify-audit-log.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { setPaperRequirements } from '../procedures/paper-requirements.ts';

let t: TestApp;
let citizen: Session;
let other: Session;
let counter: Session;
let specialist: Session;
let outsider: Session;
let procedureCode: string;
let justiceId: string;

const PDF = 'application/pdf' as const;

beforeAll(async () => {
  t = await createTestApp();
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  await insertUser(t.db, { username: '079205008888', kind: 'citizen', personalId: '079205008888', fullName: 'Người khác' });
  other = await signIn(t.app, '079205008888');
  const commune = await t.db.selectFrom('org_units').select('id').where('name', 'like', 'Trung tâm Phục vụ hành chính công phường%').executeTakeFirstOrThrow();
  await insertUser(t.db, { username: 'motcua.phuong2', roles: [{ role: 'one_stop_officer', orgUnitId: commune.id }] });
  outsider = await signIn(t.app, 'motcua.phuong2');
  const p = await justiceProcedure(t.db, { online: true });
  ({ justiceId, procedureCode } = p);
  await setPaperRequirements(t.db, systemActor('test'), p.versionId, [
    { seq: 1, name: 'Tờ khai theo mẫu', required: true, mediaTypes: [PDF], maxBytes: 1024 * 1024 },
    { seq: 2, name: 'Ảnh chụp giấy tờ liên quan', required: false, mediaTypes: ['image/jpeg', 'image/png'], maxBytes: 1024 * 1024 },
  ]);
});
afterAll(async () => t.close());

const upload = (s: Session, filename: string, data: Buffer) => {
  const body = multipartBody({}, { name: 'file', filename, data });
  return t.app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...authHeaders(s), 'content-type': body.contentType }, payload: body.payload });
};
const uploadId = async (s: Session, filename: string, data: Buffer) => {
  const res = await upload(s, filename, data);
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
};
const submit = (key: string, papers: unknown[], s: Session = citizen) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/dossiers',
    headers: { ...authHeaders(s), 'idempotency-key': key },
    payload: { procedureCode, decidingOrgUnitId: justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết thủ tục', papers },
  });
const act = (id: string, action: string, version: number, s: Session, extra: Record<string, unknown> = {}) =>
  t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/actions/${action}`, headers: { ...authHeaders(s), 'if-match': `"${version}"` }, payload: { note: 'Ghi chú của cán bộ xử lý', ...extra } });

describe('uploading papers', () => {
  it('types a file by its content and refuses programs, other types and oversized files', async () => {
    const ok = await upload(citizen, 'to-khai.PDF', signedPdfBytes());
    expect(ok.statusCode).toBe(201);
    // A signature field with nothing real in it is found and verified: invalid, never counted as signed.
    expect(ok.json()).toMatchObject({ mediaType: PDF, fileName: 'to-khai.pdf', signature: { status: 'invalid', trusted: false, signatures: [{ status: 'invalid', problem: 'malformed' }] } });
    const disguised = await upload(citizen, 'to-khai.pdf', exeBytes());
    expect(disguised.statusCode).toBe(400);
    expect(disguised.headers['content-type']).toContain('application/problem+json');
    expect(disguised.json().errors[0]).toMatchObject({ field: 'file', code: 'file_type' });
    expect(disguised.json().errors[0].message).toContain('chương trình');
    const text = await upload(citizen, 'anh.png', Buffer.from('<script>alert(1)</script>'));
    expect(text.statusCode).toBe(400);
    const big = await upload(citizen, 'lon.pdf', Buffer.concat([pdfBytes(), Buffer.alloc(11 * 1024 * 1024, 32)]));
    expect(big.statusCode).toBe(413);
    expect(big.json().errors[0]).toMatchObject({ field: 'file', code: 'too_large' });
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/files', headers: { 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x--\r\n' });
    expect([401, 403]).toContain(anonymous.statusCode);
  });
});

describe('upload limits', () => {
  it('refuses more uploads a minute than allowed to one account (429), other accounts unaffected', async () => {
    const limited = await createTestApp({ CQS_UPLOADS_PER_MINUTE: '2' });
    try {
      const s = await signIn(limited.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
      const send = (session: Session) => {
        const body = multipartBody({}, { name: 'file', filename: 'a.pdf', data: pdfBytes() });
        return limited.app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...authHeaders(session), 'content-type': body.contentType }, payload: body.payload });
      };
      expect((await send(s)).statusCode).toBe(201);
      expect((await send(s)).statusCode).toBe(201);
      const third = await send(s);
      expect(third.statusCode).toBe(429);
      expect(third.headers['content-type']).toContain('application/problem+json');
      expect((await send(await signIn(limited.app, 'motcua.tinh', DEMO_PASSWORD))).statusCode).toBe(201);
    } finally {
      await limited.close();
    }
  });
});

describe('a dossier with papers', () => {
  let dossierId: string;
  let version: number;

  it('reports every paper problem at once and creates nothing', async () => {
    const png = await uploadId(citizen, 'anh.png', pngBytes());
    const othersFile = await uploadId(other, 'cua-nguoi-khac.pdf', pdfBytes());
    const res = await submit('giay-to-sai', [
      { requirement: 1, fileId: png },
      { requirement: 2, fileId: othersFile },
      { requirement: 7, fileId: png },
    ]);
    expect(res.statusCode).toBe(400);
    const errors = res.json().errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`);
    expect(errors).toEqual(expect.arrayContaining(['papers.1:file_type', 'papers.2:not_found', 'papers.7:unknown_requirement']));
    const missing = await submit('giay-to-thieu', []);
    expect(missing.json().errors).toEqual([expect.objectContaining({ field: 'papers.1', code: 'required' })]);
    const count = await t.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).where('idempotency_key', 'in', ['giay-to-sai', 'giay-to-thieu']).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('keeps the papers with the dossier and in the applicant\'s digitised records', async () => {
    const form = await uploadId(citizen, 'to-khai.pdf', pdfBytes('tờ khai'));
    const photo = await uploadId(citizen, 'anh.png', pngBytes());
    const res = await submit('giay-to-dung', [
      { requirement: 1, fileId: form },
      { requirement: 2, fileId: photo },
    ]);
    expect(res.statusCode).toBe(201);
    expect(res.json().papers.map((p: { title: string; kind: string }) => `${p.kind}:${p.title}`)).toEqual(['submitted:Tờ khai theo mẫu', 'submitted:Ảnh chụp giấy tờ liên quan']);
    dossierId = res.json().id;
    version = res.json().rowVersion;
    const records = await t.app.inject({ method: 'GET', url: '/api/v1/me/records', headers: { cookie: citizen.cookie } });
    expect(records.json().map((r: { title: string }) => r.title)).toEqual(expect.arrayContaining(['Tờ khai theo mẫu', 'Ảnh chụp giấy tờ liên quan']));
    const othersRecords = await t.app.inject({ method: 'GET', url: '/api/v1/me/records', headers: { cookie: other.cookie } });
    expect(othersRecords.json()).toEqual([]);
  });

  it('lets the applicant and officers in scope download a paper; anyone else gets 404', async () => {
    const view = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${dossierId}`, headers: { cookie: citizen.cookie } });
    const paper = view.json().papers[0];
    const url = `/api/v1/dossiers/${dossierId}/papers/${paper.id}`;
    const own = await t.app.inject({ method: 'GET', url, headers: { cookie: citizen.cookie } });
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe(PDF);
    expect(own.headers['content-disposition']).toContain('attachment');
    expect(own.rawPayload.toString('utf8')).toContain('tờ khai');
    expect((await t.app.inject({ method: 'GET', url, headers: { cookie: counter.cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url, headers: { cookie: other.cookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url, headers: { cookie: outsider.cookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${dossierId}/papers/${view.json().id}`, headers: { cookie: citizen.cookie } })).statusCode).toBe(404);
  });

  it('takes supplement papers from the applicant and a PDF result from the deciding leader', async () => {
    const received = await act(dossierId, 'receive', version, counter);
    const processing = await act(dossierId, 'start_processing', received.json().rowVersion, counter);
    const asked = await act(dossierId, 'request_supplement', processing.json().rowVersion, specialist, { note: 'Bổ sung bản sao giấy khai sinh' });
    const extra = await uploadId(citizen, 'khai-sinh.png', pngBytes());
    const othersFile = await uploadId(other, 'x.pdf', pdfBytes());
    const stolen = await act(dossierId, 'provide_supplement', asked.json().rowVersion, citizen, { fileIds: [othersFile] });
    expect(stolen.statusCode).toBe(400);
    const supplied = await act(dossierId, 'provide_supplement', asked.json().rowVersion, citizen, { fileIds: [extra] });
    expect(supplied.statusCode).toBe(200);
    expect(supplied.json().papers.filter((p: { kind: string }) => p.kind === 'supplement')).toHaveLength(1);
    const forwarded = await act(dossierId, 'forward', supplied.json().rowVersion, specialist);
    const leader = await signIn(t.app, 'lanhdao.stp', DEMO_PASSWORD);
    const image = await uploadId(leader, 'ket-qua.png', pngBytes());
    const wrong = await act(dossierId, 'decide', forwarded.json().rowVersion, leader, { fileIds: [image] });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0]).toMatchObject({ field: 'fileIds', code: 'file_type' });
    // A result whose signature does not verify is not issued (signature-verification tests: decision-result.test.ts).
    const forgedResult = await uploadId(leader, 'gia-mao.pdf', signedPdfBytes());
    const forged = await act(dossierId, 'decide', forwarded.json().rowVersion, leader, { fileIds: [forgedResult] });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().errors[0]).toMatchObject({ field: 'fileIds', code: 'signature_invalid' });
    const result = await uploadId(leader, 'quyet-dinh.pdf', pdfBytes('Quyết định'));
    const decided = await act(dossierId, 'decide', forwarded.json().rowVersion, leader, { fileIds: [result] });
    expect(decided.statusCode).toBe(200);
    expect(decided.json().papers.find((p: { kind: string }) => p.kind === 'result')).toMatchObject({ title: 'Kết quả giải quyết', signature: { status: 'unsigned' } });
    expect(decided.json().result).toEqual({ kind: 'electronic', number: null, issuedOn: null });
    const records = await t.app.inject({ method: 'GET', url: '/api/v1/me/records', headers: { cookie: citizen.cookie } });
    expect(records.json().filter((r: { kind: string }) => r.kind === 'result')).toHaveLength(1);
  });

  it('reuses a digitised record instead of a new upload, and refuses someone else\'s record', async () => {
    const records = await t.app.inject({ method: 'GET', url: '/api/v1/me/records', headers: { cookie: citizen.cookie } });
    const form = records.json().find((r: { title: string }) => r.title === 'Tờ khai theo mẫu');
    const refused = await submit('dung-lai-cua-nguoi-khac', [{ requirement: 1, recordId: form.id }], other);
    expect(refused.json().errors[0]).toMatchObject({ field: 'papers.1', code: 'not_found' });
    const reused = await submit('dung-lai', [{ requirement: 1, recordId: form.id }]);
    expect(reused.statusCode).toBe(201);
    expect(reused.json().papers[0]).toMatchObject({ reused: true, title: 'Tờ khai theo mẫu' });
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me/records', headers: { cookie: citizen.cookie } });
    expect(after.json()).toHaveLength(records.json().length);
    expect(await verifyAuditLog(t.db, { seal: true })).toMatchObject({ problems: [] });
  });
});

describe('the submission page with papers', () => {
  const url = () => `/dich-vu-cong/nop/${procedureCode}`;
  const post = (fields: Record<string, string | string[]>, files: { name: string; filename: string; data: Buffer }[] = []) => {
    const body = multipartBody({ _csrf: citizen.csrf, ...fields }, files);
    return t.app.inject({ method: 'POST', url: url(), headers: { cookie: citizen.cookie, 'content-type': body.contentType }, payload: body.payload });
  };

  it('keeps uploaded files across an error page, shows them on the review page, then submits once', async () => {
    const page = await t.app.inject({ method: 'GET', url: url(), headers: { cookie: citizen.cookie } });
    expect(page.body).toContain('Tờ khai theo mẫu');
    expect(page.body).toContain('enctype="multipart/form-data"');
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const first = await post({ idempotencyKey: key, decidingOrgUnitId: justiceId, address: '', request: 'Đề nghị cấp bản sao' }, [
      { name: 'upload_1', filename: 'to-khai.pdf', data: pdfBytes() },
      { name: 'upload_2', filename: 'virus.png', data: exeBytes() },
    ]);
    expect(first.statusCode).toBe(400);
    expect(first.body).toContain('to-khai.pdf');
    expect(first.body).toContain('là chương trình máy tính');
    expect(first.body).toContain('Đề nghị cấp bản sao');
    const kept = /name="paper_1" value="([^"]+)"/.exec(first.body)?.[1] ?? '';
    expect(kept).toMatch(/^f:/);
    const review = await post({ idempotencyKey: key, decidingOrgUnitId: justiceId, address: '5 Lê Thánh Tôn, Nha Trang', request: 'Đề nghị cấp bản sao', paper_1: kept });
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain('Kiểm tra thông tin trước khi nộp');
    expect(review.body).toContain('to-khai.pdf');
    const fields = { idempotencyKey: key, decidingOrgUnitId: justiceId, address: '5 Lê Thánh Tôn, Nha Trang', request: 'Đề nghị cấp bản sao', paper_1: kept, step: 'submit' };
    const [a, b] = await Promise.all([post(fields), post(fields)]);
    expect(a.statusCode).toBe(303);
    expect(b.headers.location).toBe(a.headers.location);
    const id = String(a.headers.location).split('/').pop()?.split('?')[0] ?? '';
    const papers = await t.db.selectFrom('dossier_papers').select('title').where('dossier_id', '=', id).execute();
    expect(papers.map((p) => p.title)).toEqual(['Tờ khai theo mẫu']);
  });

  it('names a missing required paper next to its field', async () => {
    const res = await post({ decidingOrgUnitId: justiceId, address: '5 Lê Thánh Tôn, Nha Trang', request: 'Đề nghị cấp bản sao' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="f-papers-1-error"');
    expect(res.body).toContain('Vui lòng nộp: Tờ khai theo mẫu.');
  });
});

describe('the store of digitised papers, on a fixed clock', () => {
  it('dates each record by the day in Việt Nam and tells records of one title apart, in the list and the picker', async () => {
    // 06:30 on 10/03/2026 in Việt Nam is still 09/03/2026 in UTC.
    const clocked = await createTestApp({}, { clock: { now: () => new Date('2026-03-10T06:30:00+07:00') } });
    try {
      const p = await justiceProcedure(clocked.db, { online: true });
      await setPaperRequirements(clocked.db, systemActor('test'), p.versionId, [{ seq: 1, name: 'Tờ khai theo mẫu', required: true, mediaTypes: [PDF], maxBytes: 1024 * 1024 }]);
      const s = await signIn(clocked.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
      const codes: string[] = [];
      for (const name of ['to-khai-lan-1.pdf', 'to-khai-lan-2.pdf']) {
        const body = multipartBody({}, { name: 'file', filename: name, data: pdfBytes(name) });
        const file = (await clocked.app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...authHeaders(s), 'content-type': body.contentType }, payload: body.payload })).json().id as string;
        const res = await clocked.app.inject({
          method: 'POST',
          url: '/api/v1/dossiers',
          headers: { ...authHeaders(s), 'idempotency-key': `kho-${name}` },
          payload: { procedureCode: p.procedureCode, decidingOrgUnitId: p.justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết thủ tục', papers: [{ requirement: 1, fileId: file }] },
        });
        expect(res.statusCode).toBe(201);
        codes.push(res.json().code);
      }
      const records = (await clocked.app.inject({ method: 'GET', url: '/api/v1/me/records', headers: { cookie: s.cookie } })).json();
      expect(records.map((r: { fileName: string; dossierCode: string }) => [r.fileName, r.dossierCode]).sort()).toEqual([
        ['to-khai-lan-1.pdf', codes[0]],
        ['to-khai-lan-2.pdf', codes[1]],
      ]);
      const store = (await clocked.app.inject({ method: 'GET', url: '/dich-vu-cong/kho-giay-to', headers: { cookie: s.cookie } })).body;
      for (const text of ['to-khai-lan-1.pdf', 'to-khai-lan-2.pdf', codes[0] ?? '', codes[1] ?? '', '<td>10/03/2026</td>']) expect(store).toContain(text);
      const picker = (await clocked.app.inject({ method: 'GET', url: `/dich-vu-cong/nop/${p.procedureCode}`, headers: { cookie: s.cookie } })).body;
      expect(picker).toContain(`Tờ khai theo mẫu — to-khai-lan-1.pdf (hồ sơ ${codes[0]}, 10/03/2026)`);
      expect(picker).toContain(`Tờ khai theo mẫu — to-khai-lan-2.pdf (hồ sơ ${codes[1]}, 10/03/2026)`);
      expect(picker).not.toContain('09/03/2026');
    } finally {
      await clocked.close();
    }
  });
});
