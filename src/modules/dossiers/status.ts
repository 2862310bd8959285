import { type ActionRule, type Decision, decideTransition, type PastEntry, type RecordPast, type RecordType, pastOf as kernelPastOf } from '../../platform/records/transitions.ts';
import type { DossierRules } from './rules.ts';

/** National dossier status codes (DVCQG TrangThaiHoSo, reference/regulations.md §1.4). */
export const DossierStatus = {
  submitted: 1,
  received: 2,
  refused: 3,
  processing: 4,
  supplementRequested: 5,
  feeDue: 6,
  withdrawn: 7,
  stopped: 8,
  decided: 9,
  returned: 10,
} as const;
export type DossierStatus = (typeof DossierStatus)[keyof typeof DossierStatus];

export const statusLabelsVi: Record<DossierStatus, string> = {
  1: 'Mới đăng ký',
  2: 'Được tiếp nhận',
  3: 'Không được tiếp nhận',
  4: 'Đang xử lý',
  5: 'Yêu cầu bổ sung giấy tờ',
  6: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  7: 'Công dân yêu cầu rút hồ sơ',
  8: 'Dừng xử lý',
  9: 'Đã xử lý xong',
  10: 'Đã trả kết quả',
};

export type DossierAction =
  | 'receive'
  | 'refuse'
  | 'request_supplement'
  | 'provide_supplement'
  | 'start_processing'
  | 'request_fee'
  | 'pay_fee'
  | 'stop'
  | 'decide'
  | 'deliver_result'
  | 'withdraw'
  | 'forward'
  | 'send_back';

/** Actions on a dossier that keep its status: still transitions, so checked, timed, on the timeline and audited. */
export type DossierRecordAction = DossierAction | 'extend' | 'assign' | 'due_alert';

/**
 * Who acts: the one-stop counter, the deciding unit, whoever may work the current processing step, a leader who
 * assigns (or an official taking a dossier for themselves), the applicant, or the system (the payment gateway, the
 * deadline alerts).
 */
export type DossierActorKind = 'receive' | 'process' | 'step' | 'assign' | 'applicant' | 'system';

export type DossierGuard = 'supplement_once_per_stage' | 'extensions_left' | 'has_due_date';

const S = DossierStatus;
const OPEN_FOR_DEADLINE = [S.received, S.processing, S.supplementRequested, S.feeDue];

/**
 * The whole lifecycle (national status codes 1–10, reference/regulations.md §1.4) as data for the kernel's
 * transition engine: any (status, action) pair not listed is refused.
 *
 * `notifies`: the applicant gets an e-mail and SMS only for what they must know or do — received, refused, asked to
 * supplement, asked to pay, stopped, decided (the result is ready), a new date with an apology. Hand-overs between
 * the counter and the units (start_processing, forward, send_back, assign) are the agencies' business, and what the
 * applicant did themselves or was present for (a supplement or fee given, a withdrawal, the result handed back) they
 * already know; the timeline and the public look-up show all of it.
 */
