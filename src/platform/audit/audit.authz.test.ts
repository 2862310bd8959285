import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOrgUnit } from '../../../test/support/org-fixture.ts';
import { createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { recordAudit, systemActor } from './audit-log.ts';
import { sealAll } from './seal-audit-log.ts';

let t: TestApp;
let root: { id: string; path: string };
let child: { id: string; path: string };
let rootAdmin: Session;
let childAdmin: Session;
let citizen: Session;
let specialist: Session;

beforeAll(async () => {
  t = await createTestApp();
  root = await insertOrgUnit(t.db, 'Gốc kiểm thử');
  child = await insertOrgUnit(t.db, 'Con kiểm thử', root);
  await insertUser(t.db, { username: 'qt.goc', roles: [{ role: 'administrator', orgUnitId: root.id }] });
  await insertUser(t.db, { username: 'qt.con', roles: [{ role: 'administrator', orgUnitId: child.id }] });
  await insertUser(t.db, { username: 'cv.con', roles: [{ role: 'specialist', orgUnitId: child.id }] });
  await insertUser(t.db, { username: '056099000123', kind: 'citizen', personalId: '056099000123' });
  await t.db.transaction().execute(async (tx) => {
    await recordAudit(tx, systemActor('test'), { action: 'fixture.root', entityType: 'x', entityId: 'r', orgUnitId: root.id });
    await recordAudit(tx, systemActor('test'), { action: 'fixture.child', entityType: 'x', entityId: 'c', orgUnitId: child.id });
  });
  rootAdmin = await signIn(t.app, 'qt.goc');
  childAdmin = await signIn(t.app, 'qt.con');
  citizen = await signIn(t.app, '056099000123');
  specialist = await signIn(t.app, 'cv.con');
});
afterAll(async () => t.close());

const actions = (body: { items: { action: string }[] }) => body.items.map((i) => i.action);

describe('audit log access', () => {
  it('shows a root administrator every event, including unscoped sign-ins', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/audit-events?limit=200', headers: { cookie: rootAdmin.cookie } });
    expect(res.statusCode).toBe(200);
    expect(actions(res.json())).toEqual(expect.arrayContaining(['fixture.root', 'fixture.child', 'auth.login']));
  });

  it('limits a commune administrator to their subtree', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/audit-events?limit=200', headers: { cookie: childAdmin.cookie } });
    expect(actions(res.json())).toContain('fixture.child');
    expect(actions(res.json())).not.toContain('fixture.root');
    expect(actions(res.json())).not.toContain('auth.login');
    const verify = await t.app.inject({ method: 'GET', url: '/api/v1/audit-events/verification', headers: { cookie: childAdmin.cookie } });
    expect(verify.statusCode).toBe(403);
  });

  it('denies anonymous visitors, citizens and officials without the permission', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit-events' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit-events', headers: { cookie: citizen.cookie } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit-events', headers: { cookie: specialist.cookie } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/quan-tri/nhat-ky' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/quan-tri/nhat-ky', headers: { cookie: citizen.cookie } })).statusCode).toBe(403);
  });

  it('reports every bad filter at once', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/audit-events?limit=1000&from=hom-qua', headers: { cookie: rootAdmin.cookie } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'limit']);
  });

  it('filters by action prefix and pages with a cursor', async () => {
    await sealAll(t.db);
    const first = await t.app.inject({ method: 'GET', url: '/api/v1/audit-events?action=fixture.&limit=1', headers: { cookie: rootAdmin.cookie } });
    const body = first.json();
    expect(actions(body)).toEqual(['fixture.child']);
    // Both fixture events were written one after the other: the sealer chained them side by side.
    expect(body.items[0]).toMatchObject({ stream: expect.any(Number), streamSeq: expect.any(Number) });
    const second = await t.app.inject({ method: 'GET', url: `/api/v1/audit-events?action=fixture.&limit=1&before=${body.nextBefore}`, headers: { cookie: rootAdmin.cookie } });
    expect(actions(second.json())).toEqual(['fixture.root']);
    const [child, root] = [body.items[0], second.json().items[0]];
    expect([child.stream, child.streamSeq]).toEqual([root.stream, root.streamSeq + 1]);
  });

  it('renders the log page, keeps the filters and verifies the chain', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/quan-tri/nhat-ky?action=fixture.&from=2020-13-45', headers: { cookie: rootAdmin.cookie } });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('value="fixture."');
    const ok = await t.app.inject({ method: 'GET', url: '/quan-tri/nhat-ky?action=fixture.', headers: { cookie: rootAdmin.cookie } });
    expect(ok.body).toContain('fixture.child');
    const verify = await t.app.inject({ method: 'GET', url: '/api/v1/audit-events/verification', headers: { cookie: rootAdmin.cookie } });
    expect(verify.json()).toMatchObject({ intact: true, problems: [] });
    expect(verify.json().heads).toHaveLength(16);
  });
});
