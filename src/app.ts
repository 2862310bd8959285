import path from 'node:path';
import { homeRoutes } from './modules/home/routes.tsx';
import { directoryRoutes } from './modules/directory/routes.tsx';
import { dossierRoutes } from './modules/dossiers/routes.tsx';
import { proceduresRoutes } from './modules/procedures/routes.tsx';
import { auditRoutes } from './platform/audit/routes.tsx';
import { authRoutes } from './platform/auth/routes.tsx';
import { CalendarStore } from './platform/calendar/calendar-store.ts';
import { calendarRoutes } from './platform/calendar/routes.tsx';
import { numberingRoutes } from './platform/numbering/routes.tsx';
import { outboxRoutes } from './platform/outbox/routes.tsx';
import { DiskFileStore } from './platform/files/file-store.ts';
import type { Config } from './platform/config.ts';
import type { Db } from './platform/db/database.ts';
import { type App, createServer } from './platform/http/server.ts';

/** The composition root: the kernel plus every module's routes. */
export async function buildApp(config: Config, db: Db): Promise<App> {
  const deps = { db, config, calendar: new CalendarStore(db), files: new DiskFileStore(path.join(config.dataDir, 'files')) };
  return createServer(deps, [
    homeRoutes(),
    authRoutes(deps),
    directoryRoutes(deps),
    proceduresRoutes(deps),
    auditRoutes(deps),
    calendarRoutes(deps),
    numberingRoutes(deps),
    dossierRoutes(deps),
    outboxRoutes(deps),
  ]);
}