export const dossierRecordType: RecordType<DossierStatus, DossierRecordAction, DossierActorKind, DossierGuard> = {
  name: 'dossier',
  stateLabelsVi: statusLabelsVi,
  finalStates: [S.refused, S.withdrawn, S.stopped, S.returned],
  pauseStates: [S.supplementRequested, S.feeDue],
  guardsVi: {
    supplement_once_per_stage: 'Hồ sơ đã được yêu cầu bổ sung ở giai đoạn này; theo quy định chỉ yêu cầu bổ sung một lần, đầy đủ.',
    extensions_left: 'Hồ sơ đã được hẹn lại một lần; không được gia hạn lần nữa.',
    has_due_date: 'Hồ sơ ở trạng thái này không gia hạn được.',
  },
  actions: {
    receive: { from: [S.submitted], to: S.received, clock: 'start', who: [{ kind: 'receive' }], notifies: true, labelVi: 'Tiếp nhận hồ sơ' },
    refuse: { from: [S.submitted], to: S.refused, clock: 'none', who: [{ kind: 'receive' }], notifies: true, labelVi: 'Từ chối tiếp nhận' },
    // Guidance to complete a dossier is given once and in full: once at reception and once after appraisal.
    request_supplement: {
      from: [S.submitted, S.processing],
      to: S.supplementRequested,
      clock: 'pause',
      who: [{ kind: 'receive', from: [S.submitted] }, { kind: 'process', from: [S.processing] }],
      guards: ['supplement_once_per_stage'],
      notifies: true,
      labelVi: 'Yêu cầu bổ sung hồ sơ',
    },
    // After appraisal the processing time restarts from zero once the dossier is complete; a supplement given at
    // reception does not start the clock (it never ran).
    provide_supplement: { from: [S.supplementRequested], to: 'resume', clock: 'restart', who: [{ kind: 'receive' }, { kind: 'applicant' }], notifies: false, labelVi: 'Đã bổ sung hồ sơ' },
    start_processing: { from: [S.received], to: S.processing, clock: 'none', who: [{ kind: 'receive' }], notifies: false, labelVi: 'Chuyển xử lý' },
    request_fee: { from: [S.processing], to: S.feeDue, clock: 'pause', who: [{ kind: 'process' }], notifies: true, labelVi: 'Yêu cầu nộp phí, lệ phí' },
    // A fee is settled by the payment gateway's verified callback (the system) or by the counter recording a payment
    // with its receipt, never by the applicant's word (NĐ 118/2025 Art. 24; receipts travel with the dossier).
    pay_fee: { from: [S.feeDue], to: 'resume', clock: 'resume', who: [{ kind: 'receive' }, { kind: 'system' }], notifies: false, labelVi: 'Đã nộp phí, lệ phí' },
    stop: { from: [S.received, S.processing], to: S.stopped, clock: 'stop', who: [{ kind: 'process' }], notifies: true, labelVi: 'Dừng giải quyết' },
    decide: { from: [S.processing], to: S.decided, clock: 'stop', decides: true, who: [{ kind: 'step' }], notifies: true, labelVi: 'Đã giải quyết xong' },
    deliver_result: { from: [S.decided], to: S.returned, clock: 'none', who: [{ kind: 'receive' }], notifies: false, labelVi: 'Trả kết quả' },
    withdraw: { from: [S.submitted, S.received, S.processing, S.supplementRequested, S.feeDue], to: S.withdrawn, clock: 'stop', who: [{ kind: 'receive' }, { kind: 'applicant' }], notifies: true, labelVi: 'Rút hồ sơ' },
    // Internal hand-overs between the steps of processing (and agencies, for liên thông): the national status stays 4
    // and the applicant is not told.
    forward: { from: [S.processing], to: 'same', clock: 'none', who: [{ kind: 'step' }], notifies: false, labelVi: 'Chuyển bước xử lý tiếp theo' },
    send_back: { from: [S.processing], to: 'same', clock: 'none', who: [{ kind: 'step' }], notifies: false, labelVi: 'Trả lại bước trước' },
    // The deciding unit apologises and sets one new date (Mẫu 04); the number of new dates is a pinned rule.
    extend: { from: OPEN_FOR_DEADLINE, to: 'same', clock: 'none', who: [{ kind: 'process' }], guards: ['has_due_date', 'extensions_left'], notifies: true, labelVi: 'Xin lỗi và hẹn lại ngày trả' },
    assign: { from: [S.processing], to: 'same', clock: 'none', who: [{ kind: 'assign' }], notifies: false, labelVi: 'Phân công xử lý' },
    due_alert: { from: [S.received, S.processing], to: 'same', clock: 'none', who: [{ kind: 'system' }], notifies: false, labelVi: 'Cảnh báo sắp đến hạn' },
  },
};

/** The actions officers and applicants take through the dossier's action form and API (the others have their own). */
export const transitions: Readonly<Record<DossierAction, ActionRule<DossierStatus, DossierActorKind, DossierGuard>>> = (() => {
  const { extend: _e, assign: _a, due_alert: _d, ...rest } = dossierRecordType.actions;
  return rest;
})();

export type DossierPast = RecordPast<DossierStatus>;

export const pastOf = (status: DossierStatus, events: readonly PastEntry<DossierStatus>[]): DossierPast => kernelPastOf(dossierRecordType.pauseStates, status, events);

/** What the guards check, from the dossier's own pinned rules. */
export interface GuardFacts {
  readonly rules: DossierRules;
  /** New dates already given (Mẫu 04). */
  readonly extensions: number;
  readonly hasDueDate: boolean;
}

/**
 * The status an action leads to from `current`, or why not. The past decides where `resume` goes (a supplement asked
 * at reception returns to "submitted", one asked in processing to "processing") and whether a guard refuses.
 */
export function nextStatus(current: DossierStatus, action: DossierRecordAction, past: DossierPast, facts: GuardFacts): Decision<DossierStatus> {
  return decideTransition(
    dossierRecordType,
    current,
    action,
    past,
    {
      supplement_once_per_stage: () => (facts.rules.supplementOncePerStage && (past.takenFrom.get('request_supplement') ?? []).includes(current) ? dossierRecordType.guardsVi.supplement_once_per_stage : null),
      extensions_left: () => (facts.extensions >= facts.rules.maxExtensions ? dossierRecordType.guardsVi.extensions_left : null),
      has_due_date: () => (facts.hasDueDate ? null : dossierRecordType.guardsVi.has_due_date),
    },
    (s) => s === S.submitted,
  );
}

export const isFinal = (s: DossierStatus): boolean => dossierRecordType.finalStates.includes(s);

/** What each timeline entry is called in Vietnamese: the lifecycle's actions, plus the submission that creates it. */
export const actionLabelsVi: Readonly<Record<string, string>> = {
  submit: 'Nộp hồ sơ trực tuyến',
  ...Object.fromEntries(Object.entries(dossierRecordType.actions).map(([a, r]) => [a, r.labelVi])),
};
