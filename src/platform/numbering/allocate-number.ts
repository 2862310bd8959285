import { inForceOn } from '../db/effective-dates.ts';
import { sql } from 'kysely';
import { type Actor, recordAudit, systemActor } from '../audit/audit-log.ts';
import type { DbOrTx, Tx } from '../db/database.ts';
import { tenantOf } from '../db/tenant-scope.ts';
import type { NumberingResetPeriod } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { type PartToken, renderNumber } from './template.ts';
import { type UpstreamNumberSource, upstreamSourceFor } from './upstream-sources.ts';

export interface SeriesVersion {
  readonly id: number;
  readonly key: string;
  readonly recordType: string;
  readonly scopeKind: 'province' | 'agency' | 'agency_document_type';
  readonly parts: string[];
  readonly resetPeriod: NumberingResetPeriod;
  readonly template: string;
  readonly allocation: 'local' | 'upstream';
  readonly description: string;
  readonly legalBasis: string | null;
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly rowVersion: number;
}

const SERIES_COLUMNS = ['id', 'key', 'record_type', 'scope_kind', 'parts', 'reset_period', 'template', 'allocation', 'description', 'legal_basis', 'valid_from', 'valid_to', 'row_version'] as const;

type SeriesRow = { id: number; key: string; record_type: string; scope_kind: SeriesVersion['scopeKind']; parts: string[]; reset_period: NumberingResetPeriod; template: string; allocation: SeriesVersion['allocation']; description: string; legal_basis: string | null; valid_from: string; valid_to: string | null; row_version: number };

export const seriesVersionOf = (r: SeriesRow): SeriesVersion => ({
  id: r.id,
  key: r.key,
  recordType: r.record_type,
  scopeKind: r.scope_kind,
  parts: r.parts,
  resetPeriod: r.reset_period,
  template: r.template,
  allocation: r.allocation,
  description: r.description,
  legalBasis: r.legal_basis,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  rowVersion: r.row_version,
});

export const seriesColumns = SERIES_COLUMNS;

/** The version of a series in force on a date (series are effective-dated rules); null when none is. */
export async function seriesInForce(db: DbOrTx, key: string, date: string): Promise<SeriesVersion | null> {
  const row = await db
    .selectFrom('numbering_series')
    .select(SERIES_COLUMNS)
    .where('key', '=', key)
    .where(inForceOn(date))
    .orderBy('valid_from', 'desc')
    .executeTakeFirst();
  return row ? seriesVersionOf(row) : null;
}

/** The counter period a date falls in: the day, the year, or one period for a series that never resets. */
export function periodKeyOf(reset: NumberingResetPeriod, date: string): string {
  if (reset === 'daily') return date;
  if (reset === 'yearly') return date.slice(0, 4);
  return 'all';
}

export type { UpstreamNumberSource };

export interface AllocationRequest {
  /** What the series counts separately, e.g. the receiving org unit's id for dossier codes. */
  readonly scopeKey: string;
  /** The allocation date in Asia/Ho_Chi_Minh, YYYY-MM-DD: picks the series version and the period. */
  readonly date: string;
  readonly parts?: Readonly<Partial<Record<PartToken, string>>>;
  /** For a series allocated upstream; without it, the source registered for the series (registerUpstreamSource). */
  readonly upstream?: UpstreamNumberSource;
  /** Who is recorded on values an upstream system skipped. */
  readonly actor?: Actor;
}

export interface AllocatedNumber {
  readonly number: string;
  readonly value: number;
  readonly seriesKey: string;
  readonly seriesVersionId: number;
  readonly scopeKey: string;
  readonly periodKey: string;
}

/** At most this many values may be skipped by an upstream system at once; more looks like a fault, not a gap. */
export const MAX_UPSTREAM_JUMP = 1000;

/**
 * Takes the next number of a series inside the caller's transaction. Locally, one statement bumps the counter row:
 * concurrent allocations queue on the row and a transaction that rolls back gives its number back, so the sequence
 * has no gaps. Upstream, the value comes from the other system and the counter follows it.
 */
export async function allocateNumber(tx: Tx, seriesKey: string, request: AllocationRequest): Promise<AllocatedNumber> {
  const series = await seriesInForce(tx, seriesKey, request.date);
  if (!series) {
    throw new AppError('setting_missing', {
      messageVi: `Chưa có dãy số "${seriesKey}" hiệu lực ngày ${request.date} — quản trị viên cần khai báo tại Quản trị › Dãy số.`,
      detail: `no numbering series ${seriesKey} in force on ${request.date}`,
    });
  }
  const periodKey = periodKeyOf(series.resetPeriod, request.date);
  const at = { seriesKey, scopeKey: request.scopeKey, periodKey };
  const render = (value: number) => renderNumber(series.template, { date: request.date, seq: value, parts: request.parts ?? {} });
  if (series.allocation === 'upstream') {
    const { value, number } = await takeUpstream(tx, at, request, render);
    return { number: number ?? render(value), value, seriesKey, seriesVersionId: series.id, scopeKey: request.scopeKey, periodKey };
  }
  const result = await sql<{ last_value: number }>`
    INSERT INTO numbering_counters (series_key, scope_key, period_key, last_value, tenant_id)
    VALUES (${seriesKey}, ${request.scopeKey}, ${periodKey}, 1, ${tenantOf(tx)})
    ON CONFLICT (series_key, scope_key, period_key, tenant_id) DO UPDATE SET last_value = numbering_counters.last_value + 1
    RETURNING last_value`.execute(tx);
  const value = result.rows[0]?.last_value ?? 1;
  return { number: render(value), value, seriesKey, seriesVersionId: series.id, scopeKey: request.scopeKey, periodKey };
}

