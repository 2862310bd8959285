import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, decideThroughSteps } from '../../../test/support/dossier-steps.ts';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { CalendarStore } from '../../platform/calendar/calendar-store.ts';
import { dueDate } from '../../platform/deadlines/deadline-clock.ts';
import { processingTimeOf } from '../procedures/index.ts';
import { DEMO_PASSWORD } from '../directory/demo-accounts.ts';

/**
 * Use cases take the time from the app's clock, so a test moves time instead of rewriting rows: a dossier received on
 * a Friday afternoon and decided after its due instant is recorded late, with every instant from the clock.
 */
let now = new Date('2026-12-04T15:30:00+07:00');
let t: TestApp;
let counter: Session;
let specialist: Session;
let leader: Session;

beforeAll(async () => {
  t = await createTestApp({}, { clock: { now: () => now } });
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  leader = await signIn(t.app, 'lanhdao.stp', DEMO_PASSWORD);
});
afterAll(async () => t.close());

describe('the clock use cases run on', () => {
  it('dates receipt, due date, hand-overs and the decision by the app clock', async () => {
    const target = await justiceProcedure(t.db, { workingDays: true });
    const received = now;
    const d = await counterDossier(t.app, counter, { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, applicantName: 'Phạm Thị Đồng Hồ' });
    const row = await t.db.selectFrom('dossiers').select(['received_at', 'due_at', 'procedure_version_id']).where('id', '=', d.id).executeTakeFirstOrThrow();
    const calendar = await new CalendarStore(t.db).get();
    expect(row.received_at).toEqual(received);
    expect(row.due_at).toEqual(dueDate(calendar, received, await processingTimeOf(t.db, row.procedure_version_id)));
    const started = await act(t.app, d.id, 'start_processing', d.rowVersion, counter);
    // Time passes: an hour after the due instant, the leader decides.
    now = new Date((row.due_at ?? received).getTime() + 3_600_000);
    const decided = await decideThroughSteps(t.app, d.id, started.json().rowVersion, specialist, leader);
    expect(decided.statusCode).toBe(200);
    const after = await t.db.selectFrom('dossiers').select(['decided_at', 'timeliness']).where('id', '=', d.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ decided_at: now, timeliness: 'late' });
    const events = await t.db.selectFrom('dossier_events').select(['action', 'occurred_at']).where('dossier_id', '=', d.id).orderBy('id').execute();
    expect(events.map((e) => [e.action, e.occurred_at.getTime()])).toEqual([
      ['receive', received.getTime()],
      ['start_processing', received.getTime()],
      ['forward', now.getTime()],
      ['decide', now.getTime()],
    ]);
  });
});
