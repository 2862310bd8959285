import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/test-db.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { addCounts, type CountFact, readBalances, readCounts, slicesOf } from './record-counts.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h.close());

const UNITS = [randomUUID(), randomUUID()];
const day = fc.date({ min: new Date('2017-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const fact = fc.record({ metric: fc.constantFrom('opened', 'closed'), day, unitId: fc.constantFrom(...UNITS), viaUnitId: fc.constantFrom(...UNITS) });
const sumOf = (rows: readonly { metric: string; n: number }[], metric: string) => rows.filter((r) => r.metric === metric).reduce((a, r) => a + r.n, 0);

describe('record counts', () => {
  it('cuts a period into days, months and years that cover it exactly once', () => {
    fc.assert(
      fc.property(day, day, (a, b) => {
        const [from, to] = a < b ? [a, b] : [b, a];
        const slices = slicesOf(from, to);
        // Contiguous, in order, from `from` to `to`; each range aligned to its grain.
        let at = from;
        for (const s of slices) {
          expect(s.from).toBe(at);
          if (s.grain === 'w') expect([new Date(s.from).getUTCDay(), new Date(s.to).getUTCDay()]).toEqual([1, 1]);
          if (s.grain === 'm') expect([s.from.slice(8), s.to.slice(8)]).toEqual(['01', '01']);
          if (s.grain === 'y') expect([s.from.slice(5), s.to.slice(5)]).toEqual(['01-01', '01-01']);
          at = s.to;
        }
        expect(at).toBe(from === to ? from : to);
        expect(slices.length).toBeLessThanOrEqual(9);
      }),
      { numRuns: 2000 },
    );
    expect(slicesOf('2016-03-05', '2026-12-03').map((s) => `${s.grain} ${s.from}..${s.to}`)).toEqual([
      'd 2016-03-05..2016-03-07',
      'w 2016-03-07..2016-03-28',
      'd 2016-03-28..2016-04-01',
      'm 2016-04-01..2017-01-01',
      'y 2017-01-01..2026-01-01',
      'm 2026-01-01..2026-12-01',
      'd 2026-12-01..2026-12-03',
    ]);
    // The last 30 days: a few days and whole weeks, not thirty days.
    expect(slicesOf('2026-11-02', '2026-12-03').map((s) => `${s.grain} ${s.from}..${s.to}`)).toEqual(['w 2026-11-02..2026-11-30', 'd 2026-11-30..2026-12-01', 'd 2026-12-01..2026-12-03']);
  });

  it('sums any period, and any balance up to a day, as the facts themselves do', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fact, { minLength: 1, maxLength: 40 }), fc.array(fact, { maxLength: 10 }), day, day, async (facts, undone, a, b) => {
        const type = `test-${randomUUID()}`;
        await h.db.transaction().execute(async (tx) => {
          await addCounts(tx, type, facts);
          // Facts that stopped holding (a dossier reopened, a date moved) are taken away again.
          await addCounts(tx, type, undone, -1);
        });
        const [from, to] = a < b ? [a, b] : [b, a];
        const expected = (inRange: (f: CountFact) => boolean, metric: string) => facts.filter((f) => f.metric === metric && inRange(f)).length - undone.filter((f) => f.metric === metric && inRange(f)).length;
        const period = await readCounts(h.db, type, { from, to }, { all: true });
        const balance = await readBalances(h.db, type, to, { unitIds: [UNITS[0] ?? ''] });
        const inUnit = (f: CountFact) => f.unitId === UNITS[0] || f.viaUnitId === UNITS[0];
        for (const metric of ['opened', 'closed']) {
          expect(sumOf(period, metric)).toBe(expected((f) => f.day >= from && f.day < to, metric));
          expect(sumOf(balance, metric)).toBe(expected((f) => f.day < to && inUnit(f), metric));
        }
        await h.db.deleteFrom('record_counts').where('record_type', '=', type).execute();
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
