import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { PageContext } from '../../web/page-context.ts';
import { renderDocument } from '../../web/render.tsx';
import type { Actor } from '../audit/audit-log.ts';
import { type CurrentUser, hasPermissionAnywhere, type Permission, permissionScopes } from '../auth/permissions.ts';
import type { SessionInfo } from '../auth/sessions.ts';
import { AppError } from '../errors.ts';
import { navShownTo } from '../modules/manifest.ts';

declare module 'fastify' {
  interface FastifyRequest {
    session: SessionInfo | null;
    csrfToken: string;
  }
  interface FastifyContextConfig {
    /** Set false only for machine callbacks that authenticate by signature instead of a browser session. */
    csrf?: boolean;
  }
}

export function currentUser(request: FastifyRequest): CurrentUser | null {
  return request.session?.user ?? null;
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
  if (!permissionScopes(user, permission).some((p) => /^\/[^/]+\/$/.test(p))) throw new AppError('forbidden');
  return user;
}

export function actorOf(request: FastifyRequest): Actor {
  const user = currentUser(request);
  return { id: user?.id ?? null, label: user?.username ?? 'anonymous', requestId: request.id };
}

const SITE_NAME = 'CQS – Chính quyền số';

export function pageContext(request: FastifyRequest): PageContext {
  const user = currentUser(request);
  return {
    user,
    csrfToken: request.csrfToken,
    path: request.url.split('?')[0] ?? '/',
    siteName: SITE_NAME,
    navigation: request.server.navigation.filter((n) => navShownTo(n, user, (p) => hasPermissionAnywhere(user, p))).map((n) => ({ href: n.href, label: n.labelVi })),
  };
}

export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply.status(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(renderDocument(page));
}

export function wantsHtml(request: FastifyRequest): boolean {
  return !request.url.startsWith('/api/');
}
