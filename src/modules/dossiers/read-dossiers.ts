import { signatureViewOf } from './signature-view.ts';
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { DossiersTable } from '../../platform/db/schema.ts';
import { type CurrentUser, permissionScopes } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { decodeCursor, encodeCursor, type KeysetOrder, keyTexts, orderSql, pastCursor, rowKeys } from '../../platform/db/keyset.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import { foldVietnamese } from '../../platform/text/vietnamese.ts';
import { isEmptyScope, resolveUnitScope, type UnitScope } from '../../platform/auth/unit-scope.ts';
import { dossierVisibleTo, type LoadedDossier, mayTake, officialMay, readScopes } from './access.ts';
import { stepCandidates, workflowOf } from './workflow.ts';
import { feeTableOf, formFieldsOf, issuesElectronicResult, versionNames } from '../procedures/index.ts';
import type { UseCaseContext } from '../../platform/use-case.ts';
import { answerViews } from './answers.ts';
import type { ValueOrigin } from './prefill.ts';
import { alertHorizon } from './due-alerts.ts';
import { dossierRulesOf, dossierRulesOn } from './rules.ts';
import { localDateOf, localDayStart, addCalendarDays } from '../../platform/time.ts';
import { ratingLabelsVi } from './rate-dossier.ts';
import type { DossierView, QueueQuery } from './schema.ts';
import { actionLabelsVi, type DossierAction, DossierStatus, nextStatus, pastOf, statusLabelsVi, transitions } from './status.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A dossier's common form part as kept (`submit-dossier.ts`, `receive-dossier.ts`). */
interface FormData {
  readonly address?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly request?: string;
  readonly delivery?: { readonly method: string; readonly address?: string };
  readonly origins?: Readonly<Record<string, ValueOrigin>>;
}

function extensionOf(events: { action: string; occurred_at: Date; note: string | null; data: unknown }[]): DossierView['extension'] {
  const e = events.find((x) => x.action === 'extend');
  if (!e) return null;
  const data = e.data as { previousDueAt?: string; newDueAt?: string };
  return { at: e.occurred_at.toISOString(), reason: e.note ?? '', previousDueAt: data.previousDueAt ?? '', newDueAt: data.newDueAt ?? '' };
}

type EventRow = { action: string; occurred_at: Date; actor_label: string; note: string | null; data: unknown };

/**
 * Each supplement request and what came back: the papers given with the supplement — for a paper the procedure asks
 * for that had been given before (at submission or in an earlier supplement), a replacement — and the note.
 */
function supplementsOf(events: readonly EventRow[], papers: readonly { id: string; kind: string; file_id: string; requirement_seq: number | null }[]): DossierView['supplements'] {
  const given = new Set(papers.filter((p) => p.kind === 'submitted' && p.requirement_seq !== null).map((p) => p.requirement_seq));
  const rounds: DossierView['supplements'][number][] = [];
  for (const e of events) {
    if (e.action === 'request_supplement') rounds.push({ requestedAt: e.occurred_at.toISOString(), requestedBy: e.actor_label, request: e.note, provided: null });
    const round = rounds.at(-1);
    if (e.action !== 'provide_supplement' || !round || round.provided) continue;
    const listed = ((e.data as { papers?: { fileId: string; title: string; requirementSeq: number | null }[] }).papers ?? []).map((p) => {
      const change = p.requirementSeq !== null && given.has(p.requirementSeq) ? ('replaced' as const) : ('added' as const);
      return { paperId: papers.find((x) => x.kind === 'supplement' && x.file_id === p.fileId)?.id ?? null, title: p.title, requirementSeq: p.requirementSeq, change };
    });
    for (const p of listed) if (p.requirementSeq !== null) given.add(p.requirementSeq);
    rounds[rounds.length - 1] = { ...round, provided: { at: e.occurred_at.toISOString(), by: e.actor_label, note: e.note, papers: listed } };
  }
  return rounds;
}

/** What a hand-over event adds to the timeline: the step and the agency it went to. */
function eventDetail(data: unknown): string | null {
  const d = data as { toStep?: number; stepName?: string; stepUnit?: string; assignee?: string };
  if (d.assignee) return `Giao cho ${d.assignee}`;
  return d.toStep ? `Bước ${d.toStep}: ${d.stepName ?? ''} — ${d.stepUnit ?? ''}` : null;
}

