import { exportRegister } from '../../../test/support/exports.ts';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act } from '../../../test/support/dossier-steps.ts';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { pdfText, pdfTextAvailable } from '../../../test/support/pdf-text.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { CalendarStore } from '../../platform/calendar/calendar-store.ts';
import { localDateOf } from '../../platform/time.ts';
import { DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { formFor } from './form-templates.ts';

/**
 * The forms are effective-dated versions chosen by the dossier's date: TT 01/2018/TT-VPCP numbered six forms (control
 * slip 05, register 06, no stop notice); TT 03/2025/TT-VPCP, from 15/09/2025, numbers seven (stop notice 05, control
 * slip 06, register 07) and turns the apology into a proposed extension.
 */
let now = new Date('2025-08-20T09:00:00+07:00');
let t: TestApp;
let counter: Session;
let specialist: Session;
let target: Awaited<ReturnType<typeof justiceProcedure>>;

beforeAll(async () => {
  t = await createTestApp({}, { clock: { now: () => now } });
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  target = await justiceProcedure(t.db, { workingDays: true });
});
afterAll(async () => t?.close());

/** A dossier received now, in processing, apologised for with a new date two working days after its due date. */
async function extendedDossier(name: string) {
  const d = await counterDossier(t.app, counter, { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, applicantName: name });
  const processing = await act(t.app, d.id, 'start_processing', d.rowVersion, counter);
  const calendar = await new CalendarStore(t.db).get();
  const newDueDate = localDateOf(calendar.addWorkingDays(new Date(processing.json().dueAt), 2));
  const extended = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/extension`, headers: { ...authHeaders(specialist), 'if-match': `"${processing.json().rowVersion}"` }, payload: { newDueDate, reason: 'Cần xác minh thêm với cơ quan khác' } });
  expect(extended.statusCode, extended.body).toBe(200);
  return { id: d.id, rowVersion: extended.json().rowVersion as number };
}

const pdf = async (id: string, kind: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${id}/forms/${kind}`, headers: { cookie: counter.cookie } });
  expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
  return pdfText(res.rawPayload).flow;
};

describe('form template versions', () => {
  it('numbers each form as the version in force on the date does, and takes a form an old version lacks from the next', async () => {
    const numbered = async (date: string) => Object.fromEntries(await Promise.all((['receipt', 'apology', 'stop_notice', 'control_slip', 'register'] as const).map(async (k) => [k, `${(await formFor(t.db, k, date)).number} ${(await formFor(t.db, k, date)).reference}`])));
    expect(await numbered('2025-09-14')).toEqual({ receipt: '01 TT 01/2018/TT-VPCP', apology: '04 TT 01/2018/TT-VPCP', stop_notice: '05 TT 03/2025/TT-VPCP', control_slip: '05 TT 01/2018/TT-VPCP', register: '06 TT 01/2018/TT-VPCP' });
    expect(await numbered('2025-09-15')).toEqual({ receipt: '01 TT 03/2025/TT-VPCP', apology: '04 TT 03/2025/TT-VPCP', stop_notice: '05 TT 03/2025/TT-VPCP', control_slip: '06 TT 03/2025/TT-VPCP', register: '07 TT 03/2025/TT-VPCP' });
    // Older than every version: the earliest.
    expect((await formFor(t.db, 'control_slip', '2018-06-01')).reference).toBe('TT 01/2018/TT-VPCP');
    expect((await formFor(t.db, 'apology', '2025-08-20')).title).toBe('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
    expect((await formFor(t.db, 'apology', '2026-02-01')).title).toBe('VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT');
  });

  it.runIf(pdfTextAvailable())('prints a dossier of August 2025 on the TT 01/2018 forms, even when printed later', async () => {
    const d = await extendedDossier('Hồ Văn Tám Năm Hai Lăm');
    now = new Date('2026-12-02T09:00:00+07:00');
    const slip = await pdf(d.id, 'control_slip');
    expect(slip).toContain('Mẫu số 05 (TT 01/2018/TT-VPCP)');
    expect(slip).toContain('Khánh Hòa, ngày 20 tháng 08 năm 2025');
    const apology = await pdf(d.id, 'apology');
    expect(apology).toContain('Mẫu số 04 (TT 01/2018/TT-VPCP)');
    expect(apology).toContain('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
    expect(apology).toContain('Sở Tư pháp xin lỗi Ông/Bà và hẹn lại ngày trả kết quả giải quyết hồ sơ vào');
    expect(apology).toMatch(/^ ?Mẫu số 04 \(TT 01\/2018\/TT-VPCP\) UBND TỈNH KHÁNH HÒA SỞ TƯ PHÁP CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Khánh Hòa, ngày 20 tháng 08 năm 2025/);
    const page = await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${d.id}`, headers: { cookie: counter.cookie } });
    expect(page.body).toContain('Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 05, PDF)');
    expect(page.body).toContain('Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04, PDF)');
    // Stopped today, under TT 03/2025: the old forms had no stop notice, the new one is used.
    const stopped = await act(t.app, d.id, 'stop', d.rowVersion, specialist, { note: 'Người đề nghị không còn đủ điều kiện' });
    expect(stopped.statusCode).toBe(200);
    expect(await pdf(d.id, 'stop_notice')).toContain('Mẫu số 05 (TT 03/2025/TT-VPCP) UBND TỈNH KHÁNH HÒA SỞ TƯ PHÁP');
  });

  it.runIf(pdfTextAvailable())('prints a dossier of today on the TT 03/2025 forms: the apology proposes an extension of the time', async () => {
    now = new Date('2026-12-02T09:00:00+07:00');
    const d = await extendedDossier('Hồ Thị Hai Sáu');
    const apology = await pdf(d.id, 'apology');
    expect(apology).toContain('Mẫu số 04 (TT 03/2025/TT-VPCP)');
    expect(apology).toContain('VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT');
    expect(apology).toContain('Kính gửi: Hồ Thị Hai Sáu');
    expect(apology).toContain('Địa chỉ: 15 Lê Lợi, phường Nha Trang');
    expect(apology).toContain('vì lý do: Cần xác minh thêm với cơ quan khác');
    expect(apology).toContain('Sở Tư pháp xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết hồ sơ đến 17 giờ 00 phút, ngày');
    expect(apology).toContain('THỦ TRƯỞNG CƠ QUAN');
    expect(apology).toContain('Người lập: Trần Minh Khoa');
    expect(await pdf(d.id, 'control_slip')).toContain('Mẫu số 06 (TT 03/2025/TT-VPCP)');
  });

  it('heads the register of a period by the version in force at its end', async () => {
    const register = async (from: string, to: string) => {
      const res = await exportRegister(t.app, counter, from, to);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = book.getWorksheet('Sổ theo dõi hồ sơ');
      return { mark: String(sheet?.getCell('A5').value), first: sheet?.getRow(9).getCell(5).value, head: [sheet?.getCell('A1').value, sheet?.getCell('A2').value] };
    };
    const august = await register('2025-08-01', '2025-08-31');
    expect(august.mark).toBe('Mẫu số 06 (TT 01/2018/TT-VPCP) — từ ngày 01/08/2025 đến ngày 31/08/2025');
    expect(august.first).toBe('Hồ Văn Tám Năm Hai Lăm');
    expect(august.head).toEqual(['VĂN PHÒNG UBND TỈNH KHÁNH HÒA', 'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH']);
    expect((await register('2025-08-01', '2026-12-31')).mark).toContain('Mẫu số 07 (TT 03/2025/TT-VPCP)');
  });
});
