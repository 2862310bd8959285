import { registerPermissions } from '../../platform/auth/permissions.ts';

declare module '../../platform/auth/permissions.ts' {
  interface PermissionRegistry {
    'procedures.manage': true;
  }
}

export const procedurePermissions = { 'procedures.manage': ['administrator'] } as const;

registerPermissions(procedurePermissions);
