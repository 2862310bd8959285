import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/test-db.ts';
import type { DatabaseHandle, Db } from '../db/database.ts';
import { canonicalContent, chainHash, genesisHash, recordAudit, systemActor } from './audit-log.ts';
import { type AuditKey, signCheckpoint, writeCheckpoint } from './checkpoints.ts';
import { verifyAuditLog } from './verify-audit-log.ts';

const key: AuditKey = { secret: 'k'.repeat(40), ephemeral: false };

async function append(db: Db, n: number, label = 'test'): Promise<void> {
  for (let i = 0; i < n; i++) {
    await db.transaction().execute((tx) =>
      recordAudit(tx, systemActor(label), { action: 'test.do', entityType: 'thing', entityId: `t${i}`, after: { i, name: 'Đăng ký' } }),
    );
  }
}

/** Runs statements the append-only trigger would refuse, as someone with write access to the table could. */
async function tamper(db: Db, ...statements: string[]): Promise<void> {
  await sql.raw('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only').execute(db);
  for (const s of statements) await sql.raw(s).execute(db);
  await sql.raw('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only').execute(db);
}

/** The stream of the newest event, and its events in chain order. */
async function newestStream(db: Db) {
  const last = await db.selectFrom('audit_events').select('stream').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
  const events = await db.selectFrom('audit_events').selectAll().where('stream', '=', last.stream).orderBy('stream_seq').execute();
  return { stream: last.stream, events };
}

/**
 * What an attacker who knows the hashing does: change the event at position `from` and recompute every hash after
 * it, and the head, so that the chain is consistent again.
 */
async function rewriteFrom(db: Db, from: number): Promise<void> {
  const { stream, events } = await newestStream(db);
  let prev = from === 1 ? genesisHash(stream) : (events[from - 2]?.hash ?? '');
  const statements: string[] = [];
  for (const e of events.filter((x) => x.stream_seq >= from)) {
    const actor = e.stream_seq === from ? 'mallory' : e.actor_label;
    const content = canonicalContent({
      occurredAt: e.occurred_at,
      actorId: e.actor_id,
      actorLabel: actor,
      action: e.action,
      entityType: e.entity_type,
      entityId: e.entity_id,
      orgUnitId: e.org_unit_id,
      summary: e.summary,
      requestId: e.request_id,
    });
    const hash = chainHash(e.stream_seq, prev, content);
    statements.push(`UPDATE audit_events SET actor_label = '${actor}', prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${e.seq}`);
    prev = hash;
  }
  statements.push(`UPDATE audit_stream_heads SET hash = '${prev}' WHERE stream = ${stream}`);
  await tamper(db, ...statements);
}

const kinds = (v: { problems: readonly { kind: string }[] }) => v.problems.map((p) => p.kind);

