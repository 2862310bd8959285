import { sql } from 'kysely';
import type { Db, Tx } from '../db/database.ts';

/** One alert threshold of a record type: e.g. "due within two working days" for dossiers. */
export interface AlertThreshold {
  readonly recordType: string;
  readonly threshold: string;
}

/**
 * Claims the alert of a threshold for a record's current due instant: true the first time, false once it was sent.
 * A new due instant (an extension, a restarted clock) is a new claim, so the alert goes out again for it.
 */
export async function claimDeadlineAlert(tx: Tx, t: AlertThreshold, recordId: string, dueAt: Date, now: Date): Promise<boolean> {
  const rows = await tx
    .insertInto('deadline_alerts')
    .values({ record_type: t.recordType, record_id: recordId, threshold: t.threshold, due_at: dueAt, sent_at: now })
    .onConflict((oc) => oc.columns(['record_type', 'record_id', 'threshold', 'due_at']).doNothing())
    .returning('record_id')
    .execute();
  return rows.length === 1;
}

/**
 * A SQL condition for a record type's candidate query: no alert of this threshold was sent for `due` of `id`
 * (columns of one table or alias, `record.id`, whose tenant the alert shares).
 */
export const notAlerted = (t: AlertThreshold, id: string, due: string) =>
  sql<boolean>`NOT EXISTS (SELECT 1 FROM deadline_alerts da WHERE da.record_type = ${t.recordType} AND da.threshold = ${t.threshold}
    AND da.record_id = ${sql.ref(id)} AND da.due_at = ${sql.ref(due)} AND da.tenant_id = ${sql.ref(`${id.split('.')[0]}.tenant_id`)})`;

/** How a record type finds and warns its records near a deadline. */
export interface DeadlineAlertSource<R> {
  readonly threshold: AlertThreshold;
  /** Records due by the threshold's horizon and not yet alerted for their due instant, locked (SKIP LOCKED). */
  candidates(tx: Tx, now: Date, limit: number): Promise<readonly R[]>;
  idOf(record: R): string;
  dueOf(record: R): Date;
  /** Sends the warning (through the record type's own transition, so it is on the timeline and audited). */
  alert(tx: Tx, record: R, now: Date): Promise<void>;
}

const BATCH = 200;

/**
 * Runs one threshold's alerts in short transactions of a batch each; several processes may run it at once (the rows
 * are locked SKIP LOCKED and each alert is claimed once).
 */
export async function runDeadlineAlerts<R>(db: Db, source: DeadlineAlertSource<R>, now: Date): Promise<{ alerted: number }> {
  let alerted = 0;
  for (;;) {
    const done = await db.transaction().execute(async (tx) => {
      const batch = await source.candidates(tx, now, BATCH);
      for (const record of batch) {
        if (!(await claimDeadlineAlert(tx, source.threshold, source.idOf(record), source.dueOf(record), now))) continue;
        await source.alert(tx, record, now);
        alerted += 1;
      }
      return batch.length < BATCH;
    });
    if (done) return { alerted };
  }
}
