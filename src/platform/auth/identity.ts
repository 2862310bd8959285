import { type Actor, recordAudit } from '../audit/audit-log.ts';
import type { Tx } from '../db/database.ts';

/** How a personal ID was verified: a VNeID level-2 identity, or an officer who saw the person's card at a counter. */
export type IdentityProof = { readonly method: 'vneid'; readonly subject: string } | { readonly method: 'counter'; readonly officerId: string; readonly orgUnitId: string };

/** The last digits of a personal ID: enough to tell records apart in the audit log without copying the number. */
export const personalIdEnding = (personalId: string) => `…${personalId.slice(-4)}`;

/**
 * Records that the account's claimed personal ID is the person's own: from now on the papers, results and dossiers
 * recorded for that number reach it. Audited with how, by whom and where, in the caller's transaction (last).
 */
export async function recordIdentityVerified(tx: Tx, actor: Actor, account: { readonly id: string; readonly personalId: string }, proof: IdentityProof, now: Date): Promise<void> {
  await tx
    .updateTable('users')
    .set((eb) => ({
      identity_verified_at: now,
      identity_method: proof.method,
      identity_verified_by: proof.method === 'counter' ? proof.officerId : null,
      identity_org_unit_id: proof.method === 'counter' ? proof.orgUnitId : null,
      ...(proof.method === 'vneid' ? { vneid_subject: proof.subject } : {}),
      updated_at: now,
      row_version: eb('row_version', '+', 1),
    }))
    .where('id', '=', account.id)
    .where('personal_id', '=', account.personalId)
    .execute();
  await recordAudit(tx, actor, {
    action: 'identity.verified',
    entityType: 'user',
    entityId: account.id,
    orgUnitId: proof.method === 'counter' ? proof.orgUnitId : null,
    after: { method: proof.method, personalId: personalIdEnding(account.personalId) },
  });
}
