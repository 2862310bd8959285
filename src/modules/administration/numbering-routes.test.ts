import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSeries } from '../../../test/support/numbering.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { allocateNumber, voidNumber } from '../../platform/numbering/allocate-number.ts';
import { registerUpstreamSource } from '../../platform/numbering/upstream-sources.ts';

let t: TestApp;
let admin: Session;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signIn(t.app, 'admin', DEMO_PASSWORD);
});
afterAll(async () => t.close());

type Version = { key: string; template: string; state: string; rowVersion: number; validFrom: string; validTo: string | null; example: string };
const list = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/numbering-series', headers: { cookie: admin.cookie } })).json().items as Version[];
const latestOf = async (key: string) => (await list()).find((v) => v.key === key) as Version;
const post = (payload: Record<string, unknown>, ifMatch?: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/numbering-series', headers: { ...authHeaders(admin), ...(ifMatch ? { 'if-match': ifMatch } : {}) }, payload });
const nextVersion = { key: 'dossier_code', template: '{agency}-{yyMMdd}-{seq:5}', resetPeriod: 'daily', allocation: 'local', validFrom: '2030-01-01', legalBasis: 'TT 03/2025/TT-VPCP Điều 13' };

describe('numbering series API', () => {
  it('lists the dossier-code series in force, with an example', async () => {
    const code = await latestOf('dossier_code');
    expect(code).toMatchObject({ template: '{agency}-{yyMMdd}-{seq:4}', state: 'in_force', validTo: null });
    expect(code.example).toMatch(/^000\.00\.20\.H32-\d{6}-0001$/);
  });

  it('reports every field error at once, the template checked against the series', async () => {
    const res = await post({ key: 'dossier_code', template: '{ngay}-{yyyy}', resetPeriod: 'weekly', allocation: 'local', validFrom: '2030-02-30', legalBasis: '' }, '"1"');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['legalBasis', 'resetPeriod', 'validFrom']);
    const rules = await post({ ...nextVersion, template: '{ngay}-{yyyy}-{type}', validFrom: '2020-01-01' }, '"1"');
    expect(rules.statusCode).toBe(400);
    const codes = rules.json().errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort();
    expect(codes).toEqual(['template:missing_day', 'template:missing_part', 'template:missing_seq', 'template:part_not_supplied', 'template:unknown_token', 'validFrom:in_past']);
    const unknown = await post({ ...nextVersion, key: 'khong_co' }, '"1"');
    expect(unknown.json().errors).toMatchObject([{ field: 'key', code: 'unknown_series' }]);
  });

  it('adds an effective-dated version that ends the current one, needs If-Match, and audits it', async () => {
    const current = await latestOf('dossier_code');
    expect((await post(nextVersion)).statusCode).toBe(428);
    expect((await post(nextVersion, `"${current.rowVersion + 5}"`)).statusCode).toBe(409);
    const res = await post(nextVersion, `"${current.rowVersion}"`);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ key: 'dossier_code', template: '{agency}-{yyMMdd}-{seq:5}', validFrom: '2030-01-01', validTo: null, state: 'future', legalBasis: 'TT 03/2025/TT-VPCP Điều 13' });
    const versions = (await list()).filter((v) => v.key === 'dossier_code');
    expect(versions.map((v) => [v.validFrom, v.validTo, v.state])).toEqual([
      ['2030-01-01', null, 'future'],
      ['2019-01-01', '2030-01-01', 'in_force'],
    ]);
    // The same If-Match again is stale now: the version it named has changed.
    expect((await post({ ...nextVersion, validFrom: '2031-01-01' }, `"${current.rowVersion}"`)).statusCode).toBe(409);
    const audit = await t.db.selectFrom('audit_events').select('action').where('action', '=', 'numbering.series_version_added').execute();
    expect(audit).toHaveLength(1);
    const allocated = await t.db.transaction().execute((tx) => allocateNumber(tx, 'dossier_code', { scopeKey: 'x', date: '2030-01-02', parts: { agency: '000.00.20.H32' } }));
    expect(allocated.number).toBe('000.00.20.H32-300102-00001');
  });

  it('switches a series to upstream allocation only when a connection to the upstream system is wired', async () => {
    const current = await latestOf('dossier_code');
    const refused = await post({ ...nextVersion, allocation: 'upstream', validFrom: '2035-01-01' }, `"${current.rowVersion}"`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toMatchObject([{ field: 'allocation', code: 'no_upstream_source' }]);
    await insertSeries(t.db, 'test_wired', { template: 'W{seq}', reset: 'none' });
    registerUpstreamSource('test_wired', { nextValue: async () => ({ value: 1 }) });
    const wired = await latestOf('test_wired');
    const ok = await post({ key: 'test_wired', template: 'W-{seq:3}', resetPeriod: 'none', allocation: 'upstream', validFrom: '2035-01-01', legalBasis: 'Thỏa thuận kết nối' }, `"${wired.rowVersion}"`);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ allocation: 'upstream', template: 'W-{seq:3}' });
  });

  it('lists numbers taken and not issued', async () => {
    await insertSeries(t.db, 'test_skips', { template: '{seq:2}/{yyyy}', reset: 'yearly' });
    await t.db.transaction().execute(async (tx) => {
      await allocateNumber(tx, 'test_skips', { scopeKey: 'p', date: '2026-05-01' });
      await voidNumber(tx, { id: null, label: 'van.thu', requestId: null }, { seriesKey: 'test_skips', scopeKey: 'p', periodKey: '2026', value: 1, number: '01/2026', reason: 'withdrawn', note: 'Thu hồi trước khi phát hành' });
    });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/numbering-series/skips?seriesKey=test_skips', headers: { cookie: admin.cookie } });
    expect(res.json()).toMatchObject({ total: 1, items: [{ number: '01/2026', reason: 'withdrawn', actorLabel: 'van.thu', periodKey: '2026' }] });
    const page = await t.app.inject({ method: 'GET', url: '/quan-tri/danh-so', headers: { cookie: admin.cookie } });
    expect(page.body).toContain('01/2026');
    expect(page.body).toContain('Thu hồi trước khi phát hành');
  });
});

