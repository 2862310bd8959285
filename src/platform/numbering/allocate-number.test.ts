import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSeries } from '../../../test/support/numbering.ts';
import { createTestDb } from '../../../test/support/test-db.ts';
import type { Actor } from '../audit/audit-log.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { allocateNumber, type UpstreamNumberSource, voidNumber } from './allocate-number.ts';
import { registerUpstreamSource } from './upstream-sources.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h.close());

const actor: Actor = { id: null, label: 'kiem.thu', requestId: null };

const take = (key: string, date: string, extra: Partial<Parameters<typeof allocateNumber>[2]> = {}) =>
  h.db.transaction().execute(async (tx) => (await allocateNumber(tx, key, { scopeKey: 'p', date, ...extra })).number);

const skipsOf = (key: string) => h.db.selectFrom('numbering_skips').select(['value', 'number', 'reason', 'actor_label']).where('series_key', '=', key).orderBy('value').execute();

describe('local allocation', () => {
  it('numbers each period from 1 without gaps; a rolled-back transaction gives its number back', async () => {
    await insertSeries(h.db, 'test_yearly', { template: 'T-{yyyy}-{seq:3}', reset: 'yearly' });
    const a = await take('test_yearly', '2026-03-01');
    await expect(
      h.db.transaction().execute(async (tx) => {
        await allocateNumber(tx, 'test_yearly', { scopeKey: 'p', date: '2026-03-02' });
        throw new Error('issue failed');
      }),
    ).rejects.toThrow('issue failed');
    const b = await take('test_yearly', '2026-12-31');
    const nextYear = await take('test_yearly', '2027-01-01');
    expect([a, b, nextYear]).toEqual(['T-2026-001', 'T-2026-002', 'T-2027-001']);
    const other = await h.db.transaction().execute(async (tx) => (await allocateNumber(tx, 'test_yearly', { scopeKey: 'q', date: '2026-05-05' })).value);
    expect(other).toBe(1);
  });

  it('uses the version in force on the date, and a new version continues the sequence', async () => {
    await insertSeries(h.db, 'test_versions', { template: 'A{seq}', reset: 'none', to: '2027-01-01' });
    await insertSeries(h.db, 'test_versions', { template: 'B{seq:4}', reset: 'none', from: '2027-01-01' });
    expect(await take('test_versions', '2026-12-31')).toBe('A1');
    expect(await take('test_versions', '2027-01-01')).toBe('B0002');
  });

  it('answers a clear problem when no version is in force', async () => {
    const error = await take('test_missing', '2026-01-01').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'setting_missing', httpStatus: 422 });
    expect((error as AppError).messageVi).toContain('test_missing');
  });
});

/** A small upstream system handing out the values it was told to, in order, and remembering what it was asked. */
class ScriptedUpstream implements UpstreamNumberSource {
  readonly asked: string[] = [];
  constructor(private readonly values: { value: number; number?: string }[]) {}
  async nextValue(request: { seriesKey: string; scopeKey: string; periodKey: string; date: string }) {
    this.asked.push(`${request.seriesKey}/${request.scopeKey}/${request.periodKey}`);
    const next = this.values.shift();
    if (!next) throw new Error('upstream exhausted');
    return next;
  }
}

