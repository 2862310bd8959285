import type { Role } from '../db/schema.ts';

/**
 * Which roles grant which permission. A role held in an org unit grants the permission over that unit's whole
 * subtree: an administrator of the province's people's committee manages every unit below it.
 */
export const permissionRoles = {
  'directory.read': ['administrator', 'agency_leader', 'department_leader'],
  'directory.manage': ['administrator'],
  'procedures.manage': ['administrator'],
  'audit.read': ['administrator'],
  'calendar.manage': ['administrator'],
  'dossiers.read': ['one_stop_officer', 'specialist', 'department_leader', 'agency_leader'],
  'dossiers.receive': ['one_stop_officer'],
  'dossiers.process': ['specialist', 'department_leader', 'agency_leader'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionRoles;

export const roleNamesVi: Record<Role, string> = {
  one_stop_officer: 'Cán bộ một cửa',
  specialist: 'Chuyên viên',
  department_leader: 'Lãnh đạo phòng',
  agency_leader: 'Lãnh đạo cơ quan',
  clerk: 'Văn thư',
  reporting_officer: 'Cán bộ báo cáo',
  administrator: 'Quản trị hệ thống',
};

export const allRoles = Object.keys(roleNamesVi) as Role[];

export interface RoleGrant {
  readonly role: Role;
  readonly orgUnitId: string;
  readonly orgPath: string;
  readonly orgName: string;
}

export interface CurrentUser {
  readonly id: string;
  readonly kind: 'citizen' | 'official';
  readonly username: string;
  readonly fullName: string;
  readonly grants: readonly RoleGrant[];
}

/** The org-path prefixes under which `user` holds `permission`; empty when it holds it nowhere. */
export function permissionScopes(user: CurrentUser | null, permission: Permission): string[] {
  if (user?.kind !== 'official') return [];
  const roles: readonly Role[] = permissionRoles[permission];
  return user.grants.filter((g) => roles.includes(g.role)).map((g) => g.orgPath);
}

export function hasPermissionOver(user: CurrentUser | null, permission: Permission, targetPath: string): boolean {
  return permissionScopes(user, permission).some((prefix) => targetPath.startsWith(prefix));
}

export function hasPermissionAnywhere(user: CurrentUser | null, permission: Permission): boolean {
  return permissionScopes(user, permission).length > 0;
}
