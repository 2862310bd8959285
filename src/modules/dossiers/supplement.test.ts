import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act } from '../../../test/support/dossier-steps.ts';
import { justiceProcedure } from '../../../test/support/justice.ts';
import { multipartBody } from '../../../test/support/multipart.ts';
import { pdfBytes, pngBytes } from '../../../test/support/paper-files.ts';
import { authHeaders, createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { systemActor } from '../../platform/audit/audit-log.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { setPaperRequirements } from '../procedures/paper-requirements.ts';

/** A supplement carries what was asked — at least a paper or a note — and the officer sees what changed since. */
let t: TestApp;
let citizen: Session;
let other: Session;
let counter: Session;
let specialist: Session;
let target: Awaited<ReturnType<typeof justiceProcedure>>;
let seq = 0;

beforeAll(async () => {
  t = await createTestApp();
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  await insertUser(t.db, { username: '079205007777', kind: 'citizen', personalId: '079205007777', fullName: 'Người khác' });
  other = await signIn(t.app, '079205007777');
  target = await justiceProcedure(t.db, { online: true });
  await setPaperRequirements(t.db, systemActor('test'), target.versionId, [
    { seq: 1, name: 'Tờ khai theo mẫu', required: true, mediaTypes: ['application/pdf'], maxBytes: 1024 * 1024 },
    { seq: 2, name: 'Bản sao giấy khai sinh', required: false, mediaTypes: ['application/pdf', 'image/png'], maxBytes: 1024 * 1024 },
  ]);
});
afterAll(async () => t.close());

const uploadId = async (s: Session, filename: string, data: Buffer) => {
  const body = multipartBody({}, { name: 'file', filename, data });
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...authHeaders(s), 'content-type': body.contentType }, payload: body.payload });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
};

/** An online dossier with its form, asked at reception to supplement. */
async function asked() {
  const form = await uploadId(citizen, 'to-khai.pdf', pdfBytes(`tờ khai ${++seq}`));
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/dossiers',
    headers: { ...authHeaders(citizen), 'idempotency-key': `bo-sung-${seq}` },
    payload: { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết thủ tục', papers: [{ requirement: 1, fileId: form }] },
  });
  expect(res.statusCode).toBe(201);
  const request = await act(t.app, res.json().id, 'request_supplement', res.json().rowVersion, counter, { note: 'Tờ khai chưa ký; bổ sung bản sao giấy khai sinh' });
  expect(request.statusCode).toBe(200);
  return { id: res.json().id as string, rowVersion: request.json().rowVersion as number };
}

