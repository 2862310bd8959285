import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/test-db.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { recordAudit, systemActor } from './audit-log.ts';
import { verifyAuditLog } from './verify-audit-log.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h.close());

async function append(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await h.db.transaction().execute((tx) =>
      recordAudit(tx, systemActor('test'), { action: 'test.do', entityType: 'thing', entityId: `t${i}`, after: { i, name: 'Đăng ký' } }),
    );
  }
}

async function tamper(statement: string): Promise<void> {
  await sql.raw('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only').execute(h.db);
  await sql.raw(statement).execute(h.db);
  await sql.raw('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only').execute(h.db);
}

describe('audit log', () => {
  it('chains events and verifies an intact log', async () => {
    await append(5);
    const v = await verifyAuditLog(h.db);
    expect(v.problems).toEqual([]);
    expect(v.checked).toBeGreaterThanOrEqual(5);
  });

  it('refuses updates and deletes through the trigger', async () => {
    await expect(sql`UPDATE audit_events SET actor_label = 'x'`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events`.execute(h.db)).rejects.toThrow(/append-only/);
  });

  it('rolls back the event with the transaction that failed', async () => {
    const before = await verifyAuditLog(h.db);
    await expect(
      h.db.transaction().execute(async (tx) => {
        await recordAudit(tx, systemActor(), { action: 'test.fail', entityType: 'thing', entityId: 'x' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const after = await verifyAuditLog(h.db);
    expect(after.headSeq).toBe(before.headSeq);
  });

  it('detects an edited row', async () => {
    const v0 = await verifyAuditLog(h.db);
    await tamper(`UPDATE audit_events SET summary = '{"after":{"i":99}}' WHERE seq = ${v0.headSeq - 1}`);
    const v = await verifyAuditLog(h.db);
    expect(v.problems.map((p) => p.kind)).toContain('edited');
  });

  it('detects a deleted row in the middle, and a deleted head against a recorded head', async () => {
    const head = await verifyAuditLog(h.db);
    await tamper(`DELETE FROM audit_events WHERE seq = ${head.headSeq}`);
    const afterTail = await verifyAuditLog(h.db, { seq: head.headSeq, hash: head.headHash });
    expect(afterTail.problems.some((p) => p.kind === 'missing' && p.seq === head.headSeq)).toBe(true);
    await tamper('DELETE FROM audit_events WHERE seq = 2');
    const v = await verifyAuditLog(h.db);
    expect(v.problems.some((p) => p.kind === 'missing' && p.seq === 2)).toBe(true);
    expect(v.problems.some((p) => p.kind === 'broken_link' && p.seq === 3)).toBe(true);
  });
});
