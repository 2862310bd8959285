import { sql } from 'kysely';
import { recordAudit, recordAuditBatch, systemActor } from '../src/platform/audit/audit-log.ts';
import { SEAL_STREAM, sealAll } from '../src/platform/audit/seal-audit-log.ts';
import type { Db, DbOrTx } from '../src/platform/db/database.ts';
import type { AuditSealsTable } from '../src/platform/db/schema.ts';

export interface AuditRates {
  readonly withAudit: number;
  readonly withoutAudit: number;
  /** The same mutation writing, instead of its audit event, one plain row into an unindexed table: the cheapest second write. */
  readonly withPlainRow: number;
  /** Time the audit event adds, as a share: the median over rounds of each round's own ratio (drift cancels within a round). */
  readonly overhead: number;
  /** The same for the plain row. */
  readonly floor: number;
}

/**
 * What is measured: `edit` is the smallest update use case (read the record with its version, update it under that
 * version); `transition` is what every state change of the kernel's transition engine writes (the same, plus the
 * record's timeline entry).
 */
export type MutationShape = 'edit' | 'transition';

// Rows are shared out so that concurrent clients never edit the same one (200 is a multiple of every client count used).
const ROWS = 200;
/** The sealer's batch (seal-audit-log.ts). */
const SEAL_BATCH = 5000;
/** `n` calls of `fn` spread over `clients` concurrent loops (client c takes i = c, c + clients, …); calls per second. */
export async function concurrentRate(n: number, clients: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; i < n; i += clients) await fn(i);
    }),
  );
  return (n * 1000) / (performance.now() - t0);
}

/**
 * Mutations per second with and without their audit event, for each number of concurrent clients, and with one plain
 * row in its place (the floor any second write of the transaction costs). The audited mutation adds its recordAudit
 * last in the same transaction. Same driver, same durability for all; the concurrent clients are connections of the
 * same pool (PostgreSQL).
 */
