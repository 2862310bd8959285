import { PeriodicJob } from '../jobs/periodic-job.ts';
import { sql } from 'kysely';
import type { Db, DbOrTx } from '../db/database.ts';

export interface OutgoingMessage {
  readonly channel: 'email' | 'sms';
  readonly recipient: string;
  readonly subject?: string;
  readonly body: string;
  /** Same key, same message: enqueueing twice (a retried request) sends once. */
  readonly dedupeKey: string;
  readonly dossierId?: string;
}

/** A way out of CQS for one channel (SMTP, an SMS gateway); throws when the far side refuses. */
export interface Transport {
  readonly name: string;
  send(message: { recipient: string; subject: string | null; body: string }): Promise<void>;
}

export async function enqueueMessage(tx: DbOrTx, m: OutgoingMessage): Promise<void> {
  await tx
    .insertInto('outbox_messages')
    .values({ channel: m.channel, recipient: m.recipient, subject: m.subject ?? null, body: m.body, dedupe_key: m.dedupeKey, dossier_id: m.dossierId ?? null, next_attempt_at: new Date(), last_error: null, created_at: new Date(), sent_at: null })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

export const MAX_ATTEMPTS = 8;

/** Exponential back-off: 1, 2, 4 … minutes, at most six hours. */
export const retryDelayMs = (attempts: number) => Math.min(2 ** Math.max(0, attempts - 1) * 60_000, 6 * 3_600_000);

/**
 * Delivers the messages that are due. Rows are claimed with FOR UPDATE SKIP LOCKED, so several app processes can
 * run this at once without sending a message twice; delivery is at-least-once (a crash between the send and the
 * commit resends it).
 */
export async function deliverDueMessages(db: Db, transports: Readonly<Record<'email' | 'sms', Transport | undefined>>, limit = 20): Promise<{ sent: number; failed: number }> {
  return db.transaction().execute(async (tx) => {
    const due = await sql<{ id: string; channel: 'email' | 'sms'; recipient: string; subject: string | null; body: string; attempts: number }>`
      SELECT id, channel, recipient, subject, body, attempts FROM outbox_messages
      WHERE status = 'pending' AND next_attempt_at <= now()
      ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`.execute(tx);
    let sent = 0;
    let failed = 0;
    for (const m of due.rows) {
      const transport = transports[m.channel];
      try {
        if (!transport) throw new Error(`no transport configured for ${m.channel}`);
        await transport.send(m);
        await tx.updateTable('outbox_messages').set({ status: 'sent', sent_at: new Date(), attempts: m.attempts + 1, last_error: null }).where('id', '=', m.id).execute();
        sent += 1;
      } catch (error) {
        const attempts = m.attempts + 1;
        await tx
          .updateTable('outbox_messages')
          .set({ attempts, last_error: (error as Error).message.slice(0, 500), status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', next_attempt_at: new Date(Date.now() + retryDelayMs(attempts)) })
          .where('id', '=', m.id)
          .execute();
        failed += 1;
      }
    }
    return { sent, failed };
  });
}

/** Polls the outbox in the app process; stops with the app. */
export class OutboxWorker extends PeriodicJob {
  constructor(db: Db, transports: Readonly<Record<'email' | 'sms', Transport | undefined>>, intervalMs = 2000) {
    super('outbox delivery', () => deliverDueMessages(db, transports), intervalMs);
  }
}
