import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EarlierDatabase, earlierDatabase } from '../../../test/support/migrations.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { canonicalJson } from './canonical-json.ts';
import { canonicalContent, recordAudit, systemActor } from './audit-log.ts';
import { SEAL_STREAM } from './seal-audit-log.ts';
import { verifyAuditLog } from './verify-audit-log.ts';

let earlier: EarlierDatabase;
let h: DatabaseHandle;
beforeAll(async () => {
  earlier = await earlierDatabase();
  h = earlier.handle;
});
afterAll(async () => earlier.close());

/** An event as CQS appended it before migration 0050: through the database's audit_append, chain head and all. */
async function appendAsBefore(label: string): Promise<void> {
  const occurredAt = new Date();
  const summary = { before: null, after: { label } };
  const content = canonicalContent({ occurredAt, actorId: null, actorLabel: label, action: 'legacy.test', entityType: 'thing', entityId: label, orgUnitId: null, summary, requestId: null });
  await h.db.transaction().execute((tx) =>
    sql`SELECT audit_append(${occurredAt}::timestamptz, NULL::uuid, ${label}, 'legacy.test', 'thing', ${label}, NULL::uuid,
      ${canonicalJson(summary)}::jsonb, NULL, ${content})`.execute(tx),
  );
}

const rawEvents = async () =>
  (await sql<{ seq: string; stream: number; stream_seq: string; hash: string }>`SELECT seq, stream, stream_seq, hash FROM audit_events ORDER BY seq`.execute(h.db)).rows.map(
    (r) => ({ seq: Number(r.seq), stream: r.stream, streamSeq: Number(r.stream_seq), hash: r.hash }),
  );

describe('the audit log across its migrations', () => {
  it('keeps the single chain verifiable on streams (0013), then moves every chain into seals (0050) and seals new events after them', async () => {
    await earlier.migrateUpTo('0012_zzz');
    for (const label of ['a', 'b', 'c']) await appendAsBefore(label);
    const single = (await sql<{ seq: string; hash: string }>`SELECT seq, hash FROM audit_events ORDER BY seq`.execute(h.db)).rows;
    await earlier.migrateUpTo('0013_zzz');
    expect(await rawEvents()).toEqual(single.map((o, i) => ({ seq: Number(o.seq), stream: 0, streamSeq: i + 1, hash: o.hash })));
    await appendAsBefore('d');
    const chained = await rawEvents();
    await earlier.migrateUpTo('0049_zzz');
    // The schema of 0049 has no tenant column yet (0054): read without the tenant scope.
    const heads = await h.db.withoutPlugins().selectFrom('audit_stream_heads').select(['stream', 'seq', 'hash']).orderBy('stream').execute();
    await earlier.migrateUpTo('9999');
    const seals = await h.db.selectFrom('audit_seals').select(['event_seq', 'stream', 'stream_seq', 'hash']).orderBy('event_seq').execute();
    expect(seals.map((s) => ({ seq: Number(s.event_seq), stream: s.stream, streamSeq: Number(s.stream_seq), hash: s.hash }))).toEqual(chained);
    const v = await verifyAuditLog(h.db);
    expect(v.problems).toEqual([]);
    expect(v.checked).toBe(4);
    expect(v.heads.map((x) => ({ ...x, seq: String(x.seq) }))).toEqual(heads.map((x) => ({ ...x, seq: String(x.seq) })));
    await h.db.transaction().execute((tx) => recordAudit(tx, systemActor('e'), { action: 'legacy.test', entityType: 'thing', entityId: 'e' }));
    const after = await verifyAuditLog(h.db, { seal: true });
    expect(after.problems).toEqual([]);
    expect(after.checked).toBe(5);
    const e = await h.db.selectFrom('audit_seals as s').innerJoin('audit_events as x', 'x.seq', 's.event_seq').select(['s.stream', 's.prev_hash']).where('x.entity_id', '=', 'e').executeTakeFirstOrThrow();
    const stream0 = heads.find((x) => x.stream === SEAL_STREAM);
    expect(e).toEqual({ stream: SEAL_STREAM, prev_hash: stream0?.hash });
  });
});
