import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { OutboxMessagesTable } from '../db/schema.ts';
import type { OutboxMessageView } from './schema.ts';

export const LIST_LIMIT = 100;

export function messageView(r: Selectable<OutboxMessagesTable>): OutboxMessageView {
  return {
    id: r.id,
    topic: r.topic,
    payload: r.payload,
    recordType: r.record_type,
    recordId: r.record_id,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at.toISOString(),
    nextAttemptAt: r.next_attempt_at.toISOString(),
    sentAt: r.sent_at ? r.sent_at.toISOString() : null,
  };
}

/** The most recent outgoing messages, newest first, optionally of one status (the page lists the failed ones apart). */
export async function listMessages(db: Db, filter: { status?: OutboxMessageView['status'] } = {}): Promise<OutboxMessageView[]> {
  let q = db.selectFrom('outbox_messages').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(LIST_LIMIT);
  if (filter.status) q = q.where('status', '=', filter.status);
  return (await q.execute()).map(messageView);
}
