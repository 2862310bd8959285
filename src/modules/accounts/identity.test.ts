import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { justiceProcedure } from '../../../test/support/justice.ts';
import { multipartBody } from '../../../test/support/multipart.ts';
import { pdfBytes } from '../../../test/support/paper-files.ts';
import { authHeaders, createTestApp, insertUser, type Session, signIn, TEST_PASSWORD, type TestApp } from '../../../test/support/test-app.ts';
import { signInWithVneid, startTestVneid } from '../../../test/support/vneid.ts';
import { systemActor } from '../../platform/audit/audit-log.ts';
import { verifyAuditLog } from '../../platform/audit/verify-audit-log.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { setPaperRequirements } from '../procedures/paper-requirements.ts';

let t: TestApp;
let vneid: Awaited<ReturnType<typeof startTestVneid>>;
let counter: Session;
let procedureCode: string;
let justiceId: string;
let centreId: string;

beforeAll(async () => {
  vneid = await startTestVneid();
  t = await createTestApp(vneid.env);
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  const p = await justiceProcedure(t.db);
  ({ procedureCode, justiceId } = p);
  await setPaperRequirements(t.db, systemActor('test'), p.versionId, [{ seq: 1, name: 'Bản sao giấy khai sinh', required: false, mediaTypes: ['application/pdf'], maxBytes: 1024 * 1024 }]);
  centreId = (await t.db.selectFrom('org_units').select('id').where('name', 'like', 'Trung tâm Phục vụ hành chính công tỉnh%').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await t.close();
  await vneid.simulator.close();
});

/** A walk-in dossier for `personalId`, with a paper the officer scanned: both are recorded for that personal ID. */
async function recordedAtCounter(personalId: string, applicantName: string) {
  const body = multipartBody({}, { name: 'file', filename: 'khai-sinh.pdf', data: pdfBytes(`khai sinh ${personalId}`) });
  const scan = await t.app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...authHeaders(counter), 'content-type': body.contentType }, payload: body.payload });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/dossiers/counter',
    headers: authHeaders(counter),
    payload: { procedureCode, decidingOrgUnitId: justiceId, channel: 1, applicantName, applicantPersonalId: personalId, address: '15 Lê Lợi, Nha Trang', request: 'Đề nghị giải quyết', papers: [{ requirement: 1, fileId: scan.json().id }] },
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; code: string };
}

