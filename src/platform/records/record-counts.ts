import { executeDeferred } from '../db/commit-batching.ts';
import { sql } from 'kysely';
import type { UnitScope } from '../auth/unit-scope.ts';
import type { Db, DbOrTx, Tx } from '../db/database.ts';

/**
 * One thing a record counts for: `metric` on local day `day` (YYYY-MM-DD), for the unit it belongs to and the unit it
 * came through. A record type states its facts as a function of its row (and of what hangs on it, such as a rating);
 * the kernel keeps their sums per day and per month, so that figures over any period read a handful of rows.
 */
export interface CountFact {
  readonly metric: string;
  readonly day: string;
  readonly unitId: string;
  readonly viaUnitId: string;
}

/** How a record type counts: its name in record_counts and the facts of one row as it is. */
export interface RecordCounter<R> {
  readonly recordType: string;
  facts(row: R): readonly CountFact[];
}

const keyOf = (f: CountFact) => `${f.metric}|${f.day}|${f.unitId}|${f.viaUnitId}`;

/** The facts with their multiplicity: `sign` times each occurrence. */
function tally(into: Map<string, { fact: CountFact; n: number }>, facts: readonly CountFact[], sign: number): void {
  for (const f of facts) {
    const k = keyOf(f);
    const seen = into.get(k);
    if (seen) seen.n += sign;
    else into.set(k, { fact: f, n: sign });
  }
}

const monthOf = (day: string) => `${day.slice(0, 7)}-01`;
const yearOf = (day: string) => `${day.slice(0, 4)}-01-01`;
const plusDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** The Monday the day's week starts on (weeks run Monday to Sunday). */
const weekOf = (day: string) => plusDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));

/** The first day counts can fall on: cumulative sums start here, and the all-time rows are filed under it. */
export const COUNTS_EPOCH = '1900-01-01';
// Past any day a fact can fall on (a due date is at most months ahead): the end of "everything after a day".
const COUNTS_END = '9999-01-01';

/**
 * The grains each fact is counted at: the day, its week, its month, its year, and all time (one row per unit and
 * metric), so that a sum over any period reads at each end a few days and the weeks to the month's edge, then the
 * months to the year's edge and the years between, and a balance (everything up to a day) reads the all-time row
 * less what came after the day.
 */
type Grain = 'd' | 'w' | 'm' | 'y' | 'a';
const GRAINS: readonly (readonly [Grain, (day: string) => string])[] = [
  ['d', (day) => day],
  ['w', weekOf],
  ['m', monthOf],
  ['y', yearOf],
  ['a', () => COUNTS_EPOCH],
];

/** The rows a fact on `day` is counted in: its grain and period at every grain. */
export const countPeriodsOf = (day: string): { grain: Grain; period: string }[] => GRAINS.map(([grain, periodOf]) => ({ grain, period: periodOf(day) }));

type CountRowValues = { grain: Grain; period: string; unit_id: string; via_unit_id: string; metric: string; n: number };

/**
 * Adds each fact's count (one per occurrence, times `sign`) at every grain in one statement. Rows are written in key
 * order, so that two transactions touching the same counters lock them in the same order and cannot deadlock.
 */
/** `deferred`: a record's own change, whose few rows go with the COMMIT (executeDeferred); rebuilds send theirs at once. */
async function addTallies(tx: DbOrTx, recordType: string, tallies: Iterable<{ fact: CountFact; n: number }>, deferred = false): Promise<void> {
  const rows = new Map<string, CountRowValues>();
  for (const { fact, n } of tallies) {
    if (n === 0) continue;
    for (const { grain, period } of countPeriodsOf(fact.day)) {
      const k = `${grain}|${period}|${fact.unitId}|${fact.viaUnitId}|${fact.metric}`;
      const row = rows.get(k);
      if (row) row.n += n;
      else rows.set(k, { grain, period, unit_id: fact.unitId, via_unit_id: fact.viaUnitId, metric: fact.metric, n });
    }
  }
  const values = [...rows.entries()]
    .filter(([, r]) => r.n !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => ({ record_type: recordType, ...r }));
  for (let i = 0; i < values.length; i += 2000) {
    const upsert = tx
      .insertInto('record_counts')
      .values(values.slice(i, i + 2000))
      .onConflict((oc) => oc.columns(['record_type', 'grain', 'period', 'unit_id', 'via_unit_id', 'metric']).doUpdateSet({ n: sql`record_counts.n + excluded.n` }));
    await (deferred ? executeDeferred(tx, upsert) : upsert.execute());
  }
}

