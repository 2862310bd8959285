import type { Actor } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import { type DossierRow, dossierVisibleTo, mayTake } from './access.ts';
import { PostalError, type PostalService } from '../../platform/postal/postal-service.ts';
import { type DossierAction, DossierStatus } from './status.ts';

export type DeliveryMethod = 'counter' | 'online' | 'postal';
import { attachPapers, ownUploads } from './papers.ts';
import { recordFeeDue, settleAtCounter } from './payments.ts';
import type { UseCaseContext } from '../../platform/use-case.ts';
import { type ActionInput, takeDossierAction } from './take-action.ts';
import { formatVnd } from '../../web/format.ts';

/** Files go with two actions only: the papers of a supplement, and the signed result of a decision. */
async function papersFor(db: Db, user: CurrentUser, action: DossierAction, fileIds: readonly string[]) {
  if (fileIds.length === 0) return null;
  if (action === 'provide_supplement') return { kind: 'supplement' as const, list: await ownUploads(db, user, fileIds, 'fileIds', 'Giấy tờ bổ sung') };
  if (action === 'decide') return { kind: 'result' as const, list: await ownUploads(db, user, fileIds, 'fileIds', 'Kết quả giải quyết', true) };
  throw AppError.validation([fieldError('fileIds', 'not_allowed', 'Thao tác này không kèm tệp.', 'This action takes no files.')]);
}

/**
 * How a result is handed over. By post, the shipment is booked with the operator before the status changes, under a
 * reference fixed by the dossier code, so a retry after a failure books the same shipment instead of a second one.
 */
async function deliveryFor(db: Db, user: CurrentUser, dossierId: string, input: { action: DossierAction; deliveryMethod?: DeliveryMethod | undefined }, postal: PostalService | undefined) {
  if (input.action !== 'deliver_result') {
    if (input.deliveryMethod) throw AppError.validation([fieldError('deliveryMethod', 'not_allowed', 'Chỉ chọn hình thức trả khi trả kết quả.', 'Only with deliver_result.')]);
    return null;
  }
  const method = input.deliveryMethod ?? 'counter';
  if (method !== 'postal') return { method, tracking: null };
  const loaded = await dossierVisibleTo(db, user, dossierId);
  const d = loaded.dossier;
  if (!mayTake(user, 'deliver_result', loaded)) throw new AppError('forbidden');
  if (d.status !== DossierStatus.decided) throw new AppError('conflict', { messageVi: 'Hồ sơ chưa có kết quả để gửi.' });
  if (!postal) throw new AppError('upstream_unavailable', { messageVi: 'Chưa kết nối dịch vụ bưu chính công ích.' });
  const form = (d.form_data ?? {}) as { address?: string; phone?: string };
  const account = d.applicant_user_id ? await db.selectFrom('users').select('phone').where('id', '=', d.applicant_user_id).executeTakeFirst() : undefined;
  try {
    const { trackingNumber } = await postal.ship({
      reference: `CQS-${d.code ?? d.id}`,
      recipient: { name: d.applicant_name, address: form.address ?? '', phone: form.phone ?? account?.phone ?? null },
      contents: `Kết quả giải quyết hồ sơ ${d.code ?? ''}`,
    });
    return { method, tracking: trackingNumber };
  } catch (error) {
    if (error instanceof PostalError) throw new AppError('upstream_unavailable', { messageVi: 'Dịch vụ bưu chính không nhận gửi kết quả lúc này. Vui lòng thử lại sau.', detail: error.message });
    throw error;
  }
}

/** A result returned online must be an electronic one (the transition records the method and tracking number). */
async function checkDelivery(tx: Tx, d: DossierRow, delivery: { method: DeliveryMethod; tracking: string | null }) {
  if (delivery.method === 'online') {
    const result = await tx.selectFrom('dossier_papers').select('id').where('dossier_id', '=', d.id).where('kind', '=', 'result').executeTakeFirst();
    if (!result) throw AppError.validation([fieldError('deliveryMethod', 'no_electronic_result', 'Hồ sơ chưa có kết quả điện tử (tệp đã ký số) để trả trực tuyến.', 'No electronic result to deliver online.')]);
  }
}

/**
 * A user's action on a dossier, with what money it involves: asking for fees records the amount due; a fee paid at
 * the counter settles it. Online payments settle through the gateway callback instead.
 */
export async function actOnDossier(
  db: Db,
  ctx: UseCaseContext,
  user: CurrentUser,
  actor: Actor,
  dossierId: string,
  input: Omit<ActionInput, 'action'> & { action: DossierAction; amountVnd?: number | undefined; fileIds?: readonly string[] | undefined; deliveryMethod?: DeliveryMethod | undefined },
  services: { postal?: PostalService | undefined } = {},
): Promise<DossierRow> {
  const amount = input.amountVnd;
  const papers = await papersFor(db, user, input.action, input.fileIds ?? []);
  const delivery = await deliveryFor(db, user, dossierId, input, services.postal);
  const notice = input.action === 'request_fee' ? `Số tiền cần nộp: ${formatVnd(amount ?? 0)}; nộp trực tuyến trên Cổng dịch vụ công hoặc tại bộ phận một cửa.` : undefined;
  return takeDossierAction(db, ctx, user, actor, dossierId, { ...input, notice, delivery: delivery ?? undefined }, async (tx, updated) => {
    if (input.action === 'request_fee') await recordFeeDue(tx, dossierId, amount ?? 0);
    if (input.action === 'pay_fee') await settleAtCounter(tx, dossierId);
    if (papers) await attachPapers(tx, updated, papers.kind, papers.list, user.id, ctx.now);
    if (delivery) await checkDelivery(tx, updated, delivery);
  });
}
