import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText, pdfTextAvailable } from '../../../test/support/pdf-text.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';

describe.runIf(pdfTextAvailable())('one-stop forms (Mẫu 02, 03, 05, 06)', () => {
  let t: TestApp;
  let citizen: Session;
  let counter: Session;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp();
    citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
    counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
    const unit = await t.db.selectFrom('org_units').select('id').where('name', '=', 'Sở Tư pháp').executeTakeFirstOrThrow();
    const p = await t.db
      .selectFrom('procedure_assignments as a')
      .innerJoin('procedures as p', 'p.id', 'a.procedure_id')
      .innerJoin('procedure_versions as v', (j) => j.onRef('v.procedure_id', '=', 'p.id').on('v.valid_to', 'is', null))
      .select('p.national_code')
      .where('a.org_unit_id', '=', unit.id)
      .where((eb) => eb(eb.val('online'), '=', eb.fn.any('v.channels')))
      .orderBy('p.national_code')
      .executeTakeFirstOrThrow();
    for (const [key, action, note] of [
      ['supplement', 'request_supplement', 'Bổ sung tờ khai theo mẫu và bản sao căn cước'],
      ['refused', 'refuse', 'Thủ tục không thuộc thẩm quyền của cơ quan'],
      ['withdrawn', 'withdraw', 'Tôi không còn nhu cầu giải quyết'],
    ] as const) {
      const d = await t.app.inject({
        method: 'POST',
        url: '/api/v1/dossiers',
        headers: { ...authHeaders(citizen), 'idempotency-key': `mau-${key}` },
        payload: { procedureCode: p.national_code, decidingOrgUnitId: unit.id, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết' },
      });
      const by = action === 'withdraw' ? citizen : counter;
      await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.json().id}/actions/${action}`, headers: { ...authHeaders(by), 'if-match': '"1"' }, payload: { note } });
      ids[key] = d.json().id;
    }
  });
  afterAll(async () => t?.close());

  const text = async (url: string, s: Session) => {
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
    expect(res.statusCode, url).toBe(200);
    return pdfText(res.rawPayload).text.replace(/\s+/g, ' ');
  };

  it('prints the supplement request with what is missing, for the applicant too', async () => {
    const t2 = await text(`/dich-vu-cong/ho-so/${ids.supplement}/phieu/yeu-cau-bo-sung.pdf`, citizen);
    expect(t2).toContain('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
    expect(t2).toContain('Bổ sung tờ khai theo mẫu và bản sao căn cước');
  });

  it('prints the refusal with its reason, and the control slip with every hand-over', async () => {
    expect(await text(`/mot-cua/ho-so/${ids.refused}/phieu/tu-choi.pdf`, counter)).toContain('Thủ tục không thuộc thẩm quyền của cơ quan');
    const slip = await text(`/mot-cua/ho-so/${ids.supplement}/phieu/kiem-soat.pdf`, counter);
    expect(slip).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(slip).toContain('Yêu cầu bổ sung hồ sơ');
    expect(slip).toContain('Nộp hồ sơ trực tuyến');
  });

  it('prints the stop notice (Mẫu 05) after a withdrawal, and none before', async () => {
    const notice = await text(`/dich-vu-cong/ho-so/${ids.withdrawn}/phieu/dung-giai-quyet.pdf`, citizen);
    expect(notice).toContain('THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ');
    expect(notice).toContain('Tôi không còn nhu cầu giải quyết');
    expect((await t.app.inject({ method: 'GET', url: `/dich-vu-cong/ho-so/${ids.supplement}/phieu/dung-giai-quyet.pdf`, headers: { cookie: citizen.cookie } })).statusCode).toBe(404);
  });

  it('has no refusal form for a dossier that was not refused', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${ids.supplement}/phieu/tu-choi.pdf`, headers: { cookie: counter.cookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${ids.supplement}/phieu/khac.pdf`, headers: { cookie: counter.cookie } })).statusCode).toBe(400);
  });
});
