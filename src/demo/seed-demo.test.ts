import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createTestDb } from '../../test/support/test-db.ts';
import { DEMO_CITIZEN_ID } from '../modules/directory/demo-accounts.ts';
import { actOnDossier } from '../modules/dossiers/act-on-dossier.ts';
import { demoProcedure, seedDemoCitizenDossiers } from '../modules/dossiers/demo-citizen-dossiers.ts';
import { submitOnline } from '../modules/dossiers/submit-dossier.ts';
import { systemActor } from '../platform/audit/audit-log.ts';
import { activeUser } from '../platform/auth/sessions.ts';
import { CalendarStore } from '../platform/calendar/calendar-store.ts';
import { type DatabaseHandle, openDatabase } from '../platform/db/database.ts';
import { createDatabase, databaseUrl, dropDatabase } from '../platform/db/server-databases.ts';
import { migrate } from '../platform/db/migrate.ts';
import { DEMO_LOAD_STEPS, demoLoadState, loadDemoProvince } from './seed-demo.ts';

let h: DatabaseHandle;
beforeEach(async () => {
  h = await createTestDb();
});
afterEach(async () => h.close());

const total = async (table: 'dossiers' | 'audit_events' | 'import_runs' | 'admin_units' | 'org_units') =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(h.db)).rows[0]?.n ?? -1;

describe('the demo load', () => {
  // The template holds what seedDemo loads, without a recorded demo load: like a province's own data.
  it('never touches a database that has data of its own', async () => {
    expect(await demoLoadState(h.db)).toBe('none');
    const before = await total('audit_events');
    expect(await loadDemoProvince(h)).toBe('none');
    expect(await total('dossiers')).toBe(0);
    expect(await total('audit_events')).toBe(before);
    expect(await h.db.selectFrom('demo_load_steps').select('step').execute()).toEqual([]);
  });

  it('runs each directory and catalogue step again without doubling anything (a kill can fall after its commit)', async () => {
    const before = { events: await total('audit_events'), imports: await total('import_runs'), units: await total('admin_units'), org: await total('org_units') };
    for (const step of DEMO_LOAD_STEPS.slice(0, 6)) await step.run(h.db);
    expect({ events: await total('audit_events'), imports: await total('import_runs'), units: await total('admin_units'), org: await total('org_units') }).toEqual(before);
  });

  it('resumes a load that was begun: the remaining steps run, then the load is complete', async () => {
    await h.db.insertInto('demo_load_steps').values(['begun', 'admin_units', 'org_units', 'catalogue', 'detailed_procedures', 'assignments'].map((step) => ({ step }))).execute();
    expect(await demoLoadState(h.db)).toBe('resume');
    const ran: string[] = [];
    expect(await loadDemoProvince(h, { onStep: (name) => ran.push(name) })).toBe('resume');
    expect(ran).toEqual(['eforms', 'dossiers', 'citizen_dossiers']);
    expect(await demoLoadState(h.db)).toBe('complete');
    const generated = await total('dossiers');
    expect(generated).toBeGreaterThan(10_000);
    // Complete: a further start loads nothing.
    expect(await loadDemoProvince(h, { onStep: () => expect.unreachable() })).toBe('complete');
    expect(await total('dossiers')).toBe(generated);
  }, 400_000); // The whole demo load: a year of dossiers counted at five grains, which on a busy machine takes minutes.

  it("finishes a demo citizen's journey left half-way instead of leaving it stuck", async () => {
    const calendar = await new CalendarStore(h.db).get();
    const actor = systemActor('demo-seed');
    const [citizen, counter] = await Promise.all([activeUser(h.db, { username: DEMO_CITIZEN_ID }), activeUser(h.db, { username: 'motcua.tinh' })]);
    const procedure = await demoProcedure(h.db);
    if (!citizen || !counter || !procedure) throw new Error('demo accounts and procedure expected in the template');
    const input = { procedureCode: procedure.nationalCode, decidingOrgUnitId: procedure.unitId, address: '25 Lê Thánh Tôn, phường Nha Trang', request: 'Đề nghị giải quyết.' };
    // The returned dossier's journey, cut after its first action.
    const { dossier } = await submitOnline(h.db, { calendar, now: new Date() }, citizen, actor, input, 'demo-cong-dan-4');
    await actOnDossier(h.db, { calendar, now: new Date() }, counter, actor, dossier.id, { action: 'receive', expectedVersion: dossier.row_version });

    expect(await seedDemoCitizenDossiers(h.db, calendar)).toBe(3);
    const row = await h.db.selectFrom('dossiers').select(['status']).where('id', '=', dossier.id).executeTakeFirstOrThrow();
    expect(row.status).toBe(10);
    const actions = await h.db.selectFrom('dossier_events').select('action').where('dossier_id', '=', dossier.id).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['submit', 'receive', 'start_processing', 'forward', 'decide', 'deliver_result']);
    // Run again: nothing more.
    expect(await seedDemoCitizenDossiers(h.db, calendar)).toBe(0);
    expect(await h.db.selectFrom('dossier_events').select('id').where('dossier_id', '=', dossier.id).execute()).toHaveLength(6);
  });

  // Identical app processes starting together on one empty server database: one loads, the other waits and finds it done.
  const template = inject('dbTemplate');
  it.runIf(template.kind === 'postgres')('is loaded once when two processes start together on a server', async () => {
    if (template.kind !== 'postgres') return;
    const name = `cqs_demo_twice_${process.pid}`;
    await createDatabase(template.url, name);
    const url = databaseUrl(template.url, name);
    const [a, b] = [await openDatabase({ kind: 'postgres', url, maxConnections: 3 }), await openDatabase({ kind: 'postgres', url, maxConnections: 3 })];
    try {
      await migrate(a.db);
      const states = await Promise.all([loadDemoProvince(a), loadDemoProvince(b)]);
      expect(states.sort()).toEqual(['complete', 'fresh']);
      expect(await a.db.selectFrom('audit_events').select('seq').where('action', '=', 'dossiers.demo_generated').execute()).toHaveLength(1);
      expect(await a.db.selectFrom('audit_events').select('seq').where('action', '=', 'directory.demo_seeded').execute()).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
      await dropDatabase(template.url, name);
    }
  }, 300_000);
});
