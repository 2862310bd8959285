import type { DbOrTx } from '../db/database.ts';
import { enqueueMessage } from '../outbox/outbox.ts';

/**
 * Tells an account's owner something about their account (a registration with their number, a password revoked)
 * by e-mail and SMS through the outbox, in the caller's transaction: sent only if the change commits, once per key.
 */
export async function notifyAccountOwner(tx: DbOrTx, account: { readonly id: string; readonly email: string | null; readonly phone: string | null }, message: { readonly key: string; readonly subject: string; readonly text: string }): Promise<void> {
  const record = { type: 'user', id: account.id };
  if (account.email) await enqueueMessage(tx, { topic: 'email', payload: { to: account.email, subject: message.subject, text: message.text }, dedupeKey: `${message.key}:email`, record });
  if (account.phone) await enqueueMessage(tx, { topic: 'sms', payload: { to: account.phone, text: message.text.slice(0, 300) }, dedupeKey: `${message.key}:sms`, record });
}
