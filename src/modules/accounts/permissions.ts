import { registerPermissions } from '../../platform/auth/permissions.ts';

declare module '../../platform/auth/permissions.ts' {
  interface PermissionRegistry {
    'identity.verify': true;
    'api_clients.manage': true;
  }
}

/**
 * Verifying a person's identity at the counter is a one-stop officer's duty (TT 03/2025: "check their e-identity
 * account"); API clients are managed by administrators, within their subtree.
 */
export const accountPermissions = {
  'identity.verify': ['one_stop_officer'],
  'api_clients.manage': ['administrator'],
} as const;

registerPermissions(accountPermissions);
