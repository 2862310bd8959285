import { randomUUID } from 'node:crypto';
import './permissions.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import { apiKeyHash, apiKeyPrefix, newApiKey } from '../../platform/auth/api-clients.ts';
import { orgUnitInScope } from '../../platform/auth/org-scope.ts';
import { NO_PASSWORD } from '../../platform/auth/password.ts';
import { type CurrentUser, hasPermissionOver, type Permission, permissionScopes, registeredPermissions } from '../../platform/auth/permissions.ts';
import type { Db, DbOrTx } from '../../platform/db/database.ts';
import { AppError, FieldErrors } from '../../platform/errors.ts';
import type { NewApiClient } from './schema.ts';

/** Permissions no key may hold: making keys (a key would mint keys), and checking a person's card at a counter. */
const NOT_FOR_KEYS: ReadonlySet<string> = new Set<Permission>(['api_clients.manage', 'identity.verify']);

/** What an administrator may give an API client. */
export const grantablePermissions = (): Permission[] => registeredPermissions().filter((p) => !NOT_FOR_KEYS.has(p)).sort();

/** The Vietnamese name of a permission, for the administrators' pages; the code itself when none is written yet. */
const permissionNamesVi: Partial<Record<Permission, string>> = {
  'audit.read': 'Xem nhật ký hệ thống',
  'calendar.manage': 'Quản lý lịch làm việc',
  'outbox.manage': 'Quản lý hộp thư đi',
  'rules.read': 'Xem bộ quy tắc',
  'numbering.manage': 'Quản lý dãy số',
  'directory.read': 'Xem danh mục đơn vị, cán bộ',
  'directory.manage': 'Quản lý đơn vị, cán bộ',
  'procedures.manage': 'Quản lý thủ tục hành chính',
  'dossiers.read': 'Xem hồ sơ',
  'dossiers.receive': 'Tiếp nhận hồ sơ',
  'dossiers.process': 'Xử lý hồ sơ',
};
export const permissionNameVi = (p: string): string => permissionNamesVi[p as Permission] ?? p;

export interface ApiClientView {
  readonly id: string;
  readonly name: string;
  readonly orgUnitId: string;
  readonly orgUnitName: string;
  readonly permissions: string[];
  readonly keyPrefix: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

function clients(db: DbOrTx) {
  return db
    .selectFrom('api_clients as c')
    .innerJoin('org_units as ou', 'ou.id', 'c.org_unit_id')
    .select(['c.id', 'c.name', 'c.org_unit_id', 'ou.name as org_unit_name', 'ou.path', 'c.permissions', 'c.key_prefix', 'c.created_at', 'c.last_used_at', 'c.revoked_at', 'c.user_id']);
}

type ClientRow = Awaited<ReturnType<ReturnType<typeof clients>['executeTakeFirstOrThrow']>>;

const view = (r: ClientRow): ApiClientView => ({
  id: r.id,
  name: r.name,
  orgUnitId: r.org_unit_id,
  orgUnitName: r.org_unit_name,
  permissions: r.permissions,
  keyPrefix: r.key_prefix,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

/** The API clients of units in the administrator's subtree, newest first. */
export async function listApiClients(db: DbOrTx, admin: CurrentUser): Promise<ApiClientView[]> {
  const scopes = permissionScopes(admin, 'api_clients.manage');
  if (scopes.length === 0) throw new AppError('forbidden');
  const rows = await clients(db)
    .where((eb) => eb.or(scopes.map((p) => eb('ou.path', 'like', `${p}%`))))
    .orderBy('c.created_at', 'desc')
    .limit(500)
    .execute();
  return rows.map(view);
}

/** One API client in the administrator's subtree; anything else is 404. */
export async function getApiClient(db: DbOrTx, admin: CurrentUser, id: string): Promise<ApiClientView> {
  const row = await clients(db).where('c.id', '=', id).executeTakeFirst();
  if (!row || !hasPermissionOver(admin, 'api_clients.manage', row.path)) throw new AppError('not_found');
  return view(row);
}

/**
 * Makes an API client for a unit in the administrator's subtree, holding the permissions given over that unit's
 * subtree, with its own service account. Returns its key, which is shown this once: only its hash is kept.
 */
export async function createApiClient(db: Db, admin: CurrentUser, actor: Actor, input: NewApiClient): Promise<{ client: ApiClientView; key: string }> {
  const errors = new FieldErrors();
  const grantable = new Set<string>(grantablePermissions());
  const unknown = input.permissions.filter((p) => !grantable.has(p));
  if (unknown.length > 0) errors.add('permissions', 'not_grantable', `Không cấp được quyền: ${unknown.join(', ')}.`, `Permissions that cannot be granted: ${unknown.join(', ')}.`);
  if (new Set(input.permissions).size !== input.permissions.length) errors.add('permissions', 'duplicate', 'Mỗi quyền chỉ chọn một lần.', 'Each permission once.');
  const unit = await orgUnitInScope(db, admin, 'api_clients.manage', input.orgUnitId).catch((error: unknown) => {
    // Outside the subtree reads as a unit that does not exist, next to the field.
    if (error instanceof AppError && error.code === 'not_found') errors.add('orgUnitId', 'not_found', 'Không có đơn vị này trong phạm vi bạn quản lý.', 'No such unit in your scope.');
    else throw error;
    return null;
  });
  errors.throwIfAny();
  if (!unit) throw new AppError('internal');
  const key = newApiKey();
  const id = await db.transaction().execute(async (tx) => {
    const account = await tx
      .insertInto('users')
      .values({ kind: 'service', username: `api-client:${randomUUID()}`, full_name: input.name.trim(), email: null, phone: null, personal_id: null, password_hash: NO_PASSWORD, locked_until: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await tx
      .insertInto('api_clients')
      .values({ user_id: account.id, name: input.name.trim(), org_unit_id: unit.id, permissions: [...input.permissions], key_hash: apiKeyHash(key), key_prefix: apiKeyPrefix(key), created_by: admin.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, { action: 'api_client.created', entityType: 'api_client', entityId: row.id, orgUnitId: unit.id, after: { name: input.name.trim(), permissions: input.permissions, keyPrefix: apiKeyPrefix(key) } });
    return row.id;
  });
  return { client: await getApiClient(db, admin, id), key };
}

/** Revokes an API client of the administrator's subtree: its key stops working at once. Revoking twice changes nothing. */
export async function revokeApiClient(db: Db, admin: CurrentUser, actor: Actor, id: string, now: Date): Promise<ApiClientView> {
  const current = await getApiClient(db, admin, id);
  if (current.revokedAt) return current;
  await db.transaction().execute(async (tx) => {
    const revoked = await tx
      .updateTable('api_clients')
      .set((eb) => ({ revoked_at: now, revoked_by: admin.id, row_version: eb('row_version', '+', 1) }))
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning('user_id')
      .executeTakeFirst();
    if (!revoked) return;
    await tx.updateTable('users').set({ status: 'disabled', updated_at: now }).where('id', '=', revoked.user_id).execute();
    await recordAudit(tx, actor, { action: 'api_client.revoked', entityType: 'api_client', entityId: id, orgUnitId: current.orgUnitId, before: { revokedAt: null }, after: { revokedAt: now.toISOString() } });
  });
  return getApiClient(db, admin, id);
}
