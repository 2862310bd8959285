import type { Db, DbOrTx } from '../db/database.ts';
import { Throttled } from './throttle.ts';

export interface BackoffPolicy {
  /** Failures allowed before each further attempt has to wait. */
  readonly freeFailures: number;
  /** The wait doubles from one minute up to this, and stays there: there is never an indefinite lock. */
  readonly maxDelayMinutes: number;
}

/** Failures are forgotten this long after the last one (once no wait is pending). */
export const BACKOFF_FORGET_HOURS = 24;

/** Minutes to wait after the `failures`-th failure in a row: none before `freeFailures`, then 1, 2, 4 … capped. */
export function backoffMinutes(failures: number, policy: BackoffPolicy): number {
  if (failures < policy.freeFailures) return 0;
  return Math.min(2 ** Math.min(failures - policy.freeFailures, 30), policy.maxDelayMinutes);
}

export const backoffMessage = (minutes: number) => `Đăng nhập không thành công nhiều lần. Vui lòng thử lại sau ${minutes} phút.`;

/**
 * Claims one sign-in attempt on `key`. While a wait is pending it throws Throttled. Otherwise the attempt is counted
 * as a failure before the password is checked, with the wait that would follow it, so that parallel attempts
 * cannot all slip in when a wait ends: only one attempt is allowed each time. A successful sign-in then calls
 * clearBackoff. Returns the failures counted, this attempt included.
 */
export async function claimAttempt(db: Db, key: string, policy: BackoffPolicy, now = new Date()): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('sign_in_backoffs').select(['failures', 'last_failed_at', 'retry_at']).where('key', '=', key).forUpdate().executeTakeFirst();
    if (row?.retry_at && row.retry_at > now) {
      const seconds = Math.ceil((row.retry_at.getTime() - now.getTime()) / 1000);
      throw new Throttled(seconds, backoffMessage(Math.ceil(Math.max(1, seconds) / 60)));
    }
    const forgotten = !row || row.last_failed_at.getTime() < now.getTime() - BACKOFF_FORGET_HOURS * 3_600_000;
    const failures = forgotten ? 1 : row.failures + 1;
    const minutes = backoffMinutes(failures, policy);
    const values = { failures, last_failed_at: now, retry_at: minutes > 0 ? new Date(now.getTime() + minutes * 60_000) : null };
    await tx
      .insertInto('sign_in_backoffs')
      .values({ key, ...values })
      .onConflict((oc) => oc.column('key').doUpdateSet(values))
      .execute();
    return failures;
  });
}

/** Forgets the failures on `key` after a successful sign-in. */
export async function clearBackoff(db: DbOrTx, key: string): Promise<void> {
  await db.deleteFrom('sign_in_backoffs').where('key', '=', key).execute();
}

/** Removes back-offs that are over and forgotten, including those left by usernames that do not exist. */
export async function purgeBackoffs(db: DbOrTx, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - BACKOFF_FORGET_HOURS * 3_600_000);
  const result = await db
    .deleteFrom('sign_in_backoffs')
    .where('last_failed_at', '<', cutoff)
    .where((eb) => eb.or([eb('retry_at', 'is', null), eb('retry_at', '<', now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
