import { readFileSync } from 'node:fs';
import path from 'node:path';
import { trustListFromPem } from './platform/signing/pdf-signatures.ts';
import { accountsModule } from './modules/accounts/manifest.ts';
import { apiDocsModule } from './modules/api-docs/manifest.ts';
import { administrationModule } from './modules/administration/manifest.ts';
import { dossiersModule } from './modules/dossiers/manifest.ts';
import { directoryModule } from './modules/directory/manifest.ts';
import { homeModule } from './modules/home/manifest.ts';
import { proceduresModule } from './modules/procedures/manifest.ts';
import { CalendarStore } from './platform/calendar/calendar-store.ts';
import type { Config } from './platform/config.ts';
import type { Db } from './platform/db/database.ts';
import { ExportRunner } from './platform/exports/export-jobs.ts';
import { configuredFileStore } from './platform/files/configured-store.ts';
import { type App, createServer } from './platform/http/server.ts';
import { type KernelServices, type ModuleManifest, navigationOf } from './platform/modules/manifest.ts';
import { TenantDirectory } from './platform/tenancy/tenants.ts';
import { type Clock, systemClock } from './platform/time.ts';
import { renderErrorPage } from './web/pages.tsx';

/** Every module of this deployment, in the order their routes and navigation entries are registered. */
export const appModules: readonly ModuleManifest[] = [homeModule, accountsModule, directoryModule, proceduresModule, dossiersModule, administrationModule, apiDocsModule];

export function kernelServices(config: Config, db: Db, clock: Clock = systemClock, tenants = new TenantDirectory([])): KernelServices {
  // The trust list is read once at start: a missing file is a configuration error, not a silently empty list.
  const signatureTrust = trustListFromPem(config.trustedCaFiles.map((f) => readFileSync(f, 'utf8')).join('\n'));
  const files = configuredFileStore(config, signatureTrust);
  const exports = new ExportRunner(db, path.join(config.dataDir, 'exports'), clock, undefined, tenants.ids);
  return { db, config, calendar: new CalendarStore(db), files, clock, exports, tenants };
}

/**
 * The composition root: the kernel plus every module's manifest. `before` registers first (tests use it to watch
 * every route being added with an onRoute hook).
 */
export async function buildApp(config: Config, db: Db, options: { clock?: Clock; before?: readonly ((app: App) => void)[] } = {}): Promise<App> {
  const services = kernelServices(config, db, options.clock, await TenantDirectory.load(db));
  services.exports.addKinds(appModules.flatMap((m) => m.exports?.(services) ?? []));
  const app = await createServer(services, [...(options.before ?? []), ...appModules.map((m) => m.routes(services))], { navigation: navigationOf(appModules), jobs: appModules.flatMap((m) => m.jobs?.(services) ?? []), errorPage: renderErrorPage });
  app.decorate('exports', services.exports);
  app.decorate('files', services.files);
  // An export being written finishes its batch before the database is closed.
  app.addHook('onClose', async () => {
    await services.exports.stop();
    services.files.close?.();
  });
  return app;
}
