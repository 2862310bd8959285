import type { DbOrTx } from '../../platform/db/database.ts';
import type { ProcessingUnit } from '../../platform/db/schema.ts';

export type ProcessingTime = { value: number | null; unit: ProcessingUnit | null };

/** A version row's processing time (the column is numeric, read as text). */
export const processingTimeIn = (v: { processing_value: string | null; processing_unit: ProcessingUnit | null }): ProcessingTime => ({
  value: v.processing_value === null ? null : Number(v.processing_value),
  unit: v.processing_unit,
});

/** A procedure version's processing time as parsed from the catalogue (null when it could not be parsed). */
export async function processingTimeOf(db: DbOrTx, versionId: string): Promise<ProcessingTime> {
  return processingTimeIn(await db.selectFrom('procedure_versions').select(['processing_value', 'processing_unit']).where('id', '=', versionId).executeTakeFirstOrThrow());
}
