import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DEMO_LOAD_STEPS } from '../../src/demo/seed-demo.ts';
import { DEMO_CITIZEN_ID } from '../../src/modules/directory/demo-accounts.ts';
import { verifyAuditLog } from '../../src/platform/audit/verify-audit-log.ts';
import { type DatabaseHandle, type Db, openDatabase } from '../../src/platform/db/database.ts';
import { createDatabase, databaseUrl, dropDatabase } from '../../src/platform/db/server-databases.ts';
import { type CliRun, freePort, runCli } from '../support/cli-process.ts';
import { createTestDb } from '../support/test-db.ts';

const template = inject('dbTemplate');

// What the directory and catalogue steps load, table by table; the template holds exactly that (seedDemo).
const TABLES = ['admin_units', 'admin_unit_links', 'org_units', 'users', 'role_assignments', 'sectors', 'procedures', 'procedure_versions', 'procedure_assignments', 'import_runs'] as const;

async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)).rows[0]?.n ?? -1;
  const actions = await sql<{ action: string; n: number }>`SELECT action, count(*)::int AS n FROM audit_events WHERE action LIKE 'directory.%' OR action LIKE 'procedures.%' GROUP BY action`.execute(db);
  for (const a of actions.rows) out[`audit ${a.action}`] = a.n;
  return out;
}

/** The demo citizen's dossiers: status and the actions on each timeline, which a resumed journey must not repeat. */
async function citizenJourneys(db: Db) {
  const rows = await db
    .selectFrom('dossiers as d')
    .innerJoin('users as u', 'u.id', 'd.applicant_user_id')
    .select((eb) => ['d.status', 'd.idempotency_key', eb.selectFrom('dossier_events as e').select(sql<string>`string_agg(e.action, ' ' ORDER BY e.id)`.as('a')).whereRef('e.dossier_id', '=', 'd.id').as('actions')])
    .where('u.username', '=', DEMO_CITIZEN_ID)
    .orderBy('d.idempotency_key')
    .execute();
  return rows.map((r) => `${r.idempotency_key} ${r.status}: ${r.actions}`);
}

interface Target {
  readonly env: Record<string, string>;
  open(): Promise<DatabaseHandle>;
  dispose(): Promise<void>;
}

async function pgliteTarget(): Promise<Target> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cqs-demo-kill-'));
  return {
    env: { CQS_DATA_DIR: dataDir },
    open: () => openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pgdata'), lock: { folder: dataDir, command: 'test' } }),
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
}

async function postgresTarget(serverUrl: string): Promise<Target> {
  const name = `cqs_demo_kill_${process.pid}`;
  await createDatabase(serverUrl, name);
  const url = databaseUrl(serverUrl, name);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cqs-demo-kill-files-'));
  return {
    env: { CQS_DATA_DIR: dataDir, DATABASE_URL: url },
    open: () => openDatabase({ kind: 'postgres', url, maxConnections: 2 }),
    dispose: async () => {
      await dropDatabase(serverUrl, name);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

describe.each([{ kind: 'pglite' }, { kind: 'postgres' }] as const)('a first start killed during the demo load ($kind)', ({ kind }) => {
  const servers: CliRun[] = [];
  let target: Target | undefined;
  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGKILL');
    await target?.dispose();
  });
  const start = async (extra: Record<string, string> = {}) => {
    const server = runCli(['start'], { ...(target?.env ?? {}), PORT: String(await freePort()), ...extra });
    servers.push(server);
    return server;
  };

  it.runIf(kind === 'pglite' || template.kind === 'postgres')(
    'is finished by the next start, whichever step it died after, with the province a clean load gives',
    async () => {
      target = kind === 'pglite' ? await pgliteTarget() : await postgresTarget(template.kind === 'postgres' ? template.url : '');
      // Each start dies right after one more step's data is in, before that step is recorded: the next one must
      // see the load as unfinished, redo or skip that step without doubling anything, and go one step further.
      for (const [index, step] of DEMO_LOAD_STEPS.entries()) {
        if (kind === 'postgres' && step.name === 'dossiers') {
          // On a server a plain kill in the middle of a step is safe too: its open transaction is rolled back.
          const cut = await start();
          await cut.waitFor(new RegExp(`demo load ${index + 1}/\\d+: dossiers`));
          cut.child.kill('SIGKILL');
          expect((await cut.exited).signal).toBe('SIGKILL');
        }
        const killed = await start({ CQS_TEST_DEMO_EXIT_AFTER: step.name });
        const { code } = await killed.exited;
        expect(code, killed.output()).toBe(137);
        expect(killed.output()).toContain(`demo load ${index + 1}/${DEMO_LOAD_STEPS.length}: ${step.name}`);
        expect(killed.output()).toContain(index === 0 ? 'First start: loading the demo province' : 'Finishing the demo load');
        expect(killed.output()).not.toContain('CQS is running');
      }
      const last = await start();
      await last.waitFor(/CQS is running/);
      expect(last.output()).toContain('Finishing the demo load');
      last.child.kill('SIGTERM');
      expect((await last.exited).code).toBe(0);

      // A further start finds the load complete and loads nothing.
      const again = await start();
      await again.waitFor(/CQS is running/);
      expect(again.output()).not.toContain('demo load');
      again.child.kill('SIGTERM');
      await again.exited;

      const clean = await createTestDb();
      const h = await target.open();
      try {
        expect(await counts(h.db)).toEqual(await counts(clean.db));
        const generated = await h.db.selectFrom('audit_events').select('summary').where('action', '=', 'dossiers.demo_generated').execute();
        expect(generated).toHaveLength(1);
        const { n } = await h.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).where('idempotency_key', 'is', null).executeTakeFirstOrThrow();
        expect(n).toBe((generated[0]?.summary as { after?: { dossiers?: number } } | undefined)?.after?.dossiers ?? -1);
        expect(n).toBeGreaterThan(10_000);
        expect(await citizenJourneys(h.db)).toEqual([
          'demo-cong-dan-1 1: submit',
          'demo-cong-dan-2 5: submit receive start_processing request_supplement',
          'demo-cong-dan-3 6: submit receive start_processing request_fee',
          'demo-cong-dan-4 10: submit receive start_processing forward decide deliver_result',
        ]);
        const steps = (await h.db.selectFrom('demo_load_steps').select('step').execute()).map((r) => r.step).sort();
        expect(steps).toEqual(['begun', 'complete', ...DEMO_LOAD_STEPS.map((s) => s.name)].sort());
        expect((await verifyAuditLog(h.db, { seal: true })).problems).toEqual([]);
      } finally {
        await h.close();
        await clean.close();
      }
    },
    1_200_000,
  );
});
