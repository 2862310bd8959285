import { mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterDossier, justiceProcedure } from '../../test/support/justice.ts';
import { createTestApp, insertUser, signIn, type TestApp } from '../../test/support/test-app.ts';
import { DEMO_PASSWORD } from '../modules/directory/demo-accounts.ts';
import { attachPapers } from '../modules/dossiers/papers.ts';
import { DiskFileStore } from './files/file-store.ts';
import { markFilesInUse } from './files/files-in-use.ts';
import { issueAccountToken } from './auth/account-tokens.ts';
import { housekeeping } from './housekeeping.ts';

let t: TestApp;
let h: TestApp['handle'];
let dossierId: string;
let dir: string;
let store: DiskFileStore;
let userId: string;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp();
  h = t.handle;
  const target = await justiceProcedure(t.db);
  dossierId = (await counterDossier(t.app, await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD), { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, applicantName: 'Người nộp' })).id;
  dir = await mkdtemp(path.join(os.tmpdir(), 'cqs-housekeeping-'));
  store = new DiskFileStore(dir);
  userId = await insertUser(h.db, { username: 'nguoi.tai.len', kind: 'citizen' });
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

async function upload(text: string, ageDays: number) {
  const data = Buffer.from(`%PDF-1.7 ${text}`);
  const sha256 = await store.put(data);
  const old = new Date(Date.now() - ageDays * DAY);
  await utimes(path.join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256), old, old);
  const row = await h.db.insertInto('stored_files').values({ sha256, size_bytes: data.length, media_type: 'application/pdf', file_name: `${text}.pdf`, uploaded_by: userId, created_at: old }).returning('id').executeTakeFirstOrThrow();
  return { id: row.id, blob: path.join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256) };
}
const exists = (p: string) => stat(p).then(() => true, () => false);

describe('housekeeping', () => {
  it('removes abandoned uploads and their content, keeps recent and attached ones, and purges expired sessions', async () => {
    const abandoned = await upload('bo-do', 3);
    const recent = await upload('moi', 0);
    const kept = await upload('da-dung', 3);
    const dossier = await h.db.selectFrom('dossiers').selectAll().where('id', '=', dossierId).executeTakeFirstOrThrow();
    await h.db.transaction().execute((tx) => attachPapers(tx, dossier, 'submitted', [{ requirementSeq: 1, title: 'Tờ khai', fileId: kept.id, reusedRecordId: null, digitise: true }], userId, new Date()));
    await h.db.insertInto('sessions').values({ token_hash: 'het-han', user_id: userId, csrf_token: 'x', expires_at: new Date(Date.now() - 1000), ip: null, user_agent: null }).execute();
    await h.db.insertInto('sessions').values({ token_hash: 'con-han', user_id: userId, csrf_token: 'x', expires_at: new Date(Date.now() + DAY), ip: null, user_agent: null }).execute();

    const result = await housekeeping(h.db, store);
    expect(result).toMatchObject({ sessions: 1, uploads: 1, blobs: 1 });
    expect(await exists(abandoned.blob)).toBe(false);
    expect(await exists(recent.blob)).toBe(true);
    const left = await h.db.selectFrom('stored_files').select('id').where('id', 'in', [abandoned.id, recent.id, kept.id]).execute();
    expect(left.map((r) => r.id).sort()).toEqual([recent.id, kept.id].sort());
    expect((await h.db.selectFrom('sessions').select('token_hash').where('token_hash', 'in', ['het-han', 'con-han']).execute()).map((s) => s.token_hash)).toEqual(['con-han']);
  });

  it('keeps any old upload a module marked in use, whatever refers to it, and its content', async () => {
    const used = await upload('dung-noi-khac', 5);
    const unused = await upload('khong-dung', 5);
    await h.db.transaction().execute((tx) => markFilesInUse(tx, [used.id, used.id]));
    const first = await h.db.selectFrom('stored_files').select('attached_at').where('id', '=', used.id).executeTakeFirstOrThrow();
    expect(first.attached_at).not.toBeNull();
    // Marking again keeps the first attachment's time.
    await h.db.transaction().execute((tx) => markFilesInUse(tx, [used.id], new Date(Date.now() + DAY)));
    expect((await h.db.selectFrom('stored_files').select('attached_at').where('id', '=', used.id).executeTakeFirstOrThrow()).attached_at).toEqual(first.attached_at);

    expect(await housekeeping(h.db, store)).toMatchObject({ uploads: 1, blobs: 1 });
    expect((await h.db.selectFrom('stored_files').select('id').where('id', 'in', [used.id, unused.id]).execute()).map((r) => r.id)).toEqual([used.id]);
    expect(await exists(used.blob)).toBe(true);
    expect(await exists(unused.blob)).toBe(false);
  });

  it('removes registrations never activated once their link has expired, freeing the number, and expired tokens', async () => {
    const old = new Date(Date.now() - 3 * DAY);
    const stale = await insertUser(h.db, { username: '079205009001', kind: 'citizen', personalId: '079205009001' });
    const fresh = await insertUser(h.db, { username: '079205009002', kind: 'citizen', personalId: '079205009002' });
    await h.db.updateTable('users').set({ status: 'pending', updated_at: old }).where('id', '=', stale).execute();
    await h.db.updateTable('users').set({ status: 'pending' }).where('id', '=', fresh).execute();
    await issueAccountToken(h.db, stale, 'activation', 'x'.repeat(43), new Date(Date.now() - DAY));
    await housekeeping(h.db, store);
    const left = await h.db.selectFrom('users').select('id').where('id', 'in', [stale, fresh]).execute();
    expect(left.map((u) => u.id)).toEqual([fresh]);
    expect(await h.db.selectFrom('account_tokens').select('user_id').where('user_id', '=', stale).execute()).toEqual([]);
  });
});
