import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/test-db.ts';
import type { DatabaseHandle } from './database.ts';
import { type Placement, TABLE_PLACEMENTS } from './placement.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h.close());

const placementOf = (table: string): Placement | undefined => TABLE_PLACEMENTS[table]?.placement;

describe('table placement on a cluster', () => {
  it('names a placement for every table the migrations create, and no other', async () => {
    const { rows } = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`.execute(h.db);
    const tables = rows.map((r) => r.table_name).sort();
    expect(tables.filter((t) => !placementOf(t)), 'tables without a placement in placement.ts').toEqual([]);
    expect(Object.keys(TABLE_PLACEMENTS).filter((t) => !tables.includes(t)), 'placements of tables that do not exist').toEqual([]);
  });

  // Citus accepts foreign keys from tenant tables to reference tables and between tenant tables, but none from a
  // reference table to a tenant one, nor between tenant tables and the coordinator's own.
  it('has no foreign key that a cluster could not keep', async () => {
    const { rows } = await sql<{ from_table: string; to_table: string; name: string }>`
      SELECT c.conrelid::regclass::text AS from_table, c.confrelid::regclass::text AS to_table, c.conname AS name
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = 'public'`.execute(h.db);
    const allowed: Record<Placement, readonly Placement[]> = { tenant: ['tenant', 'reference'], reference: ['reference'], coordinator: ['coordinator', 'reference'] };
    const refused = rows.filter((fk) => {
      const from = placementOf(fk.from_table);
      const to = placementOf(fk.to_table);
      return !from || !to || !allowed[from].includes(to);
    });
    expect(refused.map((fk) => `${fk.name}: ${fk.from_table} (${placementOf(fk.from_table)}) → ${fk.to_table} (${placementOf(fk.to_table)})`)).toEqual([]);
  });
});
