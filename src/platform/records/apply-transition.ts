import { type Actor, type AuditInput, recordAudit } from '../audit/audit-log.ts';
import type { Tx } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { type AnyOutgoingMessage, enqueueMessages } from '../outbox/outbox.ts';
import { addCounts, changeCounts, type RecordCounter } from './record-counts.ts';

/** One entry of a record's timeline: what happened, from which state to which, who did it, when and why. */
export interface TimelineEntry<S> {
  readonly action: string;
  readonly fromStatus: S | null;
  readonly toStatus: S;
  readonly actorId: string | null;
  readonly actorLabel: string;
  readonly orgUnitId: string | null;
  readonly occurredAt: Date;
  readonly note: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/** How the engine reaches a record type's own tables (the module owns them; the engine never names them). */
export interface RecordStore<R, S, Insert> {
  insert(tx: Tx, values: Insert): Promise<R>;
  /** Updates the record only if its row version is still `expectedVersion`, bumping it; undefined when stale. */
  update(tx: Tx, id: string, expectedVersion: number, set: Partial<R>): Promise<R | undefined>;
  appendEvent(tx: Tx, recordId: string, entry: TimelineEntry<S>): Promise<void>;
  /** What the record type counts per unit and day; the engine keeps the counts with every change. */
  readonly counter?: RecordCounter<R>;
}

/** Everything one transition writes, computed beforehand (see each record type's planner). */
export interface TransitionWrite<R, S> {
  /** The record as it was read (its counted facts are moved to the updated record's). */
  readonly before: R;
  readonly recordId: string;
  readonly expectedVersion: number;
  readonly set: Partial<R>;
  readonly entry: TimelineEntry<S>;
  readonly audit: (updated: R) => AuditInput;
  /** Messages to the outside, from the record as it is after the change. */
  readonly messages?: (tx: Tx, updated: R) => Promise<readonly AnyOutgoingMessage[]>;
}

async function finish<R, S>(tx: Tx, actor: Actor, store: RecordStore<R, S, unknown>, recordId: string, updated: R, w: Pick<TransitionWrite<R, S>, 'entry' | 'audit' | 'messages'>): Promise<R> {
  await store.appendEvent(tx, recordId, w.entry);
  await enqueueMessages(tx, (await w.messages?.(tx, updated)) ?? []);
  // Last: the audit append holds its chain's lock until commit.
  await recordAudit(tx, actor, w.audit(updated));
  return updated;
}

/**
 * Applies one transition inside the caller's transaction: the optimistic lock (a stale version is a conflict and
 * writes nothing), the record's new columns, its counts, its timeline entry, the outgoing messages and the audit event.
 */
export async function applyTransition<R, S, I>(tx: Tx, actor: Actor, store: RecordStore<R, S, I>, w: TransitionWrite<R, S>): Promise<R> {
  const updated = await store.update(tx, w.recordId, w.expectedVersion, w.set);
  if (!updated) throw new AppError('conflict');
  if (store.counter) await changeCounts(tx, store.counter.recordType, store.counter.facts(w.before), store.counter.facts(updated));
  return finish(tx, actor, store as RecordStore<R, S, unknown>, w.recordId, updated, w);
}

/** A record's creation, written the same way: the row, its first timeline entry, messages and audit event. */
export async function createRecord<R extends { id: string }, S, I>(
  tx: Tx,
  actor: Actor,
  store: RecordStore<R, S, I>,
  c: { readonly values: I; readonly entry: TimelineEntry<S>; readonly audit: (created: R) => AuditInput; readonly messages?: (tx: Tx, created: R) => Promise<readonly AnyOutgoingMessage[]> },
): Promise<R> {
  const created = await store.insert(tx, c.values);
  if (store.counter) await addCounts(tx, store.counter.recordType, store.counter.facts(created));
  return finish(tx, actor, store as RecordStore<R, S, unknown>, created.id, created, c);
}
