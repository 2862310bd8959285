import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act } from '../../../test/support/dossier-steps.ts';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { multipartBody } from '../../../test/support/multipart.ts';
import { makeTestPki, type Party, plainPdf, signPdf, type TestPki, trustFile } from '../../../test/support/signed-pdf.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';

/**
 * A dossier is decided with its result: a signed PDF (verified: valid, invalid or unsigned, with signer, signing time
 * and issuer, and the chain's trust shown apart) or the record of the paper result issued, by number and date.
 */
let t: TestApp;
let counter: Session;
let specialist: Session;
let leader: Session;
let citizen: Session;
let target: Awaited<ReturnType<typeof justiceProcedure>>;
let pki: TestPki;
let signer: Party;

beforeAll(async () => {
  pki = await makeTestPki({ commonName: 'CA thử nghiệm tỉnh', organisation: 'Sở Khoa học và Công nghệ' });
  signer = await pki.issue({ commonName: 'Trần Thị Giám Đốc', organisation: 'Sở Tư pháp tỉnh Khánh Hòa' });
  t = await createTestApp({ CQS_TRUSTED_CA: await trustFile(pki) });
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  leader = await signIn(t.app, 'lanhdao.stp', DEMO_PASSWORD);
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
  target = await justiceProcedure(t.db, { workingDays: true });
});
afterAll(async () => t.close());

/** A dossier at its last step, where the leader decides. */
async function atDecision(name: string) {
  const d = await counterDossier(t.app, counter, { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, applicantName: name });
  const started = await act(t.app, d.id, 'start_processing', d.rowVersion, counter);
  const forwarded = await act(t.app, d.id, 'forward', started.json().rowVersion, specialist);
  expect(forwarded.statusCode).toBe(200);
  return { id: d.id, rowVersion: forwarded.json().rowVersion as number };
}

const upload = async (s: Session, filename: string, data: Buffer) => {
  const body = multipartBody({}, { name: 'file', filename, data });
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...authHeaders(s), 'content-type': body.contentType }, payload: body.payload });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; signature: { status: string; trusted: boolean; signatures: { signer: unknown; issuer: unknown; signedAt: string | null; trusted: boolean; problem: string | null }[] } };
};

const timelineOf = async (id: string) => (await t.db.selectFrom('dossier_events').select('action').where('dossier_id', '=', id).execute()).map((e) => e.action);

