import { registerPermissions, registerRoles } from '../../platform/auth/permissions.ts';

declare module '../../platform/auth/permissions.ts' {
  interface PermissionRegistry {
    'dossiers.read': true;
    'dossiers.receive': true;
    'dossiers.process': true;
  }
}

/** Who reads, receives and processes dossiers (each over the subtree of the unit the role is held in). */
export const dossierPermissions = {
  'dossiers.read': ['one_stop_officer', 'specialist', 'department_leader', 'agency_leader'],
  'dossiers.receive': ['one_stop_officer'],
  'dossiers.process': ['specialist', 'department_leader', 'agency_leader'],
} as const;

export const dossierRoles = { one_stop_officer: 'Cán bộ một cửa' } as const;

registerPermissions(dossierPermissions);
registerRoles(dossierRoles);
