import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/test-db.ts';
import { recordAudit, systemActor } from '../audit/audit-log.ts';
import { verifyAuditLog } from '../audit/verify-audit-log.ts';
import { DEFERRABLE, executeDeferred, inlineParameters } from './commit-batching.ts';
import type { DatabaseHandle } from './database.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
  await sql`CREATE TABLE batch_probe (v integer NOT NULL)`.execute(h.db);
  await sql`CREATE TABLE batch_kinds (k integer NOT NULL, t text, tags text[], grid integer[], b bytea, j jsonb, at timestamptz, ok boolean)`.execute(h.db);
});
afterAll(async () => h.close());

const countOf = async (action: string) => (await h.db.selectFrom('audit_events').select('seq').where('action', '=', action).execute()).length;

describe('deferrable statements', () => {
  it('commit with the transaction, and are seen by the statements that follow them in it', async () => {
    const seen = await h.db.transaction().execute(async (tx) => {
      await recordAudit(tx, systemActor(), { action: 'batch.a', entityType: 'x', entityId: '1' });
      return (await tx.selectFrom('audit_events').select('seq').where('action', '=', 'batch.a').execute()).length;
    });
    expect(seen).toBe(1);
    await h.db.transaction().execute((tx) => recordAudit(tx, systemActor(), { action: 'batch.b', entityType: 'x', entityId: '2' }));
    expect(await countOf('batch.b')).toBe(1);
  });

  it('vanish when the transaction rolls back', async () => {
    await expect(
      h.db.transaction().execute(async (tx) => {
        await recordAudit(tx, systemActor(), { action: 'batch.c', entityType: 'x', entityId: '3' });
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await countOf('batch.c')).toBe(0);
  });

  it('fail the whole transaction when they fail at commit', async () => {
    await expect(
      h.db.transaction().execute(async (tx) => {
        await sql`INSERT INTO batch_probe VALUES (1)`.execute(tx);
        await recordAudit(tx, systemActor(), { action: 'batch.d', entityType: 'x', entityId: '4', orgUnitId: 'not-a-uuid' });
      }),
    ).rejects.toThrow(/uuid/);
    expect(await countOf('batch.d')).toBe(0);
    expect((await sql`SELECT v FROM batch_probe`.execute(h.db)).rows).toEqual([]);
    // The connection is usable afterwards and the log intact.
    expect((await verifyAuditLog(h.db, { seal: true })).problems).toEqual([]);
  });

  it('run at once outside a transaction, and keep quotes, backslashes and dollars in their parameters', async () => {
    const rows = await sql<{ v: string }>`${sql.raw(DEFERRABLE)} SELECT ${"it's \\ $1 ''"}::text AS v`.execute(h.db);
    expect(rows.rows[0]?.v).toBe("it's \\ $1 ''");
    const text = "Nguyễn's \\n $2";
    await h.db.transaction().execute((tx) => recordAudit(tx, systemActor(text), { action: 'batch.e', entityType: 'x', entityId: '5', after: { text } }));
    const e = await h.db.selectFrom('audit_events').selectAll().where('action', '=', 'batch.e').executeTakeFirstOrThrow();
    expect([e.actor_label, e.summary]).toEqual([text, { before: null, after: { text } }]);
    expect((await verifyAuditLog(h.db, { seal: true })).problems).toEqual([]);
    expect(inlineParameters({ sql: 'SELECT $1, $2, $10', parameters: ['a', null, 3, 4, 5, 6, 7, 8, 9, new Date(0)], query: sql`x`.toOperationNode(), queryId: { queryId: 'q' } })).toBe(
      "SELECT 'a', NULL, '1970-01-01T00:00:00.000Z'",
    );
  });

  it('keep every kind of parameter as the driver would have sent it: arrays, bytes, numbers for text, JSON, instants', async () => {
    const kinds = h.db.withTables<{ batch_kinds: { k: number; t: string | null; tags: string[] | null; grid: number[] | null; b: Buffer | null; j: unknown; at: Date | null; ok: boolean | null } }>();
    const row = (k: number) => ({
      k,
      t: 42 as unknown as string,
      tags: ['a', 'b "c"', 'd\\e', 'Nguyễn, f', ''],
      grid: [-1, 2],
      b: Buffer.from([0, 255, 39, 92]),
      j: JSON.stringify({ s: "it's", n: [1, null] }),
      at: new Date('2026-07-01T00:00:00.000Z'),
      ok: false,
    });
    await kinds.transaction().execute(async (tx) => {
      await tx.insertInto('batch_kinds').values(row(1)).execute();
      await executeDeferred(tx, tx.insertInto('batch_kinds').values(row(2)));
    });
    const [direct, deferred] = await kinds.selectFrom('batch_kinds').selectAll().orderBy('k').execute();
    expect(deferred).toEqual({ ...direct, k: 2 });
    expect(direct?.tags).toEqual(['a', 'b "c"', 'd\\e', 'Nguyễn, f', '']);
  });
});
