import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { tenantOf } from '../db/tenant-scope.ts';
import { PeriodicJob } from '../jobs/periodic-job.ts';
import { PermanentDeliveryError, type TopicHandlers, untilAborted } from './handlers.ts';

export const MAX_ATTEMPTS = 8;
export const DEFAULT_DELIVERY_TIMEOUT_MS = 15_000;

/** Exponential back-off: 1, 2, 4 … minutes, at most six hours. */
export const retryDelayMs = (attempts: number) => Math.min(2 ** Math.max(0, attempts - 1) * 60_000, 6 * 3_600_000);

export interface DeliveryOptions {
  /** How long one delivery may take before the worker gives up on it and schedules a retry. */
  readonly timeoutMs?: number;
  readonly batchSize?: number;
  readonly maxAttempts?: number;
  /** Names this process in `lease_owner`, for people reading the table. */
  readonly workerName?: string;
  /** Aborted when the worker stops: deliveries under way give up at once and are retried later. */
  readonly signal?: AbortSignal;
}

export interface ClaimedMessage {
  readonly id: string;
  readonly topic: string;
  readonly payload: unknown;
  /** Counting this claim. */
  readonly attempts: number;
  readonly leaseOwner: string;
}

type Outcome = { readonly kind: 'sent' } | { readonly kind: 'retry' | 'failed'; readonly error: string };

const defaultWorkerName = `${hostname()}:${process.pid}`;

/**
 * Claims up to `limit` due messages for `leaseMs` in one statement, which is its own short transaction: rows locked
 * by another claimer are skipped, and a row whose lease ran out (its worker died mid-delivery) is due again. The
 * attempt is counted at the claim, so a message that kills its worker still runs out of attempts.
 */
export async function claimDueMessages(db: Db, owner: string, limit: number, leaseMs: number): Promise<ClaimedMessage[]> {
  const tenant = tenantOf(db);
  const result = await sql<{ id: string; topic: string; payload: unknown; attempts: number }>`
    UPDATE outbox_messages
    SET lease_owner = ${owner}, lease_until = now() + ${leaseMs}::int * interval '1 millisecond', attempts = attempts + 1
    WHERE tenant_id = ${tenant} AND id IN (
      SELECT id FROM outbox_messages
      WHERE tenant_id = ${tenant} AND status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until <= now())
      ORDER BY next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, topic, payload, attempts`.execute(db);
  return result.rows.map((r) => ({ ...r, leaseOwner: owner }));
}

/** Delivers one claimed message with its handler, outside any transaction, giving up after `timeoutMs`. */
async function deliverOne(handlers: TopicHandlers, m: ClaimedMessage, timeoutMs: number, stopping: AbortSignal | undefined): Promise<Outcome> {
  const handler = Object.hasOwn(handlers, m.topic) ? handlers[m.topic] : undefined;
  if (!handler) return { kind: 'failed', error: `no handler registered for topic "${m.topic}"` };
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = stopping ? AbortSignal.any([timeout, stopping]) : timeout;
  try {
    await untilAborted(handler.deliver(m.payload, signal), signal);
    return { kind: 'sent' };
  } catch (error) {
    if (error instanceof PermanentDeliveryError) return { kind: 'failed', error: error.message };
    if (timeout.aborted) return { kind: 'retry', error: `no answer within ${timeoutMs / 1000} s (timeout)` };
    if (stopping?.aborted) return { kind: 'retry', error: 'delivery interrupted: the worker stopped' };
    return { kind: 'retry', error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Records how a delivery went, in one short statement, and only while this claim still holds the lease: when it ran
 * out and another worker took the message over, that worker's outcome counts. Returns whether it was recorded.
 */
export async function recordOutcome(db: Db, m: ClaimedMessage, outcome: Outcome, maxAttempts = MAX_ATTEMPTS): Promise<boolean> {
  const released = { lease_until: null, lease_owner: null } as const;
  const query = db.updateTable('outbox_messages').where('id', '=', m.id).where('lease_owner', '=', m.leaseOwner).where('status', '=', 'pending');
  const update =
    outcome.kind === 'sent'
      ? query.set({ ...released, status: 'sent', sent_at: new Date(), last_error: null })
      : outcome.kind === 'failed' || m.attempts >= maxAttempts
        ? query.set({ ...released, status: 'failed', last_error: outcome.error.slice(0, 500) })
        : query.set({ ...released, last_error: outcome.error.slice(0, 500), next_attempt_at: sql<Date>`now() + ${retryDelayMs(m.attempts)}::int * interval '1 millisecond'` });
  const result = await update.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export interface DeliveryResult {
  readonly sent: number;
  /** Refused or timed out, to be tried again later. */
  readonly retried: number;
  /** Given up: attempts exhausted, unknown topic or unreadable payload; an administrator may send them again. */
  readonly failed: number;
}

/**
 * Delivers one batch of due messages: claim (short), deliver outside any transaction, in parallel, each within the
 * timeout, then record each outcome (short). No transaction is open while a relay is awaited, so a slow or dead
 * relay never holds the connection requests need (on PGlite the whole app shares one). At-least-once: a crash after
 * the far side accepted and before the outcome is recorded sends the message again once the lease runs out.
 */
export async function deliverDueMessages(db: Db, handlers: TopicHandlers, options: DeliveryOptions = {}): Promise<DeliveryResult & { claimed: number }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
  // The lease outlives the timeout with room to record the outcome; only a dead worker lets it run out.
  const leaseMs = 2 * timeoutMs + 30_000;
  if (options.signal?.aborted) return { claimed: 0, sent: 0, retried: 0, failed: 0 };
  const owner = `${options.workerName ?? defaultWorkerName}/${randomUUID()}`;
  const claimed = await claimDueMessages(db, owner, options.batchSize ?? 10, leaseMs);
  const outcomes = await Promise.all(
    claimed.map(async (m) => {
      // The previous worker lost its lease during the last allowed attempt: give up without a further one.
      const outcome = m.attempts > maxAttempts ? ({ kind: 'failed', error: 'delivery interrupted during the last attempt (lease expired)' } as const) : await deliverOne(handlers, m, timeoutMs, options.signal);
      const recorded = await recordOutcome(db, m, outcome, maxAttempts);
      if (!recorded) return 'lost' as const;
      return outcome.kind === 'sent' ? 'sent' : outcome.kind === 'failed' || m.attempts >= maxAttempts ? 'failed' : 'retried';
    }),
  );
  const count = (k: string) => outcomes.filter((o) => o === k).length;
  return { claimed: claimed.length, sent: count('sent'), retried: count('retried'), failed: count('failed') };
}

/**
 * Polls the outbox in the app process and drains what is due (a bounded number of batches per run). Stopping aborts
 * the deliveries under way, so shutting down never waits for a hung relay; they are retried later.
 */
export class OutboxWorker extends PeriodicJob {
  readonly #stopping: AbortController;

  constructor(db: Db, handlers: TopicHandlers, options: DeliveryOptions = {}, intervalMs = 2000, tenants?: readonly number[]) {
    const batchSize = options.batchSize ?? 10;
    const stopping = new AbortController();
    super(
      'outbox delivery',
      async () => {
        for (let i = 0; i < 20; i += 1) {
          const r = await deliverDueMessages(db, handlers, { ...options, batchSize, signal: stopping.signal });
          if (r.claimed < batchSize) return;
        }
      },
      intervalMs,
      tenants,
    );
    this.#stopping = stopping;
  }

  override stop(): void {
    super.stop();
    this.#stopping.abort();
  }
}