describe('audit log', () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await createTestDb();
  });
  afterAll(async () => h.close());

  it('chains events and verifies an intact log', async () => {
    await append(h.db, 5);
    const v = await verifyAuditLog(h.db);
    expect(v.problems).toEqual([]);
    expect(v.checked).toBeGreaterThanOrEqual(5);
    expect(v.heads).toHaveLength(16);
  });

  it('keeps every event of a transaction on its stream, and verifies several streams side by side', async () => {
    const chosen = await h.db.transaction().execute(async (tx) => {
      // A single connection always gets its own stream; pretend this transaction was handed another one.
      const r = await sql<{ s: number }>`SELECT (pg_backend_pid() + 5) % 16 AS s, set_config('cqs.audit_stream', ((pg_backend_pid() + 5) % 16)::text, true)`.execute(tx);
      await recordAudit(tx, systemActor('test'), { action: 'test.other', entityType: 'thing', entityId: 'a' });
      await recordAudit(tx, systemActor('test'), { action: 'test.other', entityType: 'thing', entityId: 'b' });
      return r.rows[0]?.s ?? -1;
    });
    await append(h.db, 2);
    const events = await h.db.selectFrom('audit_events').select(['stream', 'stream_seq']).where('action', '=', 'test.other').orderBy('seq').execute();
    expect(events.map((e) => e.stream)).toEqual([chosen, chosen]);
    expect(events[1]?.stream_seq).toBe((events[0]?.stream_seq ?? 0) + 1);
    const v = await verifyAuditLog(h.db);
    expect(v.problems).toEqual([]);
    expect(v.heads.filter((x) => x.seq > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses updates, deletes and truncation through triggers', async () => {
    await expect(sql`UPDATE audit_events SET actor_label = 'x'`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_events`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_stream_heads`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_checkpoints`.execute(h.db)).rejects.toThrow(/append-only/);
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
    expect(after.heads).toEqual(before.heads);
    expect(after.checked).toBe(before.checked);
  });

  it.runIf(process.env.DATABASE_URL)('lets concurrent transactions append without waiting for each other (PostgreSQL)', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let heldStream = -1;
    const holder = h.db.transaction().execute(async (tx) => {
      await recordAudit(tx, systemActor('holder'), { action: 'test.hold', entityType: 'thing', entityId: 'h' });
      // The next statement sends the held-back append: from here this transaction holds its stream until commit.
      const s = await sql<{ s: string }>`SELECT current_setting('cqs.audit_stream') AS s`.execute(tx);
      heldStream = Number(s.rows[0]?.s);
      await gate;
    });
    while (heldStream < 0) await new Promise((r) => setTimeout(r, 10));
    await append(h.db, 3, 'other');
    release();
    await holder;
    const others = await h.db.selectFrom('audit_events').select('stream').where('actor_label', '=', 'other').execute();
    expect(others).toHaveLength(3);
    expect(others.every((o) => o.stream !== heldStream)).toBe(true);
    expect((await verifyAuditLog(h.db)).problems).toEqual([]);
  });
});

describe('audit verification catches tampering', () => {
  let h: DatabaseHandle;
  let dir: string;
  const verify = (heads?: { stream: number; seq: number; hash: string }[]) => verifyAuditLog(h.db, { key, checkpointDir: dir, heads });

  beforeEach(async () => {
    h = await createTestDb();
    dir = await mkdtemp(path.join(os.tmpdir(), 'cqs-audit-cp-'));
    await append(h.db, 6);
  });
  afterEach(async () => {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a. an edited event', async () => {
    const { events } = await newestStream(h.db);
    await tamper(h.db, `UPDATE audit_events SET summary = '{"after":{"i":99}}' WHERE seq = ${events.at(-2)?.seq}`);
    expect(kinds(await verify())).toEqual(['edited']);
  });

  it('a. a deleted event in the middle', async () => {
    const { stream, events } = await newestStream(h.db);
    const victim = events.at(-3);
    await tamper(h.db, `DELETE FROM audit_events WHERE seq = ${victim?.seq}`);
    const v = await verify();
    expect(v.problems).toContainEqual(expect.objectContaining({ stream, seq: victim?.stream_seq, kind: 'missing' }));
    expect(v.problems).toContainEqual(expect.objectContaining({ stream, seq: (victim?.stream_seq ?? 0) + 1, kind: 'broken_link' }));
  });

  it('b. a rewrite before a published head, after the log has grown past it', async () => {
    const { stream, events } = await newestStream(h.db);
    const published = { stream, seq: events.at(-1)?.stream_seq ?? 0, hash: events.at(-1)?.hash ?? '' };
    await append(h.db, 3);
    await rewriteFrom(h.db, published.seq - 1);
    // The chain itself is consistent again: only the head recorded elsewhere shows the rewrite.
    expect((await verifyAuditLog(h.db)).problems).toEqual([]);
    const v = await verify([published]);
    expect(v.problems).toEqual([expect.objectContaining({ stream, seq: published.seq, kind: 'rewritten' })]);
  });

  it('c. the newest event deleted and the head moved back', async () => {
    await writeCheckpoint(h.db, { key, dir });
    const { stream, events } = await newestStream(h.db);
    const [before, last] = [events.at(-2), events.at(-1)];
    await tamper(
      h.db,
      `DELETE FROM audit_events WHERE seq = ${last?.seq}`,
      `UPDATE audit_stream_heads SET seq = seq - 1, hash = '${before?.hash}', prev_hash = '${before?.prev_hash}' WHERE stream = ${stream}`,
    );
    expect((await verifyAuditLog(h.db)).problems).toEqual([]);
    expect((await verify()).problems).toEqual([expect.objectContaining({ stream, seq: last?.stream_seq, kind: 'truncated' })]);
  });

  it('d. the whole chain recomputed, and a checkpoint forged to match it', async () => {
    await writeCheckpoint(h.db, { key, dir });
    await rewriteFrom(h.db, 1);
    expect((await verifyAuditLog(h.db)).problems).toEqual([]);
    expect(kinds(await verify())).toEqual(['rewritten']);
    // With database access alone the attacker can add a checkpoint of the new heads, but not sign it.
    const heads = (await verify()).heads;
    const createdAt = new Date().toISOString();
    const forged = signCheckpoint({ secret: 'guessed', ephemeral: false }, createdAt, heads);
    await sql`INSERT INTO audit_checkpoints (created_at, heads, signature) VALUES (${createdAt}, ${JSON.stringify(heads)}::jsonb, ${forged})`.execute(h.db);
    expect(kinds(await verify()).sort()).toEqual(['forged_checkpoint', 'rewritten']);
  });

  it('e. TRUNCATE is refused; with the triggers dropped, the checkpoint files still catch it', async () => {
    await writeCheckpoint(h.db, { key, dir });
    await expect(sql`TRUNCATE audit_events`.execute(h.db)).rejects.toThrow(/append-only/);
    const genesis = Array.from({ length: 16 }, (_, s) => `UPDATE audit_stream_heads SET seq = 0, hash = '${genesisHash(s)}', prev_hash = '${genesisHash(s)}' WHERE stream = ${s};`);
    await sql
      .raw(
        [
          'DROP TRIGGER audit_events_no_truncate ON audit_events;',
          'TRUNCATE audit_events;',
          ...genesis,
          'DROP TRIGGER audit_checkpoints_no_truncate ON audit_checkpoints;',
          'TRUNCATE audit_checkpoints;',
        ].join('\n'),
      )
      .execute(h.db);
    // Nothing left in the database disagrees with itself...
    expect((await verify()).checked).toBe(0);
    expect((await verifyAuditLog(h.db)).problems).toEqual([]);
    // ...but the file written outside it names events that are gone.
    const v = await verify();
    expect(kinds(v)).toContain('checkpoint_missing');
    expect(kinds(v)).toContain('truncated');
    expect(v.problems.every((p) => p.kind === 'checkpoint_missing' || p.kind === 'truncated')).toBe(true);
  });

  it('checkpoints under another key: a warning when the key is random per process, forged otherwise', async () => {
    await writeCheckpoint(h.db, { key, dir });
    const other = { secret: 'another process', ephemeral: true };
    const v = await verifyAuditLog(h.db, { key: other, checkpointDir: dir });
    expect(v.problems).toEqual([]);
    expect(v.warnings.join('\n')).toMatch(/another key/);
    expect(kinds(await verifyAuditLog(h.db, { key: { ...other, ephemeral: false }, checkpointDir: dir }))).toEqual(['forged_checkpoint', 'forged_checkpoint']);
  });
});