/** The current step of processing, who holds it, and who the next step could go to. */
async function stepView(db: DbOrTx, loaded: LoadedDossier): Promise<DossierView['step']> {
  const d = loaded.dossier;
  if (!loaded.step || d.status !== DossierStatus.processing) return null;
  const { steps } = await workflowOf(db, d.procedure_version_id);
  const unit = await db.selectFrom('org_units').select('name').where('id', '=', d.step_org_unit_id ?? '').executeTakeFirst();
  const assignee = d.assignee_id ? await db.selectFrom('users').select('full_name').where('id', '=', d.assignee_id).executeTakeFirst() : undefined;
  const next = steps[steps.findIndex((s) => s.seq === d.step_seq) + 1];
  const nextUnitId = next ? (next.orgUnitId ?? d.deciding_org_unit_id) : null;
  const nextUnit = nextUnitId ? await db.selectFrom('org_units').select('path').where('id', '=', nextUnitId).executeTakeFirst() : undefined;
  return {
    seq: loaded.step.current.seq,
    name: loaded.step.current.name,
    count: steps.length,
    unit: unit?.name ?? '',
    dueAt: iso(d.step_due_at),
    assignee: assignee?.full_name ?? null,
    nextCandidates: next && nextUnit ? await stepCandidates(db, next.role, nextUnit.path) : [],
  };
}

