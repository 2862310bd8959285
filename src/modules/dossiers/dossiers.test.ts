import { localDateOf } from '../../platform/time.ts';
import { PAPER_RESULT } from '../../../test/support/dossier-steps.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { verifyAuditLog } from '../../platform/audit/verify-audit-log.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { outboxMessagesOf } from '../../../test/support/outbox.ts';

let t: TestApp;
let citizen: Session;
let otherCitizen: Session;
let counter: Session;
let specialist: Session;
let leader: Session;
let communeOfficer: Session;
let procedureCode: string;
let justiceId: string;

beforeAll(async () => {
  t = await createTestApp();
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  leader = await signIn(t.app, 'lanhdao.stp', DEMO_PASSWORD);
  await insertUser(t.db, { username: '079205009999', kind: 'citizen', personalId: '079205009999', fullName: 'Người khác' });
  otherCitizen = await signIn(t.app, '079205009999');
  const commune = await t.db.selectFrom('org_units').select('id').where('name', 'like', 'Trung tâm Phục vụ hành chính công phường%').executeTakeFirstOrThrow();
  await insertUser(t.db, { username: 'motcua.phuong', roles: [{ role: 'one_stop_officer', orgUnitId: commune.id }] });
  communeOfficer = await signIn(t.app, 'motcua.phuong');
  justiceId = (await t.db.selectFrom('org_units').select('id').where('name', '=', 'Sở Tư pháp').executeTakeFirstOrThrow()).id;
  const p = await t.db
    .selectFrom('procedure_assignments as a')
    .innerJoin('procedures as p', 'p.id', 'a.procedure_id')
    .innerJoin('procedure_versions as v', (j) => j.onRef('v.procedure_id', '=', 'p.id').on('v.valid_to', 'is', null))
    .select('p.national_code')
    .where('a.org_unit_id', '=', justiceId)
    .where('v.processing_unit', '=', 'working_day')
    .where((eb) => eb(eb.val('online'), '=', eb.fn.any('v.channels')))
    .orderBy('p.national_code')
    .executeTakeFirstOrThrow();
  procedureCode = p.national_code;
});
afterAll(async () => t.close());

