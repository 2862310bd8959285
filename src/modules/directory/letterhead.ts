import type { DbOrTx } from '../../platform/db/database.ts';

/**
 * What an official form prints for the unit that issues it: its name, the governing body above it (tên cơ quan, tổ
 * chức chủ quản) and the place name (địa danh) of its date line — NĐ 30/2020/NĐ-CP Phụ lục I, TT 03/2025/TT-VPCP
 * Phụ lục I.
 */
export interface Letterhead {
  readonly unitName: string;
  /** Null for a unit that heads its own line (a people's committee, the root). */
  readonly governingBody: string | null;
  /** Null when neither the unit nor any unit above it names a place or sits on an administrative unit. */
  readonly placeName: string | null;
}

/**
 * The letterheads of these org units, in two queries. What a unit does not set itself comes from the tree: the
 * governing body is the parent unit (a people's committee has none: it is the state body of its area), and the place
 * name is that of the nearest unit, itself first, which names one or is built on an administrative unit.
 */
export async function letterheadsOf(db: DbOrTx, orgUnitIds: readonly string[]): Promise<Map<string, Letterhead>> {
  const ids = [...new Set(orgUnitIds)];
  if (ids.length === 0) return new Map();
  const own = await db.selectFrom('org_units').select(['id', 'path']).where('id', 'in', ids).execute();
  const lineage = [...new Set(own.flatMap((u) => u.path.split('/').filter(Boolean)))];
  const rows = await db
    .selectFrom('org_units as ou')
    .leftJoin('admin_units as au', 'au.id', 'ou.admin_unit_id')
    .select(['ou.id', 'ou.parent_id', 'ou.path', 'ou.kind', 'ou.name', 'ou.governing_body', 'ou.place_name', 'au.name as admin_name'])
    .where('ou.id', 'in', lineage)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const placeOf = (path: string): string | null => {
    for (const id of path.split('/').filter(Boolean).reverse()) {
      const u = byId.get(id);
      const place = u?.place_name ?? u?.admin_name ?? null;
      if (place) return place;
    }
    return null;
  };
  const out = new Map<string, Letterhead>();
  for (const u of own) {
    const row = byId.get(u.id);
    if (!row) continue;
    const parent = row.parent_id ? byId.get(row.parent_id) : undefined;
    const governingBody = row.governing_body ?? (row.kind === 'people_committee' ? null : (parent?.name ?? null));
    out.set(u.id, { unitName: row.name, governingBody, placeName: placeOf(row.path) });
  }
  return out;
}
