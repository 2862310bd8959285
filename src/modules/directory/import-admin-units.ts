import { readFile } from 'node:fs/promises';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { type AdminUnitFiles, type AdminUnitRecord, parseProvinceUnits } from './parse-admin-units.ts';

const dataDir = new URL('../../../data/admin-units/', import.meta.url);

// The 2025 files describe units as of 01/03/2025; history before that date is not imported.
export const PRE2025_VALID_FROM = '2025-03-01';
// Two-tier local government and the merged provinces took effect on 01/07/2025 (NQ 202/2025/QH15).
export const MERGER_DATE = '2025-07-01';

export async function readBundledAdminUnitFiles(): Promise<AdminUnitFiles> {
  const f = (name: string) => readFile(new URL(name, dataDir), 'utf8');
  const [provinces2026, communes2026, provinces2025, districts2025, communes2025, provinceMapping, communeMapping] = await Promise.all([
    f('provinces_34.csv'),
    f('wards_3321.csv'),
    f('provinces_63.csv'),
    f('districts_696.csv'),
    f('wards_10035.csv'),
    f('tinh_moi_cu.csv'),
    f('xa_moi_cu.csv'),
  ]);
  return { provinces2026, communes2026, provinces2025, districts2025, communes2025, provinceMapping, communeMapping };
}

const key = (era: string, level: string, code: string) => `${era}/${level}/${code}`;

async function insertLevel(tx: Tx, units: readonly AdminUnitRecord[], ids: Map<string, string>, parentLevel: string | null): Promise<void> {
  if (units.length === 0) return;
  const rows = units.map((u) => ({
    code: u.code,
    level: u.level,
    kind: u.kind,
    name: u.name,
    full_name: u.fullName,
    name_en: u.nameEn,
    parent_id: parentLevel && u.parentCode ? (ids.get(key(u.era, parentLevel, u.parentCode)) ?? null) : null,
    valid_from: u.era === 'current' ? MERGER_DATE : PRE2025_VALID_FROM,
    valid_to: u.era === 'current' ? null : MERGER_DATE,
  }));
  const inserted = await tx.insertInto('admin_units').values(rows).returning(['id', 'code', 'level', 'valid_from']).execute();
  for (const r of inserted) ids.set(key(r.valid_from === MERGER_DATE ? 'current' : 'pre2025', r.level, r.code), r.id);
}

/**
 * Imports one province's administrative units for both eras and the 2025 merger links, in one transaction.
 * Returns the ids of the current units by code, for the org units built on them.
 */
export async function importAdminUnits(
  db: Db,
  actor: Actor,
  files: AdminUnitFiles,
  province: { code: string; mergerBasis: string; communeMergerBasis: string },
): Promise<Map<string, string>> {
  const provinceCode = province.code;
  const parsed = parseProvinceUnits(files, provinceCode);
  return db.transaction().execute(async (tx) => {
    const ids = new Map<string, string>();
    const of = (era: string, level: string) => parsed.units.filter((u) => u.era === era && u.level === level);
    await insertLevel(tx, of('current', 'province'), ids, null);
    await insertLevel(tx, of('current', 'commune'), ids, 'province');
    await insertLevel(tx, of('pre2025', 'province'), ids, null);
    await insertLevel(tx, of('pre2025', 'district'), ids, 'province');
    await insertLevel(tx, of('pre2025', 'commune'), ids, 'district');
    const links = parsed.links.map((l) => ({
      predecessor_id: ids.get(key('pre2025', l.level, l.predecessorCode)) ?? '',
      successor_id: ids.get(key('current', l.level, l.successorCode)) ?? '',
      kind: l.kind,
      effective_on: MERGER_DATE,
      legal_basis: l.level === 'province' ? province.mergerBasis : province.communeMergerBasis,
    }));
    if (links.length > 0) await tx.insertInto('admin_unit_links').values(links).onConflict((oc) => oc.doNothing()).execute();
    await recordAudit(tx, actor, {
      action: 'directory.admin_units_imported',
      entityType: 'admin_unit',
      entityId: provinceCode,
      after: { units: parsed.units.length, links: links.length, warnings: parsed.warnings.slice(0, 20) },
    });
    const current = new Map<string, string>();
    for (const u of parsed.units.filter((x) => x.era === 'current')) current.set(u.code, ids.get(key('current', u.level, u.code)) ?? '');
    return current;
  });
}
