import './permissions.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import { issueAccountToken, readableCode, takeAccountToken } from '../../platform/auth/account-tokens.ts';
import { personalIdEnding, recordIdentityVerified } from '../../platform/auth/identity.ts';
import { orgUnitInScope } from '../../platform/auth/org-scope.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import type { CounterVerification } from './schema.ts';

/** How long the code a citizen takes to the counter stays valid. */
export const COUNTER_CODE_HOURS = 24;

/**
 * A code for the citizen to show at a counter, proving that the online account is theirs while the officer checks
 * their card. A new code replaces the previous one; only its hash is kept.
 */
export async function issueCounterCode(db: Db, user: CurrentUser, actor: Actor, now: Date): Promise<{ code: string; expiresAt: Date }> {
  if (user.kind !== 'citizen' || user.client) throw new AppError('forbidden');
  const account = await db.selectFrom('users').select(['personal_id', 'identity_verified_at']).where('id', '=', user.id).executeTakeFirstOrThrow();
  if (!account.personal_id) throw new AppError('forbidden', { messageVi: 'Tài khoản chưa khai số định danh cá nhân; hãy đăng nhập bằng VNeID mức 2 để xác minh.' });
  if (account.identity_verified_at) throw new AppError('conflict', { messageVi: 'Danh tính của tài khoản đã được xác minh.' });
  const code = readableCode();
  const expiresAt = new Date(now.getTime() + COUNTER_CODE_HOURS * 3_600_000);
  await db.transaction().execute(async (tx) => {
    await issueAccountToken(tx, user.id, 'counter_verification', code, expiresAt);
    await recordAudit(tx, actor, { action: 'identity.counter_code_issued', entityType: 'user', entityId: user.id, after: { expiresAt: expiresAt.toISOString() } });
  });
  return { code, expiresAt };
}

const mismatch = () =>
  AppError.validation([
    fieldError('code', 'mismatch', 'Mã xác minh không đúng, đã hết hạn hoặc không thuộc tài khoản mang số định danh này.', 'Wrong or expired code, or not the account of this personal ID.'),
  ]);

/**
 * An officer verifies a person's identity at the counter: the officer has seen their card (the personal ID typed
 * here) and the person shows the code from their account page (so the online account is theirs). Only at a counter
 * in the officer's subtree; audited there. A wrong ID or code says neither which one was wrong nor whether such an
 * account exists.
 */
export async function verifyIdentityAtCounter(db: Db, officer: CurrentUser, actor: Actor, input: CounterVerification, now: Date): Promise<{ userId: string; fullName: string; alreadyVerified: boolean }> {
  const unit = await orgUnitInScope(db, officer, 'identity.verify', input.orgUnitId);
  return db.transaction().execute(async (tx) => {
    const account = await tx
      .selectFrom('users')
      .select(['id', 'full_name', 'personal_id', 'identity_verified_at'])
      .where('personal_id', '=', input.personalId)
      .where('kind', '=', 'citizen')
      .where('status', '=', 'active')
      .forUpdate()
      .executeTakeFirst();
    const owner = account ? await takeAccountToken(tx, 'counter_verification', input.code, now, account.id) : null;
    if (!account || !owner || !account.personal_id) {
      await recordAudit(tx, actor, { action: 'identity.counter_verification_refused', entityType: 'user', entityId: account?.id ?? 'unknown', orgUnitId: unit.id, after: { personalId: personalIdEnding(input.personalId) } });
      return null;
    }
    if (account.identity_verified_at) return { userId: account.id, fullName: account.full_name, alreadyVerified: true };
    await recordIdentityVerified(tx, actor, { id: account.id, personalId: account.personal_id }, { method: 'counter', officerId: officer.id, orgUnitId: unit.id }, now);
    return { userId: account.id, fullName: account.full_name, alreadyVerified: false };
  }).then((result) => {
    if (!result) throw mismatch();
    return result;
  });
}
