import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A value shown once on the page a form post redirects to (a new API key, a counter code): kept in an HTTP-only,
 * same-site cookie limited to that page's path for a few minutes, and cleared when the page reads it. The value is
 * never stored in plain text anywhere else, so it cannot be shown again.
 */
const cookieName = (name: string) => `cqs_once_${name}`;

export function setShowOnce(reply: FastifyReply, options: { name: string; value: string; path: string; secure: boolean }): void {
  reply.setCookie(cookieName(options.name), options.value, { httpOnly: true, sameSite: 'strict', secure: options.secure, path: options.path, maxAge: 300 });
}

export function takeShowOnce(request: FastifyRequest, reply: FastifyReply, options: { name: string; path: string }): string | undefined {
  const value = request.cookies[cookieName(options.name)];
  if (value !== undefined) reply.clearCookie(cookieName(options.name), { path: options.path });
  return value || undefined;
}
