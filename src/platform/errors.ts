/**
 * The one error type of CQS. Use cases throw it; the HTTP layer turns it into application/problem+json (RFC 9457)
 * and pages show `messageVi` next to the field. Internals never reach the client.
 */
export const errorCodes = {
  validation: { status: 400, vi: 'Dữ liệu không hợp lệ.', en: 'The request contains invalid data.' },
  bad_request: { status: 400, vi: 'Yêu cầu không hợp lệ.', en: 'Bad request.' },
  unauthenticated: { status: 401, vi: 'Vui lòng đăng nhập.', en: 'Authentication required.' },
  invalid_credentials: {
    status: 401,
    vi: 'Tên đăng nhập hoặc mật khẩu không đúng.',
    en: 'Wrong username or password.',
  },
  account_locked: {
    status: 423,
    vi: 'Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau.',
    en: 'Account temporarily locked after repeated failed logins.',
  },
  csrf: { status: 403, vi: 'Phiên biểu mẫu đã hết hạn, vui lòng gửi lại.', en: 'Invalid or missing CSRF token.' },
  forbidden: { status: 403, vi: 'Bạn không có quyền thực hiện thao tác này.', en: 'Forbidden.' },
  not_found: { status: 404, vi: 'Không tìm thấy.', en: 'Not found.' },
  conflict: {
    status: 409,
    vi: 'Dữ liệu đã bị người khác thay đổi. Vui lòng tải lại.',
    en: 'The record was changed by someone else.',
  },
  duplicate: { status: 409, vi: 'Dữ liệu đã tồn tại.', en: 'Already exists.' },
  setting_missing: {
    status: 422,
    vi: 'Thiếu thiết lập cần thiết; quản trị viên cần khai báo trước.',
    en: 'A setting this needs is missing; an administrator must add it first.',
  },
  precondition_required: {
    status: 428,
    vi: 'Thiếu phiên bản dữ liệu (If-Match).',
    en: 'If-Match header required.',
  },
  payload_too_large: { status: 413, vi: 'Dữ liệu gửi lên quá lớn.', en: 'Payload too large.' },
  unsupported_media_type: {
    status: 415,
    vi: 'Định dạng dữ liệu không được hỗ trợ.',
    en: 'Unsupported media type.',
  },
  rate_limited: {
    status: 429,
    vi: 'Bạn thao tác quá nhanh, vui lòng thử lại sau ít phút.',
    en: 'Too many requests.',
  },
  database_unavailable: {
    status: 503,
    vi: 'Cơ sở dữ liệu đang tạm thời không truy cập được. Dữ liệu đã gửi trước đó không bị mất; vui lòng thử lại sau ít phút.',
    en: 'The database (or the node holding this province’s data) is unavailable.',
  },
  upstream_unavailable: { status: 503, vi: 'Dịch vụ bên ngoài (bưu chính, thanh toán…) tạm thời không phản hồi. Vui lòng thử lại sau.', en: 'An external service is unavailable.' },
  internal: { status: 500, vi: 'Đã có lỗi hệ thống. Vui lòng thử lại sau.', en: 'Internal error.' },
} as const satisfies Record<string, { status: number; vi: string; en: string }>;

export type ErrorCode = keyof typeof errorCodes;

/** One field's problem; `field` is a dotted path such as `email` or `documents.0.name`. */
export interface FieldError {
  readonly field: string;
  readonly code: string;
  readonly messageVi: string;
  readonly messageEn: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;
  readonly fieldErrors: readonly FieldError[];
  readonly messageVi: string;

  constructor(code: ErrorCode, options: { fieldErrors?: readonly FieldError[]; messageVi?: string; detail?: string } = {}) {
    const entry = errorCodes[code];
    super(options.detail ?? entry.en);
    this.name = 'AppError';
    this.code = code;
    this.httpStatus = entry.status;
    this.fieldErrors = options.fieldErrors ?? [];
    this.messageVi = options.messageVi ?? entry.vi;
  }

  static validation(fieldErrors: readonly FieldError[]): AppError {
    return new AppError('validation', { fieldErrors });
  }
}

export function fieldError(field: string, code: string, messageVi: string, messageEn: string): FieldError {
  return { field, code, messageVi, messageEn };
}

/** Collects field errors so that a use case reports every problem at once instead of the first one. */
export class FieldErrors {
  readonly #errors: FieldError[] = [];

  add(field: string, code: string, messageVi: string, messageEn: string): void {
    this.#errors.push(fieldError(field, code, messageVi, messageEn));
  }

  get size(): number {
    return this.#errors.length;
  }

  throwIfAny(): void {
    if (this.#errors.length > 0) throw AppError.validation(this.#errors);
  }
}

/**
 * Awaits independent checks together (on a server they run on separate connections at once) and reports the field
 * errors of all of them in one validation error; any other failure is passed on as it is.
 */
export async function allChecked<T extends readonly unknown[]>(checks: readonly [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
  const settled = await Promise.allSettled(checks);
  const fieldErrors: FieldError[] = [];
  for (const r of settled) {
    if (r.status === 'fulfilled') continue;
    if (r.reason instanceof AppError && r.reason.code === 'validation') fieldErrors.push(...r.reason.fieldErrors);
    else throw r.reason;
  }
  if (fieldErrors.length > 0) throw AppError.validation(fieldErrors);
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
