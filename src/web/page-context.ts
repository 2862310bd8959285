import type { CurrentUser } from '../platform/auth/permissions.ts';

/** What every server-rendered page needs to know about the request. */
export interface PageContext {
  readonly user: CurrentUser | null;
  readonly csrfToken: string;
  readonly path: string;
  readonly siteName: string;
  readonly isAdmin: boolean;
  /** Officials who see a dossier queue (one-stop, specialists, leaders). */
  readonly worksDossiers: boolean;
}
