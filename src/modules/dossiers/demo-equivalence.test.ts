import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/test-db.ts';
import { systemActor } from '../../platform/audit/audit-log.ts';
import { verifyAuditLog } from '../../platform/audit/verify-audit-log.ts';
import { CalendarStore } from '../../platform/calendar/calendar-store.ts';
import type { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import type { DatabaseHandle, Db } from '../../platform/db/database.ts';
import { processingTimeOf } from '../procedures/index.ts';
import type { DossierRow } from './access.ts';
import { insertDossier } from './create-dossier.ts';
import { DEMO_CREATOR, generateDemoDossiers } from './demo-dossiers.ts';
import type { DossierRecordAction, DossierStatus } from './status.ts';
import { applyDossierAction } from './take-action.ts';

/**
 * The bulk generator writes rows in batches for speed; this shows that what it writes is exactly what the engine
 * writes when the same actions are taken one by one at the same instants: the dossier row, its timeline and its
 * audit events. Only what cannot be equal is set aside: ids and the code (allocated afresh).
 */
let h: DatabaseHandle;
let calendar: WorkingCalendar;
const actor = systemActor('demo-seed');

beforeAll(async () => {
  h = await createTestDb();
  calendar = await new CalendarStore(h.db).get();
});
afterAll(async () => h.close());

const history = async (db: Db, id: string) => {
  const events = await db.selectFrom('dossier_events').selectAll().where('dossier_id', '=', id).orderBy('id').execute();
  const audits = await db.selectFrom('audit_events').select(['action', 'entity_type', 'org_unit_id', 'actor_label', 'summary']).where('entity_type', '=', 'dossier').where('entity_id', '=', id).orderBy('seq').execute();
  return { events, audits };
};

/** Takes a generated dossier's actions again, one by one, through the engine. */
async function replay(g: DossierRow, events: Awaited<ReturnType<typeof history>>['events']): Promise<DossierRow> {
  const [first, ...rest] = events;
  if (!first) throw new Error('no first event');
  return h.db.transaction().execute(async (tx) => {
    const receiving = await tx.selectFrom('org_units').select('agency_code').where('id', '=', g.receiving_org_unit_id).executeTakeFirstOrThrow();
    const procedure = { procedureId: g.procedure_id, versionId: g.procedure_version_id, processing: await processingTimeOf(tx, g.procedure_version_id) };
    const input = {
      procedure: procedure as Parameters<typeof insertDossier>[4]['procedure'],
      channel: g.channel,
      status: first.to_status as DossierStatus,
      applicant: { userId: null, name: g.applicant_name, personalId: null },
      receiving: { id: g.receiving_org_unit_id, agencyCode: receiving.agency_code ?? '000.00.00.X00' },
      decidingOrgUnitId: g.deciding_org_unit_id ?? g.receiving_org_unit_id,
      formData: g.form_data as Record<string, unknown>,
      idempotencyKey: null,
      authentication: g.applicant_auth,
    };
    let d = await insertDossier(tx, calendar, DEMO_CREATOR, actor, input, first.occurred_at);
    for (const e of rest) {
      const delivery = e.action === 'deliver_result' && g.result_delivery ? { method: g.result_delivery, tracking: g.postal_tracking } : undefined;
      const result = e.action === 'decide' ? { number: g.result_number ?? undefined, issuedOn: g.result_issued_on ?? undefined } : undefined;
      d = await applyDossierAction(tx, { calendar, now: e.occurred_at }, DEMO_CREATOR, actor, d, { action: e.action as DossierRecordAction, expectedVersion: d.row_version, note: e.note ?? undefined, delivery, result });
    }
    return d;
  });
}

const comparable = (d: DossierRow) => {
  const { id: _id, code: _code, ...rest } = d;
  return rest;
};
const eventsOf = (x: Awaited<ReturnType<typeof history>>) => x.events.map(({ id: _id, dossier_id: _d, ...e }) => e);
const auditsOf = (x: Awaited<ReturnType<typeof history>>, code: string | null) => x.audits.map((a) => ({ ...a, summary: JSON.parse(JSON.stringify(a.summary).replaceAll(code ?? '\u0000', 'CODE')) }));

describe('the bulk demo generator', () => {
  it('writes exactly what the engine writes for the same actions', async () => {
    const made = await generateDemoDossiers(h.db, calendar, actor, { from: '2026-03-02', to: '2026-03-20', perDay: 4, seed: 11 });
    expect(made).toBeGreaterThan(30);
    const generated = await h.db.selectFrom('dossiers').selectAll().where('applicant_user_id', 'is', null).orderBy('submitted_at').execute();
    // The counts the figures read (ratings aside: the replay does not rate), before the engine's twins are added.
    const counts = async () => (await h.db.selectFrom('record_counts').select(['grain', 'period', 'unit_id', 'via_unit_id', 'metric', 'n']).where('metric', 'not in', ['rated', 'satisfied']).where('n', '<>', '0').orderBy(['grain', 'period', 'unit_id', 'via_unit_id', 'metric']).execute()).map((c) => ({ ...c, n: Number(c.n) }));
    const bulkCounts = await counts();
    const actions = new Set<string>();
    for (const g of generated) {
      const before = await history(h.db, g.id);
      for (const e of before.events) actions.add(e.action);
      const r = await replay(g, before.events);
      const after = await history(h.db, r.id);
      expect(comparable(r), g.code ?? '').toEqual(comparable(g));
      expect(eventsOf(after)).toEqual(eventsOf(before));
      expect(auditsOf(after, r.code)).toEqual(auditsOf(before, g.code));
    }
    // Each twin counted exactly as its generated dossier was.
    expect(await counts()).toEqual(bulkCounts.map((c) => ({ ...c, n: c.n * 2 })));
    // The sample covers each kind of journey the generator makes.
    for (const a of ['submit', 'receive', 'start_processing', 'forward', 'decide', 'deliver_result']) expect(actions, a).toContain(a);
    // Every decided dossier records the result it issued.
    const decided = generated.filter((g) => g.decided_at !== null && g.timeliness !== null);
    expect(decided.length).toBeGreaterThan(0);
    for (const g of decided) expect({ kind: g.result_kind, number: g.result_number, issuedOn: g.result_issued_on }, g.code ?? '').toMatchObject({ kind: 'paper', number: expect.stringMatching(/\/KQ$/), issuedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect((await verifyAuditLog(h.db, { seal: true })).problems).toEqual([]);
  });
});