const submission = () => ({ procedureCode, decidingOrgUnitId: justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết thủ tục' });
const submit = (key: string, s: Session = citizen) => t.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...authHeaders(s), 'idempotency-key': key }, payload: submission() });
const act = (id: string, action: string, version: number, s: Session, extra: Record<string, unknown> = {}) =>
  t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/actions/${action}`, headers: { ...authHeaders(s), 'if-match': `"${version}"` }, payload: { note: 'Ghi chú của cán bộ xử lý', ...extra } });

describe('online dossier from submission to result', () => {
  let id: string;
  let version: number;

  it('gives the code at once, and the same dossier for a repeated request', async () => {
    const first = await submit('khoa-lap-1');
    expect(first.statusCode).toBe(201);
    expect(first.json().code).toMatch(/^\d{3}\.\d{2}\.\d{2}\.H32-\d{6}-\d{4}$/);
    expect(first.json().status).toBe(1);
    const again = await submit('khoa-lap-1');
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const both = await Promise.all([submit('khoa-song-song'), submit('khoa-song-song')]);
    expect(new Set(both.map((r) => r.json().id)).size).toBe(1);
    id = first.json().id;
    version = first.json().rowVersion;
  });

  it('is received by the one-stop officer, processed and decided by the department, and returned', async () => {
    const received = await act(id, 'receive', version, counter);
    expect(received.statusCode).toBe(200);
    expect(received.json()).toMatchObject({ status: 2 });
    expect(received.json().dueAt).not.toBeNull();
    const processing = await act(id, 'start_processing', received.json().rowVersion, counter);
    expect(processing.json().status).toBe(4);
    // The counter may only record a withdrawal the applicant asks for; deciding is the department's.
    expect(processing.json().availableActions).toEqual(['withdraw']);
    const specialistView = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${id}`, headers: { cookie: specialist.cookie } });
    // Default workflow: the specialist reviews and hands on; the department leader approves and decides.
    expect(specialistView.json().availableActions).toEqual(['request_supplement', 'request_fee', 'stop', 'forward']);
    expect(specialistView.json().step).toMatchObject({ seq: 1, count: 2, name: 'Thẩm định hồ sơ', unit: 'Sở Tư pháp' });
    expect((await act(id, 'decide', processing.json().rowVersion, specialist, PAPER_RESULT)).statusCode).toBe(403);
    const forwarded = await act(id, 'forward', processing.json().rowVersion, specialist);
    expect(forwarded.json()).toMatchObject({ status: 4, step: { seq: 2 } });
    expect((await act(id, 'decide', forwarded.json().rowVersion, specialist, PAPER_RESULT)).statusCode).toBe(403);
    const decided = await act(id, 'decide', forwarded.json().rowVersion, leader, PAPER_RESULT);
    expect(decided.json()).toMatchObject({ status: 9, timeliness: 'early' });
    const returned = await act(id, 'deliver_result', decided.json().rowVersion, counter);
    expect(returned.json().status).toBe(10);
    expect(returned.json().events.map((e: { action: string }) => e.action)).toEqual(['submit', 'receive', 'start_processing', 'forward', 'decide', 'deliver_result']);
    expect(returned.json().canRate).toBe(false);
    const mine = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${id}`, headers: { cookie: citizen.cookie } });
    expect(mine.json().canRate).toBe(true);
    const rate = (s: Session, rating: number) => t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/rating`, headers: authHeaders(s), payload: { rating } });
    expect((await rate(citizen, 7)).statusCode).toBe(400);
    expect((await rate(counter, 1)).statusCode).toBe(404);
    const rated = await rate(citizen, 2);
    expect(rated.json().rating).toMatchObject({ value: 2, label: 'Hài lòng' });
    expect((await rate(citizen, 1)).json().errors[0].field).toBe('rating');
    expect((await verifyAuditLog(t.db, { seal: true })).problems).toEqual([]);
  });

  it('lets one of two officers acting on the same version win; the other gets a clear conflict', async () => {
    const d = (await submit('khoa-xung-dot')).json();
    const [a, b] = await Promise.all([act(d.id, 'receive', d.rowVersion, counter), act(d.id, 'refuse', d.rowVersion, counter)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().code).toBe('conflict');
  });

  it('pauses for a supplement and restarts the processing time when it is given', async () => {
    const d = (await submit('khoa-bo-sung')).json();
    const r = (await act(d.id, 'receive', d.rowVersion, counter)).json();
    const p = (await act(d.id, 'start_processing', r.rowVersion, counter)).json();
    const noReason = await act(d.id, 'request_supplement', p.rowVersion, specialist, { note: '' });
    expect(noReason.json().errors.map((e: { field: string }) => e.field)).toEqual(['note']);
    const asked = (await act(d.id, 'request_supplement', p.rowVersion, specialist, { note: 'Bổ sung bản sao giấy khai sinh có chứng thực' })).json();
    expect(asked.status).toBe(5);
    // The applicant is told what to bring in the message itself, by e-mail and SMS.
    const told = (await outboxMessagesOf(t.db, 'dossier', d.id)).filter((m) => m.text.includes('Yêu cầu bổ sung hồ sơ'));
    expect(told.map((m) => m.topic).sort()).toEqual(['email', 'sms']);
    for (const m of told) expect(m.text).toContain('Nội dung: Bổ sung bản sao giấy khai sinh có chứng thực.');
    const list = await t.app.inject({ method: 'GET', url: '/dich-vu-cong/ho-so', headers: { cookie: citizen.cookie } });
    expect(list.body).toMatch(/Có \d+ hồ sơ đang chờ bạn bổ sung giấy tờ hoặc nộp phí/);
    expect(list.body).toContain('<strong>Cần bạn bổ sung giấy tờ · </strong>');
    expect((await act(d.id, 'decide', asked.rowVersion, specialist, PAPER_RESULT)).statusCode).toBe(409);
    const given = await act(d.id, 'provide_supplement', asked.rowVersion, citizen);
    expect(given.json().status).toBe(4);
    expect(new Date(given.json().dueAt).getTime()).toBeGreaterThanOrEqual(new Date(p.dueAt).getTime());
    // Once, in full: the department cannot ask again, and is no longer offered to.
    const seen = (await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}`, headers: { cookie: specialist.cookie } })).json();
    expect(seen.availableActions).toContain('request_fee');
    expect(seen.availableActions).not.toContain('request_supplement');
    const twice = await act(d.id, 'request_supplement', given.json().rowVersion, specialist, { note: 'Bổ sung thêm giấy tờ khác nữa' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().detail).toContain('một lần, đầy đủ');
  });
});

describe('counter receipt', () => {
  it('records a walk-in dossier with its code and due date', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers/counter',
      headers: authHeaders(counter),
      payload: { procedureCode, decidingOrgUnitId: justiceId, channel: 1, applicantName: 'Trần Văn Tiếp', address: '3 Lê Lợi, Nha Trang', request: 'Nộp trực tiếp' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 2, channel: 1, applicantName: 'Trần Văn Tiếp' });
    const queue = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers?view=todo&q=${encodeURIComponent('tran van tiep')}`, headers: { cookie: counter.cookie } });
    expect(queue.json().items.map((i: { id: string }) => i.id)).toContain(res.json().id);
  });

  it('reports every problem of a receipt at once', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers/counter', headers: authHeaders(counter), payload: { procedureCode: '1.1', decidingOrgUnitId: 'x', channel: 2, applicantName: '', address: 'a' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['address', 'applicantName', 'channel', 'decidingOrgUnitId', 'procedureCode', 'request']);
    const unassigned = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers/counter',
      headers: authHeaders(counter),
      payload: { procedureCode: '1.001193', decidingOrgUnitId: justiceId, channel: 1, applicantName: 'Ai đó', address: 'Địa chỉ đủ dài', request: 'Yêu cầu đủ dài' },
    });
    expect(unassigned.json().errors.map((e: { field: string }) => e.field)).toEqual(['decidingOrgUnitId']);
  });
});

