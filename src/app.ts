import path from 'node:path';
import { homeRoutes } from './modules/home/routes.tsx';
import { directoryRoutes } from './modules/directory/routes.tsx';
import { dossierRoutes } from './modules/dossiers/routes.tsx';
import { proceduresRoutes } from './modules/procedures/routes.tsx';
import { auditRoutes } from './platform/audit/routes.tsx';
import { authRoutes } from './platform/auth/routes.tsx';
import { CalendarStore } from './platform/calendar/calendar-store.ts';
import { calendarRoutes } from './platform/calendar/routes.tsx';
import { outboxRoutes } from './platform/outbox/routes.tsx';
import { DiskFileStore } from './platform/files/file-store.ts';
import type { Config } from './platform/config.ts';
import type { Db } from './platform/db/database.ts';
import { type App, createServer } from './platform/http/server.ts';

/**
 * The composition root: the kernel plus every module's routes. `before` registers first (tests use it to watch every
 * route being added with an onRoute hook).
 */
export async function buildApp(config: Config, db: Db, before: readonly ((app: App) => void)[] = []): Promise<App> {
  const deps = { db, config, calendar: new CalendarStore(db), files: new DiskFileStore(path.join(config.dataDir, 'files'), { quotaBytesPerAccount: config.storageQuotaBytes }) };
  return createServer(deps, [
    ...before,
    homeRoutes(),
    authRoutes(deps),
    directoryRoutes(deps),
    proceduresRoutes(deps),
    auditRoutes(deps),
    calendarRoutes(deps),
    dossierRoutes(deps),
    outboxRoutes(deps),
  ]);
}