export async function getDossierView(db: DbOrTx, user: CurrentUser, id: string): Promise<DossierView> {
  const loaded = await dossierVisibleTo(db, user, id);
  const d = loaded.dossier;
  // What hangs on the dossier, read at once: on a server each read has its own connection, so the page waits for the
  // slowest of them instead of their sum.
  const data = (d.form_data ?? {}) as FormData;
  const sources = Object.values(data.origins ?? {}).flatMap((o) => (o.sourceDossierId ? [o.sourceDossierId] : []));
  const [names, units, events, payments, rating, papers, step, answers, sourceCodes, ruleSet] = await Promise.all([
    versionNames(db, [d.procedure_version_id]),
    db
      .selectFrom('org_units')
      .select(['id', 'name'])
      .where('id', 'in', [d.receiving_org_unit_id, d.deciding_org_unit_id ?? d.receiving_org_unit_id])
      .execute(),
    db.selectFrom('dossier_events').selectAll().where('dossier_id', '=', d.id).orderBy('id').execute(),
    db
      .selectFrom('payments as p')
      .leftJoin('users as u', 'u.id', 'p.recorded_by')
      .select(['p.amount_vnd', 'p.status', 'p.amount_source', 'p.override_reason', 'p.created_at', 'p.method', 'p.paid_at', 'p.receipt_number', 'p.provider_ref', 'u.full_name as recorded_by'])
      .where('p.dossier_id', '=', d.id)
      .orderBy('p.created_at')
      .execute(),
    db.selectFrom('dossier_ratings').select(['rating', 'comment']).where('dossier_id', '=', d.id).executeTakeFirst(),
    db
      .selectFrom('dossier_papers as p')
      .innerJoin('stored_files as f', 'f.id', 'p.file_id')
      .select(['p.id', 'p.kind', 'p.title', 'p.reused_record_id', 'p.added_at', 'p.file_id', 'p.requirement_seq', 'f.file_name', 'f.media_type', 'f.size_bytes', 'f.signature_status', 'f.signature_trusted', 'f.signatures'])
      .where('p.dossier_id', '=', d.id)
      .orderBy('p.added_at')
      .orderBy('p.requirement_seq')
      .execute(),
    stepView(db, loaded),
    formFieldsOf(db, d.procedure_version_id).then((fields) => answerViews(db, d.id, fields)),
    sources.length > 0 ? db.selectFrom('dossiers').select(['id', 'code']).where('id', 'in', sources).execute() : Promise.resolve([]),
    dossierRulesOf(db, d.rule_set_id),
  ]);
  const procedure = names.get(d.procedure_version_id);
  if (!procedure) throw new AppError('internal');
  const unitName = (id: string | null) => units.find((u) => u.id === id)?.name ?? null;
  const fee = payments.find((p) => p.status === 'pending');
  const past = pastOf(d.status, events);
  const facts = { rules: ruleSet.rules, extensions: d.extensions, hasDueDate: d.due_at !== null };
  const available = (Object.keys(transitions) as DossierAction[]).filter((a) => nextStatus(d.status, a, past, facts).ok && mayTake(user, a, loaded));
  return {
    id: d.id,
    code: d.code,
    status: d.status,
    statusLabel: statusLabelsVi[d.status],
    channel: d.channel,
    procedureCode: procedure.nationalCode,
    procedureName: procedure.name,
    applicantName: d.applicant_name,
    receivingOrgUnit: unitName(d.receiving_org_unit_id) ?? '',
    decidingOrgUnit: unitName(d.deciding_org_unit_id),
    submittedAt: d.submitted_at.toISOString(),
    receivedAt: iso(d.received_at),
    dueAt: iso(d.due_at),
    decidedAt: iso(d.decided_at),
    timeliness: d.timeliness,
    form: {
      address: data.address ?? null,
      phone: data.phone ?? null,
      email: data.email ?? null,
      request: data.request ?? null,
      delivery: data.delivery ? { method: data.delivery.method, address: data.delivery.address ?? null } : null,
      contactOrigins: Object.fromEntries(
        Object.entries(data.origins ?? {}).map(([k, o]) => [k, { origin: o.origin, sourceDossierCode: sourceCodes.find((c) => c.id === o.sourceDossierId)?.code ?? null }]),
      ),
      answers,
    },
    issuesElectronicResult: await issuesElectronicResult(db, d.procedure_version_id),
    result: d.result_kind ? { kind: d.result_kind, number: d.result_number, issuedOn: d.result_issued_on } : null,
    resultDelivery: d.result_delivery ? { method: d.result_delivery, postalTracking: d.postal_tracking } : null,
    rowVersion: d.row_version,
    availableActions: available,
    rating: rating ? { value: rating.rating, label: ratingLabelsVi[rating.rating], comment: rating.comment } : null,
    feeDue: fee && d.status === DossierStatus.feeDue ? { amountVnd: Number(fee.amount_vnd) } : null,
    withdrawal: available.includes('withdraw') ? { feePaid: payments.some((p) => p.status === 'paid'), feeRule: ruleSet.rules.paidFeeOnWithdrawal ?? null, feeRuleBasis: ruleSet.basis.paidFeeOnWithdrawal ?? null } : null,
    feeTable: await feeTableOf(db, d.procedure_version_id).then((f) => ({ amountsVnd: [...f.amountsVnd], free: f.free, text: f.text })),
    payments: payments.map((p) => ({
      amountVnd: Number(p.amount_vnd),
      status: p.status,
      amountSource: p.amount_source,
      overrideReason: p.override_reason,
      askedAt: p.created_at.toISOString(),
      method: p.method,
      paidAt: iso(p.paid_at),
      receiptNumber: p.receipt_number,
      recordedBy: p.recorded_by,
      providerRef: p.provider_ref,
    })),
    canExtend: user.kind === 'official' && nextStatus(d.status, 'extend', past, facts).ok && officialMay(user, 'dossiers.process', loaded),
    extension: extensionOf(events),
    canRate: !rating && d.status === DossierStatus.returned && user.kind === 'citizen' && d.applicant_user_id === user.id,
    papers: papers.map((p) => ({ id: p.id, kind: p.kind, title: p.title, fileName: p.file_name, mediaType: p.media_type, sizeBytes: p.size_bytes, signature: signatureViewOf(p), reused: p.reused_record_id !== null, addedAt: p.added_at.toISOString() })),
    step,
    supplements: supplementsOf(events, papers),
    events: events.map((e) => ({ action: e.action, fromStatus: e.from_status, toStatus: e.to_status, actor: e.actor_label, at: e.occurred_at.toISOString(), note: e.note, detail: eventDetail(e.data) })),
  };
}