describe('who sees what', () => {
  it('hides a dossier from other citizens and from officers of other units (404), denies anonymous (401)', async () => {
    const d = (await submit('khoa-rieng')).json();
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}`, headers: { cookie: otherCitizen.cookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}`, headers: { cookie: communeOfficer.cookie } })).statusCode).toBe(404);
    expect((await act(d.id, 'receive', d.rowVersion, communeOfficer)).statusCode).toBe(404);
    expect((await act(d.id, 'withdraw', d.rowVersion, otherCitizen)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/dossiers' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/mot-cua', headers: { cookie: citizen.cookie } })).statusCode).toBe(403);
  });

  it('forbids an officer in scope an action that is not theirs (403), and a citizen the officers’ actions', async () => {
    const d = (await submit('khoa-vai-tro')).json();
    expect((await act(d.id, 'receive', d.rowVersion, specialist)).statusCode).toBe(403);
    expect((await act(d.id, 'receive', d.rowVersion, citizen)).statusCode).toBe(403);
    const withdrawn = await act(d.id, 'withdraw', d.rowVersion, citizen);
    expect(withdrawn.json().status).toBe(7);
  });

  it('tells anyone by code the procedure, the receiving agency, the appointment date and each change of status, nothing personal', async () => {
    const d = (await submit('khoa-tra-cuu')).json();
    const received = (await act(d.id, 'receive', d.rowVersion, counter)).json();
    const processing = (await act(d.id, 'start_processing', received.rowVersion, counter)).json();
    // A hand-over inside processing keeps the status: the agencies' business, not a step the public follows.
    expect((await act(d.id, 'forward', processing.rowVersion, specialist)).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/dossier-lookup?code=${encodeURIComponent(d.code)}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: d.code, status: 4, statusLabel: 'Đang xử lý', procedureCode, procedureName: d.procedureName, receivingOrgUnit: received.receivingOrgUnit, dueAt: processing.dueAt });
    expect(res.json().steps.map((e: { action: string; status: number }) => [e.action, e.status])).toEqual([
      ['submit', 1],
      ['receive', 2],
      ['start_processing', 4],
    ]);
    expect(res.json().steps[1]).toMatchObject({ actionLabel: 'Tiếp nhận hồ sơ', statusLabel: 'Được tiếp nhận', at: received.receivedAt });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/dossier-lookup?code=khong-co-ma' })).statusCode).toBe(404);
    const page = await t.app.inject({ method: 'GET', url: `/tra-cuu-ho-so?code=${encodeURIComponent(d.code)}` });
    expect(page.body).toContain(d.procedureName);
    expect(page.body).toContain(received.receivingOrgUnit);
    expect(page.body).toContain('Ngày hẹn trả kết quả');
    expect(page.body).toContain('Tiếp nhận hồ sơ — Được tiếp nhận');
    // Neither the applicant (name, ID, phone, address) nor the officers (names, notes) are in the answer.
    for (const personal of ['Nguyễn Thị Mai', DEMO_CITIZEN_ID, '0912345678', '12 Trần Phú', 'Ghi chú của cán bộ', 'Phạm Thị Lan', 'Trần Minh Khoa', d.id]) {
      expect(res.body, personal).not.toContain(personal);
      expect(page.body, personal).not.toContain(personal);
    }
  });

  it('tells the applicant what they must know, not the hand-overs between units', async () => {
    let d = (await submit('khoa-thong-bao')).json();
    for (const [action, by] of [
      ['receive', counter],
      ['start_processing', counter],
      ['forward', specialist],
      ['send_back', leader],
      ['forward', specialist],
      ['decide', leader],
      ['deliver_result', counter],
    ] as const) {
      const paperResult = action === 'decide' ? { resultNumber: '15/QĐ-STP', resultIssuedOn: localDateOf(new Date()) } : {};
      const res = await act(d.id, action, d.rowVersion, by, paperResult);
      expect(res.statusCode, action).toBe(200);
      d = res.json();
    }
    const told = await outboxMessagesOf(t.db, 'dossier', d.id);
    const about = (m: { text: string }) => /^Hồ sơ [^:]+: ([^.]+)\./.exec(m.text)?.[1];
    // The submission's own acknowledgement, the receipt and the decision; nothing of the hand-overs or the return.
    const acknowledged = 'Đã nộp trực tuyến, chờ bộ phận một cửa kiểm tra';
    expect(told.map((m) => `${m.topic}: ${about(m)}`).sort()).toEqual([`email: ${acknowledged}`, 'email: Tiếp nhận hồ sơ', 'email: Đã giải quyết xong', `sms: ${acknowledged}`, 'sms: Tiếp nhận hồ sơ', 'sms: Đã giải quyết xong'].sort());
  });

  it('limits look-ups per address and minute, on the page and the API', async () => {
    const limited = await createTestApp({ CQS_LOOKUPS_PER_MINUTE: '3' });
    try {
      const code = (n: number) => `000.00.00.H32-261201-000${n}`;
      for (const n of [1, 2, 3]) {
        expect((await limited.app.inject({ method: 'GET', url: `/api/v1/dossier-lookup?code=${code(n)}` })).statusCode).toBe(404);
        expect((await limited.app.inject({ method: 'GET', url: `/tra-cuu-ho-so?code=${code(n)}` })).statusCode).toBe(404);
      }
      const api = await limited.app.inject({ method: 'GET', url: `/api/v1/dossier-lookup?code=${code(4)}` });
      expect(api.statusCode).toBe(429);
      expect(api.headers['content-type']).toContain('application/problem+json');
      const page = await limited.app.inject({ method: 'GET', url: `/tra-cuu-ho-so?code=${code(4)}`, headers: { accept: 'text/html' } });
      expect(page.statusCode).toBe(429);
      expect(page.body).toContain('Bạn thao tác quá nhanh');
      // Other pages are not limited by it.
      expect((await limited.app.inject({ method: 'GET', url: '/thu-tuc' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('refuses a submission without an idempotency key or with bad fields, listing every field', async () => {
    const noKey = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: authHeaders(citizen), payload: submission() });
    expect(noKey.statusCode).toBe(400);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...authHeaders(citizen), 'idempotency-key': 'khoa-sai-du-lieu' }, payload: { procedureCode: 42, decidingOrgUnitId: justiceId, address: '', request: "<script>alert('x')</script>" } });
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['address', 'procedureCode']);
  });
});
