import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, PAPER_RESULT } from '../../../test/support/dossier-steps.ts';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { multipartBody } from '../../../test/support/multipart.ts';
import { pdfBytes, pngBytes } from '../../../test/support/paper-files.ts';
import { pdfText, pdfTextAvailable } from '../../../test/support/pdf-text.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { paperRequirementsOf } from '../procedures/index.ts';
import { checkApplication } from './create-dossier.ts';
import { workflowOf } from './workflow.ts';

// A dossier keeps the papers, form and workflow of the procedure version it was received under: the administrator
// changing the setup while dossiers are under way changes only what new dossiers get.

let t: TestApp;
let admin: Session;
let counter: Session;
let specialist: Session;
let leader: Session;
let citizen: Session;
let justiceId: string;
let procedureCode: string;

const OLD_STEPS = [
  { name: 'Thẩm định hồ sơ', role: 'specialist', orgUnitId: null, budgetPercent: 70 },
  { name: 'Lãnh đạo phòng phê duyệt kết quả', role: 'department_leader', orgUnitId: null, budgetPercent: 30 },
];
const NEW_STEPS = [{ name: 'Thẩm định và ký kết quả', role: 'specialist', orgUnitId: null, budgetPercent: 100 }];
const OLD_PAPERS = [{ name: 'Tờ khai theo mẫu', required: true, mediaTypes: ['application/pdf'], maxBytes: 1024 * 1024 }];
const NEW_PAPERS = [{ name: 'Ảnh chụp giấy tờ tùy thân', required: true, mediaTypes: ['image/png'], maxBytes: 1024 * 1024 }];
const OLD_FIELDS = [{ key: 'muc_dich', label: 'Mục đích sử dụng', kind: 'select', required: true, options: ['Xin việc', 'Du học'] }];
const NEW_FIELDS = [{ key: 'so_ban', label: 'Số bản cần cấp', kind: 'number', required: true, options: [] }];

async function setup(what: 'workflow' | 'paper-requirements' | 'form-fields', payload: Record<string, unknown>) {
  const current = await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${procedureCode}/${what}` });
  const res = await t.app.inject({ method: 'PUT', url: `/api/v1/procedures/${procedureCode}/${what}`, headers: { ...authHeaders(admin), 'if-match': String(current.headers.etag) }, payload });
  if (res.statusCode !== 200) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
}
const upload = async (filename: string, data: Buffer) => {
  const body = multipartBody({}, { name: 'file', filename, data });
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...authHeaders(citizen), 'content-type': body.contentType }, payload: body.payload });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
};
const submitOnline = (key: string, fields: Record<string, string>, papers: unknown[]) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/dossiers',
    headers: { ...authHeaders(citizen), 'idempotency-key': key },
    payload: { procedureCode, decidingOrgUnitId: justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị cấp phiếu', fields, papers },
  });
const view = async (id: string, s: Session = leader) => (await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${id}`, headers: { cookie: s.cookie } })).json();
const versionOf = async (id: string) => (await t.db.selectFrom('dossiers').select('procedure_version_id').where('id', '=', id).executeTakeFirstOrThrow()).procedure_version_id;
async function inProcessing(name: string) {
  const d = await counterDossier(t.app, counter, { procedureCode, decidingOrgUnitId: justiceId, applicantName: name });
  const started = await act(t.app, d.id, 'start_processing', d.rowVersion, counter);
  expect(started.statusCode).toBe(200);
  return started.json() as { id: string; rowVersion: number; step: { seq: number; count: number; name: string } };
}

let atFirstStep: { id: string; rowVersion: number };
let atSecondStep: { id: string; rowVersion: number };
let submitted: { id: string; rowVersion: number };
let oldVersionId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signIn(t.app, 'admin', DEMO_PASSWORD);
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  leader = await signIn(t.app, 'lanhdao.stp', DEMO_PASSWORD);
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
  ({ justiceId, procedureCode } = await justiceProcedure(t.db, { online: true }));
  await setup('workflow', { steps: OLD_STEPS });
  await setup('paper-requirements', { requirements: OLD_PAPERS });
  await setup('form-fields', { fields: OLD_FIELDS });

  // Three dossiers under way under the old rules: at the review, at the leader's approval, and just submitted online.
  atFirstStep = await inProcessing('Người nộp ở bước 1');
  const second = await inProcessing('Người nộp ở bước 2');
  const forwarded = await act(t.app, second.id, 'forward', second.rowVersion, specialist);
  expect(forwarded.json().step).toMatchObject({ seq: 2, count: 2 });
  atSecondStep = forwarded.json();
  const online = await submitOnline('giu-quy-tac-cu', { muc_dich: 'Du học' }, [{ requirement: 1, fileId: await upload('to-khai.pdf', pdfBytes()) }]);
  expect(online.statusCode).toBe(201);
  submitted = online.json();
  oldVersionId = await versionOf(submitted.id);

  // The administrator then drops the leader's approval and changes the papers and the form.
  await setup('workflow', { steps: NEW_STEPS });
  await setup('paper-requirements', { requirements: NEW_PAPERS });
  await setup('form-fields', { fields: NEW_FIELDS });
});
afterAll(async () => t.close());

