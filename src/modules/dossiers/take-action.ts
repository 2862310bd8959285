import type { UseCaseContext } from '../../platform/use-case.ts';
import type { Actor, AuditInput } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import { activeUser } from '../../platform/auth/sessions.ts';
import type { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { applyClock, type ClockState, type ProcessingTime, shareDueAt } from '../../platform/deadlines/deadline-clock.ts';
import { AppError, type FieldError, fieldError } from '../../platform/errors.ts';
import { localDateOf } from '../../platform/time.ts';
import { applyTransition, type TimelineEntry, type TransitionWrite } from '../../platform/records/apply-transition.ts';
import { issuesElectronicResult, processingTimeOf } from '../procedures/index.ts';
import { formatVnd } from '../../web/format.ts';
import { type DossierRow, loadDossier, mayTake, officialMay } from './access.ts';
import { dossierStore } from './dossier-store.ts';
import { applicantMessages } from './notify-applicant.ts';
import { type DossierRules, dossierRulesOf } from './rules.ts';
import { actionLabelsVi, type DossierPast, type DossierRecordAction, DossierStatus, dossierRecordType, nextStatus, pastOf, statusLabelsVi } from './status.ts';
import { isStepCandidate, type WorkflowStep, workflowOf } from './workflow.ts';

// Refusals, supplement requests and stops must tell the applicant why (Mẫu 02, 03, 05), once and in full; a
// withdrawal says why the applicant gives the dossier up (it goes on the stop notice, Mẫu 05).
const NEEDS_REASON: readonly DossierRecordAction[] = ['refuse', 'request_supplement', 'stop', 'extend', 'withdraw'];

export interface ActionInput {
  readonly action: DossierRecordAction;
  /** The row version the actor saw: a second officer acting on the same version gets a conflict. */
  readonly expectedVersion: number;
  readonly note?: string | undefined;
  /** With start_processing, forward and send_back: who works the next step (else whoever of its role takes it). */
  readonly assigneeId?: string | undefined;
  /** With request_fee: the amount asked for, in VND (at least the dossier's pinned minimum). */
  readonly amountVnd?: number | undefined;
  /** With request_fee: how the amount was set against the procedure's fee table (an override gives its reason). */
  readonly fee?: { readonly source: 'fee_table' | 'officer' | 'override'; readonly tableVnd: readonly number[]; readonly overrideReason?: string | undefined } | undefined;
  /** What else the applicant's notification must say (e.g. the amount of a fee). */
  readonly notice?: string | undefined;
  /** With extend: the new due instant (Mẫu 04). */
  readonly newDueAt?: Date | undefined;
  /** How many files go with the action: the signed result of a decision, the papers of a supplement. */
  readonly attachments?: number | undefined;
  /** With decide: the paper result issued, by its number and notation (số, ký hiệu) and date (YYYY-MM-DD). */
  readonly result?: { readonly number?: string | undefined; readonly issuedOn?: string | undefined } | undefined;
  /** With pay_fee: how the fee was settled — the gateway's verified callback, or a counter payment and its receipt. */
  readonly payment?: { readonly method: 'online' | 'counter'; readonly receiptNumber?: string | undefined } | undefined;
  /** With deliver_result: how the result went back (and the postal tracking number). */
  readonly delivery?: { readonly method: 'counter' | 'online' | 'postal'; readonly tracking: string | null } | undefined;
  /** What else the timeline entry records (e.g. the officials a due alert went to). */
  readonly data?: Readonly<Record<string, unknown>> | undefined;
}

/** Who the timeline names for an action: a signed-in user, or a system such as the payment gateway. */
export interface EventActor {
  readonly id: string | null;
  readonly label: string;
  readonly orgUnitId: string | null;
}

/**
 * What planning an action needs beyond the dossier row. Read from the database for one dossier (`dossierFacts`), or
 * known in memory by the bulk generator, which plans with the same function and so writes what the engine would.
 */
export interface DossierFacts {
  readonly rules: DossierRules;
  readonly past: DossierPast;
  readonly processing: ProcessingTime;
  readonly steps: readonly WorkflowStep[];
  /** The procedure version issues its result electronically (a signed PDF), so a decision must carry one. */
  readonly electronicResult: boolean;
  readonly unitName: (id: string) => string;
  /** Who handed the dossier on from a step (a send_back returns it to them). */
  readonly forwarderFrom: (stepSeq: number) => string | null;
}

/** The clock as the dossier keeps it. */
const clockOf = (d: DossierRow): ClockState => ({ startedAt: d.received_at, dueAt: d.due_at, originalDueAt: d.original_due_at, pausedSince: d.paused_since });

/** The clock's change as dossier columns; timeliness is recorded apart from the status. */
function clockColumns(calendar: WorkingCalendar, d: DossierRow, effect: Parameters<typeof applyClock>[2], decides: boolean, facts: DossierFacts, now: Date): Partial<DossierRow> {
  const c = applyClock(calendar, clockOf(d), effect, now, facts.processing, decides);
  const set: Partial<DossierRow> = {};
  if (c.startedAt !== undefined) set.received_at = c.startedAt;
  if (c.dueAt !== undefined) set.due_at = c.dueAt;
  if (c.originalDueAt !== undefined) set.original_due_at = c.originalDueAt;
  if (c.pausedSince !== undefined) set.paused_since = c.pausedSince;
  if (c.stoppedAt !== undefined) set.decided_at = c.stoppedAt;
  if (c.timeliness !== undefined) set.timeliness = c.timeliness;
  return set;
}

const STEP_MOVES: readonly DossierRecordAction[] = ['start_processing', 'forward', 'send_back'];

/**
 * Where a dossier moves among the steps of its workflow: the first step when processing starts, the next or previous
 * one on a hand-over, and a fresh step budget when it comes back from a pause. The timeline records each hand-over.
 */
function stepChanges(calendar: WorkingCalendar, d: DossierRow, input: ActionInput, to: DossierStatus, dates: Partial<DossierRow>, facts: DossierFacts, now: Date) {
  const resumes = to === DossierStatus.processing && d.status !== DossierStatus.processing && input.action !== 'start_processing';
  if (!STEP_MOVES.includes(input.action) && !resumes) return { set: {}, data: {} };
  const at = facts.steps.findIndex((x) => x.seq === d.step_seq);
  const index = input.action === 'start_processing' ? 0 : input.action === 'forward' ? at + 1 : input.action === 'send_back' ? at - 1 : Math.max(at, 0);
  const step = facts.steps[index];
  if (!step) throw new AppError('conflict', { messageVi: 'Không còn bước xử lý nào theo quy trình.' });
  const unitId = step.orgUnitId ?? d.deciding_org_unit_id ?? d.receiving_org_unit_id;
  let assignee = resumes ? d.assignee_id : (input.assigneeId ?? null);
  // Sent back to whoever handed it on from that step.
  if (input.action === 'send_back' && !input.assigneeId) assignee = facts.forwarderFrom(step.seq);
  const clock = { ...clockOf(d), startedAt: dates.received_at ?? d.received_at, originalDueAt: dates.original_due_at ?? d.original_due_at, dueAt: dates.due_at ?? d.due_at };
  const stepDue = shareDueAt(calendar, now, step.budgetPercent, clock);
  return {
    set: { step_seq: step.seq, step_org_unit_id: unitId, step_due_at: stepDue, assignee_id: assignee },
    data: { fromStep: d.step_seq, toStep: step.seq, stepName: step.name, stepUnit: facts.unitName(unitId), stepUnitId: unitId, stepDueAt: stepDue?.toISOString() ?? null, late: d.step_due_at !== null && input.action === 'forward' ? now > d.step_due_at : undefined },
  };
}

/** What an action changes beyond the clock and the steps. */
function ownColumns(d: DossierRow, input: ActionInput, now: Date): Partial<DossierRow> {
  switch (input.action) {
    case 'deliver_result':
      return { returned_at: now, ...(input.delivery ? { result_delivery: input.delivery.method, postal_tracking: input.delivery.tracking } : {}) };
    case 'extend':
      return { due_at: input.newDueAt ?? d.due_at, extensions: d.extensions + 1 };
    case 'decide':
      return { result_kind: (input.attachments ?? 0) > 0 ? 'electronic' : 'paper', result_number: input.result?.number?.trim() || null, result_issued_on: input.result?.issuedOn ?? null };
    case 'assign':
      return { assignee_id: input.assigneeId ?? null };
    default:
      return {};
  }
}

/**
 * What the applicant is told of an action: what happened and, for a refusal, a supplement request or a stop, the
 * reason in full, so that the message itself says what to bring (once and in full) without signing in.
 */
function applicantNews(input: ActionInput): string {
  if (input.action === 'extend') return `Cơ quan giải quyết xin lỗi vì chậm trễ và hẹn lại ngày trả kết quả. Lý do: ${input.note?.trim() ?? ''}.`;
  const reason = NEEDS_REASON.includes(input.action) && input.note?.trim() ? `Nội dung: ${input.note.trim().replace(/[.\s]*$/, '')}.` : '';
  return [`${actionLabelsVi[input.action] ?? input.action}.`, reason, input.notice ?? ''].filter((x) => x !== '').join(' ');
}

function auditOf(d: DossierRow, input: ActionInput): (updated: DossierRow) => AuditInput {
  return (updated) => ({
    action: `dossier.${input.action}`,
    entityType: 'dossier',
    entityId: d.id,
    orgUnitId: d.receiving_org_unit_id,
    before: { status: d.status, dueAt: d.due_at, ...(input.action === 'assign' ? { assigneeId: d.assignee_id } : {}) },
    after: { status: updated.status, dueAt: updated.due_at, timeliness: updated.timeliness, ...(input.action === 'assign' ? { assigneeId: updated.assignee_id } : {}) },
  });
}

/** What an action must carry, each missing piece under its field, all at once. */
function inputErrors(input: ActionInput, facts: DossierFacts, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  const min = facts.rules.minReasonLength;
  if (NEEDS_REASON.includes(input.action) && (input.note?.trim().length ?? 0) < min) {
    const field = input.action === 'extend' ? 'reason' : 'note';
    const what = input.action === 'withdraw' ? `Ghi rõ lý do rút hồ sơ (ít nhất ${min} ký tự); lý do in trên thông báo dừng giải quyết hồ sơ.` : `Ghi rõ lý do hoặc các giấy tờ cần bổ sung (ít nhất ${min} ký tự); nội dung này in trên phiếu gửi người nộp.`;
    errors.push(fieldError(field, 'reason_required', what, `A reason of ${min} characters or more is required.`));
  }
  if (input.action === 'request_fee') errors.push(...feeErrors(input, facts));
  if (input.action === 'decide') errors.push(...resultErrors(input, facts, now));
  // A supplement answers what was asked: at least one paper, or a note saying what was done.
  if (input.action === 'provide_supplement' && (input.attachments ?? 0) === 0 && (input.note?.trim() ?? '') === '') {
    errors.push(fieldError('fileIds', 'supplement_empty', 'Tải lên ít nhất một giấy tờ bổ sung, hoặc ghi chú nội dung đã bổ sung, hoàn thiện.', 'Attach at least one paper or write a note.'));
  }
  if (input.action === 'pay_fee' && !input.payment) {
    errors.push(fieldError('receiptNumber', 'payment_required', 'Phí, lệ phí chỉ được ghi nhận khi cổng thanh toán xác nhận hoặc khi bộ phận một cửa thu tại quầy (có số biên lai).', 'A fee is settled by the gateway or at the counter with a receipt.'));
  } else if (input.action === 'pay_fee' && input.payment?.method === 'counter' && !/\S/.test(input.payment.receiptNumber ?? '')) {
    errors.push(fieldError('receiptNumber', 'required', 'Nhập số biên lai thu phí, lệ phí đã giao cho người nộp.', 'Enter the receipt number.'));
  }
  return errors;
}

/** The fee asked for: an amount of at least the pinned minimum; one that departs from the fee table says why. */
function feeErrors(input: ActionInput, facts: DossierFacts): FieldError[] {
  const table = input.fee?.tableVnd ?? [];
  const listed = table.map((a) => formatVnd(a)).join('; ');
  if (!(Number.isInteger(input.amountVnd) && (input.amountVnd ?? 0) >= facts.rules.minFeeVnd)) {
    const what = table.length > 1 ? `Biểu phí, lệ phí của thủ tục có nhiều mức (${listed}): nhập số tiền phải nộp.` : `Nhập số tiền phí, lệ phí (từ ${formatVnd(facts.rules.minFeeVnd)}).`;
    return [fieldError('amountVnd', 'required', what, `Enter the amount (${facts.rules.minFeeVnd} VND or more).`)];
  }
  const min = facts.rules.minReasonLength;
  if (input.fee?.source === 'override' && (input.fee.overrideReason?.length ?? 0) < min) {
    const table = listed === '' ? 'miễn phí' : listed;
    return [fieldError('feeOverrideReason', 'reason_required', `Số tiền khác biểu phí, lệ phí của thủ tục (${table}): ghi rõ lý do (ít nhất ${min} ký tự).`, 'An amount other than the fee table needs a reason.')];
  }
  return [];
}

/**
 * A decision carries its result: the signed PDF where the procedure issues an electronic result, else either a PDF or
 * the record of the paper result issued — its number and notation (số, ký hiệu) and its date, not after today.
 */
function resultErrors(input: ActionInput, facts: DossierFacts, now: Date): FieldError[] {
  const issuedOn = input.result?.issuedOn;
  const late = issuedOn !== undefined && issuedOn > localDateOf(now) ? [fieldError('resultIssuedOn', 'future', 'Ngày ban hành kết quả không được sau ngày hôm nay.', 'The result cannot be dated after today.')] : [];
  if ((input.attachments ?? 0) > 0) return late;
  if (facts.electronicResult) {
    return [fieldError('fileIds', 'result_required', 'Thủ tục này trả kết quả điện tử: tải lên kết quả giải quyết đã ký số (PDF) khi ban hành kết quả.', 'This procedure issues an electronic result: attach the signed PDF.')];
  }
  const errors: FieldError[] = [];
  if (!/\S/.test(input.result?.number ?? '')) errors.push(fieldError('resultNumber', 'result_required', 'Nhập số, ký hiệu của kết quả giải quyết đã ban hành (bản giấy), hoặc tải lên kết quả điện tử đã ký số (PDF).', 'Give the number of the paper result, or attach the signed PDF.'));
  if (!issuedOn) errors.push(fieldError('resultIssuedOn', 'result_required', 'Nhập ngày ban hành kết quả giải quyết (ngày/tháng/năm).', 'Give the date of the paper result.'));
  return [...errors, ...late];
}

/**
 * Plans one action on a dossier — pure: the state machine and its guards on the dossier's pinned rules, the clock,
 * the steps, the timeline entry and the audit event — without writing anything. A refusal throws.
 */
export function planDossierAction(calendar: WorkingCalendar, facts: DossierFacts, d: DossierRow, input: ActionInput, who: EventActor, now: Date): TransitionWrite<DossierRow, DossierStatus> {
  const errors = inputErrors(input, facts, now);
  if (errors.length > 0) throw AppError.validation(errors);
  const next = nextStatus(d.status, input.action, facts.past, { rules: facts.rules, extensions: d.extensions, hasDueDate: d.due_at !== null });
  if (!next.ok) {
    throw new AppError('conflict', { messageVi: next.reasonVi ?? `Không thể thực hiện thao tác này khi hồ sơ đang ở trạng thái "${statusLabelsVi[d.status]}".` });
  }
  const rule = dossierRecordType.actions[input.action];
  const dates = clockColumns(calendar, d, next.clock, rule.decides === true, facts, now);
  const steps = stepChanges(calendar, d, input, next.to, dates, facts, now);
  const fee = input.action === 'request_fee' ? { amountVnd: input.amountVnd, amountSource: input.fee?.source ?? 'officer', ...(input.fee?.source === 'override' ? { overrideReason: input.fee.overrideReason } : {}) } : {};
  const data = { ...steps.data, ...fee, ...(input.action === 'extend' && d.due_at && input.newDueAt ? { previousDueAt: d.due_at.toISOString(), newDueAt: input.newDueAt.toISOString() } : {}), ...input.data };
  const entry: TimelineEntry<DossierStatus> = { action: input.action, fromStatus: d.status, toStatus: next.to, actorId: who.id, actorLabel: who.label, orgUnitId: who.orgUnitId, occurredAt: now, note: input.note?.trim() || null, data };
  return {
    before: d,
    recordId: d.id,
    expectedVersion: input.expectedVersion,
    set: { ...dates, ...steps.set, ...ownColumns(d, input, now), status: next.to, updated_at: now },
    entry,
    audit: auditOf(d, input),
    messages: rule.notifies ? (tx, updated) => applicantMessages(tx, updated, applicantNews(input)) : undefined,
  };
}

/** The facts of one dossier, from the database. */
export async function dossierFacts(tx: Tx, d: DossierRow): Promise<DossierFacts> {
  const [rules, events, processing, workflow, electronicResult] = await Promise.all([
    dossierRulesOf(tx, d.rule_set_id),
    tx.selectFrom('dossier_events').select(['action', 'from_status', 'to_status', 'actor_id', 'data']).where('dossier_id', '=', d.id).orderBy('id').execute(),
    processingTimeOf(tx, d.procedure_version_id),
    workflowOf(tx, d.procedure_version_id),
    issuesElectronicResult(tx, d.procedure_version_id),
  ]);
  const unitIds = [...new Set([d.receiving_org_unit_id, d.deciding_org_unit_id, ...workflow.steps.map((s) => s.orgUnitId)].filter((x): x is string => x !== null))];
  const units = await tx.selectFrom('org_units').select(['id', 'name']).where('id', 'in', unitIds).execute();
  const forwards = events.filter((e) => e.action === 'forward').reverse();
  return {
    rules: rules.rules,
    past: pastOf(d.status, events),
    processing,
    steps: workflow.steps,
    electronicResult,
    unitName: (id) => units.find((u) => u.id === id)?.name ?? '',
    forwarderFrom: (seq) => forwards.find((e) => (e.data as { fromStep?: number }).fromStep === seq)?.actor_id ?? null,
  };
}

/** Checks that the chosen assignee is one of the people of the step the action leads to (its unit and role). */
async function checkAssignee(tx: Tx, d: DossierRow, input: ActionInput, facts: DossierFacts): Promise<void> {
  if (!input.assigneeId || !STEP_MOVES.includes(input.action)) return;
  const at = facts.steps.findIndex((x) => x.seq === d.step_seq);
  const step = facts.steps[input.action === 'start_processing' ? 0 : input.action === 'forward' ? at + 1 : at - 1];
  if (!step) return;
  const unitId = step.orgUnitId ?? d.deciding_org_unit_id ?? d.receiving_org_unit_id;
  const unit = await tx.selectFrom('org_units').select('path').where('id', '=', unitId).executeTakeFirstOrThrow();
  const user = await activeUser(tx, { id: input.assigneeId });
  if (!user || !isStepCandidate(user, step.role, unit.path)) {
    throw AppError.validation([fieldError('assigneeId', 'not_allowed', `Người được chọn không xử lý được bước "${step.name}" tại đơn vị này.`, 'The assignee cannot work this step.')]);
  }
}

/**
 * Applies an action already authorised, inside the caller's transaction, through the kernel's transition engine:
 * state machine and guards on the pinned rules, clock, optimistic lock, timeline entry, notification and audit event.
 */
export async function applyDossierAction(tx: Tx, ctx: UseCaseContext, who: EventActor, actor: Actor, d: DossierRow, input: ActionInput, known?: DossierFacts): Promise<DossierRow> {
  if (d.row_version !== input.expectedVersion) throw new AppError('conflict');
  const facts = known ?? (await dossierFacts(tx, d));
  const write = planDossierAction(ctx.calendar, facts, d, input, who, ctx.now);
  await checkAssignee(tx, d, input, facts);
  return applyTransition(tx, actor, dossierStore, write);
}

/** Who a user is on a dossier's timeline: their name and the unit they act for. */
export const eventActorOf = (user: CurrentUser): EventActor => ({ id: user.id, label: user.fullName, orgUnitId: user.kind === 'official' ? (user.grants[0]?.orgUnitId ?? null) : null });

/**
 * Takes one lifecycle action for a user: checks who may take it, then applies it in one transaction. `onApplied`
 * adds work to the same transaction (e.g. the fee to pay).
 */
export async function takeDossierAction(
  db: Db,
  ctx: UseCaseContext,
  user: CurrentUser,
  actor: Actor,
  dossierId: string,
  input: ActionInput,
  onApplied?: (tx: Tx, updated: DossierRow) => Promise<void>,
): Promise<DossierRow> {
  return db.transaction().execute(async (tx) => {
    const loaded = await loadDossier(tx, dossierId);
    if (!loaded) throw new AppError('not_found');
    const d = loaded.dossier;
    const visible = user.kind === 'citizen' ? d.applicant_user_id === user.id : officialMay(user, 'dossiers.read', loaded);
    if (!visible) throw new AppError('not_found');
    if (!mayTake(user, input.action, loaded)) throw new AppError('forbidden');
    const updated = await applyDossierAction(tx, ctx, eventActorOf(user), actor, d, input);
    await onApplied?.(tx, updated);
    return updated;
  });
}
