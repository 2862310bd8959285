import type { Insertable } from 'kysely';
import { executeDeferred } from '../../platform/db/commit-batching.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { DossiersTable } from '../../platform/db/schema.ts';
import type { RecordStore, TimelineEntry } from '../../platform/records/apply-transition.ts';
import type { DossierRow } from './access.ts';
import { dossierCounter } from './dossier-counts.ts';
import type { DossierStatus } from './status.ts';

/** The timeline entry as a dossier_events row (the bulk generator writes the same rows). */
export const eventRow = (dossierId: string, e: TimelineEntry<DossierStatus>) => ({
  dossier_id: dossierId,
  action: e.action,
  from_status: e.fromStatus,
  to_status: e.toStatus,
  actor_id: e.actorId,
  actor_label: e.actorLabel,
  org_unit_id: e.orgUnitId,
  occurred_at: e.occurredAt,
  note: e.note,
  data: JSON.stringify(e.data),
});

/** How the kernel's transition engine reads and writes dossiers: the module's own tables. */
export const dossierStore: RecordStore<DossierRow, DossierStatus, Insertable<DossiersTable>> = {
  insert: (tx: Tx, values) => tx.insertInto('dossiers').values(values).returningAll().executeTakeFirstOrThrow(),
  update: (tx: Tx, id, expectedVersion, set) =>
    tx
      .updateTable('dossiers')
      .set({ ...set, form_data: set.form_data === undefined ? undefined : JSON.stringify(set.form_data), row_version: expectedVersion + 1 })
      .where('id', '=', id)
      .where('row_version', '=', expectedVersion)
      .returningAll()
      .executeTakeFirst(),
  appendEvent: async (tx: Tx, dossierId, entry) => {
    await executeDeferred(tx, tx.insertInto('dossier_events').values(eventRow(dossierId, entry)));
  },
  counter: dossierCounter,
};
