import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/time.ts';
import type { App } from '../../platform/http/server.ts';
import { officialRoutes } from './routes-officials.tsx';
import { orgUnitRoutes } from './routes-org-units.tsx';
import { profileRoutes } from './routes-profile.tsx';
import { directoryPublicRoutes } from './routes-public.tsx';

export function directoryRoutes(deps: { db: Db; config: Config; clock: Clock }) {
  return (app: App) => {
    directoryPublicRoutes(deps.db, deps.config, deps.clock)(app);
    orgUnitRoutes(deps.db, deps.clock)(app);
    officialRoutes(deps.db, deps.clock)(app);
    profileRoutes(deps.db, deps.clock)(app);
  };
}