/** The period an officer's "all" view covers: as asked, else the year up to today (local dates). */
export function allViewPeriod(q: Pick<QueueQuery, 'from' | 'to'>, now: Date): { from: string; to: string } {
  const to = q.to ?? localDateOf(now);
  return { from: q.from ?? addCalendarDays(to, -365), to };
}

export const periodOrderError = fieldError('to', 'before_from', 'Ngày kết thúc phải sau ngày bắt đầu.', 'The end date must follow the start date.');

// The orders a queue pages through by key: "all" newest first; the others by due date, undated last.
const NEWEST_FIRST: KeysetOrder = {
  name: 'newest',
  keys: [
    { expr: sql`d.submitted_at`, dir: 'desc', type: 'timestamptz' },
    { expr: sql`d.id`, dir: 'desc', type: 'uuid' },
  ],
};
const DUE_FIRST: KeysetOrder = {
  name: 'due',
  keys: [
    { expr: sql`COALESCE(d.due_at, 'infinity'::timestamptz)`, dir: 'asc', type: 'timestamptz' },
    { expr: sql`d.submitted_at`, dir: 'desc', type: 'timestamptz' },
    { expr: sql`d.id`, dir: 'desc', type: 'uuid' },
  ],
};

/** Queues count their matches up to this many; past it they say "more than". */
export const QUEUE_COUNT_CAP = 1000;
const CODE_PART = /^[0-9A-Za-z.-]{3,60}$/;
const OPEN = [DossierStatus.submitted, DossierStatus.received, DossierStatus.processing];
const WAITING = [DossierStatus.supplementRequested, DossierStatus.feeDue];
// What waits for the one-stop counter: receiving, handing over to the deciding unit, returning the result.
const AT_COUNTER = [DossierStatus.submitted, DossierStatus.received, DossierStatus.decided];

type DossierFilter = (eb: ExpressionBuilder<{ d: DossiersTable }, 'd'>) => Expression<SqlBool>;

/**
 * What waits for an officer's own role, or null for one who only reads: dossiers to receive, hand over or return at
 * their counters, and processing steps held by their units.
 */
async function officerTodo(db: DbOrTx, user: CurrentUser): Promise<DossierFilter | null> {
  const [receive, process] = await Promise.all([resolveUnitScope(db, permissionScopes(user, 'dossiers.receive')), resolveUnitScope(db, permissionScopes(user, 'dossiers.process'))]);
  if (isEmptyScope(receive) && isEmptyScope(process)) return null;
  return (eb) => {
    const at = (column: 'd.receiving_org_unit_id' | 'd.step_org_unit_id' | 'd.deciding_org_unit_id', scope: UnitScope) => ('unitIds' in scope ? [eb(column, 'in', [...scope.unitIds])] : []);
    return eb.or([
      ...(isEmptyScope(receive) ? [] : [eb.and([...at('d.receiving_org_unit_id', receive), eb('d.status', 'in', AT_COUNTER)])]),
      ...(isEmptyScope(process)
        ? []
        : [
            eb.and([...at('d.step_org_unit_id', process), eb('d.step_org_unit_id', 'is not', null), eb('d.status', '=', DossierStatus.processing)]),
            // Dossiers processed without a workflow step wait at their deciding unit.
            eb.and([eb('d.step_org_unit_id', 'is', null), ...at('d.deciding_org_unit_id', process), eb('d.status', '=', DossierStatus.processing)]),
          ]),
    ]);
  };
}

/**
 * An officer's work queue within their subtree (dossiers they receive or decide), or a citizen's own dossiers.
 * "To do" is what waits for the officer's own role: the counter's dossiers to receive, hand over or return, and the
 * processing steps held by their units; an officer who only reads sees every open dossier; an applicant, what they
 * must supplement or pay.
 * "Due soon" is due within the working days the deadline alerts look ahead; "overdue" is past due and not yet decided.
 */
