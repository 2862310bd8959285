import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOrgUnit } from '../../../test/support/org-fixture.ts';
import { createTestDb } from '../../../test/support/test-db.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
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
