import type { Db } from '../db/database.ts';
import { canonicalContent, chainHash, GENESIS_HASH } from './audit-log.ts';

export interface AuditProblem {
  readonly seq: number;
  readonly kind: 'edited' | 'missing' | 'broken_link';
  readonly detail: string;
}

export interface AuditVerification {
  readonly checked: number;
  readonly headSeq: number;
  readonly headHash: string;
  readonly problems: readonly AuditProblem[];
}

const PAGE = 2000;

/**
 * Walks the whole chain: recomputes each hash (an edited row no longer matches), checks that seq has no gap and that
 * each row points at its predecessor's hash (a deleted row leaves a gap and a broken link). Deleting the newest rows
 * shows against audit_head; if that row was rewritten too, compare the printed head with one recorded elsewhere
 * (`expectedHead`).
 */
export async function verifyAuditLog(db: Db, expectedHead?: { seq: number; hash: string }): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  let prevSeq = 0;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', String(prevSeq))
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== prevSeq + 1) {
        problems.push({ seq: prevSeq + 1, kind: 'missing', detail: `events ${prevSeq + 1}–${seq - 1} are missing` });
      }
      if (row.prev_hash !== prevHash) {
        problems.push({ seq, kind: 'broken_link', detail: 'prev_hash does not match the previous event' });
      }
      const content = canonicalContent({
        occurredAt: row.occurred_at,
        actorId: row.actor_id,
        actorLabel: row.actor_label,
        action: row.action,
        entityType: row.entity_type,
        entityId: row.entity_id,
        orgUnitId: row.org_unit_id,
        summary: row.summary,
        requestId: row.request_id,
      });
      if (chainHash(seq, row.prev_hash, content) !== row.hash) problems.push({ seq, kind: 'edited', detail: 'content does not match its hash' });
      prevSeq = seq;
      prevHash = row.hash;
      checked += 1;
    }
    if (rows.length < PAGE) break;
  }
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirst();
  if (head && (Number(head.seq) !== prevSeq || head.hash !== prevHash)) {
    problems.push({ seq: Number(head.seq), kind: 'missing', detail: `the chain head is event ${head.seq}, the log ends at ${prevSeq}` });
  }
  if (expectedHead && (expectedHead.seq > prevSeq || (expectedHead.seq === prevSeq && expectedHead.hash !== prevHash))) {
    problems.push({ seq: expectedHead.seq, kind: 'missing', detail: 'the recorded head is no longer in the log' });
  }
  return { checked, headSeq: prevSeq, headHash: prevHash, problems };
}
