import type { InstantContext } from '../../platform/use-case.ts';
import './permissions.ts';
import { sql } from 'kysely';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import { orgUnitInScope } from '../../platform/auth/org-scope.ts';
import { hashPassword, passwordPolicyErrors } from '../../platform/auth/password.ts';
import { type CurrentUser, hasPermissionOver, permissionScopes } from '../../platform/auth/permissions.ts';
import { deleteSessionsOfUser } from '../../platform/auth/sessions.ts';
import type { Db, DbOrTx } from '../../platform/db/database.ts';
import { AppError, fieldError, type FieldError } from '../../platform/errors.ts';
import { schemaFieldErrors } from '../../platform/http/validation.ts';
import { foldVietnamese } from '../../platform/text/vietnamese.ts';
import { NewOfficial, type OfficialPatch, type OfficialQuery, type OfficialView, type RoleGrantBody } from './schema.ts';

async function rolesOf(db: DbOrTx, userIds: readonly string[]) {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('role_assignments as ra')
    .innerJoin('org_units as ou', 'ou.id', 'ra.org_unit_id')
    .select(['ra.id', 'ra.user_id', 'ra.role', 'ra.org_unit_id', 'ou.name', 'ou.path'])
    .where('ra.user_id', 'in', userIds)
    .orderBy('ou.path')
    .execute();
}

/**
 * Officials whose every role lies in the caller's subtree are in scope. An official with roles both inside and
 * outside (e.g. a provincial administrator seen by a commune administrator) stays out of reach.
 */
function inScope(user: CurrentUser, paths: readonly string[]): boolean {
  return paths.length > 0 && paths.every((p) => hasPermissionOver(user, 'directory.manage', p));
}

type UserRow = { id: string; username: string; full_name: string; email: string | null; phone: string | null; status: string; row_version: number };

function toView(u: UserRow, roles: Awaited<ReturnType<typeof rolesOf>>): OfficialView {
  return {
    id: u.id,
    username: u.username,
    fullName: u.full_name,
    email: u.email,
    phone: u.phone,
    status: u.status,
    rowVersion: u.row_version,
    roles: roles.filter((r) => r.user_id === u.id).map((r) => ({ id: r.id, role: r.role, orgUnitId: r.org_unit_id, orgUnitName: r.name })),
  };
}

const userColumns = ['u.id', 'u.username', 'u.full_name', 'u.email', 'u.phone', 'u.status', 'u.row_version'] as const;

export async function listOfficials(db: DbOrTx, user: CurrentUser, q: OfficialQuery): Promise<{ items: OfficialView[]; total: number }> {
  const prefixes = permissionScopes(user, 'directory.manage');
  if (prefixes.length === 0) return { items: [], total: 0 };
  let query = db
    .selectFrom('users as u')
    .select([...userColumns, sql<number>`count(*) over ()`.as('total')])
    .where('u.kind', '=', 'official')
    // At least one role in scope, and none outside it.
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('role_assignments as ra')
          .innerJoin('org_units as ou', 'ou.id', 'ra.org_unit_id')
          .select('ra.id')
          .whereRef('ra.user_id', '=', 'u.id')
          .where((e) => e.or(prefixes.map((p) => e('ou.path', 'like', `${p}%`)))),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('role_assignments as ra')
            .innerJoin('org_units as ou', 'ou.id', 'ra.org_unit_id')
            .select('ra.id')
            .whereRef('ra.user_id', '=', 'u.id')
            .where((e) => e.and(prefixes.map((p) => e('ou.path', 'not like', `${p}%`)))),
        ),
      ),
    );
  if (q.orgUnitId) {
    const unit = await orgUnitInScope(db, user, 'directory.manage', q.orgUnitId);
    query = query.where((eb) => eb.exists(eb.selectFrom('role_assignments as r2').select('r2.id').whereRef('r2.user_id', '=', 'u.id').where('r2.org_unit_id', '=', unit.id)));
  }
  const folded = foldVietnamese(q.q ?? '');
  const rows = await query.orderBy('u.full_name').orderBy('u.username').execute();
  // Names are matched without diacritics in JS: the list is bounded by the caller's scope (one province at most).
  const matched = folded === '' ? rows : rows.filter((r) => `${foldVietnamese(r.full_name)} ${r.username}`.includes(folded));
  const offset = q.offset ?? 0;
  const page = matched.slice(offset, offset + (q.limit ?? 50));
  const roles = await rolesOf(db, page.map((r) => r.id));
  return { items: page.map((r) => toView(r, roles)), total: matched.length };
}

