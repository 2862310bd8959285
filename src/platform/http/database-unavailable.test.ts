import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/test-app.ts';
import { authRoutes } from '../../modules/accounts/routes.tsx';
import { CalendarStore } from '../calendar/calendar-store.ts';
import { type DatabaseHandle, openDatabase } from '../db/database.ts';
import { toAppError } from './problem.ts';
import { type App, createServer } from './server.ts';

describe('a database that cannot be reached', () => {
  let h: DatabaseHandle;
  let app: App;
  beforeAll(async () => {
    // Nothing listens on port 9 of the loopback: every connection is refused, as with a server or a worker stopped.
    h = await openDatabase({ kind: 'postgres', url: 'postgres://cqs@127.0.0.1:9/cqs', maxConnections: 1 });
    const config = testConfig();
    const deps = { db: h.db, config, calendar: new CalendarStore(h.db) };
    app = await createServer(deps, [authRoutes(deps)]);
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('answers 503 with a problem in Vietnamese and when to retry, never a 500', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: 'cqs_session=abc' } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('30');
    expect(res.json()).toMatchObject({ code: 'database_unavailable', detail: expect.stringMatching(/không truy cập được/) });
  });

  it('reads a stopped Citus worker (08006), a shutting-down server and a dropped connection the same way', () => {
    for (const error of [{ code: '08006', message: 'connection to the remote node postgres@127.0.0.1:9701 failed' }, { code: '57P01' }, { message: 'Connection terminated unexpectedly' }]) {
      expect(toAppError(error).code).toBe('database_unavailable');
    }
    expect(toAppError({ code: '23505' }).code).toBe('internal');
  });
});
