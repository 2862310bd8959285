import type { DbOrTx } from '../../platform/db/database.ts';

/**
 * What a procedure version's published fee table ("Lệ phí", "Phí") says: the distinct amounts in VND, whether it
 * says the procedure is free, and the text as published. An empty table ("Không có thông tin") leaves the amount to
 * the deciding unit.
 */
export interface FeeTable {
  readonly amountsVnd: readonly number[];
  readonly free: boolean;
  readonly text: string;
}

export function feeTableIn(fees: unknown, text: string): FeeTable {
  const list = Array.isArray(fees) ? (fees as { amountVnd?: unknown }[]) : [];
  const amounts = list.map((f) => f.amountVnd).filter((a): a is number => typeof a === 'number' && Number.isInteger(a));
  const positive = [...new Set(amounts.filter((a) => a > 0))].sort((a, b) => a - b);
  return { amountsVnd: positive, free: positive.length === 0 && amounts.includes(0), text };
}

export async function feeTableOf(db: DbOrTx, versionId: string): Promise<FeeTable> {
  const v = await db.selectFrom('procedure_versions').select(['fees', 'fee_raw']).where('id', '=', versionId).executeTakeFirstOrThrow();
  return feeTableIn(v.fees, v.fee_raw);
}
