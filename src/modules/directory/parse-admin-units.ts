import { parse } from 'csv-parse/sync';
import { normaliseVietnamese } from '../../platform/text/vietnamese.ts';

export type AdminLevel = 'province' | 'district' | 'commune';
export type Era = 'pre2025' | 'current';

export interface AdminUnitRecord {
  readonly era: Era;
  readonly level: AdminLevel;
  readonly code: string;
  readonly kind: string;
  readonly name: string;
  readonly fullName: string;
  readonly nameEn: string | null;
  readonly parentCode: string | null;
}

export interface AdminUnitLinkRecord {
  readonly level: AdminLevel;
  readonly predecessorCode: string;
  readonly successorCode: string;
  readonly kind: 'full' | 'partial';
}

/** The texts of the bundled files (data/admin-units/), so that parsing stays pure and testable. */
export interface AdminUnitFiles {
  readonly provinces2026: string;
  readonly communes2026: string;
  readonly provinces2025: string;
  readonly districts2025: string;
  readonly communes2025: string;
  readonly provinceMapping: string;
  readonly communeMapping: string;
}

export interface ProvinceUnits {
  readonly units: AdminUnitRecord[];
  readonly links: AdminUnitLinkRecord[];
  readonly warnings: string[];
}

type Row = Record<string, string>;
const rows = (text: string): Row[] => parse(text, { columns: true, skip_empty_lines: true, bom: true, trim: true });
const clean = (s: string | undefined) => normaliseVietnamese(s ?? '').trim();

// The 2025 files carry no unit-type column; the type is the first words of the full name ("Thành phố Nha Trang").
const UNIT_TYPES = ['Thành phố', 'Thị xã', 'Thị trấn', 'Huyện', 'Quận', 'Phường', 'Xã', 'Tỉnh', 'Đặc khu'];
const kindFromFullName = (fullName: string) => UNIT_TYPES.find((t) => fullName.startsWith(t)) ?? 'Khác';

function unit(era: Era, level: AdminLevel, r: Row, parentCode: string | null, kind?: string): AdminUnitRecord {
  const fullName = clean(r.full_name);
  return { era, level, code: r.code ?? '', kind: kind ?? kindFromFullName(fullName), name: clean(r.name), fullName, nameEn: r.name_en || null, parentCode };
}

/**
 * The current province with its communes (two-tier since 01/07/2025), the pre-merger provinces that formed it with
 * their districts and communes (state of 01/03/2025), and the merger links between them.
 */
export function parseProvinceUnits(files: AdminUnitFiles, provinceCode: string): ProvinceUnits {
  const warnings: string[] = [];
  const province = rows(files.provinces2026).find((r) => r.code === provinceCode);
  if (!province) throw new Error(`province ${provinceCode} is not in the 2026 list`);
  const units: AdminUnitRecord[] = [unit('current', 'province', province, null, clean(province.administrative_unit) || 'Tỉnh')];
  for (const r of rows(files.communes2026).filter((c) => c.province_code === provinceCode)) {
    units.push(unit('current', 'commune', r, provinceCode, clean(r.administrative_unit).replace(/ tại hải đảo$/, '')));
  }
  const provinceLinks = rows(files.provinceMapping).filter((m) => m.new_province_code === provinceCode);
  const oldCodes = new Set(provinceLinks.map((m) => m.old_province_code ?? ''));
  for (const r of rows(files.provinces2025).filter((p) => oldCodes.has(p.code ?? ''))) units.push(unit('pre2025', 'province', r, null));
  const districts = rows(files.districts2025).filter((d) => oldCodes.has(d.province_code ?? ''));
  for (const r of districts) units.push(unit('pre2025', 'district', r, r.province_code ?? null));
  const oldCommunes = rows(files.communes2025).filter((w) => oldCodes.has(w.province_code ?? ''));
  for (const r of oldCommunes) units.push(unit('pre2025', 'commune', r, r.district_code ?? null));
  const links: AdminUnitLinkRecord[] = provinceLinks.map((m) => ({
    level: 'province',
    predecessorCode: m.old_province_code ?? '',
    successorCode: provinceCode,
    kind: m.type === 'partial' ? 'partial' : 'full',
  }));
  const oldCommuneCodes = new Set(oldCommunes.map((c) => c.code));
  const newCommuneCodes = new Set(units.filter((u) => u.era === 'current' && u.level === 'commune').map((u) => u.code));
  for (const m of rows(files.communeMapping).filter((x) => x.new_province_code === provinceCode)) {
    const link = { level: 'commune' as const, predecessorCode: m.old_ward_code ?? '', successorCode: m.new_ward_code ?? '', kind: m.type === 'partial' ? ('partial' as const) : ('full' as const) };
    if (!oldCommuneCodes.has(link.predecessorCode)) warnings.push(`mapping: old commune ${link.predecessorCode} (${m.old_ward_name}) is not in the 2025 list`);
    else if (!newCommuneCodes.has(link.successorCode)) warnings.push(`mapping: new commune ${link.successorCode} is not in the 2026 list`);
    else links.push(link);
  }
  return { units, links, warnings };
}
