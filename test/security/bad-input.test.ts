import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import type { Role } from '../../src/platform/db/schema.ts';
import type { App } from '../../src/platform/http/server.ts';
import { multipartBody } from '../support/multipart.ts';
import { anonCsrf, insertUser, type Session, signIn, testConfig } from '../support/test-app.ts';
import { createTestDb } from '../support/test-db.ts';

/**
 * Every route CQS registers, found as it registers them, is sent inputs that once answered 500: NUL bytes in path
 * parameters and query strings, dates in year 0000 or that do not exist, and broken multipart forms. Each must answer
 * 4xx (a problem document for the API, an HTML page for pages), signed in as an official with every role at the
 * province's root and anonymously. A route added later is swept too.
 */
const ROLES: Role[] = ['one_stop_officer', 'specialist', 'department_leader', 'agency_leader', 'clerk', 'reporting_officer', 'administrator'];
// Signing out would leave the rest of the sweep anonymous; it is swept anonymously like every other route.
const ENDS_SESSION = /dang-xuat|logout/;

let app: App;
let close: () => Promise<void>;
const routes: { method: string; url: string }[] = [];
let official: Session;
let anonymous: Record<string, string>;

beforeAll(async () => {
  const handle = await createTestDb();
  const capture = (a: App) => {
    a.addHook('onRoute', (r) => {
      for (const method of [r.method].flat()) if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, url: r.url });
    });
  };
  app = await buildApp(testConfig({
      CQS_UPLOADS_PER_MINUTE: '100000',
      CQS_LOOKUPS_PER_MINUTE: '100000',
      // A configured gateway, so that its callback checks what it is sent instead of answering 503 "not connected".
      CQS_PAYMENT_URL: 'http://127.0.0.1:9/',
      CQS_PAYMENT_SECRET: 'p'.repeat(40),
    }), handle.db, { before: [capture] });
  await app.ready();
  close = async () => {
    await app.close();
    await handle.close();
  };
  const root = await handle.db.selectFrom('org_units').select('id').where('parent_id', 'is', null).orderBy('path').executeTakeFirstOrThrow();
  await insertUser(handle.db, { username: 'quet.dau.vao', roles: ROLES.map((role) => ({ role, orgUnitId: root.id })) });
  official = await signIn(app, 'quet.dau.vao');
  anonymous = await anonCsrf(app);
}, 120_000);
afterAll(async () => close?.());

const NUL = '%00';
const QUERY_NAMES = ['q', 'code', 'procedureCode', 'status', 'unit', 'orgUnitId', 'channel', 'action', 'actor', 'entityType', 'page', 'cursor', 'limit', 'view', 'next', '_csrf'];
const DATE_NAMES = ['on', 'from', 'to', 'date', 'newDueDate'];

function pathWith(url: string, value: string): string {
  return url.replace(/:(\w+)/g, () => value).replace(/\*$/, value);
}

/** The requests for one route: NUL in each place a client controls, impossible dates, broken bodies. */
function inputsFor(r: { method: string; url: string }): { url: string; payload?: string | Buffer; contentType?: string }[] {
  const plain = pathWith(r.url, 'x');
  const inputs: { url: string; payload?: string | Buffer; contentType?: string }[] = [
    { url: pathWith(r.url, NUL) },
    { url: pathWith(r.url, `x${NUL}y`) },
    { url: `${plain}?${QUERY_NAMES.map((n) => `${n}=a${NUL}b`).join('&')}` },
    { url: `${plain}?${DATE_NAMES.map((n) => `${n}=0000-01-01`).join('&')}` },
    { url: `${plain}?${DATE_NAMES.map((n) => `${n}=01/01/0000`).join('&')}` },
    { url: `${plain}?${DATE_NAMES.map((n) => `${n}=2025-02-30`).join('&')}` },
    { url: `${plain}?${DATE_NAMES.map((n) => `${n}=9999-99-99`).join('&')}` },
  ];
  if (r.method === 'GET' || r.method === 'DELETE') return inputs;
  const fields = Object.fromEntries([...QUERY_NAMES, ...DATE_NAMES].map((n) => [n, `a\u0000b`]));
  const manyFields = multipartBody(Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`f${i}`, 'x'])));
  const whole = multipartBody({ note: 'x' }, { name: 'file', filename: 'a.pdf', data: Buffer.from('%PDF-1.7') });
  return [
    ...inputs,
    { url: plain, payload: JSON.stringify({ ...fields, dates: '0000-01-01' }), contentType: 'application/json' },
    { url: plain, payload: JSON.stringify(Object.fromEntries(DATE_NAMES.map((n) => [n, '0000-01-01']))), contentType: 'application/json' },
    { url: plain, payload: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' },
    { url: plain, payload: whole.payload, contentType: 'multipart/form-data' },
    { url: plain, payload: manyFields.payload, contentType: manyFields.contentType },
    { url: plain, payload: whole.payload.subarray(0, whole.payload.length - 20), contentType: whole.contentType },
  ];
}

async function sweep(headers: (r: { url: string }) => Record<string, string> | null): Promise<string[]> {
  const failures: string[] = [];
  for (const r of routes) {
    const base = headers(r);
    if (base === null) continue;
    for (const input of inputsFor(r)) {
      const res = await app.inject({
        method: r.method as 'GET',
        url: input.url,
        headers: { ...base, ...(input.contentType ? { 'content-type': input.contentType } : {}) },
        ...(input.payload === undefined ? {} : { payload: input.payload }),
      });
      if (res.statusCode >= 500) failures.push(`${r.method} ${input.url} ${input.contentType ?? ''} → ${res.statusCode}`);
    }
  }
  return failures;
}

describe('bad input on every route', () => {
  it('finds the routes of every module', () => {
    const urls = routes.map((r) => `${r.method} ${r.url}`);
    for (const u of ['GET /tra-cuu-ho-so', 'GET /api/v1/dossier-lookup', 'GET /api/v1/dossiers', 'GET /mot-cua', 'GET /mot-cua/tiep-nhan', 'GET /api/v1/audit-events', 'GET /api/v1/admin-units', 'GET /don-vi-hanh-chinh', 'POST /api/v1/files']) {
      expect(urls).toContain(u);
    }
  });

  it('never answers 500 to an official with every role', async () => {
    expect(await sweep((r) => (ENDS_SESSION.test(r.url) ? null : { cookie: official.cookie, 'x-csrf-token': official.csrf }))).toEqual([]);
  }, 600_000);

  it('never answers 500 to an anonymous visitor', async () => {
    expect(await sweep(() => anonymous)).toEqual([]);
  }, 600_000);

  it('answers the reported inputs with 400, a problem document for the API and an HTML page for pages', async () => {
    const headers = { cookie: official.cookie };
    for (const url of ['/api/v1/dossier-lookup?code=a%00b', '/api/v1/dossiers?q=%00', '/api/v1/audit-events?actor=%00', '/api/v1/admin-units?on=0000-01-01']) {
      const res = await app.inject({ method: 'GET', url, headers });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type'], url).toContain('application/problem+json');
    }
    for (const url of ['/tra-cuu-ho-so?code=%00', '/mot-cua?q=%00', '/mot-cua/tiep-nhan?procedureCode=%00', '/don-vi-hanh-chinh?on=0000-01-01']) {
      const res = await app.inject({ method: 'GET', url, headers });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type'], url).toContain('text/html');
    }
  });
});