/** What of a person's an account can see: its records, its dossier list, and one dossier by id. */
async function seenBy(s: Session, dossierId: string) {
  const records = await t.app.inject({ method: 'GET', url: '/api/v1/me/records', headers: { cookie: s.cookie } });
  const list = await t.app.inject({ method: 'GET', url: '/api/v1/dossiers', headers: { cookie: s.cookie } });
  const one = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${dossierId}`, headers: { cookie: s.cookie } });
  const page = await t.app.inject({ method: 'GET', url: '/dich-vu-cong/kho-giay-to', headers: { cookie: s.cookie } });
  return {
    records: (records.json() as { title: string }[]).map((r) => r.title),
    listed: (list.json() as { items: { id: string }[] }).items.some((d) => d.id === dossierId),
    dossier: one.statusCode,
    pageShowsPaper: page.body.includes('Bản sao giấy khai sinh'),
  };
}
const NOTHING = { records: [], listed: false, dossier: 404, pageShowsPaper: false };
const EVERYTHING = { records: ['Bản sao giấy khai sinh'], listed: true, dossier: 200, pageShowsPaper: true };

describe('papers and dossiers recorded for a personal ID', () => {
  it('do not reach an account that only claims the number', async () => {
    const dossier = await recordedAtCounter('079305001111', 'Đỗ Thị Hạnh');
    await insertUser(t.db, { username: '079305001111', kind: 'citizen', personalId: '079305001111', fullName: 'Người mạo danh' });
    const impostor = await signIn(t.app, '079305001111');
    expect(await seenBy(impostor, dossier.id)).toEqual(NOTHING);
    const identity = await t.app.inject({ method: 'GET', url: '/api/v1/me/identity', headers: { cookie: impostor.cookie } });
    expect(identity.json()).toMatchObject({ personalId: '079305001111', verified: false, method: null });
  });

  it('reach the account once an officer has verified the person at the counter, with the code from their account', async () => {
    const dossier = await recordedAtCounter('079305002222', 'Phan Văn Long');
    await insertUser(t.db, { username: '079305002222', kind: 'citizen', personalId: '079305002222', fullName: 'Phan Văn Long' });
    const person = await signIn(t.app, '079305002222');
    expect(await seenBy(person, dossier.id)).toEqual(NOTHING);
    const issued = await t.app.inject({ method: 'POST', url: '/api/v1/me/identity/counter-code', headers: authHeaders(person) });
    expect(issued.statusCode).toBe(201);
    const { code } = issued.json() as { code: string };
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const verify = (body: Record<string, string>) => t.app.inject({ method: 'POST', url: '/api/v1/identity-verifications', headers: authHeaders(counter), payload: { orgUnitId: centreId, ...body } });
    const wrongCode = await verify({ personalId: '079305002222', code: 'AAAA-AAAA' });
    expect(wrongCode.statusCode).toBe(400);
    expect(wrongCode.json().errors).toEqual([expect.objectContaining({ field: 'code', code: 'mismatch' })]);
    // The code is bound to the account of the number on the card: the same code with another number is refused alike.
    const wrongId = await verify({ personalId: '079305001111', code });
    expect(wrongId.json()).toEqual({ ...wrongCode.json(), requestId: wrongId.json().requestId });
    const done = await verify({ personalId: '079305002222', code: code.toLowerCase() });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ fullName: 'Phan Văn Long', alreadyVerified: false });
    expect(await seenBy(person, dossier.id)).toEqual(EVERYTHING);
    // Used once.
    expect((await verify({ personalId: '079305002222', code })).statusCode).toBe(400);
    const row = await t.db.selectFrom('users').select(['identity_method', 'identity_org_unit_id']).where('username', '=', '079305002222').executeTakeFirstOrThrow();
    expect(row).toEqual({ identity_method: 'counter', identity_org_unit_id: centreId });
    const audit = await t.db.selectFrom('audit_events').select(['action', 'org_unit_id']).where('action', 'like', 'identity.%').orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['identity.counter_code_issued', 'identity.counter_verification_refused', 'identity.counter_verification_refused', 'identity.verified', 'identity.counter_verification_refused']);
    expect(audit[3]?.org_unit_id).toBe(centreId);
    // The account page's button, once verified: the page again, saying so, and no code.
    const again = await t.app.inject({ method: 'POST', url: '/dich-vu-cong/tai-khoan/ma-xac-minh', headers: { cookie: person.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${person.csrf}` });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Danh tính của tài khoản đã được xác minh.');
    expect(again.headers['set-cookie'] ?? '').not.toContain('counter_code');
  });

  it('reach the person who signs in with VNeID level 2, who takes the number back from an account that only claimed it', async () => {
    const dossier = await recordedAtCounter('079305003333', 'Lý Thị Ngọc');
    const impostorId = await insertUser(t.db, { username: '079305003333', kind: 'citizen', personalId: '079305003333', fullName: 'Người mạo danh' });
    await t.db.updateTable('users').set({ phone: '0987654321' }).where('id', '=', impostorId).execute();
    const impostor = await signIn(t.app, '079305003333');
    expect(await seenBy(impostor, dossier.id)).toEqual(NOTHING);
    const { callback, session } = await signInWithVneid(t.app, { personalId: '079305003333', fullName: 'Lý Thị Ngọc', level: 2 });
    expect(callback.statusCode).toBe(303);
    expect(callback.headers.location).toBe('/dich-vu-cong/tai-khoan?da-xac-minh=1');
    if (!session) throw new Error('no session');
    expect(await seenBy(session, dossier.id)).toEqual(EVERYTHING);
    // Whoever registered the number can no longer sign in with the password, and their session is over.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: impostor.cookie } })).statusCode).toBe(401);
    await expect(signIn(t.app, '079305003333', TEST_PASSWORD)).rejects.toThrow(/401/);
    // The phone that registered it is told why.
    const told = await t.db.selectFrom('outbox_messages').select(['topic', 'payload']).where('dedupe_key', '=', `identity-taken-over:${impostorId}:sms`).executeTakeFirstOrThrow();
    expect(told.payload).toMatchObject({ to: '0987654321' });
    // Signing in again finds the same, verified account.
    const again = await signInWithVneid(t.app, { personalId: '079305003333', fullName: 'Lý Thị Ngọc', level: 2 });
    expect(again.callback.headers.location).toBe('/dich-vu-cong/ho-so');
    expect(again.session && (await seenBy(again.session, dossier.id))).toEqual(EVERYTHING);
    expect((await verifyAuditLog(t.db, { seal: true })).problems).toEqual([]);
  });

  it('keeps the password of the account the person was signed in to when they verify it through VNeID', async () => {
    const dossier = await recordedAtCounter('079305004444', 'Trịnh Văn Sơn');
    await insertUser(t.db, { username: '079305004444', kind: 'citizen', personalId: '079305004444', fullName: 'Trịnh Văn Sơn' });
    const own = await signIn(t.app, '079305004444');
    const { callback, session } = await signInWithVneid(t.app, { personalId: '079305004444', fullName: 'Trịnh Văn Sơn', level: 2 }, own.cookie);
    expect(callback.headers.location).toBe('/dich-vu-cong/tai-khoan?da-xac-minh=1');
    expect(session && (await seenBy(session, dossier.id))).toEqual(EVERYTHING);
    expect(await seenBy(await signIn(t.app, '079305004444'), dossier.id)).toEqual(EVERYTHING);
  });

  it('do not reach a VNeID level-1 identity, which makes an account without a personal ID', async () => {
    const dossier = await recordedAtCounter('079305005555', 'Mai Văn Phúc');
    const { callback, session } = await signInWithVneid(t.app, { personalId: '079305005555', fullName: 'Mai Văn Phúc', level: 1 });
    expect(callback.headers.location).toBe('/dich-vu-cong/ho-so');
    if (!session) throw new Error('no session');
    expect(await seenBy(session, dossier.id)).toEqual(NOTHING);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me/identity', headers: { cookie: session.cookie } })).json()).toMatchObject({ personalId: null, verified: false });
    // The same person at level 2 later: the same account (same VNeID subject) gets the number and sees everything.
    const raised = await signInWithVneid(t.app, { personalId: '079305005555', fullName: 'Mai Văn Phúc', level: 2 });
    expect(raised.session && (await seenBy(raised.session, dossier.id))).toEqual(EVERYTHING);
    const accounts = await t.db.selectFrom('users').select('id').where('full_name', '=', 'Mai Văn Phúc').execute();
    expect(accounts).toHaveLength(1);
  });

  it('signs a person verified at a counter into their own account through VNeID, keeping the password, and links it', async () => {
    const { callback, session } = await signInWithVneid(t.app, { personalId: DEMO_CITIZEN_ID, fullName: 'Nguyễn Thị Mai', level: 2 });
    expect(callback.headers.location).toBe('/dich-vu-cong/ho-so');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: session?.cookie ?? '' } });
    expect(me.json().username).toBe(DEMO_CITIZEN_ID);
    await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
    const row = await t.db.selectFrom('users').select(['vneid_subject', 'identity_method']).where('username', '=', DEMO_CITIZEN_ID).executeTakeFirstOrThrow();
    expect(row.vneid_subject).not.toBeNull();
    expect(row.identity_method).toBe('counter');
  });

  it('refuses a callback that did not start in this browser or was tampered with', async () => {
    const start = await t.app.inject({ method: 'GET', url: '/dang-nhap/vneid' });
    const location = new URL(String(start.headers.location));
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('state')).toBeTruthy();
    expect(location.searchParams.get('nonce')).toBeTruthy();
    const stray = await t.app.inject({ method: 'GET', url: `/dang-nhap/vneid/callback?code=abc&state=${location.searchParams.get('state')}` });
    expect(stray.statusCode).toBe(401);
    const pending = start.cookies.find((c) => c.name === 'cqs_vneid')?.value ?? '';
    const forged = await t.app.inject({ method: 'GET', url: '/dang-nhap/vneid/callback?code=abc&state=x', headers: { cookie: `cqs_vneid=${pending}` } });
    expect(forged.statusCode).toBe(401);
    expect(forged.cookies.find((c) => c.name === 'cqs_session')).toBeUndefined();
  });
});
