import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/test-db.ts';
import { systemActor } from '../../platform/audit/audit-log.ts';
import { verifyAuditLog } from '../../platform/audit/verify-audit-log.ts';
import { CalendarStore } from '../../platform/calendar/calendar-store.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import { parseCode } from './dossier-code.ts';
import { generateDemoDossiers, prng } from './demo-dossiers.ts';
import { rebuildDossierCounts } from './dossier-counts.ts';
import { seedDemoCitizenDossiers } from './demo-citizen-dossiers.ts';
import { listDossiers } from './read-dossiers.ts';
import { activeUser } from '../../platform/auth/sessions.ts';
import { DEMO_CITIZEN_ID } from '../directory/demo-accounts.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h.close());

describe('demo dossier generator', () => {
  it('is reproducible from its seed', () => {
    const a = prng(56);
    const b = prng(56);
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
    expect(prng(57)()).not.toBe(prng(56)());
  });

  it('generates consistent dossiers: valid codes, decided ones with timeliness, an intact audit log', async () => {
    const calendar = await new CalendarStore(h.db).get();
    const n = await generateDemoDossiers(h.db, calendar, systemActor('test'), { from: '2026-03-02', to: '2026-03-13', perDay: 20, seed: 1 });
    expect(n).toBeGreaterThan(100);
    const rows = await h.db.selectFrom('dossiers').select(['code', 'status', 'decided_at', 'timeliness', 'received_at', 'due_at', 'channel', 'form_data']).execute();
    expect(rows.length).toBe(n);
    expect(new Set(rows.map((r) => r.code)).size).toBe(n);
    for (const r of rows) {
      expect(parseCode('{agency}-{yyMMdd}-{seq:4}', r.code ?? '')).not.toBeNull();
      if (r.decided_at) expect(r.timeliness).not.toBeNull();
      if (r.status !== 3) expect(r.due_at && r.received_at && r.due_at > r.received_at).toBe(true);
      // The forms and the register print the applicant's address and phone.
      expect(r.form_data).toMatchObject({ address: expect.stringMatching(/^\d+ .+, tỉnh Khánh Hòa$/), phone: expect.stringMatching(/^09\d{8}$/) });
    }
    const decided = rows.filter((r) => r.timeliness);
    const onTime = decided.filter((r) => r.timeliness !== 'late').length / decided.length;
    expect(onTime).toBeGreaterThan(0.8);
    expect(onTime).toBeLessThan(1);
    expect(new Set(rows.map((r) => r.channel))).toEqual(new Set([1, 2, 3]));
    expect((await verifyAuditLog(h.db, { seal: true })).problems).toEqual([]);
  });

  it("gives the demo citizen a dossier at each stage that waits for them, once", async () => {
    const calendar = await new CalendarStore(h.db).get();
    expect(await seedDemoCitizenDossiers(h.db, calendar)).toBe(4);
    expect(await seedDemoCitizenDossiers(h.db, calendar)).toBe(0);
    const own = await h.db
      .selectFrom('dossiers as d')
      .innerJoin('users as u', 'u.id', 'd.applicant_user_id')
      .select(['d.status', 'd.code'])
      .where('u.username', '=', DEMO_CITIZEN_ID)
      .orderBy('d.status')
      .execute();
    expect(own.map((d) => d.status)).toEqual([1, 5, 6, 10]);
    const citizen = await activeUser(h.db, { username: DEMO_CITIZEN_ID });
    if (!citizen) throw new Error('no demo citizen');
    const waiting = await listDossiers(h.db, { calendar, now: new Date() }, citizen, { view: 'todo' });
    expect(waiting.items.map((d) => d.status).sort()).toEqual([5, 6]);
    const fee = await h.db.selectFrom('payments').select(['amount_vnd', 'status']).where('status', '=', 'pending').execute();
    expect(fee.map((f) => Number(f.amount_vnd))).toContain(50_000);
    expect((await verifyAuditLog(h.db, { seal: true })).problems).toEqual([]);
  });

  it('writes a month per transaction when asked, and stacks on what is there: codes continue each series', async () => {
    const calendar = await new CalendarStore(h.db).get();
    const before = Number((await h.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const first = await generateDemoDossiers(h.db, calendar, systemActor('test'), { from: '2026-03-25', to: '2026-04-03', perDay: 10, seed: 3, monthly: true });
    // The same days again, as a second `cqs seed` would: new dossiers, never a code twice.
    const second = await generateDemoDossiers(h.db, calendar, systemActor('test'), { from: '2026-03-25', to: '2026-04-03', perDay: 10, seed: 3, monthly: true });
    expect(second).toBe(first);
    const codes = await h.db.selectFrom('dossiers').select('code').execute();
    expect(codes.length).toBe(before + first + second);
    expect(new Set(codes.map((c) => c.code)).size).toBe(codes.length);
    // Each month committed with its own audit events and counts.
    expect((await verifyAuditLog(h.db, { seal: true })).problems).toEqual([]);
    const kept = await h.db.selectFrom('record_counts').select(['grain', 'period', 'unit_id', 'via_unit_id', 'metric', 'n']).where('n', '<>', '0').orderBy(['grain', 'period', 'unit_id', 'via_unit_id', 'metric']).execute();
    await rebuildDossierCounts(h.db, new Date());
    expect(await h.db.selectFrom('record_counts').select(['grain', 'period', 'unit_id', 'via_unit_id', 'metric', 'n']).where('n', '<>', '0').orderBy(['grain', 'period', 'unit_id', 'via_unit_id', 'metric']).execute()).toEqual(kept);
  });
});
