import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import type { InstantContext } from '../../platform/use-case.ts';
import { countRating } from './dossier-counts.ts';
import { DossierStatus } from './status.ts';

export const ratingLabelsVi: Record<1 | 2 | 3, string> = { 1: 'Rất hài lòng', 2: 'Hài lòng', 3: 'Chưa hài lòng' };

/** The applicant rates a dossier once its result was returned; a second rating is refused. */
export async function rateDossier(db: Db, ctx: InstantContext, user: CurrentUser, actor: Actor, dossierId: string, input: { rating: 1 | 2 | 3; comment?: string | undefined }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const d = await tx.selectFrom('dossiers').select(['id', 'status', 'applicant_user_id', 'receiving_org_unit_id', 'deciding_org_unit_id']).where('id', '=', dossierId).executeTakeFirst();
    if (!d || d.applicant_user_id !== user.id) throw new AppError('not_found');
    if (d.status !== DossierStatus.returned) throw new AppError('conflict', { messageVi: 'Chỉ đánh giá được sau khi đã nhận kết quả.' });
    const row = await tx
      .insertInto('dossier_ratings')
      .values({ dossier_id: d.id, applicant_user_id: user.id, rating: input.rating, comment: input.comment?.trim() || null, rated_at: ctx.now })
      .onConflict((oc) => oc.column('dossier_id').doNothing())
      .returning('dossier_id')
      .executeTakeFirst();
    if (!row) throw AppError.validation([fieldError('rating', 'duplicate', 'Bạn đã đánh giá hồ sơ này.', 'Already rated.')]);
    await countRating(tx, d, input.rating, ctx.now);
    await recordAudit(tx, actor, { action: 'dossier.rated', entityType: 'dossier', entityId: d.id, orgUnitId: d.receiving_org_unit_id, after: { rating: input.rating } });
  });
}