export async function getOfficial(db: DbOrTx, user: CurrentUser, id: string): Promise<OfficialView> {
  const row = await db.selectFrom('users as u').select(userColumns).where('u.id', '=', id).where('u.kind', '=', 'official').executeTakeFirst();
  if (!row) throw new AppError('not_found');
  const roles = await rolesOf(db, [id]);
  if (!inScope(user, roles.map((r) => r.path))) throw new AppError('not_found');
  return toView(row, roles);
}

export function newOfficialErrors(input: Record<string, unknown>): FieldError[] {
  const errors = schemaFieldErrors(NewOfficial, input);
  if (!errors.some((e) => e.field === 'password') && typeof input.password === 'string') {
    errors.push(...passwordPolicyErrors(input.password, typeof input.username === 'string' ? input.username : ''));
  }
  return errors;
}

export async function createOfficial(db: Db, ctx: InstantContext, actor: Actor, user: CurrentUser, input: NewOfficial): Promise<OfficialView> {
  const errors = newOfficialErrors(input);
  const unit = await orgUnitInScope(db, user, 'directory.manage', input.orgUnitId).catch(() => null);
  if (!unit) errors.push(fieldError('orgUnitId', 'not_found', 'Không tìm thấy đơn vị trong phạm vi quản lý.', 'Unit not in your scope.'));
  const taken = await db.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
  if (taken) errors.push(fieldError('username', 'duplicate', 'Tên đăng nhập đã được dùng.', 'Username already taken.'));
  if (errors.length > 0 || !unit) throw AppError.validation(errors);
  const hash = await hashPassword(input.password);
  const id = await db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('users')
      .values({ kind: 'official', username: input.username, full_name: input.fullName.trim(), email: input.email ?? null, phone: input.phone ?? null, personal_id: null, password_hash: hash, locked_until: null, password_changed_at: ctx.now, created_at: ctx.now, updated_at: ctx.now })
      .onConflict((oc) => oc.column('username').doNothing())
      .returning('id')
      .executeTakeFirst();
    // A double submit that raced past the check above lands here: report it as the same field error.
    if (!row) throw AppError.validation([fieldError('username', 'duplicate', 'Tên đăng nhập đã được dùng.', 'Username already taken.')]);
    await tx.insertInto('role_assignments').values([...new Set(input.roles)].map((role) => ({ user_id: row.id, org_unit_id: unit.id, role, created_at: ctx.now }))).execute();
    await recordAudit(tx, actor, { action: 'official.created', entityType: 'user', entityId: row.id, orgUnitId: unit.id, after: { username: input.username, fullName: input.fullName, roles: input.roles } });
    return row.id;
  });
  return getOfficial(db, user, id);
}

export async function updateOfficial(db: Db, ctx: InstantContext, actor: Actor, user: CurrentUser, id: string, expectedVersion: number, patch: OfficialPatch): Promise<OfficialView> {
  const before = await getOfficial(db, user, id);
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('users')
      .set({
        ...(patch.fullName !== undefined ? { full_name: patch.fullName.trim() } : {}),
        ...(patch.email !== undefined ? { email: patch.email } : {}),
        ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
        row_version: before.rowVersion + 1,
        updated_at: ctx.now,
      })
      .where('id', '=', id)
      .where('row_version', '=', expectedVersion)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw new AppError('conflict');
    await recordAudit(tx, actor, { action: 'official.updated', entityType: 'user', entityId: id, orgUnitId: before.roles[0]?.orgUnitId ?? null, before: { fullName: before.fullName, email: before.email, phone: before.phone }, after: patch });
  });
  return getOfficial(db, user, id);
}

