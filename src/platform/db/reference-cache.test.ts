import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/test-db.ts';
import { clonePostgresTemplate } from '../../../test/support/pg-clone.ts';
import { changeNoticesOf } from './change-notices.ts';
import { type DatabaseHandle, type DbOrTx, openDatabase } from './database.ts';
import { ReferenceCache, readReference } from './reference-cache.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h.close());

/** A reader of the procedures' names that counts how often it went to the database. */
function countingReader(name: string, tables: string[], on?: () => DbOrTx) {
  let loads = 0;
  const read = (db: DbOrTx = on?.() ?? h.db) =>
    readReference(db, name, tables, 'all', async () => {
      loads++;
      return (await db.selectFrom('procedures').select('national_code').orderBy('national_code').limit(3).execute()).map((r) => r.national_code);
    });
  return { read, loads: () => loads };
}

const REFERENCE_TABLES = ['procedures', 'procedure_versions', 'form_fields', 'paper_requirements', 'procedure_assignments', 'org_units'];

describe('reference cache', () => {
  // On Citus there are no change notices (migrations/0055): nothing is kept, and these two have nothing to test.
  it('reads once, until a change to one of its tables is announced', async (ctx) => {
    if (!changeNoticesOf(h.db)) return ctx.skip();
    const r = countingReader('t-once', ['procedures']);
    const first = await r.read();
    expect(await r.read()).toEqual(first);
    expect(r.loads()).toBe(1);
    // A change to another table, or a session's notice, leaves it.
    await sql`UPDATE form_fields SET label = label WHERE false`.execute(h.db);
    await sql`SELECT pg_notify('cqs_changes', 'session:x')`.execute(h.db);
    await r.read();
    expect(r.loads()).toBe(1);
    await sql`UPDATE procedures SET national_code = national_code WHERE false`.execute(h.db);
    await r.read();
    expect(r.loads()).toBe(2);
  });

  it('hears every reference table, inserts and deletes included (migration 0051)', async (ctx) => {
    if (!changeNoticesOf(h.db)) return ctx.skip();
    for (const table of REFERENCE_TABLES) {
      const r = countingReader(`t-${table}`, [table]);
      await r.read();
      await r.read();
      await sql`DELETE FROM ${sql.table(table)} WHERE false`.execute(h.db);
      await r.read();
      expect([table, r.loads()]).toEqual([table, 2]);
    }
  });

  it('keeps nothing on a handle without change notices, as on Citus', async () => {
    const bare = h.db.withoutPlugins();
    expect(changeNoticesOf(bare)).toBeUndefined();
    const r = countingReader('t-bare', ['procedures'], () => bare);
    const first = await r.read();
    expect(await r.read()).toEqual(first);
    expect(r.loads()).toBe(2);
    expect(() => (first as string[]).push('x')).toThrow(TypeError);
  });

  it('never keeps what a transaction reads: it may have changed the rows itself', async () => {
    const r = countingReader('t-tx', ['procedures']);
    await h.db.transaction().execute(async (tx) => {
      await r.read(tx);
      await r.read(tx);
    });
    expect(r.loads()).toBe(2);
  });

  it('hands out frozen entries, so that no caller changes what the others read', async () => {
    const r = countingReader('t-frozen', ['procedures']);
    const codes = await r.read();
    expect(() => (codes as string[]).push('x')).toThrow(TypeError);
  });

  it('does not keep a read that a notice overtook', async () => {
    const cache = new ReferenceCache(new Set(['procedures']));
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const pending = cache.read('k', async () => {
      await gate;
      return 'before the change';
    });
    cache.changed('reference', 'procedures');
    release();
    expect(await pending).toBe('before the change');
    expect(await cache.read('k', async () => 'after the change')).toBe('after the change');
    cache.reset();
    expect(cache.size).toBe(0);
  });

  it.runIf(process.env.DATABASE_URL)('forgets what another process changed (PostgreSQL)', async () => {
    const clone = await clonePostgresTemplate('cqs_refcache');
    const other = await openDatabase({ kind: 'postgres', url: clone.url });
    try {
      const r = countingReader('t-other', ['procedure_versions'], () => clone.handle.db);
      await r.read();
      await sql`UPDATE procedure_versions SET name = name WHERE false`.execute(other.db);
      for (let i = 0; i < 100 && r.loads() === 1; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await r.read();
      }
      expect(r.loads()).toBe(2);
    } finally {
      await other.close();
      await clone.drop();
    }
  });
});
