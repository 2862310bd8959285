import { sql } from 'kysely';
import { seedDemoAdminUnits, seedDemoOrgUnits, seedDirectory } from '../modules/directory/demo-seed.ts';
import { type ResultSigning, seedDemoCitizenDossiers } from '../modules/dossiers/demo-citizen-dossiers.ts';
import { demoPeriodEnding, generateDemoDossiers } from '../modules/dossiers/demo-dossiers.ts';
import { seedDemoAssignments, seedDemoCatalogue, seedDemoDetailedProcedures, seedDemoEforms, seedProcedures } from '../modules/procedures/demo-seed.ts';
import { systemActor } from '../platform/audit/audit-log.ts';
import { CalendarStore } from '../platform/calendar/calendar-store.ts';
import type { WorkingCalendar } from '../platform/calendar/working-calendar.ts';
import type { DatabaseHandle, Db } from '../platform/db/database.ts';

/** First-run demo data: the directory first, since procedures are assigned to its org units. */
export async function seedDemo(db: Db): Promise<void> {
  await seedDirectory(db);
  await seedProcedures(db);
}

// About 20,000 dossiers a year: a mid-sized province's one-stop volume, enough for the dashboards to show real trends.
export const DEMO_DOSSIERS_PER_DAY = 80;
// About 250,000 a year: a large province's one-stop volume, what `cqs seed` generates unless told otherwise.
export const PROVINCE_DOSSIERS_PER_DAY = 1000;

/** Generated dossiers over the `years` up to today, reproducibly (the seed depends on the span). */
export async function seedDossiers(db: Db, calendar: WorkingCalendar, years: number, perDay: number, options: { monthly?: boolean } = {}): Promise<number> {
  return generateDemoDossiers(db, calendar, systemActor('demo-seed'), { ...demoPeriodEnding(new Date(), years), perDay, seed: 56 + years, ...options });
}

/** The demo year of dossiers, unless it is in: it is generated in one transaction with its audit event. */
async function seedDemoYear(db: Db): Promise<void> {
  const done = await db.selectFrom('audit_events').select('seq').where('action', '=', 'dossiers.demo_generated').limit(1).executeTakeFirst();
  if (done) return;
  await seedDossiers(db, await new CalendarStore(db).get(), 1, DEMO_DOSSIERS_PER_DAY);
}

export interface DemoLoadStep {
  readonly name: string;
  run(db: Db, hooks?: DemoLoadHooks): Promise<void>;
}

/**
 * The demo province, in order. A process can die between a step's commit and the record of it, so each step is
 * idempotent: it checks whether its data is in (each writes in one transaction, or resumes where it stopped).
 */
export const DEMO_LOAD_STEPS: readonly DemoLoadStep[] = [
  { name: 'admin_units', run: seedDemoAdminUnits },
  { name: 'org_units', run: seedDemoOrgUnits },
  { name: 'catalogue', run: seedDemoCatalogue },
  { name: 'detailed_procedures', run: seedDemoDetailedProcedures },
  { name: 'assignments', run: seedDemoAssignments },
  { name: 'eforms', run: seedDemoEforms },
  { name: 'dossiers', run: seedDemoYear },
  { name: 'citizen_dossiers', run: async (db, hooks) => void (await seedDemoCitizenDossiers(db, await new CalendarStore(db).get(), undefined, hooks?.resultSigning)) },
];

/**
 * fresh: an empty database, to load; resume: a load was begun and cut short; complete: loaded; none: a database
 * with data of its own (or loaded before loads were recorded), never touched.
 */
export type DemoLoadState = 'fresh' | 'resume' | 'complete' | 'none';

export async function demoLoadState(db: Db): Promise<DemoLoadState> {
  const steps = new Set((await db.selectFrom('demo_load_steps').select('step').execute()).map((r) => r.step));
  if (steps.has('complete')) return 'complete';
  if (steps.has('begun')) return 'resume';
  const any = await db.selectFrom('org_units').select('id').limit(1).executeTakeFirst();
  return any ? 'none' : 'fresh';
}

export interface DemoLoadHooks {
  /** Before a step runs (including a step done before, which is then skipped quickly). */
  onStep?(name: string, index: number, total: number, state: 'fresh' | 'resume'): void;
  /** After a step's data is in, before it is recorded: where a kill hurts most (tests end the process here). */
  afterStepWritten?(name: string): void;
  /** The demo CA's signer and the file store: the demo citizen's result is then a signed PDF, else a paper one. */
  resultSigning?: ResultSigning;
}

async function recordStep(db: Db, step: string): Promise<void> {
  await db.insertInto('demo_load_steps').values({ step }).onConflict((oc) => oc.column('step').doNothing()).execute();
}

async function runSteps(db: Db, hooks: DemoLoadHooks): Promise<DemoLoadState> {
  const state = await demoLoadState(db);
  if (state !== 'fresh' && state !== 'resume') return state;
  // Written before anything else: from now on an empty-looking province is a load to finish, not to start.
  await recordStep(db, 'begun');
  const done = new Set((await db.selectFrom('demo_load_steps').select('step').execute()).map((r) => r.step));
  for (const [index, step] of DEMO_LOAD_STEPS.entries()) {
    if (done.has(step.name)) continue;
    hooks.onStep?.(step.name, index, DEMO_LOAD_STEPS.length, state);
    await step.run(db, hooks);
    hooks.afterStepWritten?.(step.name);
    await recordStep(db, step.name);
  }
  await recordStep(db, 'complete');
  return state;
}

/**
 * Loads the demo province into an empty database, or finishes a load that was cut short; answers the state found.
 * On a server, processes starting together take turns (an advisory lock on a connection of its own); PGlite is one
 * process per folder already.
 */
export async function loadDemoProvince(handle: DatabaseHandle, hooks: DemoLoadHooks = {}): Promise<DemoLoadState> {
  if (handle.kind === 'pglite') return runSteps(handle.db, hooks);
  return handle.db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(727002)`.execute(conn);
    try {
      return await runSteps(handle.db, hooks);
    } finally {
      await sql`SELECT pg_advisory_unlock(727002)`.execute(conn);
    }
  });
}
