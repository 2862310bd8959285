import { sql } from 'kysely';
import type { DbOrTx } from '../../platform/db/database.ts';
import type { ProcessingUnit } from '../../platform/db/schema.ts';
import { searchTokens } from '../../platform/text/vietnamese.ts';
import { processingTimeText } from './labels.ts';
import type { ProcedureSearchQuery, ProcedureSummary } from './schema.ts';

export interface SummaryRow {
  readonly national_code: string;
  readonly name: string;
  readonly sector: string | null;
  readonly levels: string[];
  readonly online_level: 'full' | 'partial' | 'none';
  readonly processing_value: string | null;
  readonly processing_unit: ProcessingUnit | null;
  readonly processing_time_raw: string;
  readonly version_no: number;
}

export function toSummary(r: SummaryRow): ProcedureSummary {
  const value = r.processing_value === null ? null : Number(r.processing_value);
  return {
    nationalCode: r.national_code,
    name: r.name,
    sector: r.sector,
    levels: r.levels,
    onlineLevel: r.online_level,
    processingTime: { raw: r.processing_time_raw, value, unit: r.processing_unit, text: processingTimeText(value, r.processing_unit, r.processing_time_raw) },
    versionNo: r.version_no,
  };
}

export interface SearchOptions {
  /** Only procedures an open unit (not a service centre) decides: what a counter can receive a dossier for. */
  readonly decidedSomewhere?: boolean;
}

/**
 * Searches the versions in force. Every folded token must occur in the folded text (so "dang ky khai sinh" finds
 * "Đăng ký khai sinh"); results with the whole phrase come first, then by trigram similarity, then by name.
 * Tokens hold only [a-z0-9] after folding, so they cannot carry LIKE wildcards or SQL.
 */
export async function searchProcedures(db: DbOrTx, q: ProcedureSearchQuery, options: SearchOptions = {}): Promise<{ items: ProcedureSummary[]; total: number; limit: number; offset: number }> {
  const limit = q.limit ?? 20;
  const offset = q.offset ?? 0;
  const tokens = searchTokens(q.q ?? '');
  const phrase = tokens.join(' ');
  let query = db
    .selectFrom('procedure_versions as v')
    .innerJoin('procedures as p', 'p.id', 'v.procedure_id')
    .leftJoin('sectors as s', 's.id', 'v.sector_id')
    .where('v.valid_to', 'is', null);
  for (const token of tokens) query = query.where('v.search_text', 'like', `%${token}%`);
  if (q.sector !== undefined) query = query.where('v.sector_id', '=', q.sector);
  if (q.level !== undefined) query = query.where(sql<boolean>`${q.level} = ANY(v.levels)`);
  if (q.onlineLevel !== undefined) query = query.where('v.online_level', '=', q.onlineLevel);
  if (options.decidedSomewhere) {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('procedure_assignments as a')
          .innerJoin('org_units as ou', 'ou.id', 'a.org_unit_id')
          .select('a.org_unit_id')
          .whereRef('a.procedure_id', '=', 'p.id')
          .where('ou.valid_to', 'is', null)
          .where('ou.kind', '!=', 'service_centre'),
      ),
    );
  }
  let ordered = query
    .select([
      'p.national_code',
      'v.name',
      's.name as sector',
      'v.levels',
      'v.online_level',
      'v.processing_value',
      'v.processing_unit',
      'v.processing_time_raw',
      'v.version_no',
      sql<number>`count(*) over ()`.as('total'),
    ])
    .limit(limit)
    .offset(offset);
  if (phrase !== '') {
    ordered = ordered
      .orderBy(sql`(v.search_text LIKE ${`%${phrase}%`})`, 'desc')
      .orderBy(sql`similarity(v.search_text, ${phrase})`, 'desc');
  }
  const rows = await ordered.orderBy('v.name').orderBy('p.national_code').execute();
  const total = rows[0] ? Number(rows[0].total) : offset > 0 ? await countOnly(db, q, options) : 0;
  return { items: rows.map(toSummary), total, limit, offset };
}

// A page past the end has no rows to carry the window count: count separately.
async function countOnly(db: DbOrTx, q: ProcedureSearchQuery, options: SearchOptions): Promise<number> {
  const all = await searchProcedures(db, { ...q, offset: 0, limit: 1 }, options);
  return all.total;
}

export async function listSectors(db: DbOrTx): Promise<{ id: number; name: string; procedures: number }[]> {
  const rows = await db
    .selectFrom('sectors as s')
    .innerJoin('procedure_versions as v', (j) => j.onRef('v.sector_id', '=', 's.id').on('v.valid_to', 'is', null))
    .select(['s.id', 's.name', sql<number>`count(*)`.as('procedures')])
    .groupBy(['s.id', 's.name'])
    .orderBy('s.name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, procedures: Number(r.procedures) }));
}
