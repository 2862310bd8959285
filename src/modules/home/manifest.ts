import type { ModuleManifest } from '../../platform/modules/manifest.ts';
import { homeRoutes } from './routes.tsx';

/** The home page. */
export const homeModule: ModuleManifest = { name: 'home', tables: [], permissions: {}, routes: () => homeRoutes() };
