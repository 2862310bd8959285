import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/test-db.ts';
import { asTableOwner } from '../../../test/support/triggers.ts';
import type { DatabaseHandle, Db } from '../db/database.ts';
import { chainHash, eventContent, genesisHash, recordAudit, systemActor } from './audit-log.ts';
import { type AuditKey, signCheckpoint, writeCheckpoint } from './checkpoints.ts';
import { SEAL_STREAM, sealAll, sealAuditLog } from './seal-audit-log.ts';
import { verifyAuditLog } from './verify-audit-log.ts';

const key: AuditKey = { secret: 'k'.repeat(40), ephemeral: false };

async function append(db: Db, n: number, label = 'test'): Promise<void> {
  for (let i = 0; i < n; i++) {
    await db.transaction().execute((tx) =>
      recordAudit(tx, systemActor(label), { action: 'test.do', entityType: 'thing', entityId: `t${i}`, after: { i, name: 'Đăng ký' } }),
    );
  }
}

/** Runs statements the triggers and the seals' foreign key would refuse, as someone with write access to the tables could. */
async function tamper(db: Db, ...statements: string[]): Promise<void> {
  await asTableOwner(
    db,
    'ALTER TABLE audit_events DISABLE TRIGGER ALL',
    'ALTER TABLE audit_seals DISABLE TRIGGER ALL',
    ...statements,
    'ALTER TABLE audit_events ENABLE TRIGGER ALL',
    'ALTER TABLE audit_seals ENABLE TRIGGER ALL',
  );
}

/** The sealer's stream, in chain order: each seal with the event it covers. */
async function sealedStream(db: Db) {
  const rows = await db
    .selectFrom('audit_seals as s')
    .innerJoin('audit_events as e', 'e.seq', 's.event_seq')
    .selectAll('e')
    .select(['s.stream', 's.stream_seq', 's.prev_hash', 's.hash'])
    .where('s.stream', '=', SEAL_STREAM)
    .orderBy('s.stream_seq')
    .execute();
  return { stream: SEAL_STREAM, events: rows.map((r) => ({ ...r, stream_seq: Number(r.stream_seq) })) };
}

/** Lets the sealer's mark pass everything committed so far, as ten seconds of a running server would. */
/** Runs the sealer as time would pass: a candidate noted earlier becomes the mark, the one noted then covers the rest. */
async function tryPassMark(db: Db): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await sealAll(db);
    await sql`UPDATE audit_seal_state SET candidate_at = now() - interval '1 minute' WHERE candidate_at IS NOT NULL`.execute(db);
  }
  await sealAll(db);
}

/**
 * Moves the mark past every event there is now. Transaction ids are shared by the whole server, so on PostgreSQL a
 * transaction open in another test's database holds the mark back until it ends: wait for that.
 */
