import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import type { App } from '../../platform/http/server.ts';

export function proceduresRoutes(_deps: { db: Db; config: Config }) {
  return (_app: App) => {};
}
