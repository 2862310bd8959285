import { registerPermissions, registerRoles } from '../../platform/auth/permissions.ts';

declare module '../../platform/auth/permissions.ts' {
  interface PermissionRegistry {
    'directory.read': true;
    'directory.manage': true;
  }
}

/** What the directory's permissions are and which roles grant them. */
export const directoryPermissions = {
  'directory.read': ['administrator', 'agency_leader', 'department_leader'],
  'directory.manage': ['administrator'],
} as const;

/** The roles an official holds in an org unit, besides the modules' own (e.g. the one-stop officer). */
export const directoryRoles = {
  specialist: 'Chuyên viên',
  department_leader: 'Lãnh đạo phòng',
  agency_leader: 'Lãnh đạo cơ quan',
  clerk: 'Văn thư',
  reporting_officer: 'Cán bộ báo cáo',
} as const;

registerPermissions(directoryPermissions);
registerRoles(directoryRoles);
