import type { DbOrTx } from '../db/database.ts';
import { contactMessages, enqueueMessages } from '../outbox/outbox.ts';

/**
 * Tells an account's owner something about their account (a registration with their number, a password revoked)
 * by e-mail and SMS through the outbox, in the caller's transaction: sent only if the change commits, once per key.
 */
export async function notifyAccountOwner(tx: DbOrTx, account: { readonly id: string; readonly email: string | null; readonly phone: string | null }, message: { readonly key: string; readonly subject: string; readonly text: string }): Promise<void> {
  await enqueueMessages(tx, contactMessages(account, message, { type: 'user', id: account.id }));
}
