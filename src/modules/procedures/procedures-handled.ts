import type { DbOrTx } from '../../platform/db/database.ts';
import { electronicResultOf } from './electronic-result.ts';
import { type ProcessingTime, processingTimeIn } from './processing-time.ts';

/** A procedure in force assigned to an org unit, with what routing and deadlines need of it. */
export interface HandledProcedure {
  readonly orgUnitId: string;
  readonly procedureId: string;
  readonly versionId: string;
  readonly nationalCode: string;
  readonly name: string;
  readonly channels: readonly string[];
  /** The result is electronic (a fully online version): see `electronicResultOf`. */
  readonly electronicResult: boolean;
  readonly processing: ProcessingTime;
}

/**
 * The procedures in force that org units handle (these units, or every unit), with their processing times, ordered
 * by procedure and unit.
 */
export async function proceduresHandled(db: DbOrTx, orgUnitIds?: readonly string[]): Promise<HandledProcedure[]> {
  if (orgUnitIds?.length === 0) return [];
  let query = db
    .selectFrom('procedure_assignments as a')
    .innerJoin('procedures as p', 'p.id', 'a.procedure_id')
    .innerJoin('procedure_versions as v', (j) => j.onRef('v.procedure_id', '=', 'p.id').on('v.valid_to', 'is', null))
    .select(['a.org_unit_id', 'p.id as procedure_id', 'v.id as version_id', 'p.national_code', 'v.name', 'v.channels', 'v.online_level', 'v.processing_value', 'v.processing_unit']);
  if (orgUnitIds) query = query.where('a.org_unit_id', 'in', [...orgUnitIds]);
  const rows = await query.orderBy('p.id').orderBy('a.org_unit_id').execute();
  return rows.map((r) => ({
    orgUnitId: r.org_unit_id,
    procedureId: r.procedure_id,
    versionId: r.version_id,
    nationalCode: r.national_code,
    name: r.name,
    channels: r.channels,
    electronicResult: electronicResultOf(r.online_level),
    processing: processingTimeIn(r),
  }));
}
