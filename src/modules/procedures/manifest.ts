import type { ModuleManifest } from '../../platform/modules/manifest.ts';
import { procedurePermissions } from './permissions.ts';
import { proceduresRoutes } from './routes.tsx';

/** The versioned catalogue of administrative procedures, their setup and the units that handle them. */
export const proceduresModule: ModuleManifest = {
  name: 'procedures',
  tables: ['sectors', 'procedures', 'procedure_versions', 'procedure_assignments', 'import_runs', 'paper_requirements', 'workflow_steps', 'form_fields'],
  permissions: procedurePermissions,
  navigation: [
    { href: '/thu-tuc', labelVi: 'Thủ tục hành chính', group: 'public', audience: 'everyone' },
    { href: '/quan-tri/thu-tuc', labelVi: 'Danh mục thủ tục', group: 'admin', audience: { permission: 'procedures.manage' } },
  ],
  routes: (s) => proceduresRoutes(s),
};
