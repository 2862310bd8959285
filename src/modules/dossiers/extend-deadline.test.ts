import { decideThroughSteps } from '../../../test/support/dossier-steps.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText, pdfTextAvailable } from '../../../test/support/pdf-text.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_PASSWORD } from '../directory/demo-accounts.ts';

let t: TestApp;
let counter: Session;
let specialist: Session;
let dossier: { id: string; rowVersion: number };

beforeAll(async () => {
  t = await createTestApp();
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  const justice = await t.db.selectFrom('org_units').select('id').where('name', '=', 'Sở Tư pháp').executeTakeFirstOrThrow();
  const p = await t.db.selectFrom('procedure_assignments as a').innerJoin('procedures as p', 'p.id', 'a.procedure_id').select('p.national_code').where('a.org_unit_id', '=', justice.id).orderBy('p.national_code').executeTakeFirstOrThrow();
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/dossiers/counter',
    headers: authHeaders(counter),
    payload: { procedureCode: p.national_code, decidingOrgUnitId: justice.id, channel: 1, applicantName: 'Lê Thị Quá Hạn', address: '9 Thái Nguyên, Nha Trang', request: 'Hồ sơ sắp quá hạn' },
  });
  const processing = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${created.json().id}/actions/start_processing`, headers: { ...authHeaders(counter), 'if-match': '"1"' } });
  // The dossier is due today at 17:00 and will not make it.
  await t.db.updateTable('dossiers').set({ due_at: new Date(`${new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10)}T17:00:00+07:00`) }).where('id', '=', created.json().id).execute();
  dossier = { id: created.json().id, rowVersion: processing.json().rowVersion };
});
afterAll(async () => t.close());

const extend = (s: Session, version: number, body: Record<string, string>) =>
  t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${dossier.id}/extension`, headers: { ...authHeaders(s), 'if-match': `"${version}"` }, payload: body });

describe('apology and new date (Mẫu 04)', () => {
  it('explains every problem of a bad extension at once, and refuses it to the counter', async () => {
    const bad = await extend(specialist, dossier.rowVersion, { newDueDate: '2020-01-01', reason: 'ngắn' });
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['newDueDate', 'reason']);
    expect((await extend(counter, dossier.rowVersion, { newDueDate: '2027-03-03', reason: 'Cần xác minh thêm thông tin' })).statusCode).toBe(403);
    const weekend = await extend(specialist, dossier.rowVersion, { newDueDate: '2027-03-06', reason: 'Cần xác minh thêm thông tin' });
    expect(weekend.json().errors[0].code).toBe('not_working_day');
  });

  it('sets the new date once, records it on the timeline and refuses a second one', async () => {
    const ok = await extend(specialist, dossier.rowVersion, { newDueDate: '2027-03-03', reason: 'Cần xác minh thêm thông tin với cơ quan khác' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().dueAt).toBe(new Date('2027-03-03T17:00:00+07:00').toISOString());
    expect(ok.json().extension).toMatchObject({ reason: 'Cần xác minh thêm thông tin với cơ quan khác' });
    expect(ok.json().canExtend).toBe(false);
    const again = await extend(specialist, ok.json().rowVersion, { newDueDate: '2027-03-10', reason: 'Lại chậm nữa, xin gia hạn' });
    expect(again.statusCode).toBe(409);
    const decided = await decideThroughSteps(t.app, dossier.id, ok.json().rowVersion, specialist, await signIn(t.app, 'lanhdao.stp', DEMO_PASSWORD));
    expect(decided.json().timeliness).toBe('early');
  });

  it.runIf(pdfTextAvailable())('prints the apology letter with the reason and both dates', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${dossier.id}/xin-loi.pdf`, headers: { cookie: counter.cookie } });
    const text = pdfText(res.rawPayload).text.replace(/\s+/g, ' ');
    expect(text).toContain('VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT');
    expect(text).toContain('Lê Thị Quá Hạn');
    expect(text).toContain('03/03/2027');
    expect(text).toContain('Cần xác minh thêm thông tin với cơ quan khác');
  });
});
