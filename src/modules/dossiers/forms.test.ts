import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, decideThroughSteps } from '../../../test/support/dossier-steps.ts';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { pdfText, pdfTextAvailable } from '../../../test/support/pdf-text.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { formatDateWords } from '../../web/format.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';

const CENTRE_HEAD = /^\s*VĂN PHÒNG UBND TỈNH KHÁNH HÒA {2,}CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\s*$/m;
const JUSTICE_HEAD = /^\s*UBND TỈNH KHÁNH HÒA {2,}CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\s*$/m;

describe.runIf(pdfTextAvailable())('one-stop forms follow the templates (Mẫu 02, 03, 05, 06 of TT 03/2025)', () => {
  let t: TestApp;
  let citizen: Session;
  let counter: Session;
  let specialist: Session;
  let target: Awaited<ReturnType<typeof justiceProcedure>>;

  const online = async (key: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: { ...authHeaders(citizen), 'idempotency-key': `mau-${key}` },
      payload: { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, address: '12 Trần Phú, Nha Trang', phone: '0912345678', request: 'Đề nghị giải quyết' },
    });
    return res.json() as { id: string; rowVersion: number };
  };
  const inProcessing = async (name: string) => {
    const d = await counterDossier(t.app, counter, { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, applicantName: name });
    const processing = await act(t.app, d.id, 'start_processing', d.rowVersion, counter);
    return { id: d.id, rowVersion: processing.json().rowVersion as number };
  };
  const form = async (id: string, kind: string, s: Session) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${id}/forms/${kind}`, headers: { cookie: s.cookie } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return pdfText(res.rawPayload);
  };
  const eventDay = async (id: string, action: string) => {
    const e = await t.db.selectFrom('dossier_events').select('occurred_at').where('dossier_id', '=', id).where('action', '=', action).executeTakeFirstOrThrow();
    return formatDateWords(e.occurred_at);
  };

  beforeAll(async () => {
    t = await createTestApp();
    citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
    counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
    specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
    target = await justiceProcedure(t.db, { online: true });
  });
  afterAll(async () => t?.close());

  it('asks for a supplement at reception from the counter, once and in full, naming the officer to ask', async () => {
    const d = await online('bo-sung');
    await act(t.app, d.id, 'request_supplement', d.rowVersion, counter, { note: 'Bổ sung tờ khai theo mẫu và bản sao căn cước' });
    const { text, flow, orientation } = await form(d.id, 'supplement_request', citizen);
    expect(orientation).toBe('portrait');
    expect(text).toMatch(CENTRE_HEAD);
    expect(flow).toContain('TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH');
    expect(flow).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(flow).toContain(`Khánh Hòa, ${await eventDay(d.id, 'request_supplement')}`);
    expect(flow).toContain('Mẫu số 02 (TT 03/2025/TT-VPCP)');
    expect(flow).toContain('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
    expect(flow).toContain('Hồ sơ của: Nguyễn Thị Mai');
    expect(flow).toContain('Địa chỉ: 12 Trần Phú, Nha Trang');
    expect(flow).toContain('Số điện thoại: 0912345678');
    expect(flow).toContain('(hướng dẫn một lần, đầy đủ): Bổ sung tờ khai theo mẫu và bản sao căn cước');
    expect(flow).toContain('Ông/Bà liên hệ Phạm Thị Lan');
    expect(flow).toMatch(/NGƯỜI HƯỚNG DẪN \(Ký và ghi rõ họ tên\) Phạm Thị Lan/);
    // At reception the clock never ran: nothing restarts.
    expect(flow).not.toContain('tính lại từ đầu');
  });

  it('asks for a supplement after appraisal from the deciding unit, whose time restarts once the dossier is complete', async () => {
    const d = await inProcessing('Võ Văn Thẩm Định');
    const asked = await act(t.app, d.id, 'request_supplement', d.rowVersion, specialist, { note: 'Bổ sung bản chính giấy xác nhận cư trú' });
    expect(asked.statusCode).toBe(200);
    const { text, flow } = await form(d.id, 'supplement_request', counter);
    expect(text).toMatch(JUSTICE_HEAD);
    expect(flow).toContain('UBND TỈNH KHÁNH HÒA SỞ TƯ PHÁP');
    expect(flow).toContain('Thời gian giải quyết hồ sơ được tính lại từ đầu');
    expect(flow).toContain('Ông/Bà liên hệ Trần Minh Khoa');
  });

  it('refuses with the reason stated in full, addressed to the applicant, signed by the receiving officer', async () => {
    const d = await online('tu-choi');
    await act(t.app, d.id, 'refuse', d.rowVersion, counter, { note: 'Thủ tục không thuộc thẩm quyền của cơ quan' });
    const { text, flow } = await form(d.id, 'refusal', citizen);
    expect(text).toMatch(CENTRE_HEAD);
    expect(flow).toContain(`Khánh Hòa, ${await eventDay(d.id, 'refuse')}`);
    expect(flow).toContain('Mẫu số 03 (TT 03/2025/TT-VPCP)');
    expect(flow).toContain('PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ');
    expect(flow).toContain('Kính gửi: Nguyễn Thị Mai');
    expect(flow).toContain('Số điện thoại: 0912345678');
    expect(flow).toContain('từ chối tiếp nhận giải quyết hồ sơ của Ông/Bà với lý do cụ thể như sau: Thủ tục không thuộc thẩm quyền của cơ quan');
    expect(flow).toMatch(/NGƯỜI TIẾP NHẬN HỒ SƠ \(Ký và ghi rõ họ tên\) Phạm Thị Lan/);
  });

  it("words a stop by the deciding unit as its own decision with its reason, never as the applicant's request", async () => {
    const d = await inProcessing('Lê Văn Dừng');
    await act(t.app, d.id, 'stop', d.rowVersion, specialist, { note: 'Người đề nghị đã được cấp thẻ tại tỉnh khác' });
    const { text, flow } = await form(d.id, 'stop_notice', counter);
    expect(text).toMatch(JUSTICE_HEAD);
    expect(flow).toContain(`Khánh Hòa, ${await eventDay(d.id, 'stop')}`);
    expect(flow).toContain('Mẫu số 05 (TT 03/2025/TT-VPCP)');
    expect(flow).toContain('THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ');
    expect(flow).toContain('Kính gửi: Lê Văn Dừng');
    expect(flow).toContain('Địa chỉ: 15 Lê Lợi, phường Nha Trang');
    expect(flow).toContain('Sở Tư pháp thông báo dừng giải quyết hồ sơ nêu trên vì lý do sau: Người đề nghị đã được cấp thẻ tại tỉnh khác');
    expect(flow).not.toMatch(/theo đề nghị của Ông\/Bà|yêu cầu của người nộp|rút\) hồ sơ/i);
    expect(flow).toContain('Người lập: Trần Minh Khoa');
  });

  it("answers a withdrawal of a received dossier from the counter, at the applicant's request", async () => {
    const d = await online('rut-ho-so');
    const received = await act(t.app, d.id, 'receive', d.rowVersion, counter);
    await act(t.app, d.id, 'withdraw', received.json().rowVersion, citizen, { note: 'Tôi không còn nhu cầu giải quyết' });
    const { text, flow } = await form(d.id, 'stop_notice', citizen);
    expect(text).toMatch(CENTRE_HEAD);
    expect(flow).toContain('nhận được đề nghị dừng giải quyết (rút) hồ sơ nêu trên của Ông/Bà, với lý do: Tôi không còn nhu cầu giải quyết');
    expect(flow).toContain('Theo đề nghị của Ông/Bà, Trung tâm Phục vụ hành chính công tỉnh thông báo dừng giải quyết hồ sơ');
    // The applicant withdrew online: no officer drew the notice up.
    expect(flow).not.toContain('Người lập');
  });

  it('keeps the control slip of every hand-over: agencies that gave and received, when, by whom, and each step against its due time', async () => {
    const d = await inProcessing('Đỗ Thị Kiểm Soát');
    const decided = await decideThroughSteps(t.app, d.id, d.rowVersion, specialist, await signIn(t.app, 'lanhdao.stp', DEMO_PASSWORD));
    expect(decided.statusCode).toBe(200);
    const { text, flow } = await form(d.id, 'control_slip', counter);
    expect(text).toMatch(CENTRE_HEAD);
    expect(flow).toContain('Mẫu số 06 (TT 03/2025/TT-VPCP)');
    expect(flow).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(flow).toContain('Người nộp hồ sơ: Đỗ Thị Kiểm Soát');
    expect(flow).toContain('Địa chỉ: 15 Lê Lợi, phường Nha Trang');
    expect(text).toMatch(/TÊN CƠ QUAN\s+THỜI GIAN GIAO, NHẬN HỒ SƠ\s+KẾT QUẢ GIẢI\s+GHI CHÚ/);
    expect(flow).toContain('Giao: Trung tâm Phục vụ hành chính công tỉnh Nhận: Sở Tư pháp Chuyển xử lý (Bước 1:');
    expect(flow).toContain('Người thực hiện: Phạm Thị Lan');
    expect(flow).toContain('Người thực hiện: Trần Minh Khoa');
    expect(flow).toContain('Người thực hiện: Võ Thị Thu');
    // The reviewer's step and the decision were both early (the same day as receipt).
    expect(text.match(/Trước hạn/g)?.length).toBeGreaterThanOrEqual(2);
    expect(flow).toContain('Kết quả giải quyết hồ sơ: Trước hạn');
  });
});