export async function listDossiers(db: DbOrTx, ctx: UseCaseContext, user: CurrentUser, q: QueueQuery) {
  const { calendar, now } = ctx;
  let query = db.selectFrom('dossiers as d');
  const view = q.view ?? (user.kind === 'citizen' ? 'all' : 'todo');
  if (user.kind === 'citizen') {
    // Submitted from this account, or recorded for the personal ID it has verified (see applicantHolds).
    const personalId = user.verifiedPersonalId;
    query = query.where((eb) => eb.or([eb('d.applicant_user_id', '=', user.id), ...(personalId ? [eb('d.applicant_personal_id', '=', personalId)] : [])]));
    // What waits for an applicant: papers to supplement and fees to pay.
    if (view === 'todo') query = query.where('d.status', 'in', WAITING);
  } else {
    // The subtree resolved once: the whole province filters on nothing, a ward on its few unit ids (indexed).
    const scope = await resolveUnitScope(db, readScopes(user));
    if (isEmptyScope(scope)) throw new AppError('forbidden');
    if ('unitIds' in scope) {
      const units = [...scope.unitIds];
      query = query.where((eb) => eb.or([eb('d.receiving_org_unit_id', 'in', units), eb('d.deciding_org_unit_id', 'in', units), eb('d.step_org_unit_id', 'in', units)]));
    }
    if (view === 'todo') {
      const todo = await officerTodo(db, user);
      query = todo ? query.where(todo) : query.where('d.status', 'in', OPEN);
    }
  }
  // An officer's "all" covers a period (a year back by default, newest first), never every dossier ever kept.
  const period = view === 'all' && user.kind !== 'citizen' ? allViewPeriod(q, now) : null;
  if (period && period.to < period.from) throw AppError.validation([periodOrderError]);
  if (period) query = query.where('d.submitted_at', '>=', localDayStart(period.from)).where('d.submitted_at', '<', localDayStart(period.to, 1));
  if (view === 'mine') query = query.where('d.assignee_id', '=', user.id).where('d.status', 'in', [...OPEN, ...WAITING]);
  if (view === 'waiting') query = query.where('d.status', 'in', WAITING);
  // Due dates are compared as the queue orders them (undated last), so that the range is one of the order's index
  // (dossiers_queue_order_idx, which holds the columns the views filter on) rather than a filter over every open dossier.
  const due = sql<Date>`COALESCE(d.due_at, 'infinity'::timestamptz)`;
  if (view === 'overdue') query = query.where('d.status', 'in', [...OPEN, ...WAITING]).where(due, '<', now);
  if (view === 'due_soon') {
    // The horizon of the rules in force today (dossiers are warned by their own pinned rules; sets rarely differ).
    const { rules } = await dossierRulesOn(db, localDateOf(now));
    query = query.where('d.status', 'in', OPEN).where(due, '>=', now).where(due, '<=', alertHorizon(calendar, now, rules));
  }
  const text = (q.q ?? '').trim();
  if (text !== '') {
    const folded = foldVietnamese(text);
    // Part of a code ("260601-0012") is three or more of the characters codes are made of, so it carries no LIKE
    // wildcard either; folded text holds only [a-z0-9 ].
    const codePart = CODE_PART.test(text) ? `%${text}%` : null;
    query = query.where((eb) =>
      eb.or([
        eb('d.code', '=', text),
        ...(codePart ? [eb('d.code', 'ilike', codePart)] : []),
        eb('d.applicant_personal_id', '=', text),
        ...(folded === '' ? [] : [eb('d.applicant_search', 'like', `%${folded}%`)]),
      ]),
    );
  }
  // The page, by key, and a count that stops past QUEUE_COUNT_CAP: counting every match of a province would cost
  // more than the page itself, and "more than 1,000" is all an officer needs to know to narrow the search. A text
  // search is not counted at all: its matches are spread over every year kept (a common name matches thousands), so
  // counting them reads the trigram index's whole lists, while its first page reads a few rows; the officer pages on.
  const order = period ? NEWEST_FIRST : DUE_FIRST;
  const limit = q.limit ?? 50;
  if (q.after !== undefined && q.before !== undefined) throw AppError.validation([fieldError('before', 'both_cursors', 'Chỉ chọn một trong hai: trang trước hoặc trang sau.', 'Send after or before, not both.')]);
  const cursor = q.after !== undefined ? { values: decodeCursor(order, 'after', q.after), backwards: false } : q.before !== undefined ? { values: decodeCursor(order, 'before', q.before), backwards: true } : null;
  const backwards = cursor?.backwards ?? false;
  const page = query
    .$if(cursor !== null, (qb) => qb.where(pastCursor(order, cursor?.values ?? [], backwards)))
    .orderBy(orderSql(order, backwards))
    .limit(limit + 1);
  // The page's ids come first, so that the walk over the order reads only a covering index (a period's: 0052; the
  // open dossiers': 0053), whose entries are filtered without visiting the rows they skip; then that page's rows.
  const rowsOf = db.selectFrom('dossiers as d').where('d.id', 'in', page.select('d.id')).orderBy(orderSql(order, backwards));
  const [fetched, counted] = await Promise.all([
    rowsOf
      .leftJoin('users as a', 'a.id', 'd.assignee_id')
      .select(['d.id', 'd.code', 'd.status', 'd.procedure_version_id', 'd.applicant_name', 'd.due_at', 'd.channel', 'a.full_name as assignee'])
      .select(keyTexts(order))
      .execute(),
    text === '' ? db.selectFrom(query.select('d.id').limit(QUEUE_COUNT_CAP + 1).as('m')).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow() : null,
  ]);
  const more = fetched.length > limit;
  const rows = backwards ? fetched.slice(0, limit).reverse() : fetched.slice(0, limit);
  const first = rows[0];
  const last = rows.at(-1);
  const matches = counted ? Number(counted.n) : null;
  // The procedure names belong to the catalogue: read for the whole page in one query, never one per row.
  const names = await versionNames(db, rows.map((r) => r.procedure_version_id));
  return {
    period,
    total: matches === null ? null : Math.min(matches, QUEUE_COUNT_CAP),
    totalCapped: matches !== null && matches > QUEUE_COUNT_CAP,
    nextCursor: last && (backwards || more) ? encodeCursor(order, rowKeys(order, last)) : null,
    previousCursor: first && (backwards ? more : cursor !== null) ? encodeCursor(order, rowKeys(order, first)) : null,
    items: rows.map((r) => ({ id: r.id, code: r.code, status: r.status, statusLabel: statusLabelsVi[r.status], procedureName: names.get(r.procedure_version_id)?.name ?? '', applicantName: r.applicant_name, dueAt: iso(r.due_at), channel: r.channel, assignee: r.assignee })),
  };
}

