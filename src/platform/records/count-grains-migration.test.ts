import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EarlierDatabase, earlierDatabase } from '../../../test/support/migrations.ts';
import { addCounts } from './record-counts.ts';

const YEARS = '0045_count_years.sql';
const WEEKS = '0047_count_weeks.sql';
let earlier: EarlierDatabase;

beforeAll(async () => {
  earlier = await earlierDatabase();
  await earlier.migrateUpTo('0044_zzz');
});
afterAll(async () => earlier.close());

describe('migrations 0045 and 0047: year, all-time and week counts', () => {
  it('adds to counts kept by day and month the year and all-time rows the kernel now keeps with them', async () => {
    const db = earlier.handle.db;
    const [unit, via] = [randomUUID(), randomUUID()];
    const facts = [
      ['opened', '2024-03-05'],
      ['opened', '2024-11-30'],
      ['opened', '2025-01-02'],
      ['closed', '2025-06-15'],
      ['opened', '2026-12-01'],
    ].map(([metric, day]) => ({ metric: metric ?? '', day: day ?? '', unitId: unit, viaUnitId: via }));
    // Counts as the kernel wrote them before: days and months only.
    for (const f of facts) {
      for (const [grain, period] of [['d', f.day], ['m', `${f.day.slice(0, 7)}-01`]]) {
        await sql`INSERT INTO record_counts VALUES ('dossier', ${grain}, ${period}, ${unit}, ${via}, ${f.metric}, 1)
          ON CONFLICT (record_type, grain, period, unit_id, via_unit_id, metric) DO UPDATE SET n = record_counts.n + 1`.execute(db);
      }
    }
    expect(await earlier.migrateUpTo(YEARS)).toEqual([YEARS]);
    // Weeks came next (0047), built from the days the same way.
    expect(await earlier.migrateUpTo(WEEKS)).toEqual(['0046_dossier_unit_period_indexes.sql', WEEKS]);
    // Today's kernel writes the tenant column (0054) and what came before it.
    await earlier.migrateUpTo('9999');
    const rows = async (type: string) =>
      (await db.selectFrom('record_counts').select(['grain', 'period', 'metric', 'n']).where('record_type', '=', type).orderBy(['grain', 'period', 'metric']).execute()).map((r) => `${r.grain} ${r.period} ${r.metric} ${r.n}`);
    // The same facts counted by the kernel as it is now give the same rows.
    await db.transaction().execute((tx) => addCounts(tx, 'now', facts));
    expect(await rows('dossier')).toEqual(await rows('now'));
    expect((await rows('dossier')).filter((r) => r.startsWith('w ')).slice(0, 2)).toEqual(['w 2024-03-04 opened 1', 'w 2024-11-25 opened 1']);
    expect((await rows('dossier')).filter((r) => r.startsWith('a ') || r.startsWith('y '))).toEqual([
      'a 1900-01-01 closed 1',
      'a 1900-01-01 opened 4',
      'y 2024-01-01 opened 2',
      'y 2025-01-01 closed 1',
      'y 2025-01-01 opened 1',
      'y 2026-01-01 opened 1',
    ]);
  });
});