/** Counts facts that now hold (sign 1), or that no longer hold (sign -1), inside the caller's transaction. */
export async function addCounts(tx: Tx, recordType: string, facts: readonly CountFact[], sign: 1 | -1 = 1): Promise<void> {
  if (facts.length === 0) return;
  const t = new Map<string, { fact: CountFact; n: number }>();
  tally(t, facts, sign);
  await addTallies(tx, recordType, t.values(), true);
}

/** Moves the counts from what a record's facts were to what they are: nothing is written when they did not change. */
export async function changeCounts(tx: Tx, recordType: string, before: readonly CountFact[], after: readonly CountFact[]): Promise<void> {
  const t = new Map<string, { fact: CountFact; n: number }>();
  tally(t, before, -1);
  tally(t, after, 1);
  const moved = [...t.values()].filter((x) => x.n !== 0);
  if (moved.length > 0) await addTallies(tx, recordType, moved, true);
}

/** A batch of a rebuild: facts of `records` records; no later batch has a fact on a day before `settledBefore`. */
export interface FactBatch {
  readonly records: number;
  readonly facts: readonly CountFact[];
  readonly settledBefore?: string;
}

/**
 * Recomputes a record type's counts from its facts: `batches` yields the facts of every record, read by a key that
 * makes each batch say which days are settled (for dossiers, by submission: nothing a dossier counts for falls before
 * its submission day). Counters are summed in memory and the days and months of a settled month are written once,
 * when it is settled (its year and all-time rows are added to as each month is), so memory holds the months still
 * open. One transaction: readers see the old counts until the new ones are complete.
 */
export async function rebuildCounts(db: Db, recordType: string, batches: (tx: Tx) => AsyncIterable<FactBatch>, now: Date): Promise<{ records: number }> {
  return db.transaction().execute(async (tx) => {
    // Changes made meanwhile wait for the rebuild and then add their own counts to it; a second rebuild waits too.
    await sql`LOCK TABLE record_counts IN SHARE ROW EXCLUSIVE MODE`.execute(tx);
    await tx.deleteFrom('record_counts').where('record_type', '=', recordType).execute();
    const t = new Map<string, { fact: CountFact; n: number }>();
    let records = 0;
    for await (const batch of batches(tx)) {
      tally(t, batch.facts, 1);
      records += batch.records;
      const open = batch.settledBefore ? monthOf(batch.settledBefore) : null;
      if (open === null) continue;
      const settled = [...t.entries()].filter(([, v]) => v.fact.day < open);
      if (settled.length < 5000) continue;
      await addTallies(tx, recordType, settled.map(([, v]) => v));
      for (const [k] of settled) t.delete(k);
    }
    await addTallies(tx, recordType, t.values());
    await tx
      .insertInto('record_count_builds')
      .values({ record_type: recordType, built_at: now, records })
      .onConflict((oc) => oc.column('record_type').doUpdateSet({ built_at: now, records }))
      .execute();
    return { records };
  });
}

/** Whether a record type's counts were ever built (a database from before counting needs one rebuild). */
export async function countsBuilt(db: DbOrTx, recordType: string): Promise<boolean> {
  return (await db.selectFrom('record_count_builds').select('record_type').where('record_type', '=', recordType).executeTakeFirst()) !== undefined;
}

const shift = (day: string, months: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
};

export interface CountRow {
  readonly unitId: string;
  readonly viaUnitId: string;
  readonly metric: string;
  readonly n: number;
}

/** A range of one grain's rows, added or taken away. */
interface Slice {
  readonly grain: Grain;
  readonly from: string;
  readonly to: string;
  readonly sign: 1 | -1;
}