describe('numbering series page', () => {
  const form = (fields: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/quan-tri/danh-so', headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: admin.csrf, ...fields }).toString() });

  it('shows errors next to the fields and keeps what was typed', async () => {
    const res = await form({ key: 'dossier_code', template: '{agency}-{ngay}<b>', resetPeriod: 'daily', allocation: 'upstream', validFrom: '31/02/2032', legalBasis: 'QĐ 1/QĐ-UBND' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Mẫu phải có số thứ tự {seq} hoặc {seq:N}.');
    expect(res.body).toContain('id="f-validFrom-error"');
    expect(res.body).toContain('value="{agency}-{ngay}&lt;b>"');
    expect(res.body).toContain('value="QĐ 1/QĐ-UBND"');
    expect(res.body).toMatch(/<option value="upstream" selected/);
  });

  it('adds a version, then answers a stale form with a conflict instead of overwriting', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/quan-tri/danh-so', headers: { cookie: admin.cookie } });
    const seen = /name="rowVersion_dossier_code" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    // A fresh form starts from the version in force.
    expect(page.body).toContain('name="template" type="text" value="{agency}-{yyMMdd}-{seq:4}"');
    const fields = { key: 'dossier_code', template: '{agency}-{yyyyMMdd}-{seq:6}', resetPeriod: 'daily', allocation: 'local', validFrom: '01/01/2033', legalBasis: 'TT 04/2025/TT-VPCP', rowVersion_dossier_code: seen };
    const ok = await form(fields);
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/quan-tri/danh-so?da-them=1');
    const after = await t.app.inject({ method: 'GET', url: '/quan-tri/danh-so?da-them=1', headers: { cookie: admin.cookie } });
    expect(after.body).toContain('Đã thêm phiên bản mới của dãy số.');
    expect(after.body).toContain('{agency}-{yyyyMMdd}-{seq:6}');
    const stale = await form({ ...fields, validFrom: '01/01/2034' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Dãy số này vừa được người khác thay đổi.');
  });
});
