import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act } from '../../../test/support/dossier-steps.ts';
import { justiceProcedure } from '../../../test/support/justice.ts';
import { outboxMessagesOf } from '../../../test/support/outbox.ts';
import { anonCsrf, authHeaders, createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';

/**
 * Withdrawing asks for confirmation and a reason; when a fee was paid, the applicant is told first what happens to it,
 * in the words of the dossier's pinned rules with their basis (regulations.md has no refund rule: migrations/0023).
 */
let t: TestApp;
let citizen: Session;
let other: Session;
let counter: Session;
let specialist: Session;
let target: Awaited<ReturnType<typeof justiceProcedure>>;
let seq = 0;
const FEE_RULE = 'Phí, lệ phí đã nộp không được hoàn trả khi người nộp rút hồ sơ sau khi hồ sơ đã được tiếp nhận và chuyển xử lý.';

beforeAll(async () => {
  t = await createTestApp();
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  await insertUser(t.db, { username: '079205006666', kind: 'citizen', personalId: '079205006666', fullName: 'Người khác' });
  other = await signIn(t.app, '079205006666');
  target = await justiceProcedure(t.db, { online: true, workingDays: true });
});
afterAll(async () => t.close());

async function submitted() {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/dossiers',
    headers: { ...authHeaders(citizen), 'idempotency-key': `rut-ho-so-${++seq}` },
    payload: { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết thủ tục' },
  });
  expect(res.statusCode).toBe(201);
  return { id: res.json().id as string, rowVersion: res.json().rowVersion as number };
}

/** A dossier whose fee was paid at the counter, back in processing. */
async function feePaid() {
  const d = await submitted();
  const received = await act(t.app, d.id, 'receive', d.rowVersion, counter);
  const started = await act(t.app, d.id, 'start_processing', received.json().rowVersion, counter);
  const due = await act(t.app, d.id, 'request_fee', started.json().rowVersion, specialist, { amountVnd: 30_000, feeOverrideReason: 'Phí cấp bản sao theo đề nghị của người nộp' });
  const paid = await act(t.app, d.id, 'pay_fee', due.json().rowVersion, counter, { receiptNumber: 'BL-000777' });
  expect(paid.json().status).toBe(4);
  return { id: d.id, rowVersion: paid.json().rowVersion as number };
}

const confirm = (s: Session, id: string, fields: Record<string, string>) =>
  t.app.inject({ method: 'POST', url: `/dich-vu-cong/ho-so/${id}/rut-ho-so`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: s.csrf, ...fields }).toString() });

