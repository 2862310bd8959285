import { readdir, readFile } from 'node:fs/promises';
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
/** On Citus the coordinator also holds a copy of each reference table, a shard named `<table>_<shard id>`. */
const isShard = (table: string): boolean => /_\d+$/.test(table) && placementOf(table.replace(/_\d+$/, '')) !== undefined;

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
    const refused = rows.filter((fk) => !isShard(fk.from_table)).filter((fk) => {
      const from = placementOf(fk.from_table);
      const to = placementOf(fk.to_table);
      return !from || !to || !allowed[from].includes(to);
    });
    expect(refused.map((fk) => `${fk.name}: ${fk.from_table} (${placementOf(fk.from_table)}) → ${fk.to_table} (${placementOf(fk.to_table)})`)).toEqual([]);
  });

  // Citus distributes a table only when each of its unique keys holds the distribution column, and joins two tenant
  // tables on a foreign key only when the key pairs tenant with tenant (0054).
  it('gives every tenant table, and no other, the tenant column in every unique key and tenant-to-tenant foreign key', async () => {
    const { rows: columns } = await sql<{ table_name: string; data_type: string; is_nullable: string }>`
      SELECT table_name, data_type, is_nullable FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'tenant_id'`.execute(h.db);
    const tenantTables = Object.keys(TABLE_PLACEMENTS).filter((t) => placementOf(t) === 'tenant').sort();
    expect(columns.map((c) => c.table_name).sort()).toEqual(tenantTables);
    expect(columns.filter((c) => c.data_type !== 'smallint' || c.is_nullable !== 'NO').map((c) => c.table_name)).toEqual([]);

    const { rows: keys } = await sql<{ on_table: string; name: string; has_tenant: boolean }>`
      SELECT r.relname AS on_table, x.relname AS name,
        EXISTS (SELECT 1 FROM unnest(i.indkey) k JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k
                WHERE a.attname = 'tenant_id') AS has_tenant
      FROM pg_index i JOIN pg_class r ON r.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
      WHERE i.indisunique AND r.relnamespace = 'public'::regnamespace`.execute(h.db);
    expect(keys.filter((k) => placementOf(k.on_table) === 'tenant').length).toBeGreaterThan(40);
    expect(keys.filter((k) => placementOf(k.on_table) === 'tenant' && !k.has_tenant).map((k) => k.name)).toEqual([]);

    const { rows: fks } = await sql<{ name: string; from_table: string; to_table: string; pairs_tenant: boolean }>`
      SELECT c.conname AS name, c.conrelid::regclass::text AS from_table, c.confrelid::regclass::text AS to_table,
        EXISTS (SELECT 1 FROM unnest(c.conkey, c.confkey) AS p(from_att, to_att)
                JOIN pg_attribute fa ON fa.attrelid = c.conrelid AND fa.attnum = p.from_att
                JOIN pg_attribute ta ON ta.attrelid = c.confrelid AND ta.attnum = p.to_att
                WHERE fa.attname = 'tenant_id' AND ta.attname = 'tenant_id') AS pairs_tenant
      FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`.execute(h.db);
    const between = fks.filter((fk) => placementOf(fk.from_table) === 'tenant' && placementOf(fk.to_table) === 'tenant');
    expect(between.length).toBeGreaterThan(30);
    expect(between.filter((fk) => !fk.pairs_tenant).map((fk) => fk.name)).toEqual([]);
  });

  // 0055 and later migrations list the reference tables they make (a migration must not change with placement.ts):
  // the lists together must name exactly the tables placement.ts places there. Tenant tables are those with the tenant
  // column, checked above.
  it('makes reference tables on Citus of exactly the tables placement.ts names so (0055 and later)', async () => {
    const dir = new URL('../../../migrations/', import.meta.url);
    const texts = await Promise.all((await readdir(dir)).filter((f) => f >= '0055').map((f) => readFile(new URL(f, dir), 'utf8')));
    const listed = (name: string) =>
      [...new Set(texts.flatMap((text) => [...(new RegExp(`${name} text\\[\\] := ARRAY\\[([^\\]]*)\\]`).exec(text)?.[1] ?? '').matchAll(/'([a-z_]+)'/g)].map((m) => m[1])))].sort();
    const placed = (p: Placement) => Object.keys(TABLE_PLACEMENTS).filter((t) => placementOf(t) === p).sort();
    expect(listed('reference_tables')).toEqual(placed('reference'));
  });

  it('on Citus, has each table where placement.ts says: tenant tables co-located by tenant, catalogues on every node', async (ctx) => {
    const citus = await sql<{ on: boolean }>`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS on`.execute(h.db);
    if (!citus.rows[0]?.on) return ctx.skip();
    const { rows } = await sql<{ table_name: string; method: string; column: string | null; colocation: number }>`
      SELECT logicalrelid::regclass::text AS table_name, partmethod AS method,
        CASE WHEN partmethod = 'h' THEN column_to_column_name(logicalrelid, partkey) END AS column, colocationid AS colocation
      FROM pg_dist_partition`.execute(h.db);
    const where = Object.fromEntries(rows.map((r) => [r.table_name, r.method === 'h' ? `tenant:${r.column}` : r.method === 'n' ? 'reference' : r.method]));
    const expected = Object.fromEntries(
      Object.keys(TABLE_PLACEMENTS)
        .filter((t) => placementOf(t) !== 'coordinator')
        .map((t) => [t, placementOf(t) === 'tenant' ? 'tenant:tenant_id' : 'reference']),
    );
    expect(where).toEqual(expected);
    expect(new Set(rows.filter((r) => r.method === 'h').map((r) => r.colocation)).size).toBe(1);
  });
});

