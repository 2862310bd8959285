import path from 'node:path';
import { dossiersModule } from './modules/dossiers/manifest.ts';
import { directoryModule } from './modules/directory/manifest.ts';
import { homeModule } from './modules/home/manifest.ts';
import { proceduresModule } from './modules/procedures/manifest.ts';
import { auditRoutes } from './modules/administration/routes-audit.tsx';
import { authRoutes } from './modules/accounts/routes.tsx';
import { CalendarStore } from './platform/calendar/calendar-store.ts';
import { calendarRoutes } from './modules/administration/routes-calendar.tsx';
import type { Config } from './platform/config.ts';
import type { Db } from './platform/db/database.ts';
import { DiskFileStore } from './platform/files/file-store.ts';
import { type App, createServer } from './platform/http/server.ts';
import { type KernelServices, type ModuleManifest, navigationOf } from './platform/modules/manifest.ts';
import { outboxRoutes } from './platform/outbox/routes.tsx';
import { ruleSetRoutes } from './modules/administration/routes-rules.tsx';
import { numberingRoutes } from './modules/administration/routes-numbering.tsx';
import { type Clock, systemClock } from './platform/time.ts';
import { renderErrorPage } from './web/pages.tsx';

/** The kernel's own pages: sign-in, and the administrators' calendar, audit log and outbox. */
const kernelPages: ModuleManifest = {
  name: 'kernel',
  tables: [],
  permissions: {},
  navigation: [
    { href: '/quan-tri/lich', labelVi: 'Lịch làm việc', group: 'admin', audience: { permission: 'calendar.manage' } },
    { href: '/quan-tri/nhat-ky', labelVi: 'Nhật ký', group: 'admin', audience: { permission: 'audit.read' } },
    { href: '/quan-tri/hop-thu', labelVi: 'Hộp thư đi', group: 'admin', audience: { permission: 'outbox.manage' } },
    { href: '/quan-tri/danh-so', labelVi: 'Dãy số', group: 'admin', audience: { permission: 'numbering.manage' } },
    { href: '/quan-tri/quy-tac', labelVi: 'Quy tắc xử lý', group: 'admin', audience: { permission: 'rules.read' } },
  ],
  routes: (s) => async (app) => {
    await authRoutes(s)(app);
    await auditRoutes(s)(app);
    await calendarRoutes(s)(app);
    await outboxRoutes(s)(app);
    ruleSetRoutes(s)(app);
    numberingRoutes(s)(app);
  },
};

/** Every module of this deployment, in the order their routes and navigation entries are registered. */
export const appModules: readonly ModuleManifest[] = [homeModule, directoryModule, proceduresModule, dossiersModule, kernelPages];

export function kernelServices(config: Config, db: Db, clock: Clock = systemClock): KernelServices {
  return { db, config, calendar: new CalendarStore(db), files: new DiskFileStore(path.join(config.dataDir, 'files'), { quotaBytesPerAccount: config.storageQuotaBytes }), clock };
}

/**
 * The composition root: the kernel plus every module's manifest. `before` registers first (tests use it to watch
 * every route being added with an onRoute hook).
 */
export async function buildApp(config: Config, db: Db, options: { clock?: Clock; before?: readonly ((app: App) => void)[] } = {}): Promise<App> {
  const services = kernelServices(config, db, options.clock);
  return createServer(services, [...(options.before ?? []), ...appModules.map((m) => m.routes(services))], { navigation: navigationOf(appModules), jobs: appModules.flatMap((m) => m.jobs?.(services) ?? []), errorPage: renderErrorPage });
}
