import type { CalendarStore } from '../calendar/calendar-store.ts';
import { type CurrentUser, hasPermissionAnywhere, hasPermissionAtRoot, type Permission } from '../auth/permissions.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import type { ExportKind, ExportRunner } from '../exports/export-jobs.ts';
import type { FileStore } from '../files/file-store.ts';
import type { App } from '../http/server.ts';
import type { TenantDirectory } from '../tenancy/tenants.ts';
import type { Clock } from '../time.ts';

/** What the kernel hands every module: the database, configuration, calendar, file store, clock and exports. */
export interface KernelServices {
  readonly db: Db;
  readonly config: Config;
  readonly calendar: CalendarStore;
  readonly files: FileStore;
  readonly clock: Clock;
  /** Exports written in the background: a module queues one with `requestExport`, then wakes the runner. */
  readonly exports: ExportRunner;
  /** The provinces served; jobs run once for each. */
  readonly tenants: TenantDirectory;
}

/** An entry of the main navigation, shown to whoever it is for. */
export interface NavEntry {
  readonly href: string;
  readonly labelVi: string;
  /** Where it sits: public pages first, then a citizen's, an officer's work, administration. */
  readonly group: 'public' | 'citizen' | 'work' | 'admin';
  /**
   * Who sees it: anyone, a signed-in citizen, or officials holding a permission somewhere (or, with `atRoot`, at the
   * province's root unit: province-wide settings a ward's administrator cannot open).
   */
  readonly audience: 'everyone' | 'citizen' | { readonly permission: Permission; readonly atRoot?: boolean };
  /**
   * Where an official lands after signing in: the entry with the lowest rank among those shown to them (their work
   * queue before statistics, statistics before administration); entries without a rank are never a landing page.
   */
  readonly landingRank?: number;
}

/** A job the server runs every so often while it is up (deadline alerts, deliveries, housekeeping …). */
export interface JobSpec {
  readonly name: string;
  readonly everyMs: number;
  /** Run once as soon as the server starts, not only after the first interval. */
  readonly runAtStart?: boolean;
  run(): Promise<unknown>;
}

/**
 * What a module tells the kernel about itself; the composition root (`src/app.ts`) registers every module's manifest,
 * and the kernel knows modules only through them. Permissions and roles register when the module's `permissions.ts`
 * loads (so that use cases tested without HTTP have them); the manifest names them for the record.
 */
export interface ModuleManifest {
  readonly name: string;
  /** The tables the module owns; no other module names them (test/architecture/module-boundaries.test.ts). */
  readonly tables: readonly string[];
  readonly permissions: Readonly<Partial<Record<Permission, readonly Role[]>>>;
  readonly roles?: Readonly<Partial<Record<Role, string>>>;
  readonly navigation?: readonly NavEntry[];
  routes(services: KernelServices): (app: App) => Promise<void> | void;
  jobs?(services: KernelServices): readonly JobSpec[];
  /** The kinds of file the module exports in the background (see src/platform/exports). */
  exports?(services: KernelServices): readonly ExportKind[];
}

const GROUPS: readonly NavEntry['group'][] = ['public', 'citizen', 'work', 'admin'];

/** The navigation of all modules, in group order, then in the order the modules were registered. */
export const navigationOf = (manifests: readonly ModuleManifest[]): NavEntry[] =>
  GROUPS.flatMap((g) => manifests.flatMap((m) => (m.navigation ?? []).filter((n) => n.group === g)));

/** Whether a navigation entry is for this user. */
export function navShownTo(entry: NavEntry, user: CurrentUser | null): boolean {
  if (entry.audience === 'everyone') return true;
  if (entry.audience === 'citizen') return user?.kind === 'citizen';
  return entry.audience.atRoot ? hasPermissionAtRoot(user, entry.audience.permission) : hasPermissionAnywhere(user, entry.audience.permission);
}

/** The page a user lands on after signing in without asking for one: their first work page, else the home page. */
export function landingPageOf(navigation: readonly NavEntry[], user: CurrentUser | null): string {
  const ranked = navigation.filter((n) => n.landingRank !== undefined && navShownTo(n, user));
  ranked.sort((a, b) => (a.landingRank ?? 0) - (b.landingRank ?? 0));
  return ranked[0]?.href ?? '/';
}
