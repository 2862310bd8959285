import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonCsrf, authHeaders, createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';

/** Only an administrator at the province's root may read or change numbering series. */
let t: TestApp;
let citizen: Session;
let specialist: Session;
let wardAdmin: Session;
let leader: Session;
let admin: Session;

beforeAll(async () => {
  t = await createTestApp();
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  leader = await signIn(t.app, 'lanhdao.tinh', DEMO_PASSWORD);
  wardAdmin = await signIn(t.app, 'quantri.xa', DEMO_PASSWORD);
  admin = await signIn(t.app, 'admin', DEMO_PASSWORD);
  const unit = await t.db.selectFrom('org_units').select('id').where('name', '=', 'Sở Tư pháp').executeTakeFirstOrThrow();
  // A directory reader without administration: sees units, must not see or change numbering.
  await insertUser(t.db, { username: 'lanhdao.so.danhso', roles: [{ role: 'agency_leader', orgUnitId: unit.id }] });
});
afterAll(async () => t.close());

const body = { key: 'dossier_code', template: '{agency}-{yyMMdd}-{seq:5}', resetPeriod: 'daily', allocation: 'local', validFrom: '2031-01-01', legalBasis: 'TT 03/2025/TT-VPCP Điều 13' };
const requests = (headers: Record<string, string>) => [
  t.app.inject({ method: 'GET', url: '/api/v1/numbering-series', headers }),
  t.app.inject({ method: 'GET', url: '/api/v1/numbering-series/skips', headers }),
  t.app.inject({ method: 'POST', url: '/api/v1/numbering-series', headers: { ...headers, 'if-match': '"1"' }, payload: body }),
  t.app.inject({ method: 'GET', url: '/quan-tri/danh-so', headers }),
  t.app.inject({ method: 'POST', url: '/quan-tri/danh-so', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: headers['x-csrf-token'] ?? '', ...body, validFrom: '01/01/2031' }).toString() }),
];
const statuses = async (headers: Record<string, string>) => (await Promise.all(requests(headers))).map((r) => r.statusCode);

describe('numbering series access', () => {
  it('answers anonymous visitors 401', async () => {
    expect(await statuses(await anonCsrf(t.app))).toEqual([401, 401, 401, 401, 401]);
  });

  it('answers citizens 403', async () => {
    expect(await statuses(authHeaders(citizen))).toEqual([403, 403, 403, 403, 403]);
  });

  it('answers officials who are not administrators 403: a specialist, a provincial leader, an agency leader', async () => {
    const agencyLeader = await signIn(t.app, 'lanhdao.so.danhso');
    for (const s of [specialist, leader, agencyLeader]) expect(await statuses(authHeaders(s))).toEqual([403, 403, 403, 403, 403]);
  });

  it('answers an administrator of one ward 403: the series are the whole province’s', async () => {
    expect(await statuses(authHeaders(wardAdmin))).toEqual([403, 403, 403, 403, 403]);
  });

  it('lets the province administrator in, and changes nothing for the refused ones', async () => {
    const versions = await t.db.selectFrom('numbering_series').select('id').where('key', '=', 'dossier_code').execute();
    expect(versions).toHaveLength(1);
    const [list, page] = await Promise.all([
      t.app.inject({ method: 'GET', url: '/api/v1/numbering-series', headers: authHeaders(admin) }),
      t.app.inject({ method: 'GET', url: '/quan-tri/danh-so', headers: authHeaders(admin) }),
    ]);
    expect([list.statusCode, page.statusCode]).toEqual([200, 200]);
  });
});
