import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import { canonicalJson } from './canonical-json.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** Who acts: a signed-in user, or the system itself (imports, jobs, CLI). */
export interface Actor {
  readonly id: string | null;
  readonly label: string;
  readonly requestId?: string | null;
}

export const systemActor = (label = 'system'): Actor => ({ id: null, label, requestId: null });

export interface AuditInput {
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly orgUnitId?: string | null;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface ChainedFields {
  readonly seq: number;
  readonly occurredAt: Date;
  readonly actorId: string | null;
  readonly actorLabel: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly orgUnitId: string | null;
  readonly summary: unknown;
  readonly requestId: string | null;
  readonly prevHash: string;
}

export function hashAuditEvent(e: ChainedFields): string {
  const body = canonicalJson({
    seq: e.seq,
    occurredAt: e.occurredAt.toISOString(),
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    orgUnitId: e.orgUnitId,
    summary: e.summary,
    requestId: e.requestId,
    prevHash: e.prevHash,
  });
  return createHash('sha256').update(body).digest('hex');
}

// Key of the advisory lock that serialises appends to the chain; held until the transaction ends.
const AUDIT_LOCK_KEY = 727002;

/**
 * Appends an audit event inside the caller's transaction, so the mutation and its record commit or vanish together.
 * Call it last in the transaction: the chain lock is held until commit.
 */
export async function recordAudit(tx: Tx, actor: Actor, input: AuditInput): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(tx);
  const last = await tx
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const fields: ChainedFields = {
    seq: last ? Number(last.seq) + 1 : 1,
    occurredAt: new Date(),
    actorId: actor.id,
    actorLabel: actor.label,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    orgUnitId: input.orgUnitId ?? null,
    summary: { before: input.before ?? null, after: input.after ?? null },
    requestId: actor.requestId ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  await tx
    .insertInto('audit_events')
    .values({
      seq: fields.seq,
      occurred_at: fields.occurredAt,
      actor_id: fields.actorId,
      actor_label: fields.actorLabel,
      action: fields.action,
      entity_type: fields.entityType,
      entity_id: fields.entityId,
      org_unit_id: fields.orgUnitId,
      summary: canonicalJson(fields.summary),
      request_id: fields.requestId,
      prev_hash: fields.prevHash,
      hash: hashAuditEvent(fields),
    })
    .execute();
}
