import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOrgUnit } from '../../../test/support/org-fixture.ts';
import { createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { changeNoticesOf } from '../db/change-notices.ts';
import { openDatabase } from '../db/database.ts';
import { SessionCache } from './sessions.ts';

let t: TestApp;
let unit: { id: string; path: string };
beforeAll(async () => {
  t = await createTestApp();
  unit = await insertOrgUnit(t.db, 'Phòng Thử nghiệm bộ nhớ đệm');
});
afterAll(async () => t.close());

type Me = { fullName: string; csrfToken: string; roles: { role: string; orgUnitName: string }[] };
const me = async (s: Session) => {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } });
  return { status: res.statusCode, body: res.statusCode === 200 ? (res.json() as Me) : null };
};

/** A column no trigger announces: a changed value that still shows proves the request was served from memory. */
const changeCsrfBehindTheCache = (userId: string) => sql`UPDATE sessions SET csrf_token = 'changed-behind-the-cache' WHERE user_id = ${userId}`.execute(t.db);

describe('the session cache', () => {
  // On Citus the change notices are gone (migrations/0055), and so is the cache: every request reads the session.
  it('serves a signed-in request from memory once the session has been read, where change notices exist', async () => {
    const id = await insertUser(t.db, { username: 'cache.memory' });
    const s = await signIn(t.app, 'cache.memory');
    const first = await me(s);
    await changeCsrfBehindTheCache(id);
    const second = await me(s);
    if (changeNoticesOf(t.db)) expect(second.body?.csrfToken).toBe(first.body?.csrfToken);
    else expect(second.body?.csrfToken).toBe('changed-behind-the-cache');
  });

  it('forgets a session deleted or cut short in the database, whoever did it', async () => {
    const id = await insertUser(t.db, { username: 'cache.deleted' });
    const s = await signIn(t.app, 'cache.deleted');
    expect((await me(s)).status).toBe(200);
    await sql`DELETE FROM sessions WHERE user_id = ${id}`.execute(t.db);
    expect((await me(s)).status).toBe(401);
    const cut = await signIn(t.app, 'cache.deleted');
    expect((await me(cut)).status).toBe(200);
    await sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = ${id}`.execute(t.db);
    expect((await me(cut)).status).toBe(401);
  });

  it('forgets an account disabled or renamed, and grants given or taken', async () => {
    const id = await insertUser(t.db, { username: 'cache.account', fullName: 'Tên cũ' });
    const s = await signIn(t.app, 'cache.account');
    expect((await me(s)).body?.roles).toEqual([]);
    await t.db.insertInto('role_assignments').values({ user_id: id, org_unit_id: unit.id, role: 'clerk' }).execute();
    expect((await me(s)).body?.roles).toEqual([{ role: 'clerk', orgUnitId: unit.id, orgUnitName: 'Phòng Thử nghiệm bộ nhớ đệm' }]);
    await sql`UPDATE users SET full_name = 'Tên mới' WHERE id = ${id}`.execute(t.db);
    expect((await me(s)).body?.fullName).toBe('Tên mới');
    await t.db.deleteFrom('role_assignments').where('user_id', '=', id).execute();
    expect((await me(s)).body?.roles).toEqual([]);
    await sql`UPDATE users SET status = 'disabled' WHERE id = ${id}`.execute(t.db);
    expect((await me(s)).status).toBe(401);
  });

  it('forgets every session when an org unit is renamed', async () => {
    await insertUser(t.db, { username: 'cache.unit', roles: [{ role: 'clerk', orgUnitId: unit.id }] });
    const s = await signIn(t.app, 'cache.unit');
    expect((await me(s)).body?.roles[0]?.orgUnitName).toBe('Phòng Thử nghiệm bộ nhớ đệm');
    await sql`UPDATE org_units SET name = 'Phòng Đổi tên' WHERE id = ${unit.id}`.execute(t.db);
    expect((await me(s)).body?.roles[0]?.orgUnitName).toBe('Phòng Đổi tên');
  });

  it.runIf(Boolean(process.env.DATABASE_URL))('hears a change another process commits', async () => {
    const id = await insertUser(t.db, { username: 'cache.other' });
    const s = await signIn(t.app, 'cache.other');
    expect((await me(s)).status).toBe(200);
    const url = await sql<{ url: string }>`SELECT current_database() AS url`.execute(t.db);
    const other = new URL(process.env.DATABASE_URL ?? '');
    other.pathname = `/${url.rows[0]?.url}`;
    const second = await openDatabase({ kind: 'postgres', url: other.toString(), maxConnections: 1 });
    try {
      await sql`UPDATE users SET status = 'disabled' WHERE id = ${id}`.execute(second.db);
    } finally {
      await second.close();
    }
    // Another process's notice comes over the network: wait for it, without a bound on how long it may take.
    let status = 200;
    while (status === 200) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await me(s)).status;
    }
    expect(status).toBe(401);
  });
});

describe('SessionCache', () => {
  const entry = (userId: string, cachedAt = 0) => ({
    info: { csrfToken: 'c', tokenHash: userId, user: { id: userId, kind: 'official' as const, username: userId, fullName: userId, grants: [], verifiedPersonalId: null } },
    tenant: 1,
    expiresAt: Number.MAX_SAFE_INTEGER,
    lastSeenAt: 0,
    cachedAt,
  });

  it('drops a read that a change notice overtook', () => {
    const cache = new SessionCache();
    const before = cache.currentGeneration;
    cache.changed('user', 'someone-else');
    cache.put('h', entry('u'), before);
    expect(cache.get('h', 0, 1)).toBeUndefined();
  });

  it('keeps at most its limit, dropping the oldest, and nothing past its age', () => {
    const cache = new SessionCache({ maxEntries: 2, maxAgeMs: 1000 });
    for (const h of ['a', 'b', 'c']) cache.put(h, entry(h), cache.currentGeneration);
    expect([cache.get('a', 0, 1), cache.get('b', 0, 1)?.info.user.id, cache.get('c', 0, 1)?.info.user.id]).toEqual([undefined, 'b', 'c']);
    expect(cache.get('b', 1001, 1)).toBeUndefined();
  });

  it('does not hand a session read for one province to a request of another', () => {
    const cache = new SessionCache();
    cache.put('h', entry('u'), cache.currentGeneration);
    expect(cache.get('h', 0, 1)?.info.user.id).toBe('u');
    expect(cache.get('h', 0, 2)).toBeUndefined();
  });

  it('forgets everything when notices may have been missed', () => {
    const cache = new SessionCache();
    cache.put('a', entry('a'), cache.currentGeneration);
    cache.reset();
    expect(cache.size).toBe(0);
  });
});
