import type { FastifyRequest } from 'fastify';
import type { Actor } from '../audit/audit-log.ts';
import { type CurrentUser, hasPermissionAnywhere, hasPermissionAtRoot, type Permission } from '../auth/permissions.ts';
import type { SessionInfo } from '../auth/sessions.ts';
import { AppError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    session: SessionInfo | null;
    csrfToken: string;
    /** The API client behind an `Authorization: Bearer` key on /api/ (then no cookie is read). */
    apiCaller: CurrentUser | null;
  }
  interface FastifyContextConfig {
    /** Set false only for machine callbacks that authenticate by signature instead of a browser session. */
    csrf?: boolean;
  }
}

export function currentUser(request: FastifyRequest): CurrentUser | null {
  return request.session?.user ?? request.apiCaller ?? null;
}

/**
 * Whether an unsafe request must carry the CSRF token: a browser's cookies are sent whoever made the page, so yes,
 * unless the route authenticates by signature or the caller sent a bearer key (which no other site can make a
 * browser send).
 */
export function csrfApplies(request: FastifyRequest): boolean {
  return request.routeOptions.config.csrf !== false && request.apiCaller === null;
}

export function requireUser(request: FastifyRequest): CurrentUser {
  const user = currentUser(request);
  if (!user) throw new AppError('unauthenticated');
  return user;
}

/** Requires a signed-in official holding `permission` in at least one org unit (the subtree is checked per record). */
export function requirePermission(request: FastifyRequest, permission: Permission): CurrentUser {
  const user = requireUser(request);
  if (!hasPermissionAnywhere(user, permission)) throw new AppError('forbidden');
  return user;
}

/** For province-wide data (catalogue, calendar): the permission must be held at a root org unit. */
export function requireRootPermission(request: FastifyRequest, permission: Permission): CurrentUser {
  const user = requirePermission(request, permission);
  if (!hasPermissionAtRoot(user, permission)) throw new AppError('forbidden');
  return user;
}

export function actorOf(request: FastifyRequest): Actor {
  const user = currentUser(request);
  return { id: user?.id ?? null, label: user?.username ?? 'anonymous', requestId: request.id };
}

export function wantsHtml(request: FastifyRequest): boolean {
  return !request.url.startsWith('/api/');
}
