import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { justiceProcedure } from '../../../test/support/justice.ts';
import { multipartBody } from '../../../test/support/multipart.ts';
import { insertOrgUnit } from '../../../test/support/org-fixture.ts';
import { authHeaders, createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';

/**
 * A counter unit without an agency code cannot hand out dossier codes. Two such units used to render the same code
 * ('000.00.00.X00-…-0001') and the second receipt failed with a 500; now each officer is told what is missing.
 */
let t: TestApp;
let officerA: Session;
let officerB: Session;
let unitA: { id: string };
let justice: Awaited<ReturnType<typeof justiceProcedure>>;

beforeAll(async () => {
  t = await createTestApp();
  justice = await justiceProcedure(t.db);
  const root = await t.db.selectFrom('org_units').select(['id', 'path']).where('parent_id', 'is', null).where('valid_to', 'is', null).orderBy('name').executeTakeFirstOrThrow();
  unitA = await insertOrgUnit(t.db, 'Điểm tiếp nhận Cam Lâm', root);
  const unitB = await insertOrgUnit(t.db, 'Điểm tiếp nhận Vạn Ninh', root);
  await insertUser(t.db, { username: 'motcua.camlam', roles: [{ role: 'one_stop_officer', orgUnitId: unitA.id }] });
  await insertUser(t.db, { username: 'motcua.vanninh', roles: [{ role: 'one_stop_officer', orgUnitId: unitB.id }] });
  officerA = await signIn(t.app, 'motcua.camlam');
  officerB = await signIn(t.app, 'motcua.vanninh');
});
afterAll(async () => t.close());

const walkIn = (name: string) => ({ procedureCode: justice.procedureCode, decidingOrgUnitId: justice.justiceId, channel: 1, applicantName: name, address: '15 Lê Lợi, Cam Lâm', request: 'Đề nghị giải quyết thủ tục' });
const receive = (s: Session, name: string) => t.app.inject({ method: 'POST', url: '/api/v1/dossiers/counter', headers: authHeaders(s), payload: walkIn(name) });

describe('receiving at a unit without an agency code', () => {
  it('answers 422 naming the missing setting, at each such unit, and records nothing', async () => {
    for (const [officer, unit] of [
      [officerA, 'Điểm tiếp nhận Cam Lâm'],
      [officerB, 'Điểm tiếp nhận Vạn Ninh'],
    ] as const) {
      const res = await receive(officer, 'Lê Thị Hoa');
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'setting_missing', detail: `Đơn vị ${unit} chưa có mã cơ quan (mã định danh) — quản trị viên cần khai báo tại Quản trị › Đơn vị.` });
    }
    const dossiers = await t.db.selectFrom('dossiers').select('id').where('applicant_name', '=', 'Lê Thị Hoa').execute();
    expect(dossiers).toEqual([]);
  });

  it('shows the officer the message on the counter page', async () => {
    const body = multipartBody({ _csrf: officerA.csrf, ...walkIn('Lê Thị Hoa'), channel: '1' });
    const res = await t.app.inject({ method: 'POST', url: '/mot-cua/tiep-nhan', headers: { cookie: officerA.cookie, 'content-type': body.contentType }, payload: body.payload });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Đơn vị Điểm tiếp nhận Cam Lâm chưa có mã cơ quan (mã định danh) — quản trị viên cần khai báo tại Quản trị › Đơn vị.');
    // The counter form is shown again with what the officer typed.
    expect(res.body).toContain('value="Lê Thị Hoa"');
  });

  it('receives once the administrator has set the agency code', async () => {
    await t.db.updateTable('org_units').set({ agency_code: '000.41.30.H32' }).where('id', '=', unitA.id).execute();
    const res = await receive(officerA, 'Lê Thị Hoa');
    expect(res.statusCode).toBe(201);
    expect(res.json().code).toMatch(/^000\.41\.30\.H32-\d{6}-0001$/);
  });
});
