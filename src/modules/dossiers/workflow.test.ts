import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, PAPER_RESULT } from '../../../test/support/dossier-steps.ts';
import { pdfText, pdfTextAvailable } from '../../../test/support/pdf-text.ts';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { authHeaders, createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { verifyAuditLog } from '../../platform/audit/verify-audit-log.ts';
import { DEMO_PASSWORD } from '../directory/demo-accounts.ts';

let t: TestApp;
let counter: Session;
let specialist: Session;
let leader: Session;
let taxOfficer: Session;
let outsider: Session;
let justiceId: string;
let taxUnit: { id: string; name: string };
let procedureCode: string;
let specialistId: string;

beforeAll(async () => {
  t = await createTestApp();
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  leader = await signIn(t.app, 'lanhdao.stp', DEMO_PASSWORD);
  const target = await justiceProcedure(t.db, { workingDays: true, last: true });
  justiceId = target.justiceId;
  procedureCode = target.procedureCode;
  specialistId = (await t.db.selectFrom('users').select('id').where('username', '=', 'chuyenvien.stp').executeTakeFirstOrThrow()).id;
  taxUnit = await t.db.selectFrom('org_units').select(['id', 'name']).where('kind', '=', 'department').where('id', '<>', justiceId).where('valid_to', 'is', null).orderBy('name').executeTakeFirstOrThrow();
  await insertUser(t.db, { username: 'chuyenvien.lienthong', fullName: 'Chuyên viên liên thông', roles: [{ role: 'specialist', orgUnitId: taxUnit.id }] });
  taxOfficer = await signIn(t.app, 'chuyenvien.lienthong');
  const commune = await t.db.selectFrom('org_units').select('id').where('name', 'like', 'UBND phường%').executeTakeFirstOrThrow();
  await insertUser(t.db, { username: 'chuyenvien.phuong', fullName: 'Chuyên viên phường', roles: [{ role: 'specialist', orgUnitId: commune.id }] });
  outsider = await signIn(t.app, 'chuyenvien.phuong');
  await t.db
    .insertInto('workflow_steps')
    .values([
      { procedure_version_id: target.versionId, seq: 1, name: 'Thẩm định hồ sơ', role: 'specialist', org_unit_id: null, budget_percent: 40 },
      { procedure_version_id: target.versionId, seq: 2, name: 'Xác định nghĩa vụ tài chính (liên thông)', role: 'specialist', org_unit_id: taxUnit.id, budget_percent: 30 },
      { procedure_version_id: target.versionId, seq: 3, name: 'Phê duyệt kết quả', role: 'department_leader', org_unit_id: null, budget_percent: 30 },
    ])
    .execute();
});
afterAll(async () => t.close());

async function inProcessing(name: string) {
  const res = await counterDossier(t.app, counter, { procedureCode, decidingOrgUnitId: justiceId, applicantName: name });
  return (await act(t.app, res.id, 'start_processing', res.rowVersion, counter)).json();
}
const view = (id: string, s: Session) => t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${id}`, headers: { cookie: s.cookie } });

describe('processing steps with time budgets, across agencies', () => {
  it('hands the dossier over step by step, to the other agency and back, each step with its own due date', async () => {
    const d = await inProcessing('Người nộp liên thông');
    expect(d.step).toMatchObject({ seq: 1, count: 3, unit: 'Sở Tư pháp' });
    expect(new Date(d.step.dueAt).getTime()).toBeLessThan(new Date(d.dueAt).getTime());
    expect((await view(d.id, taxOfficer)).statusCode).toBe(404);
    const toTax = await act(t.app, d.id, 'forward', d.rowVersion, specialist, { note: 'Đề nghị xác định nghĩa vụ tài chính' });
    expect(toTax.json().step).toMatchObject({ seq: 2, unit: taxUnit.name });
    const seenByTax = await view(d.id, taxOfficer);
    expect(seenByTax.statusCode).toBe(200);
    expect(seenByTax.json().availableActions).toContain('forward');
    expect((await act(t.app, d.id, 'forward', toTax.json().rowVersion, specialist)).statusCode).toBe(403);
    const back = await act(t.app, d.id, 'forward', toTax.json().rowVersion, taxOfficer, { note: 'Đã xác định nghĩa vụ tài chính' });
    expect(back.json().step).toMatchObject({ seq: 3, unit: 'Sở Tư pháp' });
    expect(back.json().events.filter((e: { action: string }) => e.action === 'forward').map((e: { detail: string }) => e.detail)).toEqual([
      `Bước 2: Xác định nghĩa vụ tài chính (liên thông) — ${taxUnit.name}`,
      'Bước 3: Phê duyệt kết quả — Sở Tư pháp',
    ]);
    expect((await act(t.app, d.id, 'decide', back.json().rowVersion, specialist, PAPER_RESULT)).statusCode).toBe(403);
    const decided = await act(t.app, d.id, 'decide', back.json().rowVersion, leader, PAPER_RESULT);
    expect(decided.json().status).toBe(9);
    if (pdfTextAvailable()) {
      // Every hand-over, with the agency it went to, is on the process-control slip.
      const slip = await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${d.id}/phieu/kiem-soat.pdf`, headers: { cookie: counter.cookie } });
      const text = pdfText(slip.rawPayload).flow;
      expect(text).toContain('Chuyển bước xử lý tiếp theo');
      expect(text).toContain(`Bước 2: Xác định nghĩa vụ tài chính (liên thông) — ${taxUnit.name}`.slice(0, 30));
      expect(text.replace(/ /g, '')).toContain(taxUnit.name.replace(/ /g, ''));
      expect(text).toContain('Phê duyệt kết quả');
    }
  });

  it('sends a dossier back to whoever handed it on, and refuses an assignee who cannot work the step', async () => {
    const d = await inProcessing('Người nộp trả lại');
    const badAssignee = await act(t.app, d.id, 'forward', d.rowVersion, specialist, { assigneeId: specialistId });
    expect(badAssignee.statusCode).toBe(400);
    expect(badAssignee.json().errors[0]).toMatchObject({ field: 'assigneeId', code: 'not_allowed' });
    const taxId = (await t.db.selectFrom('users').select('id').where('username', '=', 'chuyenvien.lienthong').executeTakeFirstOrThrow()).id;
    const toTax = await act(t.app, d.id, 'forward', d.rowVersion, specialist, { assigneeId: taxId });
    expect(toTax.json().step.assignee).toBe('Chuyên viên liên thông');
    const back = await act(t.app, d.id, 'send_back', toTax.json().rowVersion, taxOfficer, { note: 'Thiếu thông tin thửa đất' });
    expect(back.json().step).toMatchObject({ seq: 1, assignee: 'Trần Minh Khoa' });
  });
});

