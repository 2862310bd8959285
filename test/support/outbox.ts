import type { Db } from '../../src/platform/db/database.ts';

export interface OutboxMessageSeen {
  readonly topic: string;
  readonly status: 'pending' | 'sent' | 'failed';
  readonly to: string;
  readonly subject: string | null;
  readonly text: string;
}

/** The e-mails and SMS a record caused, oldest first, with the payload's fields flattened for assertions. */
export async function outboxMessagesOf(db: Db, recordType: string, recordId: string): Promise<OutboxMessageSeen[]> {
  const rows = await db.selectFrom('outbox_messages').select(['topic', 'status', 'payload']).where('record_type', '=', recordType).where('record_id', '=', recordId).orderBy('created_at').execute();
  return rows.map((r) => {
    const p = r.payload as { to?: unknown; subject?: unknown; text?: unknown };
    return { topic: r.topic, status: r.status, to: String(p.to ?? ''), subject: typeof p.subject === 'string' ? p.subject : null, text: String(p.text ?? '') };
  });
}
