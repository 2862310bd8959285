import { sql } from 'kysely';
import { recordAudit, systemActor } from '../src/platform/audit/audit-log.ts';
import type { Db, DbOrTx } from '../src/platform/db/database.ts';
import { ratePerSecond } from './stats.ts';

/**
 * Edits per second with and without their audit event. The edit has the shape of CQS's update use cases: read the
 * record with its version, update it under that version (optimistic lock), returning the new row.
 */
export async function auditOverhead(db: Db, n: number): Promise<{ withAudit: number; withoutAudit: number }> {
  // Shaped like CQS's own records (uuid key, a foreign key index, a unique code, a jsonb payload, a row version).
  await sql`CREATE TABLE IF NOT EXISTS bench_items (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(), org_unit_id uuid NOT NULL, code text NOT NULL UNIQUE,
    label text NOT NULL, payload jsonb NOT NULL, row_version integer NOT NULL DEFAULT 1)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS bench_items_org_idx ON bench_items (org_unit_id)`.execute(db);
  await sql`INSERT INTO bench_items (org_unit_id, code, label, payload)
    SELECT '7f1c2a9e-0000-4000-8000-000000000001', 'HS-' || g, 'Hồ sơ ' || g, '{"kenh": 2}'::jsonb FROM generate_series(1, 200) g`.execute(db);
  const edit = async (tx: DbOrTx, i: number) => {
    const code = `HS-${(i % 200) + 1}`;
    const row = await sql<{ id: string; row_version: number }>`SELECT id, row_version FROM bench_items WHERE code = ${code}`.execute(tx);
    const current = row.rows[0];
    if (!current) throw new Error('bench row missing');
    await sql`UPDATE bench_items SET label = ${`Hồ sơ ${i}`}, payload = ${JSON.stringify({ kenh: 2, lan: i })}::jsonb, row_version = row_version + 1
      WHERE id = ${current.id} AND row_version = ${current.row_version} RETURNING *`.execute(tx);
    return current.id;
  };
  const actor = systemActor('bench');
  // Warm up both paths so that neither pays for first-use costs.
  await ratePerSecond(100, (i) => db.transaction().execute((tx) => edit(tx, i)));
  const plain = (i: number) => db.transaction().execute((tx) => edit(tx, i));
  const audited = (i: number) =>
    db.transaction().execute(async (tx) => {
      const id = await edit(tx, i);
      await recordAudit(tx, actor, { action: 'bench.edit', entityType: 'bench_item', entityId: id, after: { label: `Hồ sơ ${i}` } });
    });
  // Alternate short rounds so that drift (GC, caches, the other core) hits both sides alike; keep the median round.
  const rounds = 7;
  const without: number[] = [];
  const withA: number[] = [];
  for (let r = 0; r < rounds; r++) {
    without.push(await ratePerSecond(Math.ceil(n / rounds), plain));
    withA.push(await ratePerSecond(Math.ceil(n / rounds), audited));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const withoutAudit = median(without);
  const withAudit = median(withA);
  await sql`DROP TABLE bench_items`.execute(db);
  return { withAudit, withoutAudit };
}
