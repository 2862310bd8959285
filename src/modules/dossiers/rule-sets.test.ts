import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { act } from '../../../test/support/dossier-steps.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { CalendarStore } from '../../platform/calendar/calendar-store.ts';
import { localDateOf } from '../../platform/time.ts';
import { DEMO_PASSWORD } from '../directory/demo-accounts.ts';

/**
 * One-stop rules are an effective-dated set pinned on each dossier: new rules from a date apply to dossiers created
 * from then on, and dossiers already in progress finish under their own.
 */
let t: TestApp;
let counter: Session;
let specialist: Session;
let target: { procedureCode: string; justiceId: string };

beforeAll(async () => {
  t = await createTestApp();
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  target = await justiceProcedure(t.db, { workingDays: true });
});
afterAll(async () => t.close());

async function dossierInProcessing(name: string) {
  const d = await counterDossier(t.app, counter, { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, applicantName: name });
  const started = await act(t.app, d.id, 'start_processing', d.rowVersion, counter);
  expect(started.statusCode).toBe(200);
  return { id: d.id as string, rowVersion: started.json().rowVersion as number };
}

async function extend(d: { id: string; rowVersion: number }, reason: string) {
  const row = await t.db.selectFrom('dossiers').select(['due_at', 'row_version']).where('id', '=', d.id).executeTakeFirstOrThrow();
  const calendar = await new CalendarStore(t.db).get();
  const newDueDate = calendar.nextWorkingDay(calendar.nextWorkingDay(localDateOf(row.due_at ?? new Date())));
  return t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/extension`, headers: { ...authHeaders(specialist), 'if-match': `"${row.row_version}"` }, payload: { newDueDate, reason } });
}

describe('one-stop rule sets pinned on dossiers', () => {
  it('keeps each dossier on the rules in force when it was created', async () => {
    const before = await dossierInProcessing('Trần Văn Quy Tắc Cũ');
    const today = localDateOf(new Date());
    const current = await t.db.selectFrom('rule_sets').selectAll().where('record_type', '=', 'dossier').where('valid_to', 'is', null).executeTakeFirstOrThrow();
    // New rules from today: two new dates allowed, reasons of 30 characters at least.
    await t.db.updateTable('rule_sets').set({ valid_to: today }).where('id', '=', current.id).execute();
    await t.db
      .insertInto('rule_sets')
      .values({ record_type: 'dossier', name: 'Quy định thử', legal_basis: 'Quyết định thử nghiệm', basis: '{}', rules: JSON.stringify({ ...(current.rules as object), maxExtensions: 2, minReasonLength: 30 }), valid_from: today, valid_to: null })
      .execute();
    const after = await dossierInProcessing('Lê Thị Quy Tắc Mới');
    const pinned = await t.db.selectFrom('dossiers').select(['id', 'rule_set_id']).where('id', 'in', [before.id, after.id]).execute();
    expect(pinned.find((p) => p.id === before.id)?.rule_set_id).toBe(current.id);
    expect(pinned.find((p) => p.id === after.id)?.rule_set_id).not.toBe(current.id);

    // The older dossier: one new date, a reason of 10 characters is enough.
    expect((await extend(before, 'Cần xác minh thêm')).statusCode).toBe(200);
    const again = await extend(before, 'Cần xác minh thêm lần thứ hai với cơ quan khác');
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('hẹn lại một lần');

    // The newer one: 30 characters, and a second new date is allowed.
    const short = await extend(after, 'Cần xác minh thêm');
    expect(short.statusCode).toBe(400);
    expect(short.json().errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    expect((await extend(after, 'Cần xác minh thêm thông tin với cơ quan thuế')).statusCode).toBe(200);
    expect((await extend(after, 'Cơ quan thuế chưa trả lời kết quả xác minh hồ sơ')).statusCode).toBe(200);
    expect((await extend(after, 'Cơ quan thuế vẫn chưa trả lời kết quả xác minh hồ sơ')).statusCode).toBe(409);
  });

  it('never edits a rule set in place', async () => {
    const set = await t.db.selectFrom('rule_sets').select('id').where('record_type', '=', 'dossier').orderBy('valid_from').executeTakeFirstOrThrow();
    await expect(t.db.updateTable('rule_sets').set({ rules: JSON.stringify({ maxExtensions: 9 }) }).where('id', '=', set.id).execute()).rejects.toThrow(/not edited/);
    await expect(t.db.deleteFrom('rule_sets').where('id', '=', set.id).execute()).rejects.toThrow(/not edited/);
  });
});