describe('dossiers keep the rules of the version they were received under', () => {
  it('the edit made new versions and left the dossiers on theirs', async () => {
    for (const d of [atFirstStep, atSecondStep, submitted]) expect(await versionOf(d.id)).toBe(oldVersionId);
    expect((await workflowOf(t.db, oldVersionId)).steps.map((s) => s.name)).toEqual(OLD_STEPS.map((s) => s.name));
    const current = await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${procedureCode}/workflow` });
    expect(current.json().steps.map((s: { name: string }) => s.name)).toEqual(NEW_STEPS.map((s) => s.name));
  });

  it('a dossier at the first step still needs the leader’s approval before the decision', async () => {
    expect((await view(atFirstStep.id)).step).toMatchObject({ seq: 1, count: 2, name: 'Thẩm định hồ sơ' });
    const early = await act(t.app, atFirstStep.id, 'decide', atFirstStep.rowVersion, specialist, PAPER_RESULT);
    expect(early.statusCode).toBe(403);
    const forwarded = await act(t.app, atFirstStep.id, 'forward', atFirstStep.rowVersion, specialist);
    expect(forwarded.json().step).toMatchObject({ seq: 2, name: 'Lãnh đạo phòng phê duyệt kết quả' });
    expect((await act(t.app, atFirstStep.id, 'decide', forwarded.json().rowVersion, specialist, PAPER_RESULT)).statusCode).toBe(403);
    const decided = await act(t.app, atFirstStep.id, 'decide', forwarded.json().rowVersion, leader, PAPER_RESULT);
    expect(decided.statusCode).toBe(200);
    expect(decided.json().status).toBe(9);
  });

  it('a dossier at the approval step keeps that step, on its page and its control slip, and the leader decides', async () => {
    expect((await view(atSecondStep.id)).step).toMatchObject({ seq: 2, count: 2, name: 'Lãnh đạo phòng phê duyệt kết quả' });
    const page = await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${atSecondStep.id}`, headers: { cookie: leader.cookie } });
    expect(page.body).toContain('2/2: Lãnh đạo phòng phê duyệt kết quả');
    expect((await act(t.app, atSecondStep.id, 'decide', atSecondStep.rowVersion, specialist, PAPER_RESULT)).statusCode).toBe(403);
    const decided = await act(t.app, atSecondStep.id, 'decide', atSecondStep.rowVersion, leader, PAPER_RESULT);
    expect(decided.json().status).toBe(9);
    if (pdfTextAvailable()) {
      const slip = await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${atSecondStep.id}/phieu/kiem-soat.pdf`, headers: { cookie: counter.cookie } });
      expect(pdfText(slip.rawPayload).flow).toContain('Bước 2: Lãnh đạo phòng phê');
    }
  });

  it('a submitted dossier is read and checked against its own papers and form, then processed on its own steps', async () => {
    const d = await view(submitted.id);
    expect(d.form.answers).toEqual([expect.objectContaining({ key: 'muc_dich', label: 'Mục đích sử dụng', value: 'Du học' })]);
    expect((await paperRequirementsOf(t.db, oldVersionId)).requirements.map((r) => r.name)).toEqual(['Tờ khai theo mẫu']);
    const citizenId = (await t.db.selectFrom('users').select('id').where('username', '=', DEMO_CITIZEN_ID).executeTakeFirstOrThrow()).id;
    const user: CurrentUser = { id: citizenId, kind: 'citizen', username: DEMO_CITIZEN_ID, fullName: 'Công dân', grants: [] };
    const paper = await upload('to-khai-2.pdf', pdfBytes('lần hai'));
    const answers = { fields: { muc_dich: 'Du học' }, papers: [{ requirement: 1, fileId: paper }] };
    await expect(checkApplication(t.db, user, oldVersionId, answers, { enforceRequired: true })).resolves.toBeDefined();
    const received = await act(t.app, submitted.id, 'receive', submitted.rowVersion, counter);
    expect(received.statusCode).toBe(200);
    const started = await act(t.app, submitted.id, 'start_processing', received.json().rowVersion, counter);
    expect(started.json().step).toMatchObject({ seq: 1, count: 2, name: 'Thẩm định hồ sơ' });
    const forwarded = await act(t.app, submitted.id, 'forward', started.json().rowVersion, specialist);
    expect((await act(t.app, submitted.id, 'decide', forwarded.json().rowVersion, leader, PAPER_RESULT)).json().status).toBe(9);
  });

  it('a new submission meets the new papers, form and workflow', async () => {
    const old = await submitOnline('quy-tac-cu-cho-ho-so-moi', { muc_dich: 'Du học' }, [{ requirement: 1, fileId: await upload('to-khai-3.pdf', pdfBytes('lần ba')) }]);
    expect(old.statusCode).toBe(400);
    expect(old.json().errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort()).toEqual(['fields.muc_dich:unknown_field', 'fields.so_ban:required', 'papers.1:file_type']);
    const fresh = await submitOnline('quy-tac-moi', { so_ban: '2' }, [{ requirement: 1, fileId: await upload('anh.png', pngBytes()) }]);
    expect(fresh.statusCode).toBe(201);
    expect(await versionOf(fresh.json().id)).not.toBe(oldVersionId);
    const received = await act(t.app, fresh.json().id, 'receive', fresh.json().rowVersion, counter);
    const started = await act(t.app, fresh.json().id, 'start_processing', received.json().rowVersion, counter);
    expect(started.json().step).toMatchObject({ seq: 1, count: 1, name: 'Thẩm định và ký kết quả' });
    // The one step is the last: its specialist decides without a leader's approval.
    expect((await act(t.app, fresh.json().id, 'decide', started.json().rowVersion, specialist, PAPER_RESULT)).json().status).toBe(9);
  });
});
