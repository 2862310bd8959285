import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { authHeaders, createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { signInWithVneid, startTestVneid } from '../../../test/support/vneid.ts';
import { DEMO_PASSWORD } from '../directory/demo-accounts.ts';

let t: TestApp;
let vneid: Awaited<ReturnType<typeof startTestVneid>>;
let justiceId: string;
let procedureCode: string;

beforeAll(async () => {
  vneid = await startTestVneid();
  t = await createTestApp(vneid.env);
  ({ justiceId, procedureCode } = await justiceProcedure(t.db, { online: true }));
});
afterAll(async () => {
  await t.close();
  await vneid.simulator.close();
});

const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

const submitOnline = (s: Session, key: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...authHeaders(s), 'idempotency-key': key }, payload: { procedureCode, decidingOrgUnitId: justiceId, address: '8 Yersin, Nha Trang', request: 'Đề nghị giải quyết' } });

describe('how each applicant authenticated (plan figure dossiers.eAuthShare)', () => {
  it('is recorded on every submission and receipt, and the statistics recompute the share from it', async () => {
    await insertUser(t.db, { username: '079305006666', kind: 'citizen', personalId: '079305006666', fullName: 'Người dùng mật khẩu' });
    const byPassword = await signIn(t.app, '079305006666');
    const level2 = (await signInWithVneid(t.app, { personalId: '079305007777', fullName: 'Người dùng VNeID 2', level: 2 })).session;
    const level1 = (await signInWithVneid(t.app, { personalId: '079305008888', fullName: 'Người dùng VNeID 1', level: 1 })).session;
    if (!level1 || !level2) throw new Error('VNeID sign-in failed');
    const online = await Promise.all([submitOnline(byPassword, 'mat-khau'), submitOnline(level2, 'vneid-muc-2'), submitOnline(level1, 'vneid-muc-1')]);
    expect(online.map((r) => `${r.statusCode} ${r.statusCode === 201 ? '' : r.body}`)).toEqual(['201 ', '201 ', '201 ']);
    const counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
    const walkIn = await counterDossier(t.app, counter, { procedureCode, decidingOrgUnitId: justiceId, applicantName: 'Người đến quầy' });
    const postal = await counterDossier(t.app, counter, { procedureCode, decidingOrgUnitId: justiceId, applicantName: 'Người gửi bưu chính', channel: 3 });
    const recorded = await t.db.selectFrom('dossiers').select(['id', 'applicant_auth', 'applicant_personal_id']).where('id', 'in', [...online.map((r) => r.json().id as string), walkIn.id, postal.id]).execute();
    const authOf = (id: string) => recorded.find((r) => r.id === id)?.applicant_auth;
    expect([...online.map((r) => authOf(r.json().id)), authOf(walkIn.id), authOf(postal.id)]).toEqual(['password', 'vneid_2', 'vneid_1', 'counter', 'none']);
    // Only the verified identity's dossier is recorded for a personal ID.
    expect(recorded.find((r) => r.id === online[0]?.json().id)?.applicant_personal_id).toBeNull();
    expect(recorded.find((r) => r.id === online[1]?.json().id)?.applicant_personal_id).toBe('079305007777');

    const leader = await signIn(t.app, 'lanhdao.tinh', DEMO_PASSWORD);
    const stats = await t.app.inject({ method: 'GET', url: `/api/v1/dossier-statistics?from=${today}&to=${today}`, headers: { cookie: leader.cookie } });
    const row = stats.json().rows.find((r: { orgUnitId: string }) => r.orgUnitId === justiceId);
    expect(row).toMatchObject({ submissionsAuthRecorded: 5, authPassword: 1, authVneidLevel1: 1, authVneidLevel2: 1, authCounter: 1, authNone: 1, eAuthShare: 2 / 5 });
    const page = await t.app.inject({ method: 'GET', url: `/thong-ke/ho-so?from=${today}&to=${today}`, headers: { cookie: leader.cookie } });
    expect(page.body).toContain('Tỷ lệ xác thực điện tử');
    expect(page.body).toContain('40,0 %');
  });
});