interface CounterKey {
  readonly seriesKey: string;
  readonly scopeKey: string;
  readonly periodKey: string;
}

const upstreamFault = (detail: string) => new AppError('upstream_unavailable', { messageVi: 'Hệ thống cấp số bên ngoài trả về số không hợp lệ. Vui lòng thử lại sau.', detail });

/**
 * Asks the upstream source, then moves the counter to its value under the row lock. Values it jumped over are
 * recorded as skipped ('upstream'); a value below the counter is one a concurrent allocation jumped over first, so
 * its skip record goes — it is issued after all. A value already issued is the upstream's fault.
 */
async function takeUpstream(tx: Tx, at: CounterKey, request: AllocationRequest, render: (value: number) => string): Promise<{ value: number; number: string | undefined }> {
  const source = request.upstream ?? upstreamSourceFor(at.seriesKey);
  if (!source) {
    throw new AppError('upstream_unavailable', { messageVi: `Dãy số "${at.seriesKey}" được cấp từ hệ thống bên ngoài nhưng chưa có kết nối tới hệ thống đó.`, detail: `no upstream source for ${at.seriesKey}` });
  }
  const got = await source.nextValue({ ...at, date: request.date });
  if (!Number.isSafeInteger(got.value) || got.value < 1) throw upstreamFault(`upstream value ${got.value} is not a positive integer`);
  await tx.insertInto('numbering_counters').values({ series_key: at.seriesKey, scope_key: at.scopeKey, period_key: at.periodKey, last_value: 0 }).onConflict((oc) => oc.doNothing()).execute();
  const counter = await selectCounter(tx, at).forUpdate().executeTakeFirstOrThrow();
  if (got.value <= counter.last_value) {
    const reclaimed = await tx
      .deleteFrom('numbering_skips')
      .where('series_key', '=', at.seriesKey)
      .where('scope_key', '=', at.scopeKey)
      .where('period_key', '=', at.periodKey)
      .where('value', '=', got.value)
      .where('reason', '=', 'upstream')
      .returning('id')
      .executeTakeFirst();
    if (!reclaimed) throw upstreamFault(`upstream value ${got.value} was already issued in ${at.seriesKey}/${at.scopeKey}/${at.periodKey}`);
    return { value: got.value, number: got.number };
  }
  const skipped = Array.from({ length: got.value - counter.last_value - 1 }, (_, i) => counter.last_value + 1 + i);
  if (skipped.length > MAX_UPSTREAM_JUMP) throw upstreamFault(`upstream jumped ${skipped.length} values in ${at.seriesKey}`);
  await tx.updateTable('numbering_counters').set({ last_value: got.value }).where('series_key', '=', at.seriesKey).where('scope_key', '=', at.scopeKey).where('period_key', '=', at.periodKey).execute();
  if (skipped.length > 0) {
    const actor = request.actor ?? systemActor('numbering');
    const rows = skipped.map((value) => ({ series_key: at.seriesKey, scope_key: at.scopeKey, period_key: at.periodKey, value, number: render(value), reason: 'upstream', note: null, actor_id: actor.id, actor_label: actor.label }));
    await tx.insertInto('numbering_skips').values(rows).execute();
    await recordAudit(tx, actor, { action: 'numbering.upstream_skipped', entityType: 'numbering_series', entityId: at.seriesKey, after: { ...at, values: skipped } });
  }
  return { value: got.value, number: got.number };
}

const selectCounter = (tx: Tx, at: CounterKey) =>
  tx.selectFrom('numbering_counters').select('last_value').where('series_key', '=', at.seriesKey).where('scope_key', '=', at.scopeKey).where('period_key', '=', at.periodKey);

/** Why a number taken will not be issued, as the officer states it. */
export interface VoidRequest {
  readonly seriesKey: string;
  readonly scopeKey: string;
  readonly periodKey: string;
  readonly value: number;
  readonly number?: string | null;
  readonly reason: string;
  readonly note?: string | null;
  readonly orgUnitId?: string | null;
}

/**
 * Records that a number taken will never be issued (a document withdrawn before it went out, say): the gap is then
 * accounted for. Only values the counter has reached can be voided, each once.
 */
export async function voidNumber(tx: Tx, actor: Actor, request: VoidRequest): Promise<void> {
  const counter = await selectCounter(tx, request).forUpdate().executeTakeFirst();
  if (!counter || request.value < 1 || request.value > counter.last_value) {
    throw AppError.validation([{ field: 'value', code: 'not_taken', messageVi: 'Số này chưa được cấp nên không thể hủy.', messageEn: 'That value has not been allocated.' }]);
  }
  const row = await tx
    .insertInto('numbering_skips')
    .values({ series_key: request.seriesKey, scope_key: request.scopeKey, period_key: request.periodKey, value: request.value, number: request.number ?? null, reason: request.reason, note: request.note ?? null, actor_id: actor.id, actor_label: actor.label })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) throw AppError.validation([{ field: 'value', code: 'already_void', messageVi: 'Số này đã được ghi nhận hủy.', messageEn: 'That value is already void.' }]);
  await recordAudit(tx, actor, { action: 'numbering.number_voided', entityType: 'numbering_skip', entityId: row.id, orgUnitId: request.orgUnitId ?? null, after: request });
}
