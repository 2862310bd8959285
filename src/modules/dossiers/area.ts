import './permissions.ts';
import type { FastifyRequest } from 'fastify';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import { requirePermission, requireUser } from '../../platform/http/request-context.ts';

/** The two areas that show a dossier: the citizens' portal and the officers' back office. */
export type Area = 'dich-vu-cong' | 'mot-cua';

/**
 * Who is asking, for a page of `area`: the back office is for officials only (a citizen gets 403 there even for their
 * own dossier); the portal is for anyone signed in. Which dossiers they then see is decided by the dossier's access rules.
 */
export function userIn(request: FastifyRequest, area: Area): CurrentUser {
  return area === 'mot-cua' ? requirePermission(request, 'dossiers.read') : requireUser(request);
}
