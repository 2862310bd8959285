import { readReference } from '../../platform/db/reference-cache.ts';
import { sql } from 'kysely';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { Db, DbOrTx, Tx } from '../../platform/db/database.ts';
import { tenantOf } from '../../platform/db/tenant-scope.ts';
import { AppError, FieldErrors } from '../../platform/errors.ts';
import { orgUnitsAtLevel } from '../directory/index.ts';

export async function listOrgUnitProcedures(db: DbOrTx, orgUnitId: string): Promise<{ nationalCode: string; name: string }[]> {
  const rows = await db
    .selectFrom('procedure_assignments as a')
    .innerJoin('procedures as p', 'p.id', 'a.procedure_id')
    .innerJoin('procedure_versions as v', (j) => j.onRef('v.procedure_id', '=', 'p.id').on('v.valid_to', 'is', null))
    .select(['p.national_code', 'v.name'])
    .where('a.org_unit_id', '=', orgUnitId)
    .orderBy('p.national_code')
    .execute();
  return rows.map((r) => ({ nationalCode: r.national_code, name: r.name }));
}

const ASSIGNED_UNIT_TABLES = ['procedure_assignments', 'org_units'];

/** Open org units assigned a procedure: those that decide it, or the service centres that only receive it. */
function assignedUnits(db: DbOrTx, procedureId: string, centres: boolean) {
  return db
    .selectFrom('procedure_assignments as a')
    .innerJoin('org_units as ou', 'ou.id', 'a.org_unit_id')
    .select(['ou.id', 'ou.name', 'ou.path', 'ou.agency_code'])
    .where('a.procedure_id', '=', procedureId)
    .where('ou.valid_to', 'is', null)
    .where('ou.kind', centres ? '=' : '!=', 'service_centre');
}

/** Org units that decide a procedure (assigned to it, and not service centres, which only receive). */
export async function decidingUnitsOf(db: DbOrTx, procedureId: string): Promise<{ id: string; name: string; path: string }[]> {
  return readReference(db, 'deciding-units', ASSIGNED_UNIT_TABLES, procedureId, async () => {
    const rows = await assignedUnits(db, procedureId, false).orderBy('ou.name').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, path: r.path }));
  });
}

/** Open service centres assigned a procedure (they receive its dossiers for the units that decide it). */
export async function receivingCentresOf(db: DbOrTx, procedureId: string): Promise<{ id: string; path: string; agency_code: string | null }[]> {
  return readReference(db, 'receiving-centres', ASSIGNED_UNIT_TABLES, procedureId, async () => {
    const rows = await assignedUnits(db, procedureId, true).orderBy('ou.id').execute();
    return rows.map((r) => ({ id: r.id, path: r.path, agency_code: r.agency_code }));
  });
}

/** Replaces the set of procedures an org unit handles; every unknown code is reported at once. */
export async function setOrgUnitProcedures(db: Db, actor: Actor, orgUnitId: string, nationalCodes: readonly string[]): Promise<void> {
  const codes = [...new Set(nationalCodes.map((c) => c.trim()))];
  const known = codes.length === 0 ? [] : await db.selectFrom('procedures').select(['id', 'national_code']).where('national_code', 'in', codes).execute();
  const byCode = new Map(known.map((k) => [k.national_code, k.id]));
  const errors = new FieldErrors();
  nationalCodes.forEach((c, i) => {
    if (!byCode.has(c.trim())) errors.add(`nationalCodes.${i}`, 'unknown_procedure', `Không có thủ tục mã "${c}".`, `Unknown procedure ${c}.`);
  });
  errors.throwIfAny();
  await db.transaction().execute(async (tx) => {
    const unit = await tx.selectFrom('org_units').select('id').where('id', '=', orgUnitId).where('valid_to', 'is', null).executeTakeFirst();
    if (!unit) throw new AppError('not_found');
    const before = await tx.selectFrom('procedure_assignments').select('procedure_id').where('org_unit_id', '=', orgUnitId).execute();
    await tx.deleteFrom('procedure_assignments').where('org_unit_id', '=', orgUnitId).execute();
    const ids = [...byCode.values()];
    if (ids.length > 0) await tx.insertInto('procedure_assignments').values(ids.map((id) => ({ org_unit_id: orgUnitId, procedure_id: id }))).execute();
    await recordAudit(tx, actor, {
      action: 'procedures.assigned',
      entityType: 'org_unit',
      entityId: orgUnitId,
      orgUnitId,
      before: { count: before.length },
      after: { count: ids.length, nationalCodes: codes },
    });
  });
}

/** Assigns every procedure of `level` to the open org units of `kind` built on an admin unit of the same level. */
async function assignByLevel(tx: Tx, level: 'commune' | 'province', kind: 'people_committee' | 'service_centre'): Promise<number> {
  const units = await orgUnitsAtLevel(tx, level, kind);
  if (units.length === 0) return 0;
  const result = await sql`
    INSERT INTO procedure_assignments (org_unit_id, procedure_id, tenant_id)
    SELECT u.id, v.procedure_id, ${tenantOf(tx)}::smallint
    FROM unnest(${units}::uuid[]) AS u(id)
    JOIN procedure_versions v ON v.valid_to IS NULL AND ${level} = ANY (v.levels)
    ON CONFLICT DO NOTHING`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}

// Demo data: which provincial department decides the province-level procedures of a ministry's sector.
const DEMO_DEPARTMENT_OF_MINISTRY: Readonly<Record<string, string>> = {
  'bo-tu-phap': 'Sở Tư pháp',
  'bo-tai-chinh': 'Sở Tài chính',
  'bo-xay-dung': 'Sở Xây dựng',
  'bo-nong-nghiep-mt': 'Sở Nông nghiệp và Môi trường',
};

async function assignByMinistry(tx: Tx, ministry: string, departmentName: string): Promise<number> {
  const result = await sql`
    INSERT INTO procedure_assignments (org_unit_id, procedure_id, tenant_id)
    SELECT ou.id, v.procedure_id, ou.tenant_id
    FROM org_units ou
    JOIN procedure_versions v ON v.valid_to IS NULL AND 'province' = ANY (v.levels) AND v.ministry = ${ministry}
    WHERE ou.tenant_id = ${tenantOf(tx)} AND ou.kind = 'department' AND ou.name = ${departmentName} AND ou.valid_to IS NULL
    ON CONFLICT DO NOTHING`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Demo assignment: commune-level procedures to every commune people's committee; province-level ones to the
 * provincial service centre (which receives them) and to the department of their ministry's sector (which decides).
 * Administrators change it afterwards.
 */
export async function assignDemoProcedures(db: Db, actor: Actor): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const commune = await assignByLevel(tx, 'commune', 'people_committee');
    const province = await assignByLevel(tx, 'province', 'service_centre');
    let departments = 0;
    for (const [ministry, name] of Object.entries(DEMO_DEPARTMENT_OF_MINISTRY)) departments += await assignByMinistry(tx, ministry, name);
    await recordAudit(tx, actor, { action: 'procedures.demo_assigned', entityType: 'procedure_assignments', entityId: 'demo', after: { commune, province, departments } });
  });
}
