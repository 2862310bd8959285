import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, errorCodes } from '../errors.ts';

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ErrorCode;
  readonly instance: string;
  readonly requestId: string;
  readonly errors: readonly { field: string; code: string; message: string; messageEn: string }[];
}

const frameworkCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
};

/** Maps anything thrown into an AppError: known framework errors keep their meaning, the rest is internal. */
/**
 * A database that cannot be reached: SQLSTATE class 08 (Citus reports a stopped worker as 08006), a server shutting
 * down or starting (57P01–57P03), or the driver's own connection errors. The request may be retried; nothing it
 * did was committed.
 */
function isDatabaseUnavailable(error: { code?: unknown; message?: unknown }): boolean {
  const code = typeof error.code === 'string' ? error.code : '';
  if (/^08[0-9A-Z]{3}$/.test(code) || ['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(code)) return true;
  return typeof error.message === 'string' && /^Connection terminated/.test(error.message);
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error !== null && typeof error === 'object' && isDatabaseUnavailable(error)) return new AppError('database_unavailable');
  const e = error as Partial<FastifyError>;
  const mapped = e.code ? frameworkCodes[e.code] : undefined;
  if (mapped) return new AppError(mapped);
  if (e.statusCode === 429) return new AppError('rate_limited');
  if (e.statusCode === 400 && e.code?.startsWith('FST_ERR_CTP')) return new AppError('bad_request');
  return new AppError('internal');
}

export function problemOf(error: AppError, request: FastifyRequest): ProblemDocument {
  return {
    type: `urn:cqs:problem:${error.code}`,
    title: errorCodes[error.code].en,
    status: error.httpStatus,
    detail: error.messageVi,
    code: error.code,
    instance: request.url.split('?')[0] ?? request.url,
    requestId: request.id,
    errors: error.fieldErrors.map((f) => ({ field: f.field, code: f.code, message: f.messageVi, messageEn: f.messageEn })),
  };
}

export function sendProblem(reply: FastifyReply, error: AppError): FastifyReply {
  // A service that will be back: say when to try again (RFC 9110 §10.2.3).
  if (error.httpStatus === 503) reply.header('retry-after', '30');
  return reply
    .status(error.httpStatus)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(JSON.stringify(problemOf(error, reply.request)));
}
