import type { ModuleManifest } from '../../platform/modules/manifest.ts';
import { apiDocsRoutes } from './routes.tsx';

/** The API reference page, rendered from the kernel's OpenAPI document (/api/docs/json). */
export const apiDocsModule: ModuleManifest = { name: 'api-docs', tables: [], permissions: {}, routes: () => apiDocsRoutes() };
