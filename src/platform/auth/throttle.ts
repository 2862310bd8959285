import type { FastifyReply } from 'fastify';
import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import { AppError } from '../errors.ts';

/**
 * A refusal to try now, with the seconds after which trying again makes sense (sent as Retry-After). It is an
 * AppError, so the API answers 429 `rate_limited` problem+json and pages can show `messageVi`.
 */
export class Throttled extends AppError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, messageVi?: string | undefined) {
    super('rate_limited', messageVi ? { messageVi } : {});
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/** Sets Retry-After when the error is a throttle; the error handler keeps headers set before it runs. */
export function setRetryAfter(reply: FastifyReply, error: unknown): void {
  if (error instanceof Throttled) reply.header('retry-after', String(error.retryAfterSeconds));
}

/** Runs `work`, adding Retry-After to the reply if it was throttled; the error itself is passed on. */
export async function withRetryAfter<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    setRetryAfter(reply, error);
    throw error;
  }
}

export interface RateLimit {
  /** What is counted and for whom, e.g. `sign-in:203.0.113.5`. */
  readonly key: string;
  readonly max: number;
  readonly windowSeconds: number;
  /** Message shown when the limit is reached; a function of the minutes left. */
  readonly messageVi?: (minutes: number) => string;
}

/** The longest window any limit uses; rows older than that are empty and can be removed. */
export const LONGEST_WINDOW_SECONDS = 3600;

/**
 * Counts one hit on `limit.key` in a fixed window and throws Throttled once the window holds more than `max`.
 * One statement, so concurrent hits from several app processes are all counted.
 */
export async function countHit(db: DbOrTx, limit: RateLimit, now = new Date()): Promise<void> {
  const windowOver = new Date(now.getTime() - limit.windowSeconds * 1000);
  const stale = sql<boolean>`rate_limit_hits.window_started_at <= ${windowOver}`;
  const row = await db
    .insertInto('rate_limit_hits')
    .values({ key: limit.key, window_started_at: now, hits: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`CASE WHEN ${stale} THEN 1 ELSE rate_limit_hits.hits + 1 END`,
        window_started_at: sql<Date>`CASE WHEN ${stale} THEN excluded.window_started_at ELSE rate_limit_hits.window_started_at END`,
      }),
    )
    .returning(['hits', 'window_started_at'])
    .executeTakeFirstOrThrow();
  if (row.hits <= limit.max) return;
  const seconds = Math.ceil((row.window_started_at.getTime() + limit.windowSeconds * 1000 - now.getTime()) / 1000);
  throw new Throttled(seconds, limit.messageVi?.(Math.ceil(Math.max(1, seconds) / 60)));
}

/** Removes counters whose window is over; they would count as empty anyway. */
export async function purgeRateLimits(db: DbOrTx, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - LONGEST_WINDOW_SECONDS * 1000);
  const result = await db.deleteFrom('rate_limit_hits').where('window_started_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
