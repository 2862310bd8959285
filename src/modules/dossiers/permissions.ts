import { registerPermissions, registerRoles } from '../../platform/auth/permissions.ts';

declare module '../../platform/auth/permissions.ts' {
  interface PermissionRegistry {
    'dossiers.read': true;
    'dossiers.receive': true;
    'dossiers.process': true;
    'dossiers.register': true;
    'dossiers.statistics': true;
  }
}

/**
 * Who reads, receives and processes dossiers, keeps the register and reads the figures (each over the subtree of the
 * unit the role is held in). The clerk (văn thư) follows the unit's dossiers and keeps its register (Mẫu 07) without
 * acting on them; the reporting officer reads the figures only, never a dossier or a name.
 */
export const dossierPermissions = {
  'dossiers.read': ['one_stop_officer', 'specialist', 'department_leader', 'agency_leader', 'clerk'],
  'dossiers.receive': ['one_stop_officer'],
  'dossiers.process': ['specialist', 'department_leader', 'agency_leader'],
  'dossiers.register': ['one_stop_officer', 'clerk', 'department_leader', 'agency_leader'],
  'dossiers.statistics': ['reporting_officer', 'department_leader', 'agency_leader'],
} as const;

export const dossierRoles = { one_stop_officer: 'Cán bộ một cửa' } as const;

registerPermissions(dossierPermissions);
registerRoles(dossierRoles);
