import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/test-db.ts';
import type { DatabaseHandle } from './database.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h.close());

describe('the schema’s indexes', () => {
  // A GIN index's pending list is read whole by every search until a vacuum merges it: up to 4 MB of unsorted rows,
  // about 50 ms a search on a freshly loaded table whose index answers in 2–3 ms (migration 0049).
  it('take new rows into every GIN index at once, with no pending list for searches to read', async () => {
    const gin = await sql<{ name: string; options: string[] | null }>`
      SELECT c.relname AS name, c.reloptions AS options
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE am.amname = 'gin' AND n.nspname = 'public' ORDER BY c.relname`.execute(h.db);
    expect(gin.rows.map((r) => r.name)).toEqual(expect.arrayContaining(['dossiers_applicant_search_trgm_idx', 'dossiers_code_trgm_idx', 'procedure_versions_search_idx']));
    for (const index of gin.rows) expect(index.options ?? [], index.name).toContain('fastupdate=off');
  });
});
