import type { ModuleManifest } from '../../platform/modules/manifest.ts';
import { directoryPermissions, directoryRoles } from './permissions.ts';
import { directoryRoutes } from './routes.tsx';

/** Administrative units of both eras, the province's org units with agency codes, officials and their roles. */
export const directoryModule: ModuleManifest = {
  name: 'directory',
  tables: ['admin_units', 'admin_unit_links', 'citizen_profiles'],
  permissions: directoryPermissions,
  roles: directoryRoles,
  navigation: [
    // Administrators land on the units they administer (the province's, or one ward's).
    { href: '/quan-tri/don-vi', labelVi: 'Đơn vị', group: 'admin', audience: { permission: 'directory.manage' }, landingRank: 30 },
    { href: '/quan-tri/can-bo', labelVi: 'Cán bộ', group: 'admin', audience: { permission: 'directory.manage' } },
    // The citizen's profile (/dich-vu-cong/thong-tin-ca-nhan) is reached from their account page, not the main menu.
  ],
  routes: (s) => directoryRoutes(s),
};
