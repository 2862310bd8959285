import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { justiceProcedure } from '../../../test/support/justice.ts';
import { authHeaders, createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { REGISTER_FIRST_ROW } from './register-export.ts';

let t: TestApp;
let counter: Session;
let justiceId: string;
const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
const [y, m, d] = today.split('-');
const typedToday = `${d}/${m}/${y}`;

const form = (s: Session, fields: Record<string, string>) => ({
  method: 'POST' as const,
  url: '/mot-cua/so-theo-doi/xuat',
  headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({ _csrf: s.csrf, ...fields }).toString(),
});

beforeAll(async () => {
  t = await createTestApp();
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  const p = await justiceProcedure(t.db);
  justiceId = p.justiceId;
  for (const i of [1, 2]) {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers/counter', headers: authHeaders(counter), payload: { procedureCode: p.procedureCode, decidingOrgUnitId: justiceId, channel: 1, applicantName: `Người xuất sổ ${i}`, address: 'Số 1 Trần Phú', request: 'Yêu cầu' } });
    if (res.statusCode !== 201) throw new Error(res.body);
  }
});
afterAll(async () => t.close());

describe('the dossier register exported in the background', () => {
  it('is asked for on the register page, followed on its own page, and downloaded once written', async () => {
    const page = await t.app.inject({ method: 'GET', url: `/mot-cua/so-theo-doi?from=${today}&to=${today}`, headers: { cookie: counter.cookie } });
    expect(page.body).toContain('action="/mot-cua/so-theo-doi/xuat"');
    const asked = await t.app.inject(form(counter, { from: typedToday, to: typedToday }));
    expect(asked.statusCode).toBe(303);
    const at = String(asked.headers.location);
    expect(at).toMatch(/^\/tai-ve\/[0-9a-f-]{36}$/);
    // Asked twice (a double click): the same export.
    expect((await t.app.inject(form(counter, { from: today, to: today }))).headers.location).toBe(at);
    const waiting = await t.app.inject({ method: 'GET', url: at, headers: { cookie: counter.cookie } });
    expect(waiting.body).toContain('Đang chờ xuất');
    expect(waiting.body).toContain('<progress');
    expect(waiting.body).toContain('/assets/export-progress.js');
    expect(waiting.body).not.toContain(`${at}/tep`);
    const early = await t.app.inject({ method: 'GET', url: `/api/v1/exports/${at.split('/').pop()}/file`, headers: authHeaders(counter) });
    expect(early.statusCode).toBe(409);
    expect(early.headers['content-type']).toContain('application/problem+json');

    expect(await t.app.exports.runPending()).toBe(1);
    const done = await t.app.inject({ method: 'GET', url: at, headers: { cookie: counter.cookie } });
    expect(done.body).toContain('Đã xuất xong');
    expect(done.body).toContain(`href="${at}/tep"`);
    expect(done.body).not.toContain('/assets/export-progress.js');
    const list = await t.app.inject({ method: 'GET', url: '/tai-ve', headers: { cookie: counter.cookie } });
    expect(list.body).toContain(`Sổ theo dõi hồ sơ từ ${typedToday} đến ${typedToday}`);
    const file = await t.app.inject({ method: 'GET', url: `${at}/tep`, headers: { cookie: counter.cookie } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="so-theo-doi-ho-so-${today}-${today}.xlsx"`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Sổ theo dõi hồ sơ');
    const names = [0, 1].map((i) => sheet?.getRow(REGISTER_FIRST_ROW + i).getCell(5).value);
    expect(names).toEqual(['Người xuất sổ 1', 'Người xuất sổ 2']);
    // The API tells the same.
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/exports', headers: authHeaders(counter) });
    expect(api.json().items[0]).toMatchObject({ status: 'done', rowsDone: 2, rowsTotal: 2, fileUrl: `/api/v1/exports/${at.split('/').pop()}/file` });
  });

  it('reports every problem of the period at once and keeps what was typed', async () => {
    const page = await t.app.inject(form(counter, { from: '31/02/2026', to: 'hôm qua' }));
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('value="31/02/2026"');
    expect(page.body).toContain('value="hôm qua"');
    expect(page.body).toContain('id="f-from-error"');
    expect(page.body).toContain('id="f-to-error"');
    const api = await t.app.inject({ method: 'POST', url: '/api/v1/dossier-register/exports', headers: authHeaders(counter), payload: { from: '2026-02-31', to: 7 } });
    expect(api.statusCode).toBe(400);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(api.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'to']);
    const reversed = await t.app.inject({ method: 'POST', url: '/api/v1/dossier-register/exports', headers: authHeaders(counter), payload: { from: today, to: '2020-01-01' } });
    expect(reversed.statusCode).toBe(400);
    const injected = await t.app.inject({ method: 'POST', url: '/api/v1/dossier-register/exports', headers: authHeaders(counter), payload: { from: "2026-01-01'; DROP TABLE exports; --", to: today } });
    expect(injected.statusCode).toBe(400);
    expect(await t.db.selectFrom('exports').select('id').execute()).not.toHaveLength(0);
  });

  it('is the requester’s only, while they may still read the register; refused to others', async () => {
    const asked = await t.app.inject({ method: 'POST', url: '/api/v1/dossier-register/exports', headers: authHeaders(counter), payload: { from: '2025-01-01', to: today } });
    expect(asked.statusCode).toBe(202);
    const id = asked.json().id as string;
    await t.app.exports.runPending();
    const clerk = await signIn(t.app, 'vanthu.stp', DEMO_PASSWORD);
    for (const url of [`/tai-ve/${id}`, `/tai-ve/${id}/tep`, `/api/v1/exports/${id}`, `/api/v1/exports/${id}/file`]) {
      expect((await t.app.inject({ method: 'GET', url, headers: authHeaders(clerk) })).statusCode, url).toBe(404);
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
    }
    const citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/dossier-register/exports', headers: authHeaders(citizen), payload: { from: today, to: today } })).statusCode).toBe(403);
    expect((await t.app.inject(form(citizen, { from: today, to: today }))).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/exports', headers: authHeaders(citizen) })).json().items).toEqual([]);
    // An officer who has lost the register since asking cannot download it any more.
    const mover = await insertUser(t.db, { username: 'motcua.chuyen', roles: [{ role: 'one_stop_officer', orgUnitId: justiceId }] });
    const before = await signIn(t.app, 'motcua.chuyen');
    const theirs = await t.app.inject({ method: 'POST', url: '/api/v1/dossier-register/exports', headers: authHeaders(before), payload: { from: today, to: today } });
    await t.app.exports.runPending();
    await t.db.deleteFrom('role_assignments').where('user_id', '=', mover).execute();
    const after = await signIn(t.app, 'motcua.chuyen');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/exports/${theirs.json().id}/file`, headers: authHeaders(after) })).statusCode).toBe(403);
  });
});
