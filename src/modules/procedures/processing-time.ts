import type { DbOrTx } from '../../platform/db/database.ts';
import type { ProcessingUnit } from '../../platform/db/schema.ts';

/** A procedure version's processing time as parsed from the catalogue (null when it could not be parsed). */
export async function processingTimeOf(db: DbOrTx, versionId: string): Promise<{ value: number | null; unit: ProcessingUnit | null }> {
  const v = await db.selectFrom('procedure_versions').select(['processing_value', 'processing_unit']).where('id', '=', versionId).executeTakeFirstOrThrow();
  return { value: v.processing_value === null ? null : Number(v.processing_value), unit: v.processing_unit };
}
