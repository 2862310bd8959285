import type { ModuleManifest } from '../../platform/modules/manifest.ts';
import { accountPermissions } from './permissions.ts';
import { apiClientRoutes } from './routes-api-clients.tsx';
import { identityRoutes } from './routes-identity.tsx';
import { vneidRoutes } from './routes-vneid.tsx';
import { authRoutes } from './routes.tsx';
import { exportRoutes } from './routes-exports.tsx';

/**
 * Sign-in and sign-out (password or VNeID), pages and API, over the kernel's sessions and sign-in limits; the
 * identity behind citizen accounts (verified through VNeID or at a counter); API clients (bearer keys).
 */
export const accountsModule: ModuleManifest = {
  name: 'accounts',
  tables: [],
  permissions: accountPermissions,
  navigation: [
    { href: '/dich-vu-cong/tai-khoan', labelVi: 'Tài khoản', group: 'citizen', audience: 'citizen' },
    { href: '/xac-minh-danh-tinh', labelVi: 'Xác minh danh tính', group: 'work', audience: { permission: 'identity.verify' } },
    { href: '/quan-tri/ung-dung', labelVi: 'Ứng dụng kết nối', group: 'admin', audience: { permission: 'api_clients.manage' } },
  ],
  routes: (s) => async (app) => {
    await authRoutes(s)(app);
    await vneidRoutes(s)(app);
    await identityRoutes(s)(app);
    await apiClientRoutes(s)(app);
    exportRoutes(s)(app);
  },
};
