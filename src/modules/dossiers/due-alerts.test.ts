import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act } from '../../../test/support/dossier-steps.ts';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { CalendarStore } from '../../platform/calendar/calendar-store.ts';
import type { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import { DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { sendDueAlerts } from './due-alerts.ts';
import { outboxMessagesOf } from '../../../test/support/outbox.ts';

let t: TestApp;
let counter: Session;
let calendar: WorkingCalendar;
let justiceId: string;
let procedureCode: string;

beforeAll(async () => {
  t = await createTestApp();
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  calendar = await new CalendarStore(t.db).get();
  const centre = await t.db.selectFrom('role_assignments as ra').innerJoin('users as u', 'u.id', 'ra.user_id').select('ra.org_unit_id').where('u.username', '=', 'motcua.tinh').executeTakeFirstOrThrow();
  const id = await insertUser(t.db, { username: 'motcua.canhbao', fullName: 'Cán bộ nhận cảnh báo', roles: [{ role: 'one_stop_officer', orgUnitId: centre.org_unit_id }] });
  await t.db.updateTable('users').set({ email: 'canhbao@khanhhoa.gov.vn' }).where('id', '=', id).execute();
  ({ justiceId, procedureCode } = await justiceProcedure(t.db));
});
afterAll(async () => t.close());

const received = (name: string) => counterDossier(t.app, counter, { procedureCode, decidingOrgUnitId: justiceId, applicantName: name });
const setDue = (id: string, due: Date) => t.db.updateTable('dossiers').set({ due_at: due }).where('id', '=', id).execute();
const alertsOf = (id: string) => t.db.selectFrom('dossier_events').select('note').where('dossier_id', '=', id).where('action', '=', 'due_alert').execute();
const mailsOf = async (id: string) => (await outboxMessagesOf(t.db, 'dossier', id)).filter((m) => m.subject?.startsWith('Sắp đến hạn'));

describe('warnings before the deadline', () => {
  it('warns once per due date, a working day or more ahead, and again after the date moves', async () => {
    const now = new Date();
    const soon = await received('Người nộp sắp đến hạn');
    const later = await received('Người nộp còn xa hạn');
    await setDue(soon.id, calendar.addWorkingDays(now, 1));
    await setDue(later.id, calendar.addWorkingDays(now, 6));
    await sendDueAlerts(t.db, calendar, now);
    expect(await alertsOf(soon.id)).toHaveLength(1);
    expect(await alertsOf(later.id)).toHaveLength(0);
    expect(await mailsOf(soon.id)).toEqual([expect.objectContaining({ to: 'canhbao@khanhhoa.gov.vn' })]);
    await sendDueAlerts(t.db, calendar, now);
    expect(await alertsOf(soon.id)).toHaveLength(1);
    await setDue(soon.id, calendar.addWorkingHours(now, 12));
    await sendDueAlerts(t.db, calendar, now);
    expect(await alertsOf(soon.id)).toHaveLength(2);
  });

  it('does not warn about a dossier waiting for the applicant, whose clock is stopped', async () => {
    const now = new Date();
    const d = await received('Người nộp đang bổ sung');
    const processing = await act(t.app, d.id, 'start_processing', d.rowVersion, counter);
    const specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
    await act(t.app, d.id, 'request_supplement', processing.json().rowVersion, specialist, { note: 'Bổ sung bản sao giấy tờ nhà đất' });
    await setDue(d.id, calendar.addWorkingDays(now, 1));
    await sendDueAlerts(t.db, calendar, now);
    expect(await alertsOf(d.id)).toHaveLength(0);
    const view = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}`, headers: { cookie: counter.cookie } });
    expect(view.json().status).toBe(5);
  });
});
