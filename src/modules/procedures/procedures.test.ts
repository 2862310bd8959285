import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/test-db.ts';
import { systemActor } from '../../platform/audit/audit-log.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import { CATALOGUE_FILE } from './demo-seed.ts';
import { getProcedure } from './get-procedure.ts';
import { importProcedures } from './import-procedures.ts';
import { parseCatalogueCsv } from './parse-catalogue.ts';
import { searchProcedures } from './search-procedures.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h.close());

describe('catalogue import (the demo seed imported both bundled files)', () => {
  it('holds every procedure of the national catalogue, with the 274 detailed ones as version 2', async () => {
    const count = await h.db.selectFrom('procedures').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2642);
    const detailed = await h.db.selectFrom('procedure_versions').select((eb) => eb.fn.countAll<number>().as('n')).where('detail_level', '=', 'detailed').where('valid_to', 'is', null).executeTakeFirstOrThrow();
    expect(Number(detailed.n)).toBe(274);
  });

  it('re-importing the same file changes nothing', async () => {
    const text = await readFile(CATALOGUE_FILE, 'utf8');
    const parsed = parseCatalogueCsv(text);
    const summary = await importProcedures(h.db, systemActor('test'), { fileName: 'again.csv', kind: 'catalogue', text });
    // The 274 detailed procedures are newer versions than their catalogue rows: re-importing the summary re-versions them.
    expect(summary.created).toBe(0);
    expect(summary.rejects).toEqual([]);
    expect(summary.unchanged + summary.newVersions).toBe(parsed.records.length);
    const again = await importProcedures(h.db, systemActor('test'), { fileName: 'again.csv', kind: 'catalogue', text });
    expect(again.unchanged).toBe(parsed.records.length);
  });

  it('a changed record becomes a new version and the old one stays readable', async () => {
    const header = 'ma_thu_tuc,ten_thu_tuc,cap_thuc_hien,linh_vuc,kenh_nop,thoi_han_giai_quyet,phi_le_phi\n';
    const text = `${header}1.001193,Đăng ký khai sinh (sửa đổi),Cấp xã,Hộ tịch,Trực tuyến; Trực tiếp,3 Ngày làm việc,Miễn phí\nX.1,,Cấp xã,,Trực tiếp,,\n`;
    const before = await getProcedure(h.db, '1.001193');
    const summary = await importProcedures(h.db, systemActor('test'), { fileName: 'sua-doi.csv', kind: 'catalogue', text });
    expect(summary.newVersions).toBe(1);
    expect(summary.rejects).toEqual([{ row: 3, code: 'X.1', reasons: ['Mã thủ tục "X.1" không đúng dạng 1.234567', 'Thiếu tên thủ tục', 'Thiếu lĩnh vực'] }]);
    const now = await getProcedure(h.db, '1.001193');
    expect(now.versionNo).toBe(before.versionNo + 1);
    expect(now.name).toBe('Đăng ký khai sinh (sửa đổi)');
    const old = await getProcedure(h.db, '1.001193', before.versionNo);
    expect(old.name).toBe(before.name);
    expect(old.validTo).not.toBeNull();
  });
});

describe('search', () => {
  it('finds with and without diacritics, whole phrase first', async () => {
    for (const q of ['dang ky khai sinh', 'Đăng ký khai sinh', 'ĐĂNG KÝ KHAI SINH']) {
      const r = await searchProcedures(h.db, { q });
      expect(r.items[0]?.name.toLowerCase(), q).toContain('đăng ký khai sinh');
    }
    const loose = await searchProcedures(h.db, { q: 'khai sinh' });
    expect(loose.total).toBeGreaterThan(3);
    expect(loose.items[0]?.name.toLowerCase()).toContain('khai sinh');
  });

  it('treats injection strings and wildcards as plain words', async () => {
    const all = await searchProcedures(h.db, {});
    for (const q of ["%' OR 1=1 --", "'; DROP TABLE procedures; --"]) {
      const r = await searchProcedures(h.db, { q });
      expect(r.total, q).toBeLessThan(all.total);
    }
    // Wildcards alone fold to no word at all: the whole catalogue, not an error.
    expect((await searchProcedures(h.db, { q: '_%' })).total).toBe(all.total);
  });

  it('filters by level and online level and pages', async () => {
    const commune = await searchProcedures(h.db, { level: 'commune', onlineLevel: 'none', limit: 5 });
    expect(commune.items.length).toBe(5);
    expect(commune.items.every((i) => i.levels.includes('commune') && i.onlineLevel === 'none')).toBe(true);
    const next = await searchProcedures(h.db, { level: 'commune', onlineLevel: 'none', limit: 5, offset: 5 });
    expect(next.items[0]?.nationalCode).not.toBe(commune.items[0]?.nationalCode);
    expect(next.total).toBe(commune.total);
  });
});
