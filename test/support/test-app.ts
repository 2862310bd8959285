import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { hashPassword } from '../../src/platform/auth/password.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { DatabaseHandle, Db } from '../../src/platform/db/database.ts';
import type { Role } from '../../src/platform/db/schema.ts';
import type { App } from '../../src/platform/http/server.ts';
import { appHandleOn, createTestDb } from './test-db.ts';
import type { Clock } from '../../src/platform/time.ts';

export interface TestApp {
  readonly app: App;
  readonly db: Db;
  readonly handle: DatabaseHandle;
  close(): Promise<void>;
}

export const testConfig = (env: Record<string, string> = {}) =>
  loadConfig({
    NODE_ENV: 'test',
    CQS_SESSION_SECRET: 'x'.repeat(40),
    // Uploaded papers land in a content-addressed store; tests share one scratch directory.
    CQS_DATA_DIR: path.join(os.tmpdir(), 'cqs-test-data'),
    // CQS_TEST_LOG_LEVEL=error shows what a 500 in a test was.
    LOG_LEVEL: process.env.CQS_TEST_LOG_LEVEL ?? 'silent',
    CQS_LOGIN_RATE_PER_MINUTE: '10000',
    CQS_LOGIN_ADDRESS_RATE_PER_MINUTE: '100000',
    ...env,
  });

export async function createTestApp(env: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<TestApp> {
  const handle = await createTestDb();
  const own = await appHandleOn(handle);
  const app = await buildApp(testConfig(env), own.handle.db, options);
  await app.ready();
  return {
    app,
    db: handle.db,
    handle,
    close: async () => {
      await app.close();
      await own.close();
      await handle.close();
    },
  };
}

export const TEST_PASSWORD = 'Mat-khau-2026!';

let cachedHash: Promise<string> | undefined;
/** Hashing is deliberately slow; tests share one hash of the common password. */
export function testPasswordHash(): Promise<string> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  return cachedHash;
}

export async function insertUser(
  db: Db,
  user: { username: string; kind?: 'citizen' | 'official'; fullName?: string; personalId?: string; roles?: { role: Role; orgUnitId: string }[] },
): Promise<string> {
  const row = await db
    .insertInto('users')
    .values({
      kind: user.kind ?? 'official',
      username: user.username,
      full_name: user.fullName ?? user.username,
      personal_id: user.personalId ?? null,
      email: null,
      phone: null,
      password_hash: await testPasswordHash(),
      locked_until: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const r of user.roles ?? []) {
    await db.insertInto('role_assignments').values({ user_id: row.id, org_unit_id: r.orgUnitId, role: r.role }).execute();
  }
  return row.id;
}

export interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

function cookieHeader(res: LightMyRequestResponse): string {
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

/** Signs in through the API and returns the cookie and CSRF token to send with later requests. */
export async function signIn(app: App, username: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, headers: await anonCsrf(app) });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  return { cookie: cookieHeader(res), csrf: (res.json() as { csrfToken: string }).csrfToken };
}

/** An anonymous visitor's CSRF cookie and matching header, as a browser would have after its first page. */
export async function anonCsrf(app: App): Promise<Record<string, string>> {
  const res = await app.inject({ method: 'GET', url: '/healthz' });
  const c = res.cookies.find((x) => x.name === 'cqs_csrf');
  if (!c) throw new Error('no CSRF cookie');
  return { cookie: `cqs_csrf=${c.value}`, 'x-csrf-token': c.value };
}

export function authHeaders(s: Session): Record<string, string> {
  return { cookie: s.cookie, 'x-csrf-token': s.csrf };
}
