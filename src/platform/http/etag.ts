import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

export function setEtag(reply: FastifyReply, rowVersion: number): void {
  reply.header('etag', `"${rowVersion}"`);
}

/** The row version the client last saw, from `If-Match: "<n>"`; required on updates that can conflict. */
export function expectedVersion(request: FastifyRequest): number {
  const header = request.headers['if-match'];
  if (typeof header !== 'string' || header.trim() === '') throw new AppError('precondition_required');
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!m) throw new AppError('conflict');
  return Number(m[1]);
}
