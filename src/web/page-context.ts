import type { CurrentUser } from '../platform/auth/permissions.ts';

/** What every server-rendered page needs to know about the request. */
export interface PageContext {
  readonly user: CurrentUser | null;
  readonly csrfToken: string;
  readonly path: string;
  readonly siteName: string;
  /** The main navigation entries this user sees, from the modules' manifests; `current` marks the page's own. */
  readonly navigation: readonly { readonly href: string; readonly label: string; readonly current: boolean }[];
}
