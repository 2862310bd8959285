import { sql } from 'kysely';
import { type Actor, recordAudit } from '../audit/audit-log.ts';
import type { Db, DbOrTx } from '../db/database.ts';
import { AppError, type FieldError, fieldError } from '../errors.ts';
import { isIsoDateText } from '../time.ts';
import { type SeriesVersion, seriesColumns, seriesVersionOf } from './allocate-number.ts';
import type { NewSeriesVersion, SkipsQuery, SkipView } from './schema.ts';
import { renderNumber, templateProblems } from './template.ts';
import { upstreamSourceFor } from './upstream-sources.ts';

/** Sample parts for showing what a template gives. */
const SAMPLE_PARTS = { agency: '000.00.20.H32', unit: 'UBND', type: 'QĐ' } as const;

export type SeriesState = 'in_force' | 'past' | 'future';

export interface SeriesListItem extends SeriesVersion {
  readonly state: SeriesState;
  readonly example: string;
}

const stateOn = (v: SeriesVersion, today: string): SeriesState => (v.validFrom > today ? 'future' : v.validTo !== null && v.validTo <= today ? 'past' : 'in_force');

const exampleOf = (template: string, today: string): string => {
  try {
    return renderNumber(template, { date: today, seq: 1, parts: SAMPLE_PARTS });
  } catch {
    return template;
  }
};

/** Every version of every series, by key and newest first, each marked in force, past or future on `today`. */
export async function listSeries(db: DbOrTx, today: string): Promise<SeriesListItem[]> {
  const rows = await db.selectFrom('numbering_series').select(seriesColumns).orderBy('key').orderBy('valid_from', 'desc').execute();
  return rows.map((r) => {
    const v = seriesVersionOf(r);
    return { ...v, state: stateOn(v, today), example: exampleOf(v.template, today) };
  });
}

async function latestVersion(db: DbOrTx, key: string): Promise<SeriesVersion | null> {
  const row = await db.selectFrom('numbering_series').select(seriesColumns).where('key', '=', key).orderBy('valid_from', 'desc').limit(1).executeTakeFirst();
  return row ? seriesVersionOf(row) : null;
}

/**
 * The problems of a new version against the series it continues, on whatever fields are present and well-formed:
 * the page reports them together with the schema's, so that every problem shows at once.
 */
export async function seriesVersionProblems(db: DbOrTx, input: Partial<NewSeriesVersion>, today: string): Promise<FieldError[]> {
  const latest = input.key ? await latestVersion(db, input.key) : null;
  return versionProblems(latest, input, today);
}

function versionProblems(latest: SeriesVersion | null, input: Partial<NewSeriesVersion>, today: string): FieldError[] {
  if (!latest) return input.key ? [fieldError('key', 'unknown_series', 'Không có dãy số này.', 'No such numbering series.')] : [];
  const errors: FieldError[] = [];
  const reset = input.resetPeriod ?? latest.resetPeriod;
  if (typeof input.template === 'string') for (const p of templateProblems(input.template.trim(), { parts: latest.parts, reset })) errors.push(fieldError('template', p.code, p.messageVi, p.messageEn));
  if (input.allocation === 'upstream' && !upstreamSourceFor(latest.key)) {
    errors.push(fieldError('allocation', 'no_upstream_source', 'Chưa có kết nối tới hệ thống cấp số bên ngoài cho dãy số này, nên chưa thể lấy số từ hệ thống cấp trên.', 'No upstream source is connected for this series.'));
  }
  if (input.validFrom === undefined || !isIsoDateText(input.validFrom)) return errors;
  if (input.validFrom < today) {
    errors.push(fieldError('validFrom', 'in_past', 'Ngày hiệu lực không được trước hôm nay: các số đã cấp giữ mẫu của phiên bản cũ.', 'A new version cannot start in the past.'));
  } else if (input.validFrom <= latest.validFrom) {
    const [y, m, d] = latest.validFrom.split('-');
    errors.push(fieldError('validFrom', 'not_after_latest', `Ngày hiệu lực phải sau ngày bắt đầu của phiên bản mới nhất (${d}/${m}/${y}).`, 'A new version must start after the latest one.'));
  }
  return errors;
}

/**
 * Adds a version of a series from `validFrom` on: the latest version ends that day (valid_to is exclusive), so
 * exactly one version is in force on any date. The caller states the latest version's row_version it saw; another
 * administrator's change in between is a conflict.
 */
export async function addSeriesVersion(db: Db, actor: Actor, input: NewSeriesVersion, expectedRowVersion: number, today: string): Promise<SeriesVersion> {
  const latest = await latestVersion(db, input.key);
  const problems = versionProblems(latest, input, today);
  if (problems.length > 0) throw AppError.validation(problems);
  if (!latest) throw new AppError('internal');
  return db.transaction().execute(async (tx) => {
    const closed = await tx
      .updateTable('numbering_series')
      .set((eb) => ({ valid_to: latest.validTo === null || latest.validTo > input.validFrom ? input.validFrom : latest.validTo, row_version: eb('row_version', '+', 1) }))
      .where('id', '=', latest.id)
      .where('row_version', '=', expectedRowVersion)
      .returning('id')
      .executeTakeFirst();
    if (!closed) throw new AppError('conflict');
    const row = await tx
      .insertInto('numbering_series')
      .values({
        key: latest.key,
        record_type: latest.recordType,
        scope_kind: latest.scopeKind,
        parts: [...latest.parts],
        reset_period: input.resetPeriod,
        template: input.template.trim(),
        allocation: input.allocation,
        description: input.description?.trim() || latest.description,
        legal_basis: input.legalBasis.trim(),
        valid_from: input.validFrom,
        valid_to: null,
        // Counts on from the version it follows, so an If-Match naming the old latest version cannot match the new one.
        row_version: latest.rowVersion + 1,
      })
      .returning(seriesColumns)
      .executeTakeFirstOrThrow();
    const created = seriesVersionOf(row);
    await recordAudit(tx, actor, { action: 'numbering.series_version_added', entityType: 'numbering_series', entityId: String(created.id), before: latest, after: created });
    return created;
  });
}

/** Numbers taken and not issued, newest first, with the org unit a scope key names when it names one. */
export async function listSkips(db: DbOrTx, query: SkipsQuery): Promise<{ items: SkipView[]; total: number }> {
  let base = db.selectFrom('numbering_skips as s');
  if (query.seriesKey) base = base.where('s.series_key', '=', query.seriesKey);
  const [rows, count] = await Promise.all([
    base
      .leftJoin('org_units as ou', (j) => j.on((eb) => eb(sql<string>`ou.id::text`, '=', eb.ref('s.scope_key'))))
      .select(['s.series_key', 's.scope_key', 's.period_key', 's.value', 's.number', 's.reason', 's.note', 's.actor_label', 's.recorded_at', 'ou.name as scope_name'])
      .orderBy('s.recorded_at', 'desc')
      .orderBy('s.value', 'desc')
      .limit(query.limit ?? 50)
      .offset(query.offset ?? 0)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((r) => ({
      seriesKey: r.series_key,
      scopeKey: r.scope_key,
      scopeName: r.scope_name,
      periodKey: r.period_key,
      value: r.value,
      number: r.number,
      reason: r.reason,
      note: r.note,
      actorLabel: r.actor_label,
      recordedAt: r.recorded_at.toISOString(),
    })),
  };
}
