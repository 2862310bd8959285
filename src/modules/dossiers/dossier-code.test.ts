import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOrgUnit } from '../../../test/support/org-fixture.ts';
import { createTestDb } from '../../../test/support/test-db.ts';
import { type DatabaseHandle, openDatabase } from '../../platform/db/database.ts';
import { migrate, migrationsDir } from '../../platform/db/migrate.ts';
import { AppError } from '../../platform/errors.ts';
import { seriesInForce } from '../../platform/numbering/allocate-number.ts';
import { allocateDossierCode, parseCode, renderCode } from './dossier-code.ts';

const LEGACY = '{agency}-{yyMMdd}-{seq:4}';

describe('dossier code format', () => {
  it('renders the legacy format of TT 01/2018', () => {
    const code = renderCode(LEGACY, { agency: '000.00.20.H32', date: '2026-11-24', seq: 7 });
    expect(code).toBe('000.00.20.H32-261124-0007');
    expect(code).toMatch(/^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$/);
    expect(renderCode(LEGACY, { agency: '000.00.20.H32', date: '2026-11-24', seq: 12345 })).toBe('000.00.20.H32-261124-12345');
  });

  it('reads back what it renders, in every format', () => {
    const agency = fc.stringMatching(/^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}|[A-Z]\d{2}(\.\d{2}){0,2})$/);
    const date = fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const template = fc.constantFrom(LEGACY, '{agency}-{yyyyMMdd}-{seq:7}', '{agency}-{yyMMdd}-{seq:4}');
    fc.assert(
      fc.property(template, agency, date, fc.integer({ min: 1, max: 9_999_999 }), (t, a, d, seq) => {
        expect(parseCode(t, renderCode(t, { agency: a, date: d, seq }))).toEqual({ agency: a, date: d, seq });
      }),
    );
  });

  it('rejects codes of another shape', () => {
    expect(parseCode(LEGACY, '000.00.20.H32-261124-07')).toBeNull();
    expect(parseCode(LEGACY, "000.00.20.H32-261124-0007' OR 1=1")).toBeNull();
  });
});

describe('dossier code allocation', () => {
  let h: DatabaseHandle;
  let unit: { id: string };
  beforeAll(async () => {
    h = await createTestDb();
    unit = await insertOrgUnit(h.db, 'Bộ phận một cửa thử');
  });
  afterAll(async () => h.close());

  const receiver = () => ({ orgUnitId: unit.id, agencyCode: '000.00.99.H32' });

  it('numbers each agency-day from 0001 without gaps, even when a receipt rolls back', async () => {
    const a = await h.db.transaction().execute((tx) => allocateDossierCode(tx, receiver(), '2026-11-24'));
    await expect(
      h.db.transaction().execute(async (tx) => {
        await allocateDossierCode(tx, receiver(), '2026-11-24');
        throw new Error('receipt failed');
      }),
    ).rejects.toThrow('receipt failed');
    const b = await h.db.transaction().execute((tx) => allocateDossierCode(tx, receiver(), '2026-11-24'));
    const nextDay = await h.db.transaction().execute((tx) => allocateDossierCode(tx, receiver(), '2026-11-25'));
    expect([a, b, nextDay]).toEqual(['000.00.99.H32-261124-0001', '000.00.99.H32-261124-0002', '000.00.99.H32-261125-0001']);
  });

  it('gives distinct, consecutive numbers to concurrent receipts', async () => {
    const codes = await Promise.all(Array.from({ length: 20 }, () => h.db.transaction().execute((tx) => allocateDossierCode(tx, receiver(), '2026-12-01'))));
    const seqs = codes.map((c) => Number(c.slice(-4))).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

describe('dossier codes without an agency code', () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await createTestDb();
  });
  afterAll(async () => h.close());

  it('are refused with the missing setting named, instead of colliding with another such unit', async () => {
    const unit = await insertOrgUnit(h.db, 'Bộ phận một cửa chưa có mã');
    const error = await h.db.transaction().execute((tx) => allocateDossierCode(tx, { orgUnitId: unit.id, agencyCode: null }, '2026-11-24')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'setting_missing', httpStatus: 422 });
    expect((error as AppError).messageVi).toBe('Đơn vị Bộ phận một cửa chưa có mã chưa có mã cơ quan (mã định danh) — quản trị viên cần khai báo tại Quản trị › Đơn vị.');
    expect(await h.db.selectFrom('numbering_counters').select('last_value').where('scope_key', '=', unit.id).execute()).toEqual([]);
  });
});

describe('migration of the dossier-code formats and counters into the numbering series', () => {
  it('keeps the format in force and continues the sequences of codes already issued', async () => {
    // Migrations up to 0014, a counter of codes already issued, then 0015.
    const before = await mkdtemp(path.join(os.tmpdir(), 'cqs-mig-'));
    const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(before, 'db'), lock: { folder: before, command: 'test' } });
    try {
      const files = (await readdir(migrationsDir)).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort();
      const dir = path.join(before, 'migrations');
      await mkdir(dir);
      for (const f of files.filter((f) => f < '0015')) await copyFile(new URL(f, migrationsDir), path.join(dir, f));
      await migrate(handle.db, pathToFileURL(`${dir}/`));
      // The schema of 0014 has no tenant column yet (0054): write without the tenant scope.
      const unit = await insertOrgUnit(handle.db.withoutPlugins(), 'Trung tâm có mã cũ');
      // The table is gone from the schema types once 0015 runs: write the old counter in plain SQL.
      await sql`INSERT INTO dossier_code_counters (org_unit_id, day, last_value) VALUES (${unit.id}, '2026-11-24', 41)`.execute(handle.db);
      for (const f of files) await copyFile(new URL(f, migrationsDir), path.join(dir, f));
      await migrate(handle.db, pathToFileURL(`${dir}/`));
      expect(await seriesInForce(handle.db, 'dossier_code', '2026-11-24')).toMatchObject({ template: '{agency}-{yyMMdd}-{seq:4}', resetPeriod: 'daily', allocation: 'local', legalBasis: 'TT 01/2018/TT-VPCP Điều 19' });
      const code = await handle.db.transaction().execute((tx) => allocateDossierCode(tx, { orgUnitId: unit.id, agencyCode: '000.00.98.H32' }, '2026-11-24'));
      expect(code).toBe('000.00.98.H32-261124-0042');
    } finally {
      await handle.close();
      await rm(before, { recursive: true, force: true });
    }
  });
});
