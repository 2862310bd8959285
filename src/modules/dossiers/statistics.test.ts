import { exportRegister } from '../../../test/support/exports.ts';
import ExcelJS from 'exceljs';
import { decideThroughSteps } from '../../../test/support/dossier-steps.ts';
import { justiceProcedure } from '../../../test/support/justice.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { procedureInForce } from '../procedures/index.ts';
import { rebuildDossierCounts } from './dossier-counts.ts';

let t: TestApp;
let counter: Session;
let specialist: Session;
let reporter: Session;
let justiceId: string;
let procedureCode: string;

beforeAll(async () => {
  t = await createTestApp();
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  reporter = await signIn(t.app, 'baocao.stp', DEMO_PASSWORD);
  ({ justiceId, procedureCode } = await justiceProcedure(t.db));
  for (const [i, channel] of [1, 1, 3].entries()) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers/counter',
      headers: authHeaders(counter),
      payload: { procedureCode, decidingOrgUnitId: justiceId, channel, applicantName: `Người nộp ${i}`, address: 'Địa chỉ thống kê', phone: `090500000${i}`, request: 'Yêu cầu thống kê' },
    });
    if (i === 0) {
      const processing = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${res.json().id}/actions/start_processing`, headers: { ...authHeaders(counter), 'if-match': '"1"' } });
      const decided = await decideThroughSteps(t.app, res.json().id, processing.json().rowVersion, specialist, await signIn(t.app, 'lanhdao.stp', DEMO_PASSWORD));
      if (decided.statusCode !== 200) throw new Error(`decide: ${processing.body} ${decided.body}`);
    }
  }
  // A late decision recorded in the past, to check that timeliness is counted from the stored facts.
  await t.db
    .updateTable('dossiers')
    .set({ timeliness: 'late', decided_at: new Date(), due_at: new Date(Date.now() - 86_400_000) })
    .where('applicant_name', '=', 'Người nộp 1')
    .execute();
  // Facts corrected outside the application are counted again by a rebuild (`cqs counts rebuild`).
  await rebuildDossierCounts(t.db, new Date());
});
afterAll(async () => t.close());

const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

describe('dossier statistics', () => {
  it('counts receipts by channel, decisions by timeliness and what is still pending', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/dossier-statistics?from=${today}&to=${today}`, headers: { cookie: reporter.cookie } });
    expect(res.statusCode).toBe(200);
    // The reporting officer of Sở Tư pháp reads the figures of the department's own subtree only.
    expect(res.json().rows.map((r: { orgUnitId: string }) => r.orgUnitId)).toEqual([justiceId]);
    const row = res.json().rows.find((r: { orgUnitId: string }) => r.orgUnitId === justiceId);
    expect(row).toMatchObject({ received: 3, receivedCounter: 2, receivedPostal: 1, receivedOnline: 0, decided: 2, decidedEarly: 1, decidedLate: 1, pending: 1, onTimeRate: 0.5, onlineShare: 0 });
  });

  it('exports the same figures to Excel', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/thong-ke/ho-so.xlsx?from=${today}&to=${today}`, headers: { cookie: reporter.cookie } });
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Thống kê hồ sơ');
    expect(sheet?.getRow(3).getCell(1).value).toBe('Cơ quan giải quyết');
    const justice = sheet?.getRows(4, 10)?.find((r) => r.getCell(1).value === 'Sở Tư pháp');
    expect(justice?.getCell(2).value).toBe(3);
  });

  it('exports the dossier register (Mẫu 07) as the template has it: letterhead, motto, columns, real dates, landscape', async () => {
    // The department's register, kept by its leader (or clerk): the letterhead is the department's.
    const leader = await signIn(t.app, 'lanhdao.stp', DEMO_PASSWORD);
    const res = await exportRegister(t.app, leader, today, today);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Sổ theo dõi hồ sơ');
    if (!sheet) throw new Error('no register sheet');
    expect(sheet.pageSetup.orientation).toBe('landscape');
    expect(sheet.pageSetup.paperSize).toBe(9);
    expect(sheet.getCell('A1').value).toBe('UBND TỈNH KHÁNH HÒA');
    expect(sheet.getCell('A2').value).toBe('SỞ TƯ PHÁP');
    expect(sheet.getCell('I1').value).toBe('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(sheet.getCell('I2').value).toBe('Độc lập - Tự do - Hạnh phúc');
    const [y, m, d] = today.split('-');
    expect(sheet.getCell('I3').value).toBe(`Khánh Hòa, ngày ${d} tháng ${m} năm ${y}`);
    expect(sheet.getCell('A4').value).toBe('SỔ THEO DÕI HỒ SƠ');
    expect(String(sheet.getCell('A5').value)).toContain('Mẫu số 07 (TT 03/2025/TT-VPCP)');
    const header = (col: number) => [sheet.getRow(7).getCell(col).value, sheet.getRow(8).getCell(col).value].filter((v, i) => i === 0 || v !== sheet.getRow(7).getCell(col).value).join(' / ');
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map(header)).toEqual([
      'STT',
      'Mã hồ sơ',
      'Tên thủ tục hành chính',
      'Số lượng hồ sơ (bộ)',
      'Tên người nộp hồ sơ',
      'Địa chỉ, số điện thoại / Địa chỉ',
      'Địa chỉ, số điện thoại / Số điện thoại',
      'Cơ quan chủ trì giải quyết',
      'Nhận hồ sơ (ngày, tháng, năm)',
      'Hẹn trả kết quả (ngày, tháng, năm)',
      'Chuyển hồ sơ đến cơ quan giải quyết (ngày, tháng, năm)',
      'Nhận kết quả từ cơ quan giải quyết (ngày, tháng, năm)',
      'Trả kết quả cho cá nhân, tổ chức / Ngày, tháng, năm',
      'Trả kết quả cho cá nhân, tổ chức / Ký nhận',
      'Ghi chú',
    ]);
    const rows = sheet.getRows(9, 3) ?? [];
    expect(rows.map((r) => r.getCell(1).value)).toEqual([1, 2, 3]);
    expect(rows.map((r) => r.getCell(5).value)).toEqual(['Người nộp 0', 'Người nộp 1', 'Người nộp 2']);
    const procedure = await procedureInForce(t.db, procedureCode);
    expect(rows.map((r) => r.getCell(3).value)).toEqual([procedure?.name, procedure?.name, procedure?.name]);
    expect(rows.map((r) => r.getCell(6).value)).toEqual(['Địa chỉ thống kê', 'Địa chỉ thống kê', 'Địa chỉ thống kê']);
    expect(rows[0]?.getCell(7).value).toBe('0905000000');
    expect(rows[0]?.getCell(4).value).toBe(1);
    // Receipt, appointment, hand-over and decision as date cells shown dd/mm/yyyy, on the local calendar day.
    for (const col of [9, 10, 11, 12]) {
      const cell = rows[0]?.getCell(col);
      expect(cell?.type, `column ${col}`).toBe(ExcelJS.ValueType.Date);
      expect(cell?.numFmt).toBe('dd/mm/yyyy');
    }
    expect(rows[0]?.getCell(9).value).toEqual(new Date(`${today}T00:00:00.000Z`));
    expect(rows[2]?.getCell(11).value).toBeNull();
    expect(rows[0]?.getCell(14).value).toBeNull();
  });

  it('refuses a reversed or malformed period and people without access', async () => {
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/dossier-statistics?from=2026-12-31&to=2026-01-01', headers: { cookie: reporter.cookie } });
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['to']);
    const malformed = await t.app.inject({ method: 'GET', url: '/api/v1/dossier-statistics?from=hom-qua', headers: { cookie: reporter.cookie } });
    expect(malformed.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/dossier-statistics' })).statusCode).toBe(401);
    const citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
    expect((await t.app.inject({ method: 'GET', url: '/thong-ke/ho-so', headers: { cookie: citizen.cookie } })).statusCode).toBe(403);
    const page = await t.app.inject({ method: 'GET', url: `/thong-ke/ho-so?from=${today}&to=${today}`, headers: { cookie: reporter.cookie } });
    expect(page.body).toContain('50,0 %');
    // The page's date fields are typed as dd/MM/yyyy; the export links keep the period in ISO form.
    const [y, m, d] = today.split('-');
    const typed = await t.app.inject({ method: 'GET', url: `/thong-ke/ho-so?from=${encodeURIComponent(`${d}/${m}/${y}`)}&to=${encodeURIComponent(`${d}/${m}/${y}`)}`, headers: { cookie: reporter.cookie } });
    expect(typed.body).toContain('50,0 %');
    expect(typed.body).toContain(`value="${d}/${m}/${y}"`);
    expect(typed.body).toContain(`ho-so.xlsx?from=${today}&amp;to=${today}`);
  });

  it('shows the figures to reporting officers and leaders, the register to the counter, clerks and leaders, and neither to others', async () => {
    const clerk = await signIn(t.app, 'vanthu.stp', DEMO_PASSWORD);
    const leader = await signIn(t.app, 'lanhdao.stp', DEMO_PASSWORD);
    const get = async (url: string, s: Session) => (await t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } })).statusCode;
    const figures = `/api/v1/dossier-statistics?from=${today}&to=${today}`;
    const register = async (who: Session) => (await exportRegister(t.app, who, today, today)).statusCode;
    expect([await get(figures, reporter), await get(figures, leader), await get(figures, specialist), await get(figures, counter), await get(figures, clerk)]).toEqual([200, 200, 403, 403, 403]);
    expect([await register(counter), await register(clerk), await register(leader), await register(reporter), await register(specialist)]).toEqual([200, 200, 200, 403, 403]);
    // The register page lists the dossiers of the clerk's unit, typed dates and all.
    const page = await t.app.inject({ method: 'GET', url: `/mot-cua/so-theo-doi?from=${today}&to=${today}`, headers: { cookie: clerk.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('3 hồ sơ được tiếp nhận trong khoảng thời gian này');
    expect(page.body).toContain('Người nộp 2');
    const wrong = await t.app.inject({ method: 'GET', url: '/mot-cua/so-theo-doi?from=31/02/2026&to=01/01/2026', headers: { cookie: clerk.cookie } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('value="31/02/2026"');
    expect(wrong.body).toContain('id="f-from-error"');
  });
});
