import { authRoutes } from './platform/auth/routes.tsx';
import type { Config } from './platform/config.ts';
import type { Db } from './platform/db/database.ts';
import { type App, createServer } from './platform/http/server.ts';
import { homeRoutes } from './modules/home/routes.tsx';

/** The composition root: the kernel plus every module's routes. */
export async function buildApp(config: Config, db: Db): Promise<App> {
  return createServer({ config, db }, [homeRoutes(), authRoutes({ db, config })]);
}