export async function auditOverhead(db: Db, n: number, clientCounts: readonly number[] = [1], shape: MutationShape = 'edit'): Promise<Map<number, AuditRates>> {
  // Shaped like CQS's own records (uuid key, a foreign key index, a unique code, a jsonb payload, a row version).
  await sql`CREATE TABLE IF NOT EXISTS bench_items (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(), org_unit_id uuid NOT NULL, code text NOT NULL UNIQUE,
    label text NOT NULL, payload jsonb NOT NULL, row_version integer NOT NULL DEFAULT 1)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS bench_items_org_idx ON bench_items (org_unit_id)`.execute(db);
  // Shaped like dossier_events (the timeline every transition appends to) and, for the floor, a bare table.
  await sql`CREATE TABLE IF NOT EXISTS bench_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, item_id uuid NOT NULL,
    action text NOT NULL, actor_label text NOT NULL, occurred_at timestamptz NOT NULL, data jsonb NOT NULL)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS bench_events_item_idx ON bench_events (item_id, id)`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS bench_plain (item_id uuid NOT NULL, action text NOT NULL, data jsonb NOT NULL)`.execute(db);
  await sql`INSERT INTO bench_items (org_unit_id, code, label, payload)
    SELECT '7f1c2a9e-0000-4000-8000-000000000001', 'HS-' || g, 'Hồ sơ ' || g, '{"kenh": 2}'::jsonb FROM generate_series(1, ${ROWS}) g`.execute(db);
  const edit = async (tx: DbOrTx, i: number) => {
    const code = `HS-${(i % ROWS) + 1}`;
    const row = await sql<{ id: string; row_version: number }>`SELECT id, row_version FROM bench_items WHERE code = ${code}`.execute(tx);
    const current = row.rows[0];
    if (!current) throw new Error('bench row missing');
    await sql`UPDATE bench_items SET label = ${`Hồ sơ ${i}`}, payload = ${JSON.stringify({ kenh: 2, lan: i })}::jsonb, row_version = row_version + 1
      WHERE id = ${current.id} AND row_version = ${current.row_version} RETURNING *`.execute(tx);
    if (shape === 'transition') {
      await sql`INSERT INTO bench_events (item_id, action, actor_label, occurred_at, data)
        VALUES (${current.id}, 'bench.edit', 'bench', now(), ${JSON.stringify({ lan: i })}::jsonb)`.execute(tx);
    }
    return current.id;
  };
  const actor = systemActor('bench');
  const plain = (i: number) => db.transaction().execute((tx) => edit(tx, i));
  const audited = (i: number) =>
    db.transaction().execute(async (tx) => {
      const id = await edit(tx, i);
      await recordAudit(tx, actor, { action: 'bench.edit', entityType: 'bench_item', entityId: id, after: { label: `Hồ sơ ${i}` } });
    });
  const withPlainRow = (i: number) =>
    db.transaction().execute(async (tx) => {
      const id = await edit(tx, i);
      await sql`INSERT INTO bench_plain (item_id, action, data) VALUES (${id}, 'bench.edit', ${JSON.stringify({ label: `Hồ sơ ${i}` })}::jsonb)`.execute(tx);
    });
  // Warm up every path (and every pooled connection) so that neither pays for first-use costs.
  const widest = Math.max(...clientCounts);
  await concurrentRate(100, widest, plain);
  await concurrentRate(100, widest, audited);
  await concurrentRate(100, widest, withPlainRow);
  // Alternate short rounds so that drift (GC, caches, other processes, a slow fsync) hits every side alike; keep the
  // median round, and the median of the rounds' own ratios.
  const rounds = 21;
  const samples = new Map(clientCounts.map((c) => [c, { withAudit: [] as number[], withoutAudit: [] as number[], withPlainRow: [] as number[] }]));
  for (let r = 0; r < rounds; r++) {
    for (const [clients, s] of samples) {
      const size = Math.ceil((n * clients) / rounds);
      s.withoutAudit.push(await concurrentRate(size, clients, plain));
      s.withAudit.push(await concurrentRate(size, clients, audited));
      s.withPlainRow.push(await concurrentRate(size, clients, withPlainRow));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const paired = (without: number[], other: number[]) => median(without.map((w, i) => w / (other[i] ?? w) - 1));
  await sql`DROP TABLE bench_items, bench_events, bench_plain`.execute(db);
  return new Map(
    [...samples].map(([c, s]) => [
      c,
      {
        withAudit: median(s.withAudit),
        withoutAudit: median(s.withoutAudit),
        withPlainRow: median(s.withPlainRow),
        overhead: paired(s.withoutAudit, s.withAudit),
        floor: paired(s.withoutAudit, s.withPlainRow),
      },
    ]),
  );
}

/**
 * Events sealed per second (read in seq order, hashed into the chain, seals written, the head moved once per batch)
 * against inserting the very same seal rows into a copy of audit_seals with its indexes, in the same batches and
 * transactions: the cost of the sealing's reads and hashes over the bare write of its output.
 */
export async function sealerThroughput(db: Db, n: number): Promise<{ rate: number; baseline: number }> {
  await sealAll(db);
  const actor = systemActor('bench');
  const inputs = Array.from({ length: n }, (_, i) => ({ action: 'bench.seal', entityType: 'bench_item', entityId: `s${i}`, after: { label: `Hồ sơ ${i}`, lan: i } }));
  await db.transaction().execute((tx) => recordAuditBatch(tx, actor, inputs));
  const t0 = performance.now();
  const sealed = await sealAll(db);
  const rate = (sealed * 1000) / (performance.now() - t0);
  await sql`CREATE TABLE bench_seals (LIKE audit_seals INCLUDING ALL)`.execute(db);
  const seals = await db.selectFrom('audit_seals').selectAll().orderBy('stream_seq', 'desc').where('stream', '=', SEAL_STREAM).limit(sealed).execute();
  seals.reverse();
  const t1 = performance.now();
  const copy = db.withTables<{ bench_seals: AuditSealsTable }>();
  for (let i = 0; i < seals.length; i += SEAL_BATCH) {
    await copy.transaction().execute(async (tx) => {
      const batch = seals.slice(i, i + SEAL_BATCH);
      for (let k = 0; k < batch.length; k += 1000) await tx.insertInto('bench_seals').values(batch.slice(k, k + 1000)).execute();
      // The sealer moves its stream head once per batch: one row updated here too.
      await sql`UPDATE audit_seal_state SET candidate_at = candidate_at`.execute(tx);
    });
  }
  const baseline = (seals.length * 1000) / (performance.now() - t1);
  await sql`DROP TABLE bench_seals`.execute(db);
  return { rate, baseline };
}