describe('who the next step goes to', () => {
  it('offers only the people of the next step\'s unit and role, and refuses anyone else', async () => {
    const d = await inProcessing('Người nộp chọn người xử lý');
    const names = (v: { step: { nextCandidates: { name: string }[] } }) => v.step.nextCandidates.map((c) => c.name);
    // Not the provincial leader, whose role over the whole province covers every unit.
    expect(names(d)).toEqual(['Chuyên viên liên thông']);
    const toTax = (await act(t.app, d.id, 'forward', d.rowVersion, specialist)).json();
    expect(names((await view(d.id, taxOfficer)).json())).toEqual(['Võ Thị Thu']);
    const provincialLeader = (await t.db.selectFrom('users').select('id').where('username', '=', 'lanhdao.tinh').executeTakeFirstOrThrow()).id;
    const refused = await act(t.app, d.id, 'forward', toTax.rowVersion, taxOfficer, { assigneeId: provincialLeader });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'assigneeId', code: 'not_allowed' });
    const page = await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${d.id}`, headers: { cookie: taxOfficer.cookie } });
    expect(page.body).toContain('>Võ Thị Thu</option>');
    expect(page.body).not.toContain('>Lê Văn Hùng</option>');
  });
});

describe('assigning dossiers', () => {
  it('lets a leader assign several dossiers at once; they appear in the assignee\'s own queue', async () => {
    const a = await inProcessing('Người nộp phân công A');
    const b = await inProcessing('Người nộp phân công B');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers/assignments', headers: authHeaders(leader), payload: { dossierIds: [a.id, b.id], assigneeId: specialistId } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ assigned: 2 });
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/dossiers?view=mine', headers: { cookie: specialist.cookie } });
    expect(mine.json().items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(mine.json().items[0].assignee).toBe('Trần Minh Khoa');
    expect((await view(a.id, specialist)).json().events.at(-1)).toMatchObject({ action: 'assign', detail: 'Giao cho Trần Minh Khoa' });
    expect((await verifyAuditLog(t.db, { seal: true })).problems).toEqual([]);
  });

  it('assigns all or none: a dossier out of scope or a specialist assigning others changes nothing', async () => {
    const a = await inProcessing('Người nộp không đổi');
    const leaderId = (await t.db.selectFrom('users').select('id').where('username', '=', 'lanhdao.stp').executeTakeFirstOrThrow()).id;
    const bySpecialist = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers/assignments', headers: authHeaders(specialist), payload: { dossierIds: [a.id], assigneeId: leaderId } });
    expect(bySpecialist.statusCode).toBe(400);
    expect(bySpecialist.json().errors[0]).toMatchObject({ field: 'dossierIds.0', code: 'forbidden' });
    const byOutsider = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers/assignments', headers: authHeaders(outsider), payload: { dossierIds: [a.id], assigneeId: specialistId } });
    expect(byOutsider.json().errors[0]).toMatchObject({ field: 'dossierIds.0', code: 'not_found' });
    const mixed = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers/assignments', headers: authHeaders(leader), payload: { dossierIds: [a.id, '00000000-0000-4000-8000-000000000000'], assigneeId: specialistId } });
    expect(mixed.statusCode).toBe(400);
    expect((await view(a.id, leader)).json().step.assignee).toBeNull();
    const takesOwn = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers/assignments', headers: authHeaders(specialist), payload: { dossierIds: [a.id], assigneeId: specialistId } });
    expect(takesOwn.statusCode).toBe(200);
  });

  it('offers bulk assignment on the queue page to leaders, with the error shown on the page', async () => {
    const a = await inProcessing('Người nộp trang phân công');
    const page = await t.app.inject({ method: 'GET', url: '/mot-cua', headers: { cookie: leader.cookie } });
    expect(page.body).toContain('Phân công các hồ sơ đã chọn cho');
    expect((await t.app.inject({ method: 'GET', url: '/mot-cua', headers: { cookie: specialist.cookie } })).body).not.toContain('Phân công các hồ sơ đã chọn cho');
    const post = (payload: string) => t.app.inject({ method: 'POST', url: '/mot-cua/phan-cong', headers: { cookie: leader.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${leader.csrf}&${payload}` });
    const none = await post(`assigneeId=${specialistId}`);
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Chọn ít nhất một hồ sơ.');
    const ok = await post(`assigneeId=${specialistId}&dossierIds=${a.id}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('Đã phân công 1 hồ sơ.');
  });
});