/**
 * The local days [from, to) as ranges of rows: days up to the first month start (by weeks where whole weeks fit),
 * months up to the first year start, whole years, then months, weeks and days again at the far end. Each range is one
 * index scan.
 */
export function slicesOf(from: string, to: string, sign: 1 | -1 = 1): Slice[] {
  const out: Slice[] = [];
  const add = (grain: Grain, a: string, b: string) => {
    if (a < b) out.push({ grain, from: a, to: b, sign });
  };
  const days = (a: string, b: string) => {
    const firstWeek = weekOf(a) === a ? a : plusDays(weekOf(a), 7);
    const lastWeek = weekOf(b);
    if (firstWeek >= lastWeek) return add('d', a, b);
    add('d', a, firstWeek);
    add('w', firstWeek, lastWeek);
    add('d', lastWeek, b);
  };
  const firstMonth = from.endsWith('-01') ? from : shift(monthOf(from), 1);
  if (firstMonth >= to) {
    days(from, to);
    return out;
  }
  const lastMonth = monthOf(to);
  days(from, firstMonth);
  const firstYear = firstMonth.endsWith('-01-01') ? firstMonth : shift(yearOf(firstMonth), 12);
  const lastYear = yearOf(lastMonth);
  if (firstYear >= lastMonth || firstYear >= lastYear) add('m', firstMonth, lastMonth);
  else {
    add('m', firstMonth, firstYear);
    add('y', firstYear, lastYear);
    add('m', lastYear, lastMonth);
  }
  days(lastMonth, to);
  return out;
}

async function sumSlices(db: DbOrTx, recordType: string, slices: readonly Slice[], scope: UnitScope, metrics?: readonly string[]): Promise<CountRow[]> {
  if (slices.length === 0 || ('unitIds' in scope && scope.unitIds.length === 0)) return [];
  // One index range per slice, put together with UNION ALL: an OR of ranges makes the planner scan the whole table.
  const slice = (g: Slice) => {
    let q = db
      .selectFrom('record_counts')
      .select(['unit_id', 'via_unit_id', 'metric', g.sign === 1 ? 'n' : sql<string>`-n`.as('n')])
      .where('record_type', '=', recordType)
      .where('grain', '=', g.grain)
      .where('period', '>=', g.from)
      .where('period', '<', g.to);
    if (metrics) q = q.where('metric', 'in', [...metrics]);
    if ('unitIds' in scope) q = q.where((eb) => eb.or([eb('unit_id', 'in', [...scope.unitIds]), eb('via_unit_id', 'in', [...scope.unitIds])]));
    return q;
  };
  const [first, ...others] = slices.map(slice);
  if (!first) return [];
  const all = others.reduce((u, q) => u.unionAll(q), first);
  const rows = await db
    .selectFrom(all.as('s'))
    .select(['s.unit_id', 's.via_unit_id', 's.metric', (eb) => eb.fn.sum<string>('s.n').as('n')])
    .groupBy(['s.unit_id', 's.via_unit_id', 's.metric'])
    .execute();
  return rows.map((r) => ({ unitId: r.unit_id, viaUnitId: r.via_unit_id, metric: r.metric, n: Number(r.n) }));
}

/** The sums of each metric over the local days [from, to) per unit and via-unit (see slicesOf). */
export function readCounts(db: DbOrTx, recordType: string, period: { readonly from: string; readonly to: string }, scope: UnitScope, metrics?: readonly string[]): Promise<CountRow[]> {
  return sumSlices(db, recordType, slicesOf(period.from, period.to), scope, metrics);
}

/**
 * The sums of each metric over every day before `end` (a balance: what opened less what closed): the all-time row less
 * what falls on `end` or after, which for a recent day is a handful of rows, whatever the years kept.
 */
export function readBalances(db: DbOrTx, recordType: string, end: string, scope: UnitScope, metrics?: readonly string[]): Promise<CountRow[]> {
  return sumSlices(db, recordType, [{ grain: 'a', from: COUNTS_EPOCH, to: shift(COUNTS_EPOCH, 1), sign: 1 }, ...slicesOf(end, COUNTS_END, -1)], scope, metrics);
}
