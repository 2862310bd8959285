import { randomBytes, randomInt } from 'node:crypto';
import type { DbOrTx } from '../db/database.ts';
import type { AccountTokensTable } from '../db/schema.ts';
import { tokenHash } from './sessions.ts';

export type AccountTokenPurpose = AccountTokensTable['purpose'];

// Letters and digits that cannot be misread for one another when read aloud or typed from a phone screen.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A code a person reads out or shows: 8 characters (about 40 bits), written as two groups of four. */
export function readableCode(): string {
  const chars = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** A code as typed: case, spaces and dashes do not matter. */
export const normaliseCode = (typed: string) => typed.toUpperCase().replace(/[\s-]/g, '');

/** A secret for a link (256 bits). */
export const linkToken = () => randomBytes(32).toString('base64url');

/**
 * Issues the account's token for `purpose`, replacing any earlier one (only the latest works). Only its hash is kept;
 * the caller shows or sends `secret`.
 */
export async function issueAccountToken(db: DbOrTx, userId: string, purpose: AccountTokenPurpose, secret: string, expiresAt: Date): Promise<void> {
  const hash = tokenHash(purpose === 'counter_verification' ? normaliseCode(secret) : secret);
  await db.deleteFrom('account_tokens').where('user_id', '=', userId).where('purpose', '=', purpose).execute();
  await db.insertInto('account_tokens').values({ token_hash: hash, user_id: userId, purpose, expires_at: expiresAt }).execute();
}

/**
 * Takes a token once: the account it belongs to when it matches, is for `purpose`, has not expired and (when given)
 * belongs to `userId`; null otherwise. A matching token is used up.
 */
export async function takeAccountToken(db: DbOrTx, purpose: AccountTokenPurpose, secret: string, now: Date, userId?: string): Promise<string | null> {
  const hash = tokenHash(purpose === 'counter_verification' ? normaliseCode(secret) : secret);
  let query = db.deleteFrom('account_tokens').where('token_hash', '=', hash).where('purpose', '=', purpose).where('expires_at', '>', now);
  if (userId) query = query.where('user_id', '=', userId);
  const row = await query.returning('user_id').executeTakeFirst();
  return row?.user_id ?? null;
}

/** Removes tokens past their expiry. */
export async function purgeAccountTokens(db: DbOrTx, now: Date): Promise<number> {
  const result = await db.deleteFrom('account_tokens').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
