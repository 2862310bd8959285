import { type SqlBool, sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.ts';
import { addCounts, type CountFact, type FactBatch, countsBuilt, type RecordCounter, rebuildCounts } from '../../platform/records/record-counts.ts';
import { localDateOf } from '../../platform/time.ts';
import type { DossierRow } from './access.ts';
import { DossierStatus } from './status.ts';

export const DOSSIER_COUNTS = 'dossier';

// Refused, withdrawn and stopped dossiers are never pending (as the figures have always read them).
const NEVER_PENDING: readonly number[] = [DossierStatus.refused, DossierStatus.withdrawn, DossierStatus.stopped];

type CountedColumns = Pick<DossierRow, 'deciding_org_unit_id' | 'receiving_org_unit_id' | 'channel' | 'status' | 'submitted_at' | 'received_at' | 'decided_at' | 'due_at' | 'timeliness' | 'applicant_auth' | 'form_data'>;
type Units = Pick<DossierRow, 'deciding_org_unit_id' | 'receiving_org_unit_id'>;

const CONTACT_KEYS = ['address', 'phone', 'email'] as const;

/**
 * What a dossier counts for, per deciding unit and receiving unit, on the local day it happened: received (by
 * channel), decided (by timeliness), how its applicant authenticated when submitting, and the pairs from which the
 * pending and overdue figures at the end of any day are sums — `opened`/`closed` (pending = opened − closed before
 * the day) and `due`/`due_closed` (overdue = due − due_closed, `due_closed` falling on the later of decision and due
 * date), and the contact fields of the common part answered and filled in automatically (`fields_answered`,
 * `fields_autofilled`, on the submission day; the e-form's own answers count in `answerFacts`). These are the
 * facts statistics.ts reads; they are a function of the row alone.
 */
export function dossierFacts(d: CountedColumns): CountFact[] {
  const unitId = d.deciding_org_unit_id;
  if (!unitId) return [];
  const at = (metric: string, instant: Date): CountFact => ({ metric, day: localDateOf(instant), unitId, viaUnitId: d.receiving_org_unit_id });
  const facts: CountFact[] = [];
  if (d.received_at) facts.push(at('received', d.received_at), at(`received_c${d.channel}`, d.received_at));
  if (d.decided_at) {
    facts.push(at('decided', d.decided_at));
    if (d.timeliness) facts.push(at(`decided_${d.timeliness}`, d.decided_at));
  }
  if (d.applicant_auth) facts.push(at('auth_recorded', d.submitted_at), at(`auth_${d.applicant_auth}`, d.submitted_at));
  const form = (d.form_data ?? {}) as { origins?: Record<string, unknown> } & Partial<Record<(typeof CONTACT_KEYS)[number], unknown>>;
  for (const k of CONTACT_KEYS) if (form[k] !== undefined) facts.push(at('fields_answered', d.submitted_at));
  for (const _ of Object.keys(form.origins ?? {})) facts.push(at('fields_autofilled', d.submitted_at));
  if (d.received_at && !NEVER_PENDING.includes(d.status)) {
    facts.push(at('opened', d.received_at));
    if (d.decided_at) facts.push(at('closed', d.decided_at));
    if (d.due_at) {
      facts.push(at('due', d.due_at));
      if (d.decided_at) facts.push(at('due_closed', new Date(Math.max(d.decided_at.getTime(), d.due_at.getTime()))));
    }
  }
  return facts;
}

/** The e-form's answers of a dossier (their origins): each is a field answered, and filled in automatically unless typed. */
export function answerFacts(d: Units & Pick<DossierRow, 'submitted_at'>, origins: readonly string[]): CountFact[] {
  if (!d.deciding_org_unit_id) return [];
  const fact = (metric: string): CountFact => ({ metric, day: localDateOf(d.submitted_at), unitId: d.deciding_org_unit_id ?? '', viaUnitId: d.receiving_org_unit_id });
  return origins.flatMap((o) => (o === 'typed' ? [fact('fields_answered')] : [fact('fields_answered'), fact('fields_autofilled')]));
}

/** A rating counts on the day it was given, for the dossier's units; "satisfied" are Rất hài lòng and Hài lòng. */
export function ratingFacts(d: Units, rating: number, ratedAt: Date): CountFact[] {
  if (!d.deciding_org_unit_id) return [];
  const fact = (metric: string): CountFact => ({ metric, day: localDateOf(ratedAt), unitId: d.deciding_org_unit_id ?? '', viaUnitId: d.receiving_org_unit_id });
  return rating === 1 || rating === 2 ? [fact('rated'), fact('satisfied')] : [fact('rated')];
}

export const dossierCounter: RecordCounter<DossierRow> = { recordType: DOSSIER_COUNTS, facts: dossierFacts };

/** Counts a rating inside the rating's transaction. */
export const countRating = (tx: Tx, d: Units, rating: number, ratedAt: Date) => addCounts(tx, DOSSIER_COUNTS, ratingFacts(d, rating, ratedAt));

const BATCH = 5000;

// The instant as the database keeps it (to the microsecond: a JavaScript Date would cut it to the millisecond).
type Cursor = { readonly at: string; readonly id: string };

/** A batch of dossiers with their rating, in submission order after `cursor`. */
const factRows = (tx: Tx, cursor: Cursor | null) =>
  tx
    .selectFrom('dossiers as d')
    .leftJoin('dossier_ratings as r', 'r.dossier_id', 'd.id')
    .select(['d.id', 'd.deciding_org_unit_id', 'd.receiving_org_unit_id', 'd.channel', 'd.status', 'd.submitted_at', 'd.received_at', 'd.decided_at', 'd.due_at', 'd.timeliness', 'd.applicant_auth', 'd.form_data', 'r.rating', 'r.rated_at'])
    .select(sql<string>`d.submitted_at::text`.as('cursor_at'))
    .$if(cursor !== null, (q) => q.where(sql<SqlBool>`(d.submitted_at, d.id) > (${cursor?.at ?? ''}::timestamptz, ${cursor?.id ?? ''}::uuid)`))
    .orderBy('d.submitted_at')
    .orderBy('d.id')
    .limit(BATCH)
    .execute();

/**
 * Every dossier's facts and its rating's, read in submission order a batch at a time: nothing a dossier counts for
 * falls before its submission day, so each batch settles the days before its last submission.
 */
async function* allFacts(tx: Tx): AsyncIterable<FactBatch> {
  let cursor: Cursor | null = null;
  for (;;) {
    const rows = await factRows(tx, cursor);
    const last = rows[rows.length - 1];
    if (!last) return;
    const answers = await tx.selectFrom('dossier_answers').select(['dossier_id', 'origin']).where('dossier_id', 'in', rows.map((r) => r.id)).execute();
    const originsOf = new Map<string, string[]>();
    for (const a of answers) originsOf.set(a.dossier_id, [...(originsOf.get(a.dossier_id) ?? []), a.origin]);
    cursor = { at: last.cursor_at, id: last.id };
    yield {
      records: rows.length,
      facts: rows.flatMap((r) => [...dossierFacts(r), ...answerFacts(r, originsOf.get(r.id) ?? []), ...(r.rating !== null && r.rated_at ? ratingFacts(r, r.rating, r.rated_at) : [])]),
      settledBefore: localDateOf(last.submitted_at),
    };
    if (rows.length < BATCH) return;
  }
}

/** Recomputes the dossier counts from the dossiers themselves (`cqs counts rebuild`, and after a bulk load). */
export const rebuildDossierCounts = (db: Db, now: Date) => rebuildCounts(db, DOSSIER_COUNTS, allFacts, now);

/**
 * Builds the counts where they have never been built (a database from before them, or restored without them). The
 * server does it as it starts, so no leader's first statistics page waits for it; the statistics check it too.
 */
export async function ensureDossierCounts(db: Db, now: Date): Promise<void> {
  if (!(await countsBuilt(db, DOSSIER_COUNTS))) await rebuildDossierCounts(db, now);
}

/** The open dossiers: what the pending and overdue figures of a period not yet over count (dossiers_open_idx). */
export const openDossiers = sql<SqlBool>`d.decided_at IS NULL AND d.received_at IS NOT NULL AND d.status NOT IN (3, 7, 8)`;
