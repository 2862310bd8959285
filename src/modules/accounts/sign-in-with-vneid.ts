import { createHash } from 'node:crypto';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import { personalIdEnding, recordIdentityVerified } from '../../platform/auth/identity.ts';
import { notifyAccountOwner } from '../../platform/auth/notify-account.ts';
import { NO_PASSWORD } from '../../platform/auth/password.ts';
import { createSession, deleteSessionsOfUser } from '../../platform/auth/sessions.ts';
import type { VneidIdentity } from '../../platform/auth/vneid.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';

export interface VneidSignIn {
  readonly token: string;
  readonly userId: string;
  /** What happened to the account: found, created, verified now, or taken back from an unverified claim. */
  readonly outcome: 'signed_in' | 'created' | 'verified' | 'taken_over';
}

const accountColumns = ['id', 'username', 'email', 'phone', 'personal_id', 'identity_verified_at', 'vneid_subject'] as const;

const refusal = (messageVi: string) => new AppError('conflict', { messageVi, detail: 'VNeID identity conflicts with an existing account' });

/** A username for an account made by a level-1 sign-in (no personal ID to name it by); stable for the subject. */
const level1Username = (subject: string) => `vneid-${createHash('sha256').update(subject).digest('hex').slice(0, 16)}`;

/**
 * Opens a session for a person who signed in through VNeID, finding or making their account:
 * - level 2 (personal ID vouched for): the account that claims that number is theirs and becomes verified. If it was
 *   only claimed (anyone can type a number at registration) and this browser is not signed in to it, its password
 *   and sessions are revoked (whoever registered it may not be the person) and its contacts told; signed in to it,
 *   the person proved both, so the password stays. Without such an account, the one linked to the VNeID subject (a
 *   level-1 sign-in before) takes the number, or a new verified account is made.
 * - level 1: the account linked to the subject, or a new one with no personal ID; nothing recorded for a personal ID
 *   reaches it.
 * Everything in one transaction, audited; the session records the level it was opened with.
 */
export async function signInWithVneid(db: Db, identity: VneidIdentity, meta: { ip: string | null; userAgent: string | null; requestId: string | null; signedInAs: string | null; sessionTtlHours: number }, now: Date): Promise<VneidSignIn> {
  return db.transaction().execute(async (tx) => {
    const linked = await tx.selectFrom('users').select(accountColumns).where('vneid_subject', '=', identity.subject).where('kind', '=', 'citizen').forUpdate().executeTakeFirst();
    const claimant =
      identity.level === 2 && identity.personalId
        ? await tx.selectFrom('users').select(accountColumns).where('personal_id', '=', identity.personalId).where('kind', '=', 'citizen').forUpdate().executeTakeFirst()
        : undefined;
    const actorFor = (userId: string, label: string): Actor => ({ id: userId, label, requestId: meta.requestId });
    let userId: string;
    let outcome: VneidSignIn['outcome'] = 'signed_in';
    if (identity.level === 2 && identity.personalId) {
      const personalId = identity.personalId;
      if (claimant) {
        if (claimant.vneid_subject && claimant.vneid_subject !== identity.subject) throw refusal('Số định danh này đã gắn với một tài khoản VNeID khác. Vui lòng liên hệ bộ phận một cửa.');
        if (linked && linked.id !== claimant.id) throw refusal('Tài khoản VNeID này đã liên kết với một tài khoản khác. Vui lòng liên hệ bộ phận một cửa.');
        userId = claimant.id;
        if (!claimant.identity_verified_at) {
          const owned = meta.signedInAs === claimant.id;
          if (!owned) await takeBack(tx, claimant, now);
          await recordIdentityVerified(tx, actorFor(claimant.id, claimant.username), { id: claimant.id, personalId }, { method: 'vneid', subject: identity.subject }, now);
          outcome = owned ? 'verified' : 'taken_over';
        } else if (!claimant.vneid_subject) {
          // Verified at a counter before: the VNeID account is linked to it from now on.
          await tx.updateTable('users').set({ vneid_subject: identity.subject, updated_at: now }).where('id', '=', claimant.id).execute();
          await recordAudit(tx, actorFor(claimant.id, claimant.username), { action: 'identity.vneid_linked', entityType: 'user', entityId: claimant.id, after: { level: 2 } });
        }
      } else if (linked) {
        userId = linked.id;
        await tx.updateTable('users').set({ personal_id: personalId, updated_at: now }).where('id', '=', linked.id).execute();
        await recordIdentityVerified(tx, actorFor(linked.id, linked.username), { id: linked.id, personalId }, { method: 'vneid', subject: identity.subject }, now);
        outcome = 'verified';
      } else {
        userId = await createAccount(tx, identity, personalId, meta.requestId);
        await recordIdentityVerified(tx, actorFor(userId, personalId), { id: userId, personalId }, { method: 'vneid', subject: identity.subject }, now);
        outcome = 'created';
      }
    } else if (linked) {
      userId = linked.id;
    } else {
      userId = await createAccount(tx, identity, null, meta.requestId);
      outcome = 'created';
    }
    const token = await createSession(tx, userId, meta.sessionTtlHours, meta, identity.level === 2 ? 'vneid_2' : 'vneid_1');
    await recordAudit(tx, actorFor(userId, identity.fullName), { action: 'auth.login', entityType: 'user', entityId: userId, after: { ip: meta.ip, method: `vneid_${identity.level}`, outcome } });
    return { token, userId, outcome };
  });
}

async function createAccount(tx: Tx, identity: VneidIdentity, personalId: string | null, requestId: string | null): Promise<string> {
  const username = personalId ?? level1Username(identity.subject);
  const row = await tx
    .insertInto('users')
    .values({ kind: 'citizen', username, full_name: identity.fullName.slice(0, 200), email: null, phone: null, personal_id: personalId, password_hash: NO_PASSWORD, locked_until: null, vneid_subject: identity.subject })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(tx, { id: row.id, label: username, requestId }, { action: 'citizen.registered', entityType: 'user', entityId: row.id, after: { via: `vneid_${identity.level}`, ...(personalId ? { personalId: personalIdEnding(personalId) } : {}) } });
  return row.id;
}

/** The account was only claimed with this number: its password and sessions go, and whoever holds its contacts is told. */
async function takeBack(tx: Tx, account: { id: string; email: string | null; phone: string | null; personal_id: string | null }, now: Date): Promise<void> {
  await tx.updateTable('users').set({ password_hash: NO_PASSWORD, password_changed_at: now, updated_at: now }).where('id', '=', account.id).execute();
  await deleteSessionsOfUser(tx, account.id);
  await notifyAccountOwner(tx, account, {
    key: `identity-taken-over:${account.id}`,
    subject: 'Tài khoản dịch vụ công: mật khẩu đã bị thu hồi',
    text: `Chủ thẻ căn cước mang số định danh ${personalIdEnding(account.personal_id ?? '')} vừa xác minh tài khoản qua VNeID. Mật khẩu cũ của tài khoản không còn dùng được; hãy đăng nhập bằng VNeID.`,
  });
  await recordAudit(tx, { id: account.id, label: 'vneid', requestId: null }, { action: 'identity.taken_over', entityType: 'user', entityId: account.id, after: { passwordRevoked: true, sessionsEnded: true } });
}
