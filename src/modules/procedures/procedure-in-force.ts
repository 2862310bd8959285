import { readReference } from '../../platform/db/reference-cache.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { type ProcessingTime, processingTimeIn } from './processing-time.ts';

/** What a new dossier needs of its procedure: the version in force, its channels and processing time. */
export interface ProcedureInForce {
  readonly procedureId: string;
  readonly versionId: string;
  readonly versionNo: number;
  readonly name: string;
  readonly channels: string[];
  readonly processing: ProcessingTime;
}

/** The version in force of the procedure with this national code, or null when there is none. */
export async function procedureInForce(db: DbOrTx, nationalCode: string): Promise<ProcedureInForce | null> {
  return readReference(db, 'procedure-in-force', ['procedures', 'procedure_versions'], nationalCode, () => readProcedureInForce(db, nationalCode));
}

async function readProcedureInForce(db: DbOrTx, nationalCode: string): Promise<ProcedureInForce | null> {
  const v = await db
    .selectFrom('procedure_versions as v')
    .innerJoin('procedures as p', 'p.id', 'v.procedure_id')
    .select(['p.id as procedure_id', 'v.id', 'v.version_no', 'v.name', 'v.channels', 'v.processing_value', 'v.processing_unit'])
    .where('p.national_code', '=', nationalCode)
    .where('v.valid_to', 'is', null)
    .executeTakeFirst();
  return v
    ? { procedureId: v.procedure_id, versionId: v.id, versionNo: v.version_no, name: v.name, channels: v.channels, processing: processingTimeIn(v) }
    : null;
}