describe('upstream allocation', () => {
  beforeAll(async () => insertSeries(h.db, 'test_upstream', { template: 'U-{yyyyMMdd}-{seq:7}', reset: 'daily', allocation: 'upstream' }));

  it('takes the upstream value; values it jumps over are recorded as skipped, a late one is issued after all', async () => {
    const upstream = new ScriptedUpstream([{ value: 1 }, { value: 4 }, { value: 3 }, { value: 5, number: 'G09.20-20260609-0000005' }]);
    const date = '2026-06-09';
    expect(await take('test_upstream', date, { upstream, actor })).toBe('U-20260609-0000001');
    expect(await take('test_upstream', date, { upstream, actor })).toBe('U-20260609-0000004');
    expect(await skipsOf('test_upstream')).toEqual([
      { value: 2, number: 'U-20260609-0000002', reason: 'upstream', actor_label: 'kiem.thu' },
      { value: 3, number: 'U-20260609-0000003', reason: 'upstream', actor_label: 'kiem.thu' },
    ]);
    // 3 was handed to an allocation that reached the counter after 4's: it is issued, no longer skipped.
    expect(await take('test_upstream', date, { upstream, actor })).toBe('U-20260609-0000003');
    expect((await skipsOf('test_upstream')).map((s) => s.value)).toEqual([2]);
    // An upstream that renders its own numbers is taken at its word.
    expect(await take('test_upstream', date, { upstream, actor })).toBe('G09.20-20260609-0000005');
    expect(upstream.asked).toEqual(Array(4).fill('test_upstream/p/2026-06-09'));
    const audit = await h.db.selectFrom('audit_events').select('summary').where('action', '=', 'numbering.upstream_skipped').execute();
    expect(audit.map((a) => (a.summary as { after: { values: number[] } }).after.values)).toEqual([[2, 3]]);
  });

  it('refuses a value already issued, a jump too far, and a missing connection', async () => {
    const date = '2026-06-10';
    const upstream = new ScriptedUpstream([{ value: 1 }, { value: 1 }, { value: 5000 }, { value: -3 }]);
    await take('test_upstream', date, { upstream });
    for (let i = 0; i < 3; i++) await expect(take('test_upstream', date, { upstream })).rejects.toMatchObject({ code: 'upstream_unavailable' });
    await expect(take('test_upstream', date)).rejects.toMatchObject({ code: 'upstream_unavailable' });
    const counter = await h.db.selectFrom('numbering_counters').select('last_value').where('series_key', '=', 'test_upstream').where('period_key', '=', date).executeTakeFirstOrThrow();
    expect(counter.last_value).toBe(1);
  });
});

describe('upstream allocation through the registered source', () => {
  it('uses the source wired for the series when the caller passes none', async () => {
    await insertSeries(h.db, 'test_upstream_wired', { template: 'W{seq:3}', reset: 'none', allocation: 'upstream' });
    registerUpstreamSource('test_upstream_wired', new ScriptedUpstream([{ value: 2 }]));
    expect(await take('test_upstream_wired', '2026-06-11')).toBe('W002');
    expect((await skipsOf('test_upstream_wired')).map((s) => [s.value, s.actor_label])).toEqual([[1, 'numbering']]);
  });
});

describe('voiding a number', () => {
  it('records a taken number that will not be issued, once, with its reason and who, and audits it', async () => {
    await insertSeries(h.db, 'test_void', { template: '{seq:2}/{yyyy}', reset: 'yearly' });
    await take('test_void', '2026-04-01');
    await take('test_void', '2026-04-01');
    const at = { seriesKey: 'test_void', scopeKey: 'p', periodKey: '2026' };
    await h.db.transaction().execute((tx) => voidNumber(tx, actor, { ...at, value: 2, number: '02/2026', reason: 'withdrawn', note: 'Văn bản bị thu hồi trước khi phát hành' }));
    expect(await skipsOf('test_void')).toEqual([{ value: 2, number: '02/2026', reason: 'withdrawn', actor_label: 'kiem.thu' }]);
    const again = h.db.transaction().execute((tx) => voidNumber(tx, actor, { ...at, value: 2, reason: 'withdrawn' }));
    await expect(again).rejects.toMatchObject({ code: 'validation', fieldErrors: [{ field: 'value', code: 'already_void' }] });
    const notTaken = h.db.transaction().execute((tx) => voidNumber(tx, actor, { ...at, value: 3, reason: 'withdrawn' }));
    await expect(notTaken).rejects.toMatchObject({ fieldErrors: [{ field: 'value', code: 'not_taken' }] });
    const audit = await h.db.selectFrom('audit_events').select('action').where('action', '=', 'numbering.number_voided').execute();
    expect(audit).toHaveLength(1);
  });
});
