import type { Actor } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import { type DossierRow, dossierVisibleTo, mayTake } from './access.ts';
import { PostalError, type PostalService } from '../../platform/postal/postal-service.ts';
import { type DossierAction, DossierStatus } from './status.ts';

export type DeliveryMethod = 'counter' | 'online' | 'postal';
import { attachPapers, ownUploads, resolvePapers } from './papers.ts';
import type { PaperInput } from './schema.ts';
import { feeAsked, recordFeeDue, settleAtCounter } from './payments.ts';
import { feeTableOf } from '../procedures/index.ts';
import { dossierRulesOf } from './rules.ts';
import type { UseCaseContext } from '../../platform/use-case.ts';
import { type ActionInput, takeDossierAction } from './take-action.ts';
import { formatVnd } from '../../web/format.ts';
import { type SignatureProblem, signatureProblemVi } from '../../platform/signing/pdf-signatures.ts';

/**
 * Files go with two actions only: the papers of a supplement — each for a paper the procedure asks for (replacing one
 * already given, or new), or extra ones — and the signed result of a decision.
 */
async function papersFor(db: Db, user: CurrentUser, dossierId: string, action: DossierAction, fileIds: readonly string[], given: readonly PaperInput[]) {
  if (given.length > 0 && action !== 'provide_supplement') throw AppError.validation([fieldError('papers', 'not_allowed', 'Chỉ gửi giấy tờ theo thành phần hồ sơ khi bổ sung hồ sơ.', 'Papers go with provide_supplement only.')]);
  if (fileIds.length === 0 && given.length === 0) return null;
  if (action === 'provide_supplement') {
    const d = await dossierVisibleTo(db, user, dossierId);
    const owner = { userId: d.dossier.applicant_user_id, personalId: d.dossier.applicant_personal_id };
    const [listed, extra] = await Promise.all([
      given.length > 0 ? resolvePapers(db, user, d.dossier.procedure_version_id, given, { enforceRequired: false, recordOwner: owner }).then((r) => r.papers) : [],
      ownUploads(db, user, fileIds, 'fileIds', 'Giấy tờ bổ sung'),
    ]);
    return { kind: 'supplement' as const, list: [...listed, ...extra] };
  }
  if (action === 'decide') {
    const list = await ownUploads(db, user, fileIds, 'fileIds', 'Kết quả giải quyết', true);
    await refuseInvalidSignatures(db, fileIds);
    return { kind: 'result' as const, list };
  }
  throw AppError.validation([fieldError('fileIds', 'not_allowed', 'Thao tác này không kèm tệp.', 'This action takes no files.')]);
}

/** A result whose signature does not verify (changed after signing, or not the signer's) is not issued. */
async function refuseInvalidSignatures(db: Db, fileIds: readonly string[]) {
  const bad = await db.selectFrom('stored_files').select(['file_name', 'signatures']).where('id', 'in', [...fileIds]).where('signature_status', '=', 'invalid').execute();
  if (bad.length === 0) return;
  const why = (f: (typeof bad)[number]) => signatureProblemVi[(f.signatures.find((x) => x.problem)?.problem ?? 'malformed') as SignatureProblem] ?? 'không xác minh được';
  throw AppError.validation(bad.map((f) => fieldError('fileIds', 'signature_invalid', `"${f.file_name}": chữ ký số không hợp lệ (${why(f)}); không ban hành kết quả này.`, 'The result carries an invalid signature.')));
}

/** What the applicant is told of fees already paid when a dossier is withdrawn: the rule of its pinned set. */
async function paidFeeNotice(db: Db, dossierId: string): Promise<string | undefined> {
  const d = await db.selectFrom('dossiers').select('rule_set_id').where('id', '=', dossierId).executeTakeFirst();
  const paid = await db.selectFrom('payments').select('id').where('dossier_id', '=', dossierId).where('status', '=', 'paid').executeTakeFirst();
  if (!d || !paid) return undefined;
  return (await dossierRulesOf(db, d.rule_set_id)).rules.paidFeeOnWithdrawal;
}

