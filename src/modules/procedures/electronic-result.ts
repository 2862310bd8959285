import type { DbOrTx } from '../../platform/db/database.ts';

type OnlineLevel = 'full' | 'partial' | 'none';

/**
 * Whether a procedure version issues its result electronically. A fully online service (toàn trình, NĐ 42/2022 Art.
 * 11 as amended by NĐ 118/2025) is filed and processed online with the result returned online, so its result is a
 * signed electronic document (NĐ 45/2020 Art. 14); other versions may issue a paper result.
 */
export const electronicResultOf = (onlineLevel: OnlineLevel): boolean => onlineLevel === 'full';

export async function issuesElectronicResult(db: DbOrTx, versionId: string): Promise<boolean> {
  const v = await db.selectFrom('procedure_versions').select('online_level').where('id', '=', versionId).executeTakeFirstOrThrow();
  return electronicResultOf(v.online_level);
}
