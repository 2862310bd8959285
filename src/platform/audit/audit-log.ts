import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { DEFERRABLE } from '../db/commit-batching.ts';
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

/**
 * hash = sha256(position "|" prevHash "|" canonical content), position being the event's gap-free place in its
 * stream. The database computes it when appending (so that the append is one statement); verification recomputes it.
 */
export function chainHash(streamSeq: number, prevHash: string, content: string): string {
  return createHash('sha256').update(`${streamSeq}|${prevHash}|${content}`).digest('hex');
}

/** Number of streams (audit_stream_heads, migrations/0013). */
export const STREAMS = 16;

/** Where each stream's chain starts: stream 0 carries on the original single chain, the others are bound to their number. */
export function genesisHash(stream: number): string {
  return stream === 0 ? GENESIS_HASH : createHash('sha256').update(`CQS audit stream ${stream}`).digest('hex');
}

/**
 * Appends an audit event inside the caller's transaction, so the mutation and its record commit or vanish together.
 * audit_append (migrations/0013) puts every event of a transaction on one of 16 streams and holds that stream's head
 * until commit; concurrent transactions take other streams. The statement is deferrable: it travels with the COMMIT
 * (or with the next statement), so call this last in the transaction, as every use case does.
 */
export async function recordAudit(tx: Tx, actor: Actor, input: AuditInput): Promise<void> {
  const content: AuditContent = {
    occurredAt: new Date(),
    actorId: actor.id,
    actorLabel: actor.label,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    orgUnitId: input.orgUnitId ?? null,
    summary: { before: input.before ?? null, after: input.after ?? null },
    requestId: actor.requestId ?? null,
  };
  const text = canonicalContent(content);
  await sql`${sql.raw(DEFERRABLE)} SELECT audit_append(${content.occurredAt}::timestamptz, ${content.actorId}::uuid, ${content.actorLabel},
    ${content.action}, ${content.entityType}, ${content.entityId}, ${content.orgUnitId}::uuid, ${canonicalJson(content.summary)}::jsonb,
    ${content.requestId}, ${text})`.execute(tx);
}

/**
 * Appends many events at once (bulk generators): the same content, stream and hashes as one recordAudit call each,
 * in order. The first goes through audit_append, which claims the transaction's stream and holds its head; the rest
 * are hashed here and inserted by the thousand, and the head is moved once. Call it last in the transaction.
 */
export async function recordAuditBatch(tx: Tx, actor: Actor, inputs: readonly AuditInput[]): Promise<void> {
  const [first, ...rest] = inputs;
  if (!first) return;
  const occurredAt = new Date();
  const contentOf = (input: AuditInput): AuditContent => ({ occurredAt, actorId: actor.id, actorLabel: actor.label, action: input.action, entityType: input.entityType, entityId: input.entityId, orgUnitId: input.orgUnitId ?? null, summary: { before: input.before ?? null, after: input.after ?? null }, requestId: actor.requestId ?? null });
  const c = contentOf(first);
  await sql`SELECT audit_append(${occurredAt}::timestamptz, ${c.actorId}::uuid, ${c.actorLabel}, ${c.action}, ${c.entityType}, ${c.entityId},
    ${c.orgUnitId}::uuid, ${canonicalJson(c.summary)}::jsonb, ${c.requestId}, ${canonicalContent(c)})`.execute(tx);
  if (rest.length === 0) return;
  const head = await sql<{ stream: number; seq: string; hash: string }>`SELECT stream, seq, hash FROM audit_stream_heads
    WHERE stream = current_setting('cqs.audit_stream')::smallint`.execute(tx);
  const h = head.rows[0];
  if (!h) throw new Error('audit stream not claimed');
  let seq = Number(h.seq);
  let prev = h.hash;
  const rows = rest.map((input) => {
    const content = contentOf(input);
    seq += 1;
    const hash = chainHash(seq, prev, canonicalContent(content));
    const row = { stream: h.stream, stream_seq: seq, occurred_at: occurredAt, actor_id: content.actorId, actor_label: content.actorLabel, action: content.action, entity_type: content.entityType, entity_id: content.entityId, org_unit_id: content.orgUnitId, summary: canonicalJson(content.summary), request_id: content.requestId, prev_hash: prev, hash };
    prev = hash;
    return row;
  });
  for (let i = 0; i < rows.length; i += 1000) await tx.insertInto('audit_events').values(rows.slice(i, i + 1000)).execute();
  const last = rows[rows.length - 1];
  await sql`UPDATE audit_stream_heads SET seq = ${seq}, hash = ${prev}, prev_hash = ${last?.prev_hash} WHERE stream = ${h.stream}`.execute(tx);
}
