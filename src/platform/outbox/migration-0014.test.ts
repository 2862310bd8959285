import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EarlierDatabase, earlierDatabase } from '../../../test/support/migrations.ts';

const GENERIC = '0014_outbox_generic.sql';
let earlier: EarlierDatabase;

beforeAll(async () => {
  earlier = await earlierDatabase();
  await earlier.migrateUpTo('0013_zzz');
});
afterAll(async () => earlier.close());

describe('migration 0014: the generic outbox', () => {
  it('turns channel, recipient, subject, body and dossier into topic, payload and a record reference, keeping the delivery state', async () => {
    const db = earlier.handle.db;
    const dossierId = '6f1c2a8e-3b7d-4c55-9a1e-2d4f6b8c0a11';
    // The old rows point at a dossier; this empty database has none, so the old foreign key is set aside for them.
    await sql`ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_dossier_id_fkey`.execute(db);
    await sql`INSERT INTO outbox_messages (channel, recipient, subject, body, dedupe_key, dossier_id, status, attempts, last_error)
      VALUES ('email', 'dan@example.vn', 'Hồ sơ 000.00.01.H32-260101-0001', 'Đã tiếp nhận', 'cu:email', ${dossierId}, 'sent', 1, NULL),
             ('sms', '0905123456', NULL, 'Đã tiếp nhận', 'cu:sms', ${dossierId}, 'failed', 8, 'SMS gateway answered 503'),
             ('email', 'canbo@example.vn', 'Sắp đến hạn', 'Cảnh báo', 'cu:khong-ho-so', NULL, 'pending', 0, NULL)`.execute(db);
    expect(await earlier.migrateUpTo(GENERIC)).toEqual([GENERIC]);
    // The schema of 0014 has no tenant column yet (0054): read without the tenant scope.
    const rows = await db.withoutPlugins().selectFrom('outbox_messages').select(['dedupe_key', 'topic', 'payload', 'record_type', 'record_id', 'status', 'attempts', 'last_error', 'lease_until', 'lease_owner']).orderBy('dedupe_key').execute();
    expect(rows).toEqual([
      { dedupe_key: 'cu:email', topic: 'email', payload: { to: 'dan@example.vn', subject: 'Hồ sơ 000.00.01.H32-260101-0001', text: 'Đã tiếp nhận' }, record_type: 'dossier', record_id: dossierId, status: 'sent', attempts: 1, last_error: null, lease_until: null, lease_owner: null },
      { dedupe_key: 'cu:khong-ho-so', topic: 'email', payload: { to: 'canbo@example.vn', subject: 'Sắp đến hạn', text: 'Cảnh báo' }, record_type: null, record_id: null, status: 'pending', attempts: 0, last_error: null, lease_until: null, lease_owner: null },
      { dedupe_key: 'cu:sms', topic: 'sms', payload: { to: '0905123456', text: 'Đã tiếp nhận' }, record_type: 'dossier', record_id: dossierId, status: 'failed', attempts: 8, last_error: 'SMS gateway answered 503', lease_until: null, lease_owner: null },
    ]);
    const columns = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns WHERE table_name = 'outbox_messages'`.execute(db);
    expect(columns.rows.map((c) => c.column_name)).not.toEqual(expect.arrayContaining(['dossier_id']));
    expect(columns.rows.map((c) => c.column_name)).toEqual(expect.arrayContaining(['topic', 'payload', 'record_type', 'record_id', 'lease_until', 'lease_owner']));
    // Any module may reference its records now: no foreign key holds the outbox to dossiers.
    const fks = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.table_constraints WHERE table_name = 'outbox_messages' AND constraint_type = 'FOREIGN KEY'`.execute(db);
    expect(fks.rows[0]?.n).toBe(0);
    await expect(sql`INSERT INTO outbox_messages (topic, payload, dedupe_key) VALUES ('Sai Chủ Đề', '{}', 'x')`.execute(db)).rejects.toThrow(/outbox_messages_topic_check/);
    await expect(sql`INSERT INTO outbox_messages (topic, payload, dedupe_key) VALUES ('email', '[]', 'y')`.execute(db)).rejects.toThrow(/outbox_messages_payload_check/);
  });
});
