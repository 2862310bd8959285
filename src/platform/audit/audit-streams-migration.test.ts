import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EarlierDatabase, earlierDatabase } from '../../../test/support/migrations.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { recordAudit, systemActor } from './audit-log.ts';
import { verifyAuditLog } from './verify-audit-log.ts';

let earlier: EarlierDatabase;
let h: DatabaseHandle;
beforeAll(async () => {
  earlier = await earlierDatabase();
  h = earlier.handle;
});
afterAll(async () => earlier.close());

const migrateUpTo = (last: string) => earlier.migrateUpTo(last);

const append = (label: string) => h.db.transaction().execute((tx) => recordAudit(tx, systemActor(label), { action: 'legacy.test', entityType: 'thing', entityId: label, after: { label } }));

describe('moving the single audit chain onto streams (migration 0013)', () => {
  it('keeps the events written before it verifiable, as stream 0, and chains new ones after them', async () => {
    await migrateUpTo('0012_zzz');
    for (const label of ['a', 'b', 'c']) await append(label);
    const old = await h.db.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq').execute();
    await migrateUpTo('0013_zzz');
    const v = await verifyAuditLog(h.db);
    expect(v.problems).toEqual([]);
    expect(v.heads[0]).toEqual({ stream: 0, seq: 3, hash: old[2]?.hash });
    const moved = await h.db.selectFrom('audit_events').select(['seq', 'stream', 'stream_seq', 'hash']).orderBy('seq').execute();
    expect(moved).toEqual(old.map((o, i) => ({ ...o, stream: 0, stream_seq: i + 1 })));
    await append('d');
    const after = await verifyAuditLog(h.db);
    expect(after.problems).toEqual([]);
    expect(after.checked).toBe(4);
    const d = await h.db.selectFrom('audit_events').select(['seq']).where('entity_id', '=', 'd').executeTakeFirstOrThrow();
    expect(Number(d.seq)).toBe(4);
  });
});
