import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSeries } from '../../../test/support/numbering.ts';
import { createTestDb } from '../../../test/support/test-db.ts';
import { type DatabaseHandle, type Db, openDatabase } from '../db/database.ts';
import { allocateNumber, type UpstreamNumberSource } from './allocate-number.ts';

/**
 * Allocations over many connections at once, on PostgreSQL (PGlite is a single connection, so there is nothing
 * concurrent to see there; its rollback behaviour is tested in allocate-number.test.ts).
 */
const CONNECTIONS = 8;
const PER_CONNECTION = 25;
const DATE = '2026-09-15';
const onPostgres = Boolean(process.env.DATABASE_URL);
const SKIP_NOTE = 'needs PostgreSQL with several connections: scripts/with-postgres.sh npx vitest run src/platform/numbering/allocate-number.concurrency.test.ts';

let h: DatabaseHandle;
let pool: DatabaseHandle;

beforeAll(async () => {
  if (!onPostgres) return;
  h = await createTestDb();
  // The test database's own handle has 4 connections; open 8 onto the same database.
  const name = (await sql<{ db: string }>`SELECT current_database() AS db`.execute(h.db)).rows[0]?.db ?? '';
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${name}`;
  pool = await openDatabase({ kind: 'postgres', url: url.toString(), maxConnections: CONNECTIONS });
  await sql`CREATE TABLE issued_test (series_key text NOT NULL, value integer NOT NULL, number text NOT NULL, UNIQUE (series_key, value))`.execute(h.db);
});
afterAll(async () => {
  await pool?.close();
  await h?.close();
});

/** Each connection runs its allocations one after another; one in five transactions rolls back after allocating. */
async function allocateEverywhere(db: Db, key: string, upstream?: UpstreamNumberSource): Promise<number> {
  let rolledBack = 0;
  const worker = async (w: number) => {
    for (let i = 0; i < PER_CONNECTION; i++) {
      const fail = (w * PER_CONNECTION + i) % 5 === 3;
      try {
        await db.transaction().execute(async (tx) => {
          const n = await allocateNumber(tx, key, { scopeKey: 'p', date: DATE, ...(upstream ? { upstream } : {}) });
          await sql`INSERT INTO issued_test (series_key, value, number) VALUES (${key}, ${n.value}, ${n.number})`.execute(tx);
          // Give the other connections time to queue on the counter row while this one holds it.
          await sql`SELECT pg_sleep(0.002)`.execute(tx);
          if (fail) throw new Error('rolled back on purpose');
        });
      } catch (error) {
        if (!(error instanceof Error) || error.message !== 'rolled back on purpose') throw error;
        rolledBack += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, w) => worker(w)));
  return rolledBack;
}

async function accounting(key: string) {
  const issued = (await sql<{ value: number }>`SELECT value FROM issued_test WHERE series_key = ${key} ORDER BY value`.execute(h.db)).rows.map((r) => r.value);
  const skipped = (await h.db.selectFrom('numbering_skips').select('value').where('series_key', '=', key).orderBy('value').execute()).map((r) => r.value);
  const counter = await h.db.selectFrom('numbering_counters').select('last_value').where('series_key', '=', key).executeTakeFirstOrThrow();
  return { issued, skipped, last: counter.last_value };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('numbering under concurrency', () => {
  it(`gives ${CONNECTIONS} connections × ${PER_CONNECTION} local allocations distinct numbers with no gap, rollbacks included`, async (ctx) => {
    if (!onPostgres) ctx.skip(SKIP_NOTE);
    await insertSeries(h.db, 'test_concurrent', { template: 'C-{yyMMdd}-{seq:4}', reset: 'daily' });
    const rolledBack = await allocateEverywhere(pool.db, 'test_concurrent');
    const { issued, skipped, last } = await accounting('test_concurrent');
    expect(rolledBack).toBe((CONNECTIONS * PER_CONNECTION) / 5);
    expect(issued).toEqual(range(CONNECTIONS * PER_CONNECTION - rolledBack));
    expect(skipped).toEqual([]);
    expect(last).toBe(issued.length);
  });

  it('keeps every upstream value issued or recorded as skipped, when the upstream jumps and transactions roll back', async (ctx) => {
    if (!onPostgres) ctx.skip(SKIP_NOTE);
    await insertSeries(h.db, 'test_concurrent_up', { template: 'U-{yyMMdd}-{seq:5}', reset: 'daily', allocation: 'upstream' });
    let next = 0;
    // Every seventh request the upstream system skips a value of its own.
    const upstream: UpstreamNumberSource = {
      nextValue: async () => {
        next += next % 7 === 6 ? 2 : 1;
        return { value: next };
      },
    };
    await allocateEverywhere(pool.db, 'test_concurrent_up', upstream);
    const { issued, skipped, last } = await accounting('test_concurrent_up');
    expect(new Set(issued).size).toBe(issued.length);
    expect(issued.filter((v) => skipped.includes(v))).toEqual([]);
    expect([...issued, ...skipped].sort((a, b) => a - b)).toEqual(range(last));
    expect(last).toBeGreaterThan(issued.length);
  });
});