/**
 * Public look-up by code: what anyone holding the receipt may read — the procedure, the receiving agency, the
 * appointment date and each change of status with its date. Nothing personal: no names (of the applicant or of
 * officers), IDs, phone, address or notes, since a code is printed on a slip that passes through other hands.
 */
export async function lookupDossier(db: DbOrTx, code: string) {
  const row = await db
    .selectFrom('dossiers as d')
    .innerJoin('org_units as r', 'r.id', 'd.receiving_org_unit_id')
    .select(['d.id', 'd.code', 'd.status', 'd.applicant_user_id', 'd.procedure_version_id', 'd.due_at', 'r.name as receiving'])
    .where('d.code', '=', code.trim())
    .executeTakeFirst();
  if (!row?.code) throw new AppError('not_found');
  const [names, events] = await Promise.all([
    versionNames(db, [row.procedure_version_id]),
    db.selectFrom('dossier_events').select(['action', 'from_status', 'to_status', 'occurred_at']).where('dossier_id', '=', row.id).orderBy('id').execute(),
  ]);
  return {
    id: row.id,
    applicantUserId: row.applicant_user_id,
    code: row.code,
    status: row.status,
    statusLabel: statusLabelsVi[row.status],
    procedureCode: names.get(row.procedure_version_id)?.nationalCode ?? '',
    procedureName: names.get(row.procedure_version_id)?.name ?? '',
    receivingOrgUnit: row.receiving,
    dueAt: iso(row.due_at),
    // Hand-overs inside processing keep the status: they are the agencies' business, not a step the public follows.
    steps: events
      .filter((e) => e.to_status !== e.from_status)
      .map((e) => ({ at: e.occurred_at.toISOString(), status: e.to_status, statusLabel: statusLabelsVi[e.to_status], action: e.action, actionLabel: actionLabelsVi[e.action] ?? e.action })),
  };
}
