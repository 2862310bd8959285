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

/** `resume`: back to the status the dossier was in before it was paused (supplement or fee). */
export interface Transition {
  readonly from: readonly DossierStatus[];
  readonly to: DossierStatus | 'resume';
  /** Whether the deadline clock stops (entering a pause) or starts again (leaving one). */
  readonly clock: 'start' | 'pause' | 'resume' | 'restart' | 'stop' | 'none';
}

const S = DossierStatus;

/** The whole lifecycle: any (status, action) pair not listed here is refused. */
export const transitions: Readonly<Record<DossierAction, Transition>> = {
  receive: { from: [S.submitted], to: S.received, clock: 'start' },
  refuse: { from: [S.submitted], to: S.refused, clock: 'none' },
  request_supplement: { from: [S.submitted, S.processing], to: S.supplementRequested, clock: 'pause' },
  // After appraisal the processing time restarts from zero once the dossier is complete (NĐ 61/2018 Art. 19(4)).
  provide_supplement: { from: [S.supplementRequested], to: 'resume', clock: 'restart' },
  start_processing: { from: [S.received], to: S.processing, clock: 'none' },
  request_fee: { from: [S.processing], to: S.feeDue, clock: 'pause' },
  pay_fee: { from: [S.feeDue], to: 'resume', clock: 'resume' },
  stop: { from: [S.received, S.processing], to: S.stopped, clock: 'stop' },
  decide: { from: [S.processing], to: S.decided, clock: 'stop' },
  deliver_result: { from: [S.decided], to: S.returned, clock: 'none' },
  withdraw: { from: [S.submitted, S.received, S.processing, S.supplementRequested, S.feeDue], to: S.withdrawn, clock: 'stop' },
  // Internal hand-overs between the steps of processing (and agencies, for liên thông): the national status stays 4.
  forward: { from: [S.processing], to: S.processing, clock: 'none' },
  send_back: { from: [S.processing], to: S.processing, clock: 'none' },
};

export type TransitionResult =
  | { readonly ok: true; readonly to: DossierStatus; readonly clock: Transition['clock'] }
  | { readonly ok: false; readonly reasonVi?: string };

/** What the guards need to know of a dossier's past, read from its timeline. */
export interface DossierPast {
  /** The status held before the current pause (supplement or fee): where `resume` goes. */
  readonly pausedFrom: DossierStatus | null;
  /** The statuses a supplement was already asked from (reception: 1, after appraisal: 4). */
  readonly supplementAskedFrom: readonly DossierStatus[];
}

/** The past of a dossier now in `status`, from its timeline in order. */
export function pastOf(status: DossierStatus, events: readonly { readonly action: string; readonly from_status: DossierStatus | null; readonly to_status: DossierStatus | null }[]): DossierPast {
  const paused = status === S.supplementRequested || status === S.feeDue;
  const entered = paused ? [...events].reverse().find((e) => e.to_status === status) : undefined;
  const asked = events.filter((e) => e.action === 'request_supplement' && e.from_status !== null).map((e) => e.from_status as DossierStatus);
  return { pausedFrom: entered?.from_status ?? null, supplementAskedFrom: asked };
}

/**
 * The status an action leads to from `current`, or why not. The past decides where `resume` goes (a supplement asked
 * at reception returns to "submitted", one asked in processing to "processing") and whether a guard refuses.
 */
export function nextStatus(current: DossierStatus, action: DossierAction, past: DossierPast): TransitionResult {
  const t = transitions[action];
  if (!t.from.includes(current)) return { ok: false };
  // Guidance to complete a dossier is given once and in full: once at reception (NĐ 61/2018 Art. 17) and once
  // after appraisal for the whole processing (Art. 19(4), as amended by NĐ 107/2021).
  if (action === 'request_supplement' && past.supplementAskedFrom.includes(current)) {
    return { ok: false, reasonVi: 'Hồ sơ đã được yêu cầu bổ sung ở giai đoạn này; theo quy định chỉ yêu cầu bổ sung một lần, đầy đủ.' };
  }
  if (t.to !== 'resume') return { ok: true, to: t.to, clock: t.clock };
  if (past.pausedFrom === null) return { ok: false };
  // A supplement given at reception does not start the clock: it was never running.
  const clock = past.pausedFrom === S.submitted ? 'none' : t.clock;
  return { ok: true, to: past.pausedFrom, clock };
}

export const isFinal = (s: DossierStatus): boolean => s === S.refused || s === S.withdrawn || s === S.stopped || s === S.returned;

/** What each timeline entry is called in Vietnamese (actions, plus submission and the one-time extension). */
export const actionLabelsVi: Record<string, string> = {
  extend: 'Xin lỗi và hẹn lại ngày trả',
  submit: 'Nộp hồ sơ trực tuyến',
  receive: 'Tiếp nhận hồ sơ',
  refuse: 'Từ chối tiếp nhận',
  request_supplement: 'Yêu cầu bổ sung hồ sơ',
  provide_supplement: 'Đã bổ sung hồ sơ',
  start_processing: 'Chuyển xử lý',
  request_fee: 'Yêu cầu nộp phí, lệ phí',
  pay_fee: 'Đã nộp phí, lệ phí',
  stop: 'Dừng giải quyết',
  decide: 'Đã giải quyết xong',
  deliver_result: 'Trả kết quả',
  withdraw: 'Rút hồ sơ',
  forward: 'Chuyển bước xử lý tiếp theo',
  send_back: 'Trả lại bước trước',
  assign: 'Phân công xử lý',
  due_alert: 'Cảnh báo sắp đến hạn',
};
