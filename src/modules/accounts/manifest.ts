import type { ModuleManifest } from '../../platform/modules/manifest.ts';
import { authRoutes } from './routes.tsx';

/** Sign-in and sign-out, pages and API, over the kernel's sessions and sign-in limits. */
export const accountsModule: ModuleManifest = { name: 'accounts', tables: [], permissions: {}, routes: (s) => authRoutes(s) };