/** The fee asked for, against the fee table of the dossier's procedure version (the one it was received under). */
async function feeFor(db: Db, dossierId: string, amountVnd: number | undefined, reason: string | undefined) {
  const d = await db.selectFrom('dossiers').select('procedure_version_id').where('id', '=', dossierId).executeTakeFirst();
  if (!d) return undefined;
  return feeAsked(await feeTableOf(db, d.procedure_version_id), amountVnd, reason);
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
  const loaded = await dossierVisibleTo(db, user, dossierId);
  const d = loaded.dossier;
  // Unless the officer says otherwise, the result goes back the way the applicant asked on the form.
  const asked = ((d.form_data ?? {}) as { delivery?: { method?: DeliveryMethod; address?: string } }).delivery;
  const method = input.deliveryMethod ?? asked?.method ?? 'counter';
  if (method !== 'postal') return { method, tracking: null };
  if (!mayTake(user, 'deliver_result', loaded)) throw new AppError('forbidden');
  if (d.status !== DossierStatus.decided) throw new AppError('conflict', { messageVi: 'Hồ sơ chưa có kết quả để gửi.' });
  if (!postal) throw new AppError('upstream_unavailable', { messageVi: 'Chưa kết nối dịch vụ bưu chính công ích.' });
  const form = (d.form_data ?? {}) as { address?: string; phone?: string };
  const account = d.applicant_user_id ? await db.selectFrom('users').select('phone').where('id', '=', d.applicant_user_id).executeTakeFirst() : undefined;
  try {
    const { trackingNumber } = await postal.ship({
      reference: `CQS-${d.code ?? d.id}`,
      recipient: { name: d.applicant_name, address: asked?.address ?? form.address ?? '', phone: form.phone ?? account?.phone ?? null },
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
  input: Omit<ActionInput, 'action' | 'result' | 'attachments' | 'payment'> & {
    action: DossierAction;
    amountVnd?: number | undefined;
    fileIds?: readonly string[] | undefined;
    deliveryMethod?: DeliveryMethod | undefined;
    /** With decide: the paper result's number and notation, and its date (YYYY-MM-DD). */
    resultNumber?: string | undefined;
    resultIssuedOn?: string | undefined;
    /** With pay_fee at the counter: the receipt given for the fee. */
    receiptNumber?: string | undefined;
    /** With provide_supplement: papers for the procedure's requirements (a new one replaces what was given). */
    papers?: readonly PaperInput[] | undefined;
    /** With request_fee: why the amount departs from the procedure's fee table. */
    feeOverrideReason?: string | undefined;
  },
  services: { postal?: PostalService | undefined } = {},
): Promise<DossierRow> {
  const fee = input.action === 'request_fee' ? await feeFor(db, dossierId, input.amountVnd, input.feeOverrideReason) : undefined;
  const amount = fee?.amountVnd;
  const papers = await papersFor(db, user, dossierId, input.action, input.fileIds ?? [], input.papers ?? []);
  const delivery = await deliveryFor(db, user, dossierId, input, services.postal);
  const basis = fee?.source === 'fee_table' ? ' theo biểu phí, lệ phí của thủ tục' : fee?.source === 'override' ? ` (khác biểu phí của thủ tục; lý do: ${fee.overrideReason ?? ''})` : '';
  const notice = input.action === 'request_fee' ? `Số tiền cần nộp: ${formatVnd(amount ?? 0)}${basis}; nộp trực tuyến trên Cổng dịch vụ công hoặc tại bộ phận một cửa.` : input.action === 'withdraw' ? await paidFeeNotice(db, dossierId) : undefined;
  const result = input.action === 'decide' ? { number: input.resultNumber, issuedOn: input.resultIssuedOn } : undefined;
  const payment = input.action === 'pay_fee' ? { method: 'counter' as const, receiptNumber: input.receiptNumber } : undefined;
  // The supplement's timeline entry says what came with it, so the officer sees what changed since the request.
  const supplied = input.action === 'provide_supplement' ? { papers: (papers?.list ?? []).map((p) => ({ fileId: p.fileId, title: p.title, requirementSeq: p.requirementSeq })) } : undefined;
  const planned = { ...input, data: supplied ?? input.data, amountVnd: amount ?? input.amountVnd, fee, notice, delivery: delivery ?? undefined, attachments: papers?.list.length ?? 0, result, payment };
  return takeDossierAction(db, ctx, user, actor, dossierId, planned, async (tx, updated) => {
    if (fee && amount !== undefined) await recordFeeDue(tx, dossierId, { ...fee, amountVnd: amount }, user.id, ctx.now);
    if (input.action === 'pay_fee') await settleAtCounter(tx, dossierId, input.receiptNumber ?? '', user.id, ctx.now);
    if (papers) await attachPapers(tx, updated, papers.kind, papers.list, user.id, ctx.now);
    if (delivery) await checkDelivery(tx, updated, delivery);
  });
}
