import { randomBytes } from 'node:crypto';
import type { DbOrTx } from '../db/database.ts';
import { type CurrentUser, type Permission, registeredPermissions } from './permissions.ts';
import { tokenHash } from './sessions.ts';

/**
 * API keys: `cqs_` and 256 random bits. Only the SHA-256 is stored (like session tokens: a random key of that length
 * needs no slow hash); the first characters are kept to tell keys apart in lists.
 */
export const API_KEY_PREFIX = 'cqs_';
export const newApiKey = () => `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
export const apiKeyHash = (key: string) => tokenHash(key);
export const apiKeyPrefix = (key: string) => key.slice(0, API_KEY_PREFIX.length + 6);

const TOUCH_EVERY_MS = 5 * 60_000;

/**
 * The caller behind a bearer key: an API client that is not revoked, whose unit is open and whose service account is
 * active, seen by the permission checks as an official holding exactly its permissions over its unit's subtree.
 * Null for anything else (unknown, revoked, malformed). Notes when it was last used, at most every few minutes.
 */
export async function apiClientCaller(db: DbOrTx, key: string, now = new Date()): Promise<CurrentUser | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 100) return null;
  const row = await db
    .selectFrom('api_clients as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .innerJoin('org_units as ou', 'ou.id', 'c.org_unit_id')
    .select(['c.id', 'c.user_id', 'c.name', 'c.org_unit_id', 'c.permissions', 'c.last_used_at', 'u.username', 'ou.path'])
    .where('c.key_hash', '=', apiKeyHash(key))
    .where('c.revoked_at', 'is', null)
    .where('u.status', '=', 'active')
    .where('u.kind', '=', 'service')
    .where('ou.valid_to', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
    await db.updateTable('api_clients').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  // A permission dropped from the code since the key was made grants nothing.
  const known = new Set<string>(registeredPermissions());
  const permissions = row.permissions.filter((p): p is Permission => known.has(p));
  return {
    id: row.user_id,
    kind: 'official',
    username: row.username,
    fullName: row.name,
    grants: [],
    authMethod: 'api_client',
    client: { clientId: row.id, orgUnitId: row.org_unit_id, orgPath: row.path, permissions },
  };
}