export async function grantRole(db: Db, ctx: InstantContext, actor: Actor, user: CurrentUser, id: string, grant: RoleGrantBody): Promise<OfficialView> {
  await getOfficial(db, user, id);
  const unit = await orgUnitInScope(db, user, 'directory.manage', grant.orgUnitId).catch(() => {
    throw AppError.validation([fieldError('orgUnitId', 'not_found', 'Không tìm thấy đơn vị trong phạm vi quản lý.', 'Unit not in your scope.')]);
  });
  await db.transaction().execute(async (tx) => {
    const row = await tx.insertInto('role_assignments').values({ user_id: id, org_unit_id: unit.id, role: grant.role, created_at: ctx.now }).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
    if (!row) throw AppError.validation([fieldError('role', 'duplicate', 'Cán bộ đã có vai trò này tại đơn vị này.', 'Role already granted.')]);
    await recordAudit(tx, actor, { action: 'official.role_granted', entityType: 'user', entityId: id, orgUnitId: unit.id, after: grant });
  });
  return getOfficial(db, user, id);
}

export async function revokeRole(db: Db, actor: Actor, user: CurrentUser, id: string, assignmentId: string): Promise<OfficialView> {
  const official = await getOfficial(db, user, id);
  const assignment = official.roles.find((r) => r.id === assignmentId);
  if (!assignment) throw new AppError('not_found');
  if (official.roles.length === 1) throw new AppError('conflict', { messageVi: 'Cán bộ phải còn ít nhất một vai trò; hãy khóa tài khoản nếu cần.' });
  const ownAdmin = user.grants.filter((g) => g.role === 'administrator');
  if (id === user.id && assignment.role === 'administrator' && ownAdmin.length === 1) {
    throw new AppError('conflict', { messageVi: 'Bạn không thể bỏ vai trò quản trị cuối cùng của chính mình.' });
  }
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('role_assignments').where('id', '=', assignmentId).execute();
    await recordAudit(tx, actor, { action: 'official.role_revoked', entityType: 'user', entityId: id, orgUnitId: assignment.orgUnitId, before: assignment });
  });
  return getOfficial(db, user, id);
}

export async function setOfficialStatus(db: Db, ctx: InstantContext, actor: Actor, user: CurrentUser, id: string, status: 'active' | 'disabled'): Promise<OfficialView> {
  const official = await getOfficial(db, user, id);
  if (id === user.id && status === 'disabled') throw new AppError('conflict', { messageVi: 'Bạn không thể tự khóa tài khoản của mình.' });
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ status, failed_logins: 0, locked_until: null, row_version: official.rowVersion + 1, updated_at: ctx.now }).where('id', '=', id).execute();
    // A disabled account must lose its open sessions at once, not when they expire.
    if (status === 'disabled') await deleteSessionsOfUser(tx, id);
    await recordAudit(tx, actor, { action: status === 'disabled' ? 'official.disabled' : 'official.enabled', entityType: 'user', entityId: id, orgUnitId: official.roles[0]?.orgUnitId ?? null, before: { status: official.status }, after: { status } });
  });
  return getOfficial(db, user, id);
}

export async function resetOfficialPassword(db: Db, ctx: InstantContext, actor: Actor, user: CurrentUser, id: string, password: string): Promise<void> {
  const official = await getOfficial(db, user, id);
  const errors = passwordPolicyErrors(password, official.username);
  if (errors.length > 0) throw AppError.validation(errors);
  const hash = await hashPassword(password);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ password_hash: hash, password_changed_at: ctx.now, failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
    await deleteSessionsOfUser(tx, id);
    await recordAudit(tx, actor, { action: 'official.password_reset', entityType: 'user', entityId: id, orgUnitId: official.roles[0]?.orgUnitId ?? null });
  });
}