describe('deciding a dossier with its result', () => {
  it('refuses a decision without a result, naming every missing field, and writes nothing', async () => {
    const d = await atDecision('Phạm Văn Thiếu Kết Quả');
    const before = await timelineOf(d.id);
    const bare = await act(t.app, d.id, 'decide', d.rowVersion, leader);
    expect(bare.statusCode).toBe(400);
    expect(bare.headers['content-type']).toContain('application/problem+json');
    expect(bare.json().errors.map((e: { field: string }) => e.field)).toEqual(['resultNumber', 'resultIssuedOn']);
    expect(bare.json().errors[0].message).toContain('số, ký hiệu');
    const future = await act(t.app, d.id, 'decide', d.rowVersion, leader, { resultNumber: '15/QĐ-STP', resultIssuedOn: '2099-01-01' });
    expect(future.json().errors).toMatchObject([{ field: 'resultIssuedOn', code: 'future' }]);
    expect(await timelineOf(d.id)).toEqual(before);

    const decided = await act(t.app, d.id, 'decide', d.rowVersion, leader, { resultNumber: '15/QĐ-STP', resultIssuedOn: '2026-01-05' });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({ status: 9, result: { kind: 'paper', number: '15/QĐ-STP', issuedOn: '2026-01-05' } });
    const page = await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${d.id}`, headers: { cookie: counter.cookie } });
    expect(page.body).toContain('Bản giấy, số 15/QĐ-STP, ngày 05/01/2026');
  });

  it('asks for the signed PDF where the procedure issues an electronic result', async () => {
    await t.db.updateTable('procedure_versions').set({ online_level: 'full' }).where('id', '=', target.versionId).execute();
    try {
      const d = await atDecision('Lê Văn Kết Quả Điện Tử');
      const paperOnly = await act(t.app, d.id, 'decide', d.rowVersion, leader, { resultNumber: '16/QĐ-STP', resultIssuedOn: '2026-01-05' });
      expect(paperOnly.statusCode).toBe(400);
      expect(paperOnly.json().errors).toMatchObject([{ field: 'fileIds', code: 'result_required' }]);
      const view = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}`, headers: { cookie: leader.cookie } });
      expect(view.json().issuesElectronicResult).toBe(true);
      const file = await upload(leader, 'quyet-dinh.pdf', await signPdf(await plainPdf('Quyết định'), signer, { chain: [pki.ca.cert] }));
      const decided = await act(t.app, d.id, 'decide', d.rowVersion, leader, { fileIds: [file.id] });
      expect(decided.statusCode).toBe(200);
      expect(decided.json().result).toEqual({ kind: 'electronic', number: null, issuedOn: null });
    } finally {
      await t.db.updateTable('procedure_versions').set({ online_level: 'partial' }).where('id', '=', target.versionId).execute();
    }
  });

  it('verifies the result’s signature: signer, signing time, issuer and trust on the page and in the API', async () => {
    const signingTime = new Date('2026-03-10T02:30:00Z');
    const trusted = await upload(leader, 'quyet-dinh.pdf', await signPdf(await plainPdf('Quyết định 17'), signer, { chain: [pki.ca.cert], signingTime }));
    expect(trusted.signature).toMatchObject({ status: 'valid', trusted: true, signatures: [{ signer: { commonName: 'Trần Thị Giám Đốc', organisation: 'Sở Tư pháp tỉnh Khánh Hòa' }, issuer: { commonName: 'CA thử nghiệm tỉnh', organisation: 'Sở Khoa học và Công nghệ' }, signedAt: signingTime.toISOString(), trusted: true }] });
    const d = await atDecision('Nguyễn Thị Có Chữ Ký');
    const decided = await act(t.app, d.id, 'decide', d.rowVersion, leader, { fileIds: [trusted.id], resultNumber: '17/QĐ-STP', resultIssuedOn: '2026-03-10' });
    expect(decided.statusCode).toBe(200);
    expect(decided.json().papers.find((p: { kind: string }) => p.kind === 'result').signature).toMatchObject({ status: 'valid', trusted: true });
    expect(decided.json().result).toEqual({ kind: 'electronic', number: '17/QĐ-STP', issuedOn: '2026-03-10' });
    const own = await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${d.id}`, headers: { cookie: counter.cookie } });
    expect(own.body).toContain('Chữ ký số hợp lệ');
    expect(own.body).toContain('Người ký: Trần Thị Giám Đốc, Sở Tư pháp tỉnh Khánh Hòa');
    expect(own.body).toContain('thời điểm ký: 09:30 10/03/2026');
    expect(own.body).toContain('tổ chức cấp chứng thư số: CA thử nghiệm tỉnh, Sở Khoa học và Công nghệ');
    expect(own.body).toContain('Chứng thư số thuộc danh sách tin cậy.');

    // Signed under a CA the deployment does not trust: valid, and said to be untrusted.
    const stranger = await makeTestPki({ commonName: 'CA lạ', organisation: 'Không rõ' });
    const strangerSigner = await stranger.issue({ commonName: 'Người lạ', organisation: 'Không rõ' });
    const untrusted = await upload(leader, 'la.pdf', await signPdf(await plainPdf('Văn bản lạ'), strangerSigner, { chain: [stranger.ca.cert] }));
    expect(untrusted.signature).toMatchObject({ status: 'valid', trusted: false, signatures: [{ trusted: false, signer: { commonName: 'Người lạ' } }] });
    const d2 = await atDecision('Trần Văn Chữ Ký Lạ');
    expect((await act(t.app, d2.id, 'decide', d2.rowVersion, leader, { fileIds: [untrusted.id] })).statusCode).toBe(200);
    const page2 = (await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${d2.id}`, headers: { cookie: counter.cookie } })).body;
    expect(page2).toContain('Chứng thư số KHÔNG thuộc danh sách tin cậy đã cấu hình');

    // Changed after signing: invalid, and not issued as a result.
    const bytes = await signPdf(await plainPdf('Quyết định 18'), signer, { chain: [pki.ca.cert] });
    bytes.write('/MediaBoy', bytes.toString('latin1').indexOf('/MediaBox'), 'latin1');
    const changed = await upload(leader, 'sua.pdf', bytes);
    expect(changed.signature).toMatchObject({ status: 'invalid', trusted: false, signatures: [{ problem: 'document_changed' }] });
    const d3 = await atDecision('Lê Thị Bị Sửa');
    const refused = await act(t.app, d3.id, 'decide', d3.rowVersion, leader, { fileIds: [changed.id] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'fileIds', code: 'signature_invalid' });
    expect(refused.json().errors[0].message).toContain('đã bị thay đổi sau khi ký');
  });

  it('takes the result through the page: messages next to the fields, what was typed kept, a dd/MM/yyyy date', async () => {
    const d = await atDecision('Hoàng Văn Trang Web');
    const post = (fields: Record<string, string>) => {
      const body = multipartBody({ _csrf: leader.csrf, action: 'decide', rowVersion: String(d.rowVersion), ...fields });
      return t.app.inject({ method: 'POST', url: `/mot-cua/ho-so/${d.id}`, headers: { cookie: leader.cookie, 'content-type': body.contentType }, payload: body.payload });
    };
    const missing = await post({ note: 'Đồng ý cấp', resultNumber: '19/QĐ-STP' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Nhập ngày ban hành kết quả giải quyết');
    expect(missing.body).toContain('value="19/QĐ-STP"');
    expect(missing.body).toContain('Đồng ý cấp');
    const done = await post({ resultNumber: '19/QĐ-STP', resultIssuedOn: '05/01/2026' });
    expect([done.statusCode, done.headers.location]).toEqual([303, `/mot-cua/ho-so/${d.id}`]);
    const row = await t.db.selectFrom('dossiers').select(['status', 'result_kind', 'result_number', 'result_issued_on']).where('id', '=', d.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 9, result_kind: 'paper', result_number: '19/QĐ-STP', result_issued_on: '2026-01-05' });
  });

  it('lets only the deciding leader decide: the applicant is refused (403), an officer elsewhere sees nothing (404)', async () => {
    const online = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: { ...authHeaders(citizen), 'idempotency-key': 'ket-qua-tu-quyet' },
      payload: { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết thủ tục' },
    });
    const id = online.json().id as string;
    const received = await act(t.app, id, 'receive', online.json().rowVersion, counter);
    const started = await act(t.app, id, 'start_processing', received.json().rowVersion, counter);
    const forwarded = await act(t.app, id, 'forward', started.json().rowVersion, specialist);
    const paper = { resultNumber: '20/QĐ-STP', resultIssuedOn: '2026-01-05' };
    expect((await act(t.app, id, 'decide', forwarded.json().rowVersion, citizen, paper)).statusCode).toBe(403);
    const commune = await signIn(t.app, 'quantri.xa', DEMO_PASSWORD);
    expect((await act(t.app, id, 'decide', forwarded.json().rowVersion, commune, paper)).statusCode).toBe(404);
  });
});
