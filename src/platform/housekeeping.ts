import { type Actor, recordAudit, systemActor } from './audit/audit-log.ts';
import { purgeAccountTokens } from './auth/account-tokens.ts';
import { purgeBackoffs } from './auth/backoff.ts';
import { purgeRateLimits } from './auth/throttle.ts';
import type { Db } from './db/database.ts';
import type { FileStore } from './files/file-store.ts';

/** Registrations not activated within this long are removed (their activation link has expired by then). */
export const PENDING_ACCOUNT_HOURS = 48;

/** Uploads never attached (to a dossier's papers, a record…) are kept this long (a citizen may come back to an unfinished form). */
export const ABANDONED_UPLOAD_HOURS = 48;

/**
 * Removes what nobody can use any more: expired sessions, finished sign-in and registration limits, expired account
 * tokens and registrations never activated (which would otherwise hold their personal ID), and uploads never marked in use after
 * ABANDONED_UPLOAD_HOURS, with their content once no other upload shares it. Counts go to the audit log.
 */
export async function housekeeping(db: Db, store: FileStore, now = new Date(), actor: Actor = systemActor('housekeeping')) {
  const cutoff = new Date(now.getTime() - ABANDONED_UPLOAD_HOURS * 3_600_000);
  const { sessions, files } = await db.transaction().execute(async (tx) => {
    const expired = await tx.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
    const abandoned = await tx
      .deleteFrom('stored_files as f')
      .where('f.created_at', '<', cutoff)
      // Modules mark the files they attach (markFilesInUse); any other upload is abandoned once old enough.
      .where('f.attached_at', 'is', null)
      .returning(['f.id', 'f.sha256'])
      .execute();
    const limits = (await purgeRateLimits(tx, now)) + (await purgeBackoffs(tx, now));
    const tokens = await purgeAccountTokens(tx, now);
    const pending = await tx
      .deleteFrom('users')
      .where('status', '=', 'pending')
      .where('updated_at', '<', new Date(now.getTime() - PENDING_ACCOUNT_HOURS * 3_600_000))
      .executeTakeFirst();
    const counts = { sessions: Number(expired.numDeletedRows), files: abandoned };
    const unactivated = Number(pending.numDeletedRows);
    if (counts.sessions > 0 || abandoned.length > 0 || limits > 0 || tokens > 0 || unactivated > 0) {
      await recordAudit(tx, actor, { action: 'housekeeping.purged', entityType: 'system', entityId: 'housekeeping', after: { expiredSessions: counts.sessions, abandonedUploads: abandoned.length, finishedLimits: limits, expiredAccountTokens: tokens, unactivatedRegistrations: unactivated } });
    }
    return counts;
  });
  const hashes = [...new Set(files.map((f) => f.sha256))];
  const stillUsed = hashes.length ? await db.selectFrom('stored_files').select('sha256').where('sha256', 'in', hashes).execute() : [];
  const unused = hashes.filter((h) => !stillUsed.some((u) => u.sha256 === h));
  // Bytes uploaded again within the last hour may be on their way into a new row: those stay.
  for (const h of unused) await store.remove(h, new Date(now.getTime() - 3_600_000));
  return { sessions, uploads: files.length, blobs: unused.length };
}
