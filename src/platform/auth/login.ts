import { type Actor, recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { type BackoffPolicy, backoffMinutes, claimAttempt, clearBackoff } from './backoff.ts';
import { deviceTokenUserId } from './device.ts';
import { verifyAgainstDummy, verifyPassword } from './password.ts';
import { createSession } from './sessions.ts';
import { countHit } from './throttle.ts';

export interface LoginPolicy {
  readonly sessionTtlHours: number;
  /**
   * Attempts per account (as typed) and client address and minute; every way of signing in counts against the same
   * number. Keyed by both, so that the officers of a service centre behind one address do not use up each other's.
   */
  readonly ratePerMinute: number;
  /** Attempts per client address and minute whatever the account: a ceiling against trying many accounts at once. */
  readonly addressRatePerMinute: number;
  readonly backoff: BackoffPolicy;
  /** The secret device tokens are signed with (the session secret). */
  readonly deviceSecret: string;
}

export interface LoginMeta {
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly requestId: string | null;
  /** The known-device cookie the attempt came with, if any. */
  readonly deviceToken?: string | undefined;
}

/** The sign-in counters, per account and address and per address; the form and the API both go through login(), so they share them. */
export const signInRateKey = (ip: string | null, username: string) => `sign-in:${ip ?? 'unknown'}:${username}`;
export const signInAddressKey = (ip: string | null) => `sign-in-address:${ip ?? 'unknown'}`;

async function auditFailure(db: Db, actor: Actor, userId: string, after: Record<string, unknown>): Promise<void> {
  await db.transaction().execute((tx) => recordAudit(tx, actor, { action: 'auth.login_failed', entityType: 'user', entityId: userId, after }));
}

/**
 * Checks a username/password pair and opens a session. Limits, in order: attempts per account and client address and
 * a higher ceiling per address, then a
 * back-off per account (keyed by the username as typed, so an unknown username is throttled exactly like an
 * existing one, and by the account alone for attempts from a device it signed in on before). Failures on existing
 * accounts are audited. Nothing in the answer says whether the username exists.
 */
export async function login(
  db: Db,
  policy: LoginPolicy,
  input: { username: string; password: string },
  meta: LoginMeta,
  now = new Date(),
): Promise<{ token: string; userId: string }> {
  const username = input.username.trim();
  await countHit(db, { key: signInAddressKey(meta.ip), max: policy.addressRatePerMinute, windowSeconds: 60 }, now);
  await countHit(db, { key: signInRateKey(meta.ip, username), max: policy.ratePerMinute, windowSeconds: 60 }, now);
  // Service accounts (API clients) hold no password and never sign in here.
  const user = await db.selectFrom('users').select(['id', 'password_hash']).where('username', '=', username).where('status', '=', 'active').where('kind', '!=', 'service').executeTakeFirst();
  const knownDevice = user !== undefined && deviceTokenUserId(policy.deviceSecret, meta.deviceToken) === user.id;
  const key = knownDevice ? `device:${user.id}` : `name:${username}`;
  const failures = await claimAttempt(db, key, policy.backoff, now);
  if (!user) {
    await verifyAgainstDummy(input.password);
    throw new AppError('invalid_credentials');
  }
  const actor = { id: user.id, label: username, requestId: meta.requestId };
  if (!(await verifyPassword(user.password_hash, input.password))) {
    await auditFailure(db, actor, user.id, { failedLogins: failures, waitMinutes: backoffMinutes(failures, policy.backoff), knownDevice, ip: meta.ip });
    throw new AppError('invalid_credentials');
  }
  return db.transaction().execute(async (tx) => {
    await clearBackoff(tx, key);
    const token = await createSession(tx, user.id, policy.sessionTtlHours, meta);
    await recordAudit(tx, actor, { action: 'auth.login', entityType: 'user', entityId: user.id, after: { ip: meta.ip, knownDevice } });
    return { token, userId: user.id };
  });
}
