import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { justiceProcedure } from '../../../test/support/justice.ts';
import { multipartBody } from '../../../test/support/multipart.ts';
import { pdfBytes } from '../../../test/support/paper-files.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { systemActor } from '../../platform/audit/audit-log.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { setFormFields } from '../procedures/form-fields.ts';
import { setPaperRequirements } from '../procedures/paper-requirements.ts';

let t: TestApp;
let citizen: Session;
let counter: Session;
let justiceId: string;
let procedureCode: string;

beforeAll(async () => {
  t = await createTestApp();
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  const p = await justiceProcedure(t.db, { online: true });
  ({ justiceId, procedureCode } = p);
  await setPaperRequirements(t.db, systemActor('test'), p.versionId, [{ seq: 1, name: 'Tờ khai', required: true, mediaTypes: ['application/pdf'], maxBytes: 1024 * 1024 }]);
  await setFormFields(t.db, systemActor('test'), p.versionId, [
    { key: 'ngay_sinh', label: 'Ngày sinh của người được cấp', kind: 'date', required: true, options: [] },
    { key: 'muc_dich', label: 'Mục đích sử dụng', kind: 'select', required: true, options: ['Xin việc', 'Du học', 'Khác'] },
    { key: 'so_ban', label: 'Số bản cần cấp', kind: 'number', required: false, options: [] },
  ]);
});
afterAll(async () => t.close());

const submit = (key: string, fields: Record<string, string>, papers: unknown[] = []) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/dossiers',
    headers: { ...authHeaders(citizen), 'idempotency-key': key },
    payload: { procedureCode, decidingOrgUnitId: justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị cấp phiếu lý lịch tư pháp', fields, papers },
  });

describe("a procedure's own form", () => {
  it('lists every wrong answer together with the missing papers', async () => {
    const res = await submit('bieu-mau-sai', { ngay_sinh: '2026-02-30', muc_dich: 'Đi chơi', so_ban: 'hai', la: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort()).toEqual(['fields.la:unknown_field', 'fields.muc_dich:choice', 'fields.ngay_sinh:date', 'fields.so_ban:number', 'papers.1:required']);
    const missing = await submit('bieu-mau-thieu', {});
    expect(missing.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['fields.ngay_sinh', 'fields.muc_dich']));
  });

  it('keeps the answers with the dossier and shows them with their labels to the officer', async () => {
    const body = multipartBody({}, { name: 'file', filename: 't.pdf', data: pdfBytes('tờ khai') });
    const up = await t.app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...authHeaders(citizen), 'content-type': body.contentType }, payload: body.payload });
    const res = await submit('bieu-mau-dung', { ngay_sinh: '1990-05-17', muc_dich: 'Du học', so_ban: '2' }, [{ requirement: 1, fileId: up.json().id }]);
    expect(res.statusCode).toBe(201);
    const view = await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${res.json().id}`, headers: { cookie: counter.cookie } });
    expect(view.body).toContain('Mục đích sử dụng');
    expect(view.body).toContain('Du học');
    const typed = { group: null, origin: 'typed', sourceDossierCode: null };
    expect(res.json().form.answers).toEqual([
      { key: 'ngay_sinh', label: 'Ngày sinh của người được cấp', value: '1990-05-17', kind: 'date', ...typed },
      { key: 'muc_dich', label: 'Mục đích sử dụng', value: 'Du học', kind: 'select', ...typed },
      { key: 'so_ban', label: 'Số bản cần cấp', value: '2', kind: 'number', ...typed },
    ]);
  });

  it('shows the fields on the online form and keeps what was typed next to the errors', async () => {
    const page = await t.app.inject({ method: 'GET', url: `/dich-vu-cong/nop/${procedureCode}`, headers: { cookie: citizen.cookie } });
    expect(page.body).toContain('id="f-fields-ngay_sinh"');
    expect(page.body).toContain('<option value="Du học">Du học</option>');
    const form = new URLSearchParams({ _csrf: citizen.csrf, decidingOrgUnitId: justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị cấp phiếu', 'fields.ngay_sinh': '1990-13-01', 'fields.so_ban': '3' });
    const res = await t.app.inject({ method: 'POST', url: `/dich-vu-cong/nop/${procedureCode}`, headers: { cookie: citizen.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Ngày không hợp lệ');
    expect(res.body).toContain('Vui lòng nhập: Mục đích sử dụng.');
    expect(res.body).toMatch(/name="fields.so_ban"[^>]*value="3"/);
  });

  it('takes dates typed as dd/MM/yyyy on the page, and keeps an impossible one as typed next to its error', async () => {
    const post = (date: string) =>
      t.app.inject({
        method: 'POST',
        url: `/dich-vu-cong/nop/${procedureCode}`,
        headers: { cookie: citizen.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: citizen.csrf, decidingOrgUnitId: justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị cấp phiếu', 'fields.ngay_sinh': date, 'fields.muc_dich': 'Du học' }).toString(),
      });
    const impossible = await post('31/02/1990');
    expect(impossible.statusCode).toBe(400);
    expect(impossible.body).toContain('Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm');
    expect(impossible.body).toMatch(/name="fields.ngay_sinh"[^>]*value="31\/02\/1990"/);
    // A good date passes to the next step (the required paper is what is still missing), shown as typed.
    const typed = await post('17/5/1990');
    expect(typed.body).not.toContain('Ngày không hợp lệ');
  });
});
