import type { Db } from '../../src/platform/db/database.ts';
import type { NumberingAllocation, NumberingResetPeriod } from '../../src/platform/db/schema.ts';

/** A province-wide numbering series version for tests that must not depend on the dossier-code series. */
export async function insertSeries(db: Db, key: string, v: { template: string; reset: NumberingResetPeriod; allocation?: NumberingAllocation; parts?: string[]; from?: string; to?: string | null }): Promise<void> {
  await db
    .insertInto('numbering_series')
    .values({ key, record_type: 'test', scope_kind: 'province', parts: v.parts ?? [], reset_period: v.reset, template: v.template, allocation: v.allocation ?? 'local', description: `Dãy số ${key}`, legal_basis: null, valid_from: v.from ?? '2020-01-01', valid_to: v.to ?? null })
    .execute();
}
