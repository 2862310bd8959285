import { type Actor, recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/database.ts';
import type { UseCaseContext } from '../use-case.ts';
import { AppError } from '../errors.ts';
import { messageView } from './list-messages.ts';
import type { OutboxMessageView } from './schema.ts';

/**
 * Sends a message that ran out of attempts (or could not be delivered at all) again: it is due at once with a fresh
 * count of attempts. Only failed messages: a pending one is already on its way and a sent one must not go twice.
 */
export async function retryMessage(db: Db, ctx: Pick<UseCaseContext, 'now'>, actor: Actor, id: string): Promise<OutboxMessageView> {
  return db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom('outbox_messages').select(['status', 'attempts', 'last_error', 'topic']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found');
    if (before.status !== 'failed') {
      throw new AppError('conflict', { messageVi: 'Chỉ gửi lại được thông báo đã gửi không được.', detail: `Only a failed message can be sent again; this one is ${before.status}.` });
    }
    const row = await tx
      .updateTable('outbox_messages')
      .set({ status: 'pending', attempts: 0, next_attempt_at: ctx.now, lease_until: null, lease_owner: null })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'outbox.message_retried',
      entityType: 'outbox_message',
      entityId: id,
      before: { status: before.status, attempts: before.attempts, lastError: before.last_error, topic: before.topic },
      after: { status: 'pending', attempts: 0 },
    });
    return messageView(row);
  });
}
