import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOrgUnit } from '../../../test/support/org-fixture.ts';
import { authHeaders, createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';

let t: TestApp;
let admin: Session;
let communeAdmin: Session;
let citizen: Session;

beforeAll(async () => {
  t = await createTestApp();
  const root = await insertOrgUnit(t.db, 'Tỉnh kiểm thử lịch');
  const child = await insertOrgUnit(t.db, 'Xã kiểm thử lịch', root);
  await insertUser(t.db, { username: 'lich.admin', roles: [{ role: 'administrator', orgUnitId: root.id }] });
  await insertUser(t.db, { username: 'lich.xa', roles: [{ role: 'administrator', orgUnitId: child.id }] });
  await insertUser(t.db, { username: '056199000777', kind: 'citizen', personalId: '056199000777' });
  admin = await signIn(t.app, 'lich.admin');
  communeAdmin = await signIn(t.app, 'lich.xa');
  citizen = await signIn(t.app, '056199000777');
});
afterAll(async () => t.close());

describe('calendar API', () => {
  it('publishes the days off of a year', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/calendar/2026' });
    expect(res.statusCode).toBe(200);
    expect(res.json().daysOff.map((d: { date: string }) => d.date)).toContain('2026-02-17');
  });

  it('computes a due date in working days', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/calendar/due-date?from=${encodeURIComponent('2026-02-13T08:00:00+07:00')}&workingDays=2` });
    expect(res.json()).toMatchObject({ dueLocal: '17:00 24/02/2026' });
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/calendar/due-date?from=hom-nay&workingDays=-1' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'workingDays']);
  });

  it('lets a provincial administrator add and remove an exception, which changes due dates at once', async () => {
    const add = await t.app.inject({
      method: 'POST',
      url: '/api/v1/calendar/exceptions',
      headers: authHeaders(admin),
      payload: { date: '2026-12-31', kind: 'day_off', reason: 'Nghỉ thêm cuối năm', decisionRef: '01/TB-UBND' },
    });
    expect(add.statusCode).toBe(201);
    const due = await t.app.inject({ method: 'GET', url: `/api/v1/calendar/due-date?from=${encodeURIComponent('2026-12-30T08:00:00+07:00')}&workingDays=1` });
    expect(due.json().dueLocal).toBe('17:00 04/01/2027');
    const dup = await t.app.inject({ method: 'POST', url: '/api/v1/calendar/exceptions', headers: authHeaders(admin), payload: { date: '2026-12-31', kind: 'day_off', reason: 'Lặp lại' } });
    expect(dup.statusCode).toBe(400);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/calendar/exceptions/${add.json().id}`, headers: authHeaders(admin) });
    expect(del.statusCode).toBe(204);
    const audit = await t.db.selectFrom('audit_events').select('action').where('entity_id', '=', add.json().id).execute();
    expect(audit.map((a) => a.action)).toEqual(['calendar.exception_added', 'calendar.exception_removed']);
  });

  it('refuses nonsense exceptions with every field error', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/calendar/exceptions',
      headers: authHeaders(admin),
      payload: { date: '2026-02-30', kind: 'holiday', reason: '' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['date', 'kind', 'reason']);
    const weekend = await t.app.inject({ method: 'POST', url: '/api/v1/calendar/exceptions', headers: authHeaders(admin), payload: { date: '2026-11-28', kind: 'day_off', reason: 'Thứ Bảy' } });
    expect(weekend.json().errors[0].field).toBe('date');
  });

  it('denies editing to anonymous visitors, citizens and commune administrators', async () => {
    const payload = { date: '2026-12-30', kind: 'day_off', reason: 'Không được phép' };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/calendar/exceptions', payload })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/calendar/exceptions', headers: authHeaders(citizen), payload })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/calendar/exceptions', headers: authHeaders(communeAdmin), payload })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/quan-tri/lich', headers: { cookie: communeAdmin.cookie } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/quan-tri/lich' })).statusCode).toBe(401);
  });

  it('shows the year on the admin page and keeps typed values on a form error', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/quan-tri/lich?nam=2026', headers: { cookie: admin.cookie } });
    expect(page.body).toContain('Tết Âm lịch');
    const form = await t.app.inject({
      method: 'POST',
      url: '/quan-tri/lich?nam=2026',
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${admin.csrf}&date=2026-11-29&kind=day_off&reason=${encodeURIComponent('Chủ nhật <b>')}`,
    });
    expect(form.statusCode).toBe(400);
    expect(form.body).toContain('Ngày này vốn là ngày nghỉ');
    expect(form.body).toContain('value="Chủ nhật &lt;b>"');
  });

  it('adds and removes an exception from the admin page, back on its year, audited, the calendar changed at once', async () => {
    const form = (url: string, payload = '') => t.app.inject({ method: 'POST', url, headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${admin.csrf}${payload}` });
    const added = await form('/quan-tri/lich', `&date=30/12/2027&kind=day_off&reason=${encodeURIComponent('Nghỉ bù trang quản trị')}`);
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe('/quan-tri/lich?nam=2027');
    const row = await t.db.selectFrom('calendar_exceptions').select('id').where('day', '=', '2027-12-30').executeTakeFirstOrThrow();
    const dueOn = async () => (await t.app.inject({ method: 'GET', url: `/api/v1/calendar/due-date?from=${encodeURIComponent('2027-12-29T08:00:00+07:00')}&workingDays=1` })).json().dueLocal;
    expect(await dueOn()).toBe('17:00 31/12/2027');
    const removed = await form(`/quan-tri/lich/ngoai-le/${row.id}/xoa`);
    expect(removed.statusCode).toBe(303);
    expect(removed.headers.location).toBe('/quan-tri/lich?nam=2027');
    expect(await dueOn()).toBe('17:00 30/12/2027');
    const audit = await t.db.selectFrom('audit_events').select('action').where('entity_id', '=', row.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['calendar.exception_added', 'calendar.exception_removed']);
    // Removed twice (a double submit): nothing left to remove, and nothing written.
    expect((await form(`/quan-tri/lich/ngoai-le/${row.id}/xoa`)).statusCode).toBe(404);
    expect((await t.db.selectFrom('audit_events').select('action').where('entity_id', '=', row.id).execute()).length).toBe(2);
    // Not an administrator of the province: refused, the exception kept.
    const again = await form('/quan-tri/lich', `&date=30/12/2027&kind=day_off&reason=${encodeURIComponent('Lần hai')}`);
    expect(again.statusCode).toBe(303);
    const kept = await t.db.selectFrom('calendar_exceptions').select('id').where('day', '=', '2027-12-30').executeTakeFirstOrThrow();
    const denied = await t.app.inject({ method: 'POST', url: `/quan-tri/lich/ngoai-le/${kept.id}/xoa`, headers: { cookie: communeAdmin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${communeAdmin.csrf}` });
    expect(denied.statusCode).toBe(403);
    expect(await t.db.selectFrom('calendar_exceptions').select('id').where('id', '=', kept.id).executeTakeFirst()).toBeDefined();
  });
});
