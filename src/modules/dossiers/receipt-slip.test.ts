import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText, pdfTextAvailable } from '../../../test/support/pdf-text.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';

describe.runIf(pdfTextAvailable())('receipt slip (Mẫu 01)', () => {
  let t: TestApp;
  let counter: Session;
  let dossier: { id: string; code: string };
  beforeAll(async () => {
    t = await createTestApp();
    counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
    const justice = await t.db.selectFrom('org_units').select('id').where('name', '=', 'Sở Tư pháp').executeTakeFirstOrThrow();
    const p = await t.db.selectFrom('procedure_assignments as a').innerJoin('procedures as p', 'p.id', 'a.procedure_id').select('p.national_code').where('a.org_unit_id', '=', justice.id).orderBy('p.national_code').executeTakeFirstOrThrow();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers/counter',
      headers: authHeaders(counter),
      payload: { procedureCode: p.national_code, decidingOrgUnitId: justice.id, channel: 1, applicantName: 'Nguyễn Thị Hồng Nhung', address: '5 Yersin, Nha Trang', request: 'Nộp tại quầy' },
    });
    dossier = res.json();
  });
  afterAll(async () => t?.close());

  it('is an A5 PDF with the code, the dates and Vietnamese text', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${dossier.id}/giay-tiep-nhan.pdf`, headers: { cookie: counter.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const { text: raw, pageSize } = pdfText(res.rawPayload);
    const text = raw.replace(/\s+/g, ' ');
    expect(pageSize).toMatch(/^419\.5\d* x 595\.2\d* pts/);
    expect(text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(text).toContain(dossier.code);
    expect(text).toContain('Nguyễn Thị Hồng Nhung');
    expect(text).toContain('Thời gian trả kết quả giải quyết hồ sơ');
  });

  it('is not given to someone who cannot see the dossier', async () => {
    const citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
    expect((await t.app.inject({ method: 'GET', url: `/dich-vu-cong/ho-so/${dossier.id}/giay-tiep-nhan.pdf`, headers: { cookie: citizen.cookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${dossier.id}/giay-tiep-nhan.pdf` })).statusCode).toBe(401);
  });
});
