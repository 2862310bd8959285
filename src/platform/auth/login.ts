import { sql } from 'kysely';
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { verifyAgainstDummy, verifyPassword } from './password.ts';
import { createSession } from './sessions.ts';

export interface LoginPolicy {
  readonly maxFailures: number;
  readonly lockMinutes: number;
  readonly sessionTtlHours: number;
}

export interface LoginMeta {
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly requestId: string | null;
}

/**
 * Checks a username/password pair and opens a session. Repeated failures lock the account for a while; every
 * outcome on an existing account is audited. The error never says whether the username exists.
 */
export async function login(
  db: Db,
  policy: LoginPolicy,
  input: { username: string; password: string },
  meta: LoginMeta,
): Promise<{ token: string; userId: string }> {
  const username = input.username.trim();
  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash', 'status', 'locked_until', 'failed_logins', 'full_name'])
    .where('username', '=', username)
    .executeTakeFirst();
  if (user?.status !== 'active') {
    await verifyAgainstDummy(input.password);
    throw new AppError('invalid_credentials');
  }
  if (user.locked_until && user.locked_until.getTime() > Date.now()) throw new AppError('account_locked');
  const ok = await verifyPassword(user.password_hash, input.password);
  const actor = { id: user.id, label: username, requestId: meta.requestId };
  if (!ok) {
    const locked = await db.transaction().execute(async (tx) => {
      const row = await tx
        .updateTable('users')
        .set({ failed_logins: sql`failed_logins + 1` })
        .where('id', '=', user.id)
        .returning('failed_logins')
        .executeTakeFirstOrThrow();
      const lock = row.failed_logins >= policy.maxFailures;
      if (lock) {
        await tx
          .updateTable('users')
          .set({ failed_logins: 0, locked_until: new Date(Date.now() + policy.lockMinutes * 60_000) })
          .where('id', '=', user.id)
          .execute();
      }
      await recordAudit(tx, actor, {
        action: lock ? 'auth.locked' : 'auth.login_failed',
        entityType: 'user',
        entityId: user.id,
        after: { failedLogins: lock ? 0 : row.failed_logins, ip: meta.ip },
      });
      return lock;
    });
    throw new AppError(locked ? 'account_locked' : 'invalid_credentials');
  }
  return db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    const token = await createSession(tx, user.id, policy.sessionTtlHours, meta);
    await recordAudit(tx, actor, { action: 'auth.login', entityType: 'user', entityId: user.id, after: { ip: meta.ip } });
    return { token, userId: user.id };
  });
}
