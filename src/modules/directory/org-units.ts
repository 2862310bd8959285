import './permissions.ts';
import { randomUUID } from 'node:crypto';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import { orgUnitInScope } from '../../platform/auth/org-scope.ts';
import { type CurrentUser, permissionScopes } from '../../platform/auth/permissions.ts';
import type { Db, DbOrTx, Tx } from '../../platform/db/database.ts';
import type { OrgUnitRow } from '../../platform/db/schema.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import { localDateOf } from '../../platform/time.ts';
import type { InstantContext } from '../../platform/use-case.ts';
import type { NewOrgUnit, OrgUnitPatch, OrgUnitView } from './schema.ts';

export function toOrgUnitView(r: OrgUnitRow): OrgUnitView {
  return {
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    shortName: r.short_name,
    kind: r.kind,
    agencyCode: r.agency_code,
    agencyCodeNote: r.agency_code_note,
    governingBody: r.governing_body,
    placeName: r.place_name,
    depth: r.path.split('/').filter(Boolean).length - 1,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    rowVersion: r.row_version,
  };
}

/** Open org units in the caller's scope for `directory.manage`, in tree order. */
export async function listOrgUnits(db: DbOrTx, user: CurrentUser): Promise<OrgUnitView[]> {
  const prefixes = permissionScopes(user, 'directory.manage');
  if (prefixes.length === 0) return [];
  const rows = await db
    .selectFrom('org_units')
    .selectAll()
    .where('valid_to', 'is', null)
    .where((eb) => eb.or(prefixes.map((p) => eb('path', 'like', `${p}%`))))
    .orderBy('path')
    .execute();
  // Order siblings by name rather than by random id, keeping children under their parent.
  const byParent = new Map<string | null, OrgUnitRow[]>();
  for (const r of rows) byParent.set(r.parent_id, [...(byParent.get(r.parent_id) ?? []), r]);
  const ids = new Set(rows.map((r) => r.id));
  const out: OrgUnitView[] = [];
  const walk = (parent: string | null) => {
    for (const r of (byParent.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name, 'vi'))) {
      out.push(toOrgUnitView(r));
      walk(r.id);
    }
  };
  for (const r of rows.filter((x) => x.parent_id === null || !ids.has(x.parent_id))) {
    out.push(toOrgUnitView(r));
    walk(r.id);
  }
  return out;
}

export async function getOrgUnit(db: DbOrTx, user: CurrentUser, id: string): Promise<OrgUnitRow> {
  const scoped = await orgUnitInScope(db, user, 'directory.manage', id);
  return db.selectFrom('org_units').selectAll().where('id', '=', scoped.id).executeTakeFirstOrThrow();
}

async function assertCodeFree(tx: Tx, code: string | null | undefined, exceptId: string | null): Promise<void> {
  if (!code) return;
  let q = tx.selectFrom('org_units').select('id').where('agency_code', '=', code).where('valid_to', 'is', null);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) {
    throw AppError.validation([fieldError('agencyCode', 'duplicate', 'Mã định danh này đã được dùng cho đơn vị khác.', 'Agency code already in use.')]);
  }
}

export async function createOrgUnit(db: Db, ctx: InstantContext, actor: Actor, user: CurrentUser, input: NewOrgUnit): Promise<OrgUnitView> {
  const parent = await orgUnitInScope(db, user, 'directory.manage', input.parentId).catch(() => {
    throw AppError.validation([fieldError('parentId', 'not_found', 'Không tìm thấy đơn vị cấp trên trong phạm vi quản lý.', 'Parent unit not found in your scope.')]);
  });
  return db.transaction().execute(async (tx) => {
    await assertCodeFree(tx, input.agencyCode, null);
    const id = randomUUID();
    const row = await tx
      .insertInto('org_units')
      .values({
        id,
        parent_id: parent.id,
        path: `${parent.path}${id}/`,
        kind: input.kind,
        name: input.name.trim(),
        short_name: input.shortName?.trim() || null,
        admin_unit_id: null,
        agency_code: input.agencyCode ?? null,
        agency_code_note: input.agencyCodeNote?.trim() || null,
        governing_body: input.governingBody?.trim() || null,
        place_name: input.placeName?.trim() || null,
        valid_from: localDateOf(ctx.now),
        valid_to: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const view = toOrgUnitView(row);
    await recordAudit(tx, actor, { action: 'org_unit.created', entityType: 'org_unit', entityId: id, orgUnitId: id, after: view });
    return view;
  });
}

/** Updates with optimistic locking: `expectedVersion` is the row version the editor saw. */
export async function updateOrgUnit(db: Db, ctx: InstantContext, actor: Actor, user: CurrentUser, id: string, expectedVersion: number, patch: OrgUnitPatch): Promise<OrgUnitView> {
  const current = await getOrgUnit(db, user, id);
  return db.transaction().execute(async (tx) => {
    if (patch.agencyCode !== undefined) await assertCodeFree(tx, patch.agencyCode, id);
    const row = await tx
      .updateTable('org_units')
      .set({
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        ...(patch.shortName !== undefined ? { short_name: patch.shortName?.trim() || null } : {}),
        ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
        ...(patch.agencyCode !== undefined ? { agency_code: patch.agencyCode } : {}),
        ...(patch.agencyCodeNote !== undefined ? { agency_code_note: patch.agencyCodeNote?.trim() || null } : {}),
        ...(patch.governingBody !== undefined ? { governing_body: patch.governingBody?.trim() || null } : {}),
        ...(patch.placeName !== undefined ? { place_name: patch.placeName?.trim() || null } : {}),
        row_version: current.row_version + 1,
        updated_at: ctx.now,
      })
      .where('id', '=', id)
      .where('row_version', '=', expectedVersion)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError('conflict');
    const view = toOrgUnitView(row);
    await recordAudit(tx, actor, { action: 'org_unit.updated', entityType: 'org_unit', entityId: id, orgUnitId: id, before: toOrgUnitView(current), after: view });
    return view;
  });
}

/** Closes a unit (valid_to = today); refused while open child units or role assignments remain. */
export async function closeOrgUnit(db: Db, ctx: InstantContext, actor: Actor, user: CurrentUser, id: string, expectedVersion: number): Promise<OrgUnitView> {
  const current = await getOrgUnit(db, user, id);
  if (current.parent_id === null) throw new AppError('forbidden', { messageVi: 'Không thể đóng đơn vị gốc.' });
  return db.transaction().execute(async (tx) => {
    const child = await tx.selectFrom('org_units').select('id').where('parent_id', '=', id).where('valid_to', 'is', null).executeTakeFirst();
    const role = await tx.selectFrom('role_assignments').select('id').where('org_unit_id', '=', id).executeTakeFirst();
    if (child || role) {
      throw new AppError('conflict', { messageVi: 'Đơn vị còn đơn vị trực thuộc hoặc cán bộ được phân quyền; hãy chuyển hoặc đóng chúng trước.' });
    }
    const today = localDateOf(ctx.now);
    const row = await tx
      .updateTable('org_units')
      .set({ valid_to: today > current.valid_from ? today : tomorrow(current.valid_from), row_version: current.row_version + 1, updated_at: ctx.now })
      .where('id', '=', id)
      .where('row_version', '=', expectedVersion)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError('conflict');
    await recordAudit(tx, actor, { action: 'org_unit.closed', entityType: 'org_unit', entityId: id, orgUnitId: id, before: toOrgUnitView(current), after: toOrgUnitView(row) });
    return toOrgUnitView(row);
  });
}

// valid_to is exclusive and must follow valid_from: a unit created and closed the same day ends tomorrow.
const tomorrow = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
