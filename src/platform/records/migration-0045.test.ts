import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase, openPglite } from '../db/database.ts';
import { migrate, migrationsDir } from '../db/migrate.ts';
import { addCounts } from './record-counts.ts';

const YEARS = '0045_count_years.sql';
let dir: string;
let handle: DatabaseHandle;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cqs-mig-'));
  for (const name of await readdir(migrationsDir)) if (name.endsWith('.sql') && name < YEARS) await copyFile(new URL(name, migrationsDir), path.join(dir, name));
  handle = await openDatabase({ kind: 'pglite-instance', pglite: await openPglite(undefined) });
  await migrate(handle.db, pathToFileURL(`${dir}/`));
});
afterAll(async () => {
  await handle.close();
  await rm(dir, { recursive: true, force: true });
});

describe('migration 0045: year and all-time counts', () => {
  it('adds to counts kept by day and month the year and all-time rows the kernel now keeps with them', async () => {
    const db = handle.db;
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
    await copyFile(new URL(YEARS, migrationsDir), path.join(dir, YEARS));
    expect((await migrate(db, pathToFileURL(`${dir}/`))).applied).toEqual([YEARS]);
    const rows = async (type: string) =>
      (await db.selectFrom('record_counts').select(['grain', 'period', 'metric', 'n']).where('record_type', '=', type).orderBy(['grain', 'period', 'metric']).execute()).map((r) => `${r.grain} ${r.period} ${r.metric} ${r.n}`);
    // The same facts counted by the kernel as it is now give the same rows.
    await db.transaction().execute((tx) => addCounts(tx, 'now', facts));
    expect(await rows('dossier')).toEqual(await rows('now'));
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