describe('withdrawing a dossier', () => {
  it('requires a reason through the API', async () => {
    const d = await submitted();
    const bare = await act(t.app, d.id, 'withdraw', d.rowVersion, citizen, { note: '' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors).toMatchObject([{ field: 'note', code: 'reason_required' }]);
    expect(bare.json().errors[0].message).toContain('lý do rút hồ sơ');
    const done = await act(t.app, d.id, 'withdraw', d.rowVersion, citizen, { note: 'Tôi đã nộp nhầm thủ tục' });
    expect(done.json()).toMatchObject({ status: 7, withdrawal: null });
    expect(done.json().events.at(-1)).toMatchObject({ action: 'withdraw', note: 'Tôi đã nộp nhầm thủ tục' });
  });

  it('asks the applicant to confirm on a page of its own, with the reason required and kept when missing', async () => {
    const d = await submitted();
    const detail = await t.app.inject({ method: 'GET', url: `/dich-vu-cong/ho-so/${d.id}`, headers: { cookie: citizen.cookie } });
    expect(detail.body).toContain(`href="/dich-vu-cong/ho-so/${d.id}/rut-ho-so"`);
    expect(detail.body).not.toContain('value="withdraw"');
    const page = await t.app.inject({ method: 'GET', url: `/dich-vu-cong/ho-so/${d.id}/rut-ho-so`, headers: { cookie: citizen.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Xác nhận rút hồ sơ');
    expect(page.body).toContain('Thông báo dừng giải quyết hồ sơ (Mẫu 05)');
    expect(page.body).not.toContain('Về phí, lệ phí đã nộp');
    const short = await confirm(citizen, d.id, { rowVersion: String(d.rowVersion), reason: 'Không' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('Ghi rõ lý do rút hồ sơ');
    expect(short.body).toContain('>Không</textarea>');
    expect((await t.db.selectFrom('dossiers').select('status').where('id', '=', d.id).executeTakeFirstOrThrow()).status).toBe(1);
    const done = await confirm(citizen, d.id, { rowVersion: String(d.rowVersion), reason: 'Tôi không còn nhu cầu giải quyết' });
    expect([done.statusCode, done.headers.location]).toEqual([303, `/dich-vu-cong/ho-so/${d.id}?da-rut=1`]);
    const row = await t.db.selectFrom('dossier_events').select(['action', 'note']).where('dossier_id', '=', d.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row).toEqual({ action: 'withdraw', note: 'Tôi không còn nhu cầu giải quyết' });
  });

  it('says what happens to a fee already paid, from the pinned rules with their basis, before and after', async () => {
    const d = await feePaid();
    const view = (await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}`, headers: { cookie: citizen.cookie } })).json();
    expect(view.withdrawal).toEqual({ feePaid: true, feeRule: FEE_RULE, feeRuleBasis: expect.stringContaining('chưa đối chiếu') });
    const page = await t.app.inject({ method: 'GET', url: `/dich-vu-cong/ho-so/${d.id}/rut-ho-so`, headers: { cookie: citizen.cookie } });
    expect(page.body).toContain(`Về phí, lệ phí đã nộp:</strong> ${FEE_RULE}`);
    expect(page.body).toContain('Căn cứ: CQS, chưa đối chiếu văn bản [R]');
    expect((await confirm(citizen, d.id, { rowVersion: String(d.rowVersion), reason: 'Tôi chuyển nơi cư trú, không cần nữa' })).statusCode).toBe(303);
    const told = (await outboxMessagesOf(t.db, 'dossier', d.id)).filter((m) => m.text.includes('Rút hồ sơ'));
    expect(told.length).toBeGreaterThan(0);
    for (const m of told) expect(m.text.replace(/\s+/g, ' ')).toContain(FEE_RULE);

    // A dossier pinned to rules from before that item: the page says its rules are silent, instead of guessing.
    const older = await feePaid();
    const previous = await t.db.selectFrom('rule_sets').select('id').where('record_type', '=', 'dossier').where('valid_to', '=', '2026-12-01').executeTakeFirstOrThrow();
    await t.db.updateTable('dossiers').set({ rule_set_id: previous.id }).where('id', '=', older.id).execute();
    const silent = await t.app.inject({ method: 'GET', url: `/dich-vu-cong/ho-so/${older.id}/rut-ho-so`, headers: { cookie: citizen.cookie } });
    expect(silent.body).toContain('Quy định áp dụng cho hồ sơ này không nêu việc hoàn trả phí, lệ phí đã nộp');
  });

  it('shows the confirmation only to the applicant: another citizen gets 404, anonymous 401, an officer elsewhere 404', async () => {
    const d = await submitted();
    expect((await t.app.inject({ method: 'GET', url: `/dich-vu-cong/ho-so/${d.id}/rut-ho-so`, headers: { cookie: other.cookie } })).statusCode).toBe(404);
    expect((await confirm(other, d.id, { rowVersion: String(d.rowVersion), reason: 'Rút hồ sơ của người khác' })).statusCode).toBe(404);
    const anon = await anonCsrf(t.app);
    const anonymous = await t.app.inject({ method: 'POST', url: `/dich-vu-cong/ho-so/${d.id}/rut-ho-so`, headers: { ...anon, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${anon['x-csrf-token']}&reason=abcdefghijkl&rowVersion=1` });
    expect(anonymous.statusCode).toBe(401);
    const commune = await signIn(t.app, 'quantri.xa', DEMO_PASSWORD);
    expect((await act(t.app, d.id, 'withdraw', d.rowVersion, commune, { note: 'Rút hồ sơ theo đề nghị' })).statusCode).toBe(404);
    expect((await t.db.selectFrom('dossiers').select('status').where('id', '=', d.id).executeTakeFirstOrThrow()).status).toBe(1);
  });
});
