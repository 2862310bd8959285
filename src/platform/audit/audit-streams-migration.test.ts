import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase, openPglite } from '../db/database.ts';
import { migrate, migrationsDir } from '../db/migrate.ts';
import { recordAudit, systemActor } from './audit-log.ts';
import { verifyAuditLog } from './verify-audit-log.ts';

let h: DatabaseHandle;
let dir: string;
beforeAll(async () => {
  const pglite = await openPglite(undefined);
  const handle = await openDatabase({ kind: 'pglite-instance', pglite });
  h = { ...handle, close: async () => { await handle.close(); await pglite.close(); } };
  dir = await mkdtemp(path.join(os.tmpdir(), 'cqs-migrations-'));
});
afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

async function migrateUpTo(last: string): Promise<void> {
  for (const name of (await readdir(migrationsDir)).filter((n) => n.endsWith('.sql') && n <= last)) {
    await copyFile(new URL(name, migrationsDir), path.join(dir, name));
  }
  await migrate(h.db, pathToFileURL(`${dir}/`));
}

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
