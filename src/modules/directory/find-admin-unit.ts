import type { DbOrTx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { foldVietnamese } from '../../platform/text/vietnamese.ts';

export interface AdminUnitView {
  readonly id: string;
  readonly code: string;
  readonly level: 'province' | 'district' | 'commune';
  readonly kind: string;
  readonly name: string;
  readonly fullName: string;
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly parents: { id: string; fullName: string }[];
}

export interface AdminUnitHistory extends AdminUnitView {
  readonly predecessors: (AdminUnitView & { readonly linkKind: 'full' | 'partial' })[];
  /** The units valid today that this unit became (following merger links until units still in force). */
  readonly current: (AdminUnitView & { readonly linkKind: 'full' | 'partial' })[];
}

type Row = { id: string; code: string; level: 'province' | 'district' | 'commune'; kind: string; name: string; full_name: string; valid_from: string; valid_to: string | null; parent_id: string | null };

const columns = ['id', 'code', 'level', 'kind', 'name', 'full_name', 'valid_from', 'valid_to', 'parent_id'] as const;

async function parentsOf(db: DbOrTx, parentId: string | null): Promise<{ id: string; fullName: string }[]> {
  const out: { id: string; fullName: string }[] = [];
  let next = parentId;
  while (next) {
    const p = await db.selectFrom('admin_units').select(['id', 'full_name', 'parent_id']).where('id', '=', next).executeTakeFirst();
    if (!p) break;
    out.push({ id: p.id, fullName: p.full_name });
    next = p.parent_id;
  }
  return out;
}

async function view(db: DbOrTx, r: Row): Promise<AdminUnitView> {
  return { id: r.id, code: r.code, level: r.level, kind: r.kind, name: r.name, fullName: r.full_name, validFrom: r.valid_from, validTo: r.valid_to, parents: await parentsOf(db, r.parent_id) };
}

/** Units valid on `on` matching a code exactly or a name without diacritics. */
export async function findAdminUnits(db: DbOrTx, q: { code?: string; name?: string; on: string }): Promise<AdminUnitView[]> {
  let query = db
    .selectFrom('admin_units')
    .select(columns)
    .where('valid_from', '<=', q.on)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', q.on)]));
  if (q.code) query = query.where('code', '=', q.code);
  const folded = q.name ? foldVietnamese(q.name) : '';
  if (folded !== '') {
    const rows = await query.orderBy('level').orderBy('code').execute();
    return Promise.all(rows.filter((r) => foldVietnamese(r.full_name).includes(folded)).slice(0, 50).map((r) => view(db, r)));
  }
  const rows = await query.orderBy('level').orderBy('code').limit(50).execute();
  return Promise.all(rows.map((r) => view(db, r)));
}

async function linked(db: DbOrTx, id: string, direction: 'successors' | 'predecessors') {
  const [from, to] = direction === 'successors' ? (['predecessor_id', 'successor_id'] as const) : (['successor_id', 'predecessor_id'] as const);
  const rows = await db
    .selectFrom('admin_unit_links as l')
    .innerJoin('admin_units as u', 'u.id', `l.${to}`)
    .select(['u.id', 'u.code', 'u.level', 'u.kind', 'u.name', 'u.full_name', 'u.valid_from', 'u.valid_to', 'u.parent_id', 'l.kind as link_kind'])
    .where(`l.${from}`, '=', id)
    .orderBy('u.code')
    .execute();
  return Promise.all(rows.map(async (r) => ({ ...(await view(db, r)), linkKind: r.link_kind })));
}

/** One unit with what it came from and what it is today ("what was X on 01/03/2025 and what is it now"). */
export async function getAdminUnitHistory(db: DbOrTx, id: string, today: string): Promise<AdminUnitHistory> {
  const row = await db.selectFrom('admin_units').select(columns).where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  const predecessors = await linked(db, id, 'predecessors');
  let frontier = [{ ...(await view(db, row)), linkKind: 'full' as 'full' | 'partial' }];
  // Follow successor links until every unit is still in force today (mergers may chain over the years).
  for (let depth = 0; depth < 10 && frontier.some((u) => u.validTo !== null && u.validTo <= today); depth++) {
    const next = [];
    for (const u of frontier) {
      if (u.validTo === null || u.validTo > today) next.push(u);
      else for (const s of await linked(db, u.id, 'successors')) next.push({ ...s, linkKind: u.linkKind === 'partial' ? 'partial' : s.linkKind });
    }
    frontier = next;
  }
  return { ...(await view(db, row)), predecessors, current: frontier.filter((u) => u.validTo === null || u.validTo > today) };
}

