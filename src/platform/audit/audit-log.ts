import { createHash } from 'node:crypto';
import { executeDeferred } from '../db/commit-batching.ts';
import type { Selectable } from 'kysely';
import type { Tx } from '../db/database.ts';
import type { AuditEventsTable } from '../db/schema.ts';
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

/** Everything an event says apart from its place in the chain. */
export interface AuditContent {
  readonly occurredAt: Date;
  readonly actorId: string | null;
  readonly actorLabel: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly orgUnitId: string | null;
  readonly summary: unknown;
  readonly requestId: string | null;
}

export function canonicalContent(e: AuditContent): string {
  return canonicalJson({ ...e, occurredAt: e.occurredAt.toISOString() });
}

export type AuditEventRow = Selectable<AuditEventsTable>;

/** The canonical content of a stored event: what its chain hash covers. */
export const eventContent = (row: AuditEventRow): string =>
  canonicalContent({
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

/**
 * hash = sha256(position "|" prevHash "|" canonical content), position being the event's gap-free place in its
 * stream. The sealer computes it when chaining an event; verification recomputes it.
 */
export function chainHash(streamSeq: number, prevHash: string, content: string): string {
  return createHash('sha256').update(`${streamSeq}|${prevHash}|${content}`).digest('hex');
}

/** Number of streams (audit_stream_heads, migrations/0013); the sealer appends to stream 0 (migrations/0050). */
export const STREAMS = 16;

/** Where each stream's chain starts: stream 0 carries on the original single chain, the others are bound to their number. */
export function genesisHash(stream: number): string {
  return stream === 0 ? GENESIS_HASH : createHash('sha256').update(`CQS audit stream ${stream}`).digest('hex');
}

function contentOf(actor: Actor, input: AuditInput, occurredAt: Date): AuditContent {
  return {
    occurredAt,
    actorId: actor.id,
    actorLabel: actor.label,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    orgUnitId: input.orgUnitId ?? null,
    summary: { before: input.before ?? null, after: input.after ?? null },
    requestId: actor.requestId ?? null,
  };
}

const rowOf = (c: AuditContent) => ({
  occurred_at: c.occurredAt,
  actor_id: c.actorId,
  actor_label: c.actorLabel,
  action: c.action,
  entity_type: c.entityType,
  entity_id: c.entityId,
  org_unit_id: c.orgUnitId,
  summary: canonicalJson(c.summary),
  request_id: c.requestId,
});

/**
 * Records an audit event inside the caller's transaction, so the mutation and its record commit or vanish together.
 * The event is inserted without its place in a chain: the sealer (seal-audit-log.ts) chains it once committed, so
 * that no transaction holds a chain head. The statement is deferrable: it travels with the COMMIT (or with the next
 * statement), so call this last in the transaction, as every use case does.
 */
export async function recordAudit(tx: Tx, actor: Actor, input: AuditInput): Promise<void> {
  await executeDeferred(tx, tx.insertInto('audit_events').values(rowOf(contentOf(actor, input, new Date()))));
}

/** Records many events at once (bulk generators): the same rows as one recordAudit call each, in order, by the thousand. */
export async function recordAuditBatch(tx: Tx, actor: Actor, inputs: readonly AuditInput[]): Promise<void> {
  const occurredAt = new Date();
  const rows = inputs.map((input) => rowOf(contentOf(actor, input, occurredAt)));
  for (let i = 0; i < rows.length; i += 1000) await tx.insertInto('audit_events').values(rows.slice(i, i + 1000)).execute();
}