describe('providing a supplement', () => {
  it('refuses an empty supplement, through the API and the page, and keeps the dossier waiting', async () => {
    const d = await asked();
    const empty = await act(t.app, d.id, 'provide_supplement', d.rowVersion, citizen, { note: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors).toMatchObject([{ field: 'fileIds', code: 'supplement_empty' }]);
    const body = multipartBody({ _csrf: citizen.csrf, action: 'provide_supplement', rowVersion: String(d.rowVersion) });
    const page = await t.app.inject({ method: 'POST', url: `/dich-vu-cong/ho-so/${d.id}`, headers: { cookie: citizen.cookie, 'content-type': body.contentType }, payload: body.payload });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('Tải lên ít nhất một giấy tờ bổ sung, hoặc ghi chú nội dung đã bổ sung');
    expect((await t.db.selectFrom('dossiers').select('status').where('id', '=', d.id).executeTakeFirstOrThrow()).status).toBe(5);
    // A note alone is a supplement (e.g. what was corrected in the online form).
    const noted = await act(t.app, d.id, 'provide_supplement', d.rowVersion, citizen, { note: 'Đã ký lại tờ khai và gửi bản giấy qua bưu điện' });
    expect(noted.statusCode).toBe(200);
    expect(noted.json().supplements).toMatchObject([{ request: 'Tờ khai chưa ký; bổ sung bản sao giấy khai sinh', provided: { note: 'Đã ký lại tờ khai và gửi bản giấy qua bưu điện', papers: [] } }]);
  });

  it('shows the officer which papers were replaced or added since the request, and the note', async () => {
    const d = await asked();
    const signedForm = await uploadId(citizen, 'to-khai-da-ky.pdf', pdfBytes(`tờ khai đã ký ${seq}`));
    const birth = await uploadId(citizen, 'khai-sinh.png', pngBytes(0x31));
    const extra = await uploadId(citizen, 'giay-uy-quyen.pdf', pdfBytes(`ủy quyền ${seq}`));
    const given = await act(t.app, d.id, 'provide_supplement', d.rowVersion, citizen, {
      note: 'Gửi tờ khai đã ký và bản sao giấy khai sinh',
      papers: [
        { requirement: 1, fileId: signedForm },
        { requirement: 2, fileId: birth },
      ],
      fileIds: [extra],
    });
    expect(given.statusCode).toBe(200);
    const view = (await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}`, headers: { cookie: counter.cookie } })).json();
    expect(view.supplements).toMatchObject([
      {
        requestedBy: expect.any(String),
        request: 'Tờ khai chưa ký; bổ sung bản sao giấy khai sinh',
        provided: {
          note: 'Gửi tờ khai đã ký và bản sao giấy khai sinh',
          papers: [
            { title: 'Tờ khai theo mẫu', requirementSeq: 1, change: 'replaced', paperId: expect.any(String) },
            { title: 'Bản sao giấy khai sinh', requirementSeq: 2, change: 'added' },
            { title: 'Giấy tờ bổ sung', requirementSeq: null, change: 'added' },
          ],
        },
      },
    ]);
    const page = (await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${d.id}`, headers: { cookie: counter.cookie } })).body;
    expect(page).toContain('Yêu cầu bổ sung và nội dung đã bổ sung');
    expect(page).toContain('Thay thế: 1. ');
    expect(page).toContain('Bổ sung mới: 2. ');
    expect(page).toContain('Ghi chú của người bổ sung: Gửi tờ khai đã ký và bản sao giấy khai sinh');
  });

  it('takes papers for the requirements through the page', async () => {
    const d = await asked();
    const before = await t.app.inject({ method: 'GET', url: `/dich-vu-cong/ho-so/${d.id}`, headers: { cookie: citizen.cookie } });
    expect(before.body).toContain('name="upload_1"');
    const body = multipartBody({ _csrf: citizen.csrf, action: 'provide_supplement', rowVersion: String(d.rowVersion), note: 'Tờ khai đã ký' }, { name: 'upload_1', filename: 'to-khai.pdf', data: pdfBytes(`qua trang ${seq}`), type: 'application/pdf' });
    const posted = await t.app.inject({ method: 'POST', url: `/dich-vu-cong/ho-so/${d.id}`, headers: { cookie: citizen.cookie, 'content-type': body.contentType }, payload: body.payload });
    expect(posted.statusCode).toBe(303);
    const view = (await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}`, headers: { cookie: counter.cookie } })).json();
    expect(view.supplements[0].provided.papers).toMatchObject([{ requirementSeq: 1, change: 'replaced' }]);
  });

  it('lets only the applicant and the counter supplement: another citizen and an officer elsewhere get 404, the department 403', async () => {
    const d = await asked();
    const note = { note: 'Đã bổ sung đầy đủ giấy tờ' };
    expect((await act(t.app, d.id, 'provide_supplement', d.rowVersion, other, note)).statusCode).toBe(404);
    const commune = await signIn(t.app, 'quantri.xa', DEMO_PASSWORD);
    expect((await act(t.app, d.id, 'provide_supplement', d.rowVersion, commune, note)).statusCode).toBe(404);
    expect((await act(t.app, d.id, 'provide_supplement', d.rowVersion, specialist, note)).statusCode).toBe(403);
    const others = await uploadId(other, 'x.pdf', pdfBytes(`của người khác ${seq}`));
    const stolen = await act(t.app, d.id, 'provide_supplement', d.rowVersion, citizen, { papers: [{ requirement: 1, fileId: others }] });
    expect(stolen.json().errors).toMatchObject([{ field: 'papers.1', code: 'not_found' }]);
  });
});
