import type { DbOrTx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { ProcedureDetail } from './schema.ts';
import { toSummary } from './search-procedures.ts';

/** A procedure's version in force, or a given older version; every version stays readable. */
export async function getProcedure(db: DbOrTx, nationalCode: string, versionNo?: number): Promise<ProcedureDetail> {
  let query = db
    .selectFrom('procedure_versions as v')
    .innerJoin('procedures as p', 'p.id', 'v.procedure_id')
    .leftJoin('sectors as s', 's.id', 'v.sector_id')
    .selectAll('v')
    .select(['p.national_code', 's.name as sector'])
    .where('p.national_code', '=', nationalCode);
  query = versionNo === undefined ? query.where('v.valid_to', 'is', null) : query.where('v.version_no', '=', versionNo);
  const v = await query.executeTakeFirst();
  if (!v) throw new AppError('not_found');
  const versions = await db
    .selectFrom('procedure_versions')
    .select(['version_no', 'valid_from', 'valid_to', 'origin'])
    .where('procedure_id', '=', v.procedure_id)
    .orderBy('version_no', 'desc')
    .execute();
  return {
    ...toSummary(v),
    validFrom: v.valid_from,
    validTo: v.valid_to,
    decisionRef: v.decision_ref,
    ministry: v.ministry,
    procedureType: v.procedure_type,
    channels: v.channels,
    fees: v.fees as ProcedureDetail['fees'],
    feeRaw: v.fee_raw,
    documents: v.documents as ProcedureDetail['documents'],
    steps: v.steps,
    requirements: v.requirements,
    result: v.result,
    legalBasis: v.legal_basis as ProcedureDetail['legalBasis'],
    applicants: v.applicants,
    implementingAgency: v.implementing_agency,
    decidingAgency: v.deciding_agency,
    sourceUrl: v.source_url,
    detailLevel: v.detail_level,
    versions: versions.map((x) => ({ versionNo: x.version_no, validFrom: x.valid_from, validTo: x.valid_to, origin: x.origin })),
  };
}
