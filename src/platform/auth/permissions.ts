import type { AuthMethod, Role } from '../db/schema.ts';

/**
 * The permissions there are, by name. The kernel declares its own here; each module adds its own to this interface
 * (declaration merging in the module's `permissions.ts`) and registers which roles grant them when that file loads,
 * so the kernel never lists a module's permissions.
 */
export interface PermissionRegistry {
  'audit.read': true;
  'calendar.manage': true;
  'outbox.manage': true;
  'rules.read': true;
  'numbering.manage': true;
}

export type Permission = keyof PermissionRegistry;

/**
 * Which roles grant which permission. A role held in an org unit grants the permission over that unit's whole
 * subtree: an administrator of the province's people's committee manages every unit below it.
 */
const grantingRoles = new Map<Permission, readonly Role[]>([
  ['audit.read', ['administrator']],
  ['calendar.manage', ['administrator']],
  ['outbox.manage', ['administrator']],
  ['rules.read', ['administrator', 'agency_leader']],
  ['numbering.manage', ['administrator']],
]);

const roleNames = new Map<Role, string>([['administrator', 'Quản trị hệ thống']]);

/** A module's permissions and the roles that grant each (called once when the module's permissions file loads). */
export function registerPermissions(permissions: Readonly<Partial<Record<Permission, readonly Role[]>>>): void {
  for (const [p, roles] of Object.entries(permissions) as [Permission, readonly Role[]][]) grantingRoles.set(p, roles);
}

/** Roles a module defines, with their Vietnamese names. */
export function registerRoles(roles: Readonly<Partial<Record<Role, string>>>): void {
  for (const [r, name] of Object.entries(roles) as [Role, string][]) roleNames.set(r, name);
}

/** Every permission registered so far (the kernel's and the loaded modules'). */
export const registeredPermissions = (): Permission[] => [...grantingRoles.keys()];

export function rolesGranting(permission: Permission): readonly Role[] {
  const roles = grantingRoles.get(permission);
  // A permission nobody registered is a programming error: fail loudly rather than deny silently.
  if (!roles) throw new Error(`permission ${permission} is not registered`);
  return roles;
}

/** The Vietnamese name of a role, and every role known (for the officials' pages). */
export const roleNameVi = (role: Role): string => roleNames.get(role) ?? role;
export const knownRoles = (): Role[] => [...roleNames.keys()];

export interface RoleGrant {
  readonly role: Role;
  readonly orgUnitId: string;
  readonly orgPath: string;
  readonly orgName: string;
}

/** An API client's grant: a set of permissions over one org unit's subtree (instead of roles). */
export interface ClientGrant {
  readonly clientId: string;
  readonly orgUnitId: string;
  readonly orgPath: string;
  readonly permissions: readonly Permission[];
}

export interface CurrentUser {
  readonly id: string;
  /** API clients act as officials of their unit: the same permission checks apply, through `client`. */
  readonly kind: 'citizen' | 'official';
  readonly username: string;
  readonly fullName: string;
  readonly grants: readonly RoleGrant[];
  /** The personal ID whose papers, results and dossiers reach this account: set only once its identity is verified. */
  readonly verifiedPersonalId?: string | null;
  /** How this request's caller authenticated (recorded on the transactions it makes). */
  readonly authMethod?: AuthMethod | 'api_client';
  readonly client?: ClientGrant;
}

/** The org-path prefixes under which `user` holds `permission`; empty when it holds it nowhere. */
export function permissionScopes(user: CurrentUser | null, permission: Permission): string[] {
  if (user?.client) return user.client.permissions.includes(permission) ? [user.client.orgPath] : [];
  if (user?.kind !== 'official') return [];
  const roles = rolesGranting(permission);
  return user.grants.filter((g) => roles.includes(g.role)).map((g) => g.orgPath);
}

export function hasPermissionOver(user: CurrentUser | null, permission: Permission, targetPath: string): boolean {
  return permissionScopes(user, permission).some((prefix) => targetPath.startsWith(prefix));
}

export function hasPermissionAnywhere(user: CurrentUser | null, permission: Permission): boolean {
  return permissionScopes(user, permission).length > 0;
}

/**
 * Whether `user` holds `permission` at a root org unit (the province's people's committee): what province-wide data
 * (calendar, numbering series, outbox, catalogue import) asks for, since a ward's administrator must not edit it.
 */
export function hasPermissionAtRoot(user: CurrentUser | null, permission: Permission): boolean {
  return permissionScopes(user, permission).some((p) => /^\/[^/]+\/$/.test(p));
}