async function passMark(db: Db): Promise<void> {
  const target = await sql<{ seq: string }>`SELECT coalesce(max(seq), 0) AS seq FROM audit_events`.execute(db);
  const wanted = BigInt(target.rows[0]?.seq ?? 0);
  for (let round = 0; ; round++) {
    await tryPassMark(db);
    const state = await db.selectFrom('audit_seal_state').select('mark').executeTakeFirstOrThrow();
    if (BigInt(state.mark) >= wanted) return;
    if (round === 1200) throw new Error(`the sealer's mark stays at ${state.mark}, below ${wanted}: a transaction stays open`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * What an attacker who knows the hashing does: change the event at position `from` and recompute every hash after
 * it, and the head, so that the chain is consistent again.
 */
async function rewriteFrom(db: Db, from: number): Promise<void> {
  const { stream, events } = await sealedStream(db);
  let prev = from === 1 ? genesisHash(stream) : (events[from - 2]?.hash ?? '');
  const statements: string[] = [];
  for (const e of events.filter((x) => x.stream_seq >= from)) {
    const actor = e.stream_seq === from ? 'mallory' : e.actor_label;
    const hash = chainHash(e.stream_seq, prev, eventContent({ ...e, actor_label: actor }));
    statements.push(`UPDATE audit_events SET actor_label = '${actor}' WHERE seq = ${e.seq}`);
    statements.push(`UPDATE audit_seals SET prev_hash = '${prev}', hash = '${hash}' WHERE event_seq = ${e.seq}`);
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

  it('records events unsealed, and verifies them once the sealer has chained them', async () => {
    await sealAll(h.db);
    await append(h.db, 5);
    const waiting = await verifyAuditLog(h.db);
    expect(waiting.problems).toEqual([]);
    expect(waiting.warnings.join('\n')).toMatch(/5 event\(s\) wait for their seal/);
    const v = await verifyAuditLog(h.db, { seal: true });
    expect(v.problems).toEqual([]);
    expect(v.warnings.join('\n')).not.toMatch(/wait for their seal/);
    expect(v.checked).toBe(waiting.checked + 5);
    expect(v.heads).toHaveLength(16);
  });

  it('chains in seq order onto one stream, in batches, moving the head once per batch', async () => {
    await sealAll(h.db);
    const before = (await sealedStream(h.db)).events.length;
    await append(h.db, 3, 'batch');
    expect(await sealAuditLog(h.db, 2)).toEqual({ sealed: 2, more: true });
    expect(await sealAuditLog(h.db, 2)).toEqual({ sealed: 1, more: false });
    expect(await sealAuditLog(h.db, 2)).toEqual({ sealed: 0, more: false });
    const { events } = await sealedStream(h.db);
    const mine = events.filter((e) => e.actor_label === 'batch');
    expect(mine.map((e) => e.entity_id)).toEqual(['t0', 't1', 't2']);
    expect(mine.map((e) => e.stream_seq)).toEqual([before + 1, before + 2, before + 3]);
    const head = await h.db.selectFrom('audit_stream_heads').select(['seq', 'hash']).where('stream', '=', SEAL_STREAM).executeTakeFirstOrThrow();
    expect({ seq: Number(head.seq), hash: head.hash }).toEqual({ seq: before + 3, hash: mine[2]?.hash });
    expect((await verifyAuditLog(h.db)).problems).toEqual([]);
  });

  it('refuses updates, deletes and truncation of events and seals through triggers', async () => {
    await append(h.db, 1);
    await sealAll(h.db);
    await expect(sql`UPDATE audit_events SET actor_label = 'x'`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_seals, audit_events`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE audit_seals SET hash = 'x'`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_seals`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_stream_heads`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_checkpoints`.execute(h.db)).rejects.toThrow(/append-only/);
  });

  it('rolls back the event with the transaction that failed', async () => {
    const before = await verifyAuditLog(h.db, { seal: true });
    await expect(
      h.db.transaction().execute(async (tx) => {
        await recordAudit(tx, systemActor(), { action: 'test.fail', entityType: 'thing', entityId: 'x' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const after = await verifyAuditLog(h.db, { seal: true });
    expect(after.heads).toEqual(before.heads);
    expect(after.checked).toBe(before.checked);
  });

  it.runIf(process.env.DATABASE_URL)('lets transactions append while another is open, and seals its event once it commits (PostgreSQL)', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = false;
    const holder = h.db.transaction().execute(async (tx) => {
      await recordAudit(tx, systemActor('holder'), { action: 'test.hold', entityType: 'thing', entityId: 'h' });
      // The next statement sends the held-back insert: its seq is drawn, its row not yet visible to anyone else.
      await sql`SELECT 1`.execute(tx);
      held = true;
      await gate;
    });
    while (!held) await new Promise((r) => setTimeout(r, 10));
    await append(h.db, 3, 'other');
    // However often the sealer runs meanwhile, its mark must stay below the open transaction's event.
    await tryPassMark(h.db);
    await tryPassMark(h.db);
    release();
    await holder;
    const v = await verifyAuditLog(h.db, { seal: true });
    expect(v.problems).toEqual([]);
    const { events } = await sealedStream(h.db);
    const order = events.filter((e) => e.actor_label === 'holder' || e.actor_label === 'other').map((e) => e.actor_label);
    // Chained in the order they committed: the holder's event, drawn first, comes last.
    expect(order).toEqual(['other', 'other', 'other', 'holder']);
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
    await sealAll(h.db);
  });
  afterEach(async () => {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a. an edited event', async () => {
    const { events } = await sealedStream(h.db);
    await tamper(h.db, `UPDATE audit_events SET summary = '{"after":{"i":99}}' WHERE seq = ${events.at(-2)?.seq}`);
    expect(kinds(await verify())).toEqual(['edited']);
  });

  it('a. a deleted event in the middle, with its seal', async () => {
    const { stream, events } = await sealedStream(h.db);
    const victim = events.at(-3);
    await tamper(h.db, `DELETE FROM audit_seals WHERE event_seq = ${victim?.seq}`, `DELETE FROM audit_events WHERE seq = ${victim?.seq}`);
    const v = await verify();
    expect(v.problems).toContainEqual(expect.objectContaining({ stream, seq: victim?.stream_seq, kind: 'missing' }));
    expect(v.problems).toContainEqual(expect.objectContaining({ stream, seq: (victim?.stream_seq ?? 0) + 1, kind: 'broken_link' }));
  });

  it('a. a deleted event whose seal was left', async () => {
    const { stream, events } = await sealedStream(h.db);
    const victim = events.at(-2);
    await tamper(h.db, `DELETE FROM audit_events WHERE seq = ${victim?.seq}`);
    expect((await verify()).problems).toEqual([expect.objectContaining({ stream, seq: victim?.stream_seq, kind: 'missing' })]);
  });

  it('a. an event inserted afterwards at a place the sealer has passed', async () => {
    // A rolled-back transaction leaves its seq free: the place a forged event would take.
    await h.db
      .transaction()
      .execute(async (tx) => {
        await recordAudit(tx, systemActor('x'), { action: 'test.gap', entityType: 'thing', entityId: 'gap' });
        await sql`SELECT 1`.execute(tx);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await append(h.db, 1);
    await passMark(h.db);
    const last = await h.db.selectFrom('audit_events').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    const free = Number(last.seq) - 1;
    await sql`INSERT INTO audit_events (seq, occurred_at, actor_label, action, entity_type, entity_id, summary)
      VALUES (${free}, now(), 'mallory', 'test.forged', 'thing', 'f', '{}')`.execute(h.db);
    expect((await verify()).problems).toEqual([expect.objectContaining({ kind: 'unsealed', detail: expect.stringContaining(`#${free}`) })]);
    // The sealer does not chain it either: it stays visible as what it is.
    await sealAll(h.db);
    expect(kinds(await verify())).toEqual(['unsealed']);
  });

  it('b. a rewrite before a published head, after the log has grown past it', async () => {
    const { stream, events } = await sealedStream(h.db);
    const published = { stream, seq: events.at(-1)?.stream_seq ?? 0, hash: events.at(-1)?.hash ?? '' };
    await append(h.db, 3);
    await sealAll(h.db);
    await rewriteFrom(h.db, published.seq - 1);
    // The chain itself is consistent again: only the head recorded elsewhere shows the rewrite.
    expect((await verifyAuditLog(h.db)).problems).toEqual([]);
    const v = await verify([published]);
    expect(v.problems).toEqual([expect.objectContaining({ stream, seq: published.seq, kind: 'rewritten' })]);
  });

  it('c. the newest event deleted and the head moved back', async () => {
    await writeCheckpoint(h.db, { key, dir });
    const { stream, events } = await sealedStream(h.db);
    const [before, last] = [events.at(-2), events.at(-1)];
    await tamper(
      h.db,
      `DELETE FROM audit_seals WHERE event_seq = ${last?.seq}`,
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
    await expect(sql`TRUNCATE audit_seals, audit_events`.execute(h.db)).rejects.toThrow(/append-only/);
    const genesis = Array.from({ length: 16 }, (_, s) => `UPDATE audit_stream_heads SET seq = 0, hash = '${genesisHash(s)}', prev_hash = '${genesisHash(s)}' WHERE stream = ${s};`);
    await asTableOwner(
      h.db,
      'DROP TRIGGER audit_events_no_truncate ON audit_events',
      'DROP TRIGGER audit_seals_no_truncate ON audit_seals',
      'TRUNCATE audit_seals, audit_events',
      ...genesis,
      'DROP TRIGGER audit_checkpoints_no_truncate ON audit_checkpoints',
      'TRUNCATE audit_checkpoints',
    );
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
