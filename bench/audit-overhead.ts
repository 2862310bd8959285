import { sql } from 'kysely';
import { recordAudit, systemActor } from '../src/platform/audit/audit-log.ts';
import type { Db, DbOrTx } from '../src/platform/db/database.ts';

export interface AuditRates {
  readonly withAudit: number;
  readonly withoutAudit: number;
}

// Rows are shared out so that concurrent clients never edit the same one (200 is a multiple of every client count used).
const ROWS = 200;

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
 * Edits per second with and without their audit event, for each number of concurrent clients. The edit has the shape
 * of CQS's update use cases: read the record with its version, update it under that version (optimistic lock),
 * returning the new row; the audited edit adds its recordAudit last in the same transaction. Same driver, same
 * durability for both; the concurrent clients are connections of the same pool (PostgreSQL).
 */
export async function auditOverhead(db: Db, n: number, clientCounts: readonly number[] = [1]): Promise<Map<number, AuditRates>> {
  // Shaped like CQS's own records (uuid key, a foreign key index, a unique code, a jsonb payload, a row version).
  await sql`CREATE TABLE IF NOT EXISTS bench_items (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(), org_unit_id uuid NOT NULL, code text NOT NULL UNIQUE,
    label text NOT NULL, payload jsonb NOT NULL, row_version integer NOT NULL DEFAULT 1)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS bench_items_org_idx ON bench_items (org_unit_id)`.execute(db);
  await sql`INSERT INTO bench_items (org_unit_id, code, label, payload)
    SELECT '7f1c2a9e-0000-4000-8000-000000000001', 'HS-' || g, 'Hồ sơ ' || g, '{"kenh": 2}'::jsonb FROM generate_series(1, ${ROWS}) g`.execute(db);
  const edit = async (tx: DbOrTx, i: number) => {
    const code = `HS-${(i % ROWS) + 1}`;
    const row = await sql<{ id: string; row_version: number }>`SELECT id, row_version FROM bench_items WHERE code = ${code}`.execute(tx);
    const current = row.rows[0];
    if (!current) throw new Error('bench row missing');
    await sql`UPDATE bench_items SET label = ${`Hồ sơ ${i}`}, payload = ${JSON.stringify({ kenh: 2, lan: i })}::jsonb, row_version = row_version + 1
      WHERE id = ${current.id} AND row_version = ${current.row_version} RETURNING *`.execute(tx);
    return current.id;
  };
  const actor = systemActor('bench');
  const plain = (i: number) => db.transaction().execute((tx) => edit(tx, i));
  const audited = (i: number) =>
    db.transaction().execute(async (tx) => {
      const id = await edit(tx, i);
      await recordAudit(tx, actor, { action: 'bench.edit', entityType: 'bench_item', entityId: id, after: { label: `Hồ sơ ${i}` } });
    });
  // Warm up both paths (and every pooled connection) so that neither pays for first-use costs.
  const widest = Math.max(...clientCounts);
  await concurrentRate(100, widest, plain);
  await concurrentRate(100, widest, audited);
  // Alternate short rounds so that drift (GC, caches, other processes) hits every side alike; keep the median round.
  const rounds = 7;
  const samples = new Map(clientCounts.map((c) => [c, { withAudit: [] as number[], withoutAudit: [] as number[] }]));
  for (let r = 0; r < rounds; r++) {
    for (const [clients, s] of samples) {
      const size = Math.ceil((n * clients) / rounds);
      s.withoutAudit.push(await concurrentRate(size, clients, plain));
      s.withAudit.push(await concurrentRate(size, clients, audited));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  await sql`DROP TABLE bench_items`.execute(db);
  return new Map([...samples].map(([c, s]) => [c, { withAudit: median(s.withAudit), withoutAudit: median(s.withoutAudit) }]));
}
