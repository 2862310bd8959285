import { type Actor, systemActor } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { CALLBACK_MAX_AGE_MS, type CallbackBody, checkoutUrl, hmac, sameSignature } from '../../platform/payment/gateway.ts';
import type { FeeTable } from '../procedures/index.ts';
import { loadDossier } from './access.ts';
import { DossierStatus } from './status.ts';
import type { UseCaseContext } from '../../platform/use-case.ts';
import { applyDossierAction } from './take-action.ts';

export interface PaymentGatewayConfig {
  readonly url: string;
  readonly secret: string;
  readonly publicUrl: string;
}

/** How the amount of a fee was set: from the procedure's fee table, by the officer where it has none, or overriding it. */
export interface FeeAsked {
  readonly amountVnd: number | undefined;
  readonly source: 'fee_table' | 'officer' | 'override';
  /** The amounts the fee table lists (empty when it lists none). */
  readonly tableVnd: readonly number[];
  readonly overrideReason?: string | undefined;
}

/**
 * The amount asked for: the fee table's when it lists exactly one and the officer gives none, the officer's when the
 * table lists none, and otherwise an override that must give its reason (checked with the dossier's rules).
 */
export function feeAsked(table: FeeTable, amountVnd: number | undefined, overrideReason: string | undefined): FeeAsked {
  const tableVnd = table.amountsVnd;
  if (amountVnd === undefined) return { amountVnd: tableVnd.length === 1 ? tableVnd[0] : undefined, source: tableVnd.length > 0 ? 'fee_table' : 'officer', tableVnd };
  if (tableVnd.includes(amountVnd)) return { amountVnd, source: 'fee_table', tableVnd };
  if (tableVnd.length === 0 && !table.free) return { amountVnd, source: 'officer', tableVnd };
  return { amountVnd, source: 'override', tableVnd, overrideReason: overrideReason?.trim() };
}

/** The fee the deciding unit asks for, recorded with the request (the only pending payment of the dossier). */
export async function recordFeeDue(tx: Tx, dossierId: string, fee: FeeAsked & { amountVnd: number }, requestedBy: string, now: Date): Promise<void> {
  await tx.updateTable('payments').set({ status: 'cancelled' }).where('dossier_id', '=', dossierId).where('status', '=', 'pending').execute();
  await tx
    .insertInto('payments')
    .values({
      dossier_id: dossierId,
      amount_vnd: fee.amountVnd,
      method: null,
      provider_ref: null,
      created_at: now,
      paid_at: null,
      amount_source: fee.source,
      fee_table_vnd: [...fee.tableVnd],
      override_reason: fee.source === 'override' ? (fee.overrideReason ?? null) : null,
      requested_by: requestedBy,
    })
    .execute();
}

/** A fee paid at the counter settles the pending payment, with the receipt given and the officer who took it. */
export async function settleAtCounter(tx: Tx, dossierId: string, receiptNumber: string, officerId: string, now: Date): Promise<void> {
  const settled = await tx
    .updateTable('payments')
    .set({ status: 'paid', method: 'counter', paid_at: now, receipt_number: receiptNumber.trim(), recorded_by: officerId })
    .where('dossier_id', '=', dossierId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(settled.numUpdatedRows) !== 1) throw new AppError('conflict', { messageVi: 'Hồ sơ không có khoản phí nào đang chờ nộp.' });
}

export async function pendingPayment(db: Db | Tx, dossierId: string) {
  return db.selectFrom('payments').select(['id', 'amount_vnd']).where('dossier_id', '=', dossierId).where('status', '=', 'pending').executeTakeFirst();
}

/** The applicant starts paying online: the address of the gateway's checkout page for the pending fee. */
/** Where to send the applicant to pay. The gateway is looked up only once the dossier is known to be theirs and due. */
export async function startOnlinePayment(db: Db, user: CurrentUser, dossierId: string, gatewayOf: () => PaymentGatewayConfig): Promise<string> {
  const loaded = await loadDossier(db, dossierId);
  if (!loaded || loaded.dossier.applicant_user_id !== user.id) throw new AppError('not_found');
  const payment = await pendingPayment(db, dossierId);
  if (loaded.dossier.status !== DossierStatus.feeDue || !payment) throw new AppError('conflict', { messageVi: 'Hồ sơ không có khoản phí nào đang chờ thanh toán.' });
  const gateway = gatewayOf();
  return checkoutUrl(gateway.url, gateway.secret, {
    order: payment.id,
    amount: Number(payment.amount_vnd),
    returnUrl: `${gateway.publicUrl}/dich-vu-cong/ho-so/${dossierId}?da-thanh-toan=1`,
    callbackUrl: `${gateway.publicUrl}/api/v1/payments/callback`,
  });
}

function parseCallback(raw: string): CallbackBody {
  let body: Partial<CallbackBody>;
  try {
    body = JSON.parse(raw) as Partial<CallbackBody>;
  } catch {
    throw new AppError('bad_request');
  }
  const ok =
    typeof body.order === 'string' &&
    typeof body.amount === 'number' &&
    (body.status === 'paid' || body.status === 'cancelled') &&
    typeof body.providerRef === 'string' &&
    typeof body.nonce === 'string' &&
    typeof body.timestamp === 'string';
  if (!ok) throw new AppError('bad_request');
  return body as CallbackBody;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/**
 * The gateway's server-to-server notice. Accepted only with a valid signature, a fresh timestamp, an unseen nonce
 * and the amount asked for; a paid notice settles the payment and resumes the dossier in the same transaction.
 */
export async function handlePaymentCallback(db: Db, ctx: UseCaseContext, secret: string, raw: string, signature: string | undefined): Promise<'paid' | 'cancelled'> {
  if (!sameSignature(hmac(secret, raw), signature)) throw new AppError('unauthenticated', { messageVi: 'Chữ ký thông báo thanh toán không hợp lệ.' });
  const body = parseCallback(raw);
  const age = Math.abs(Date.now() - Date.parse(body.timestamp));
  if (!(age <= CALLBACK_MAX_AGE_MS)) throw new AppError('bad_request', { messageVi: 'Thông báo thanh toán đã quá hạn.' });
  try {
    return await db.transaction().execute(async (tx) => {
      const payment = await tx.selectFrom('payments').select(['id', 'dossier_id', 'amount_vnd', 'status']).where('id', '=', body.order).executeTakeFirst();
      if (!payment) throw new AppError('not_found');
      await tx.insertInto('payment_callbacks').values({ nonce: body.nonce, payment_id: payment.id, received_at: new Date(), body: raw }).execute();
      if (payment.status !== 'pending') throw new AppError('conflict', { messageVi: 'Khoản phí này đã được xử lý.' });
      if (Number(payment.amount_vnd) !== body.amount) throw new AppError('bad_request', { messageVi: 'Số tiền không khớp.' });
      if (body.status === 'cancelled') return 'cancelled';
      await tx.updateTable('payments').set({ status: 'paid', method: 'online', provider_ref: body.providerRef, paid_at: ctx.now }).where('id', '=', payment.id).execute();
      const loaded = await loadDossier(tx, payment.dossier_id);
      if (!loaded) throw new AppError('not_found');
      const actor: Actor = { ...systemActor('payment-gateway'), requestId: body.nonce };
      await applyDossierAction(tx, ctx, { id: null, label: 'Cổng thanh toán', orgUnitId: null }, actor, loaded.dossier, { action: 'pay_fee', expectedVersion: loaded.dossier.row_version, payment: { method: 'online' }, note: `Đã thanh toán trực tuyến ${body.amount.toLocaleString('vi-VN')} ₫ (mã giao dịch ${body.providerRef})` });
      return 'paid';
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', { messageVi: 'Thông báo thanh toán này đã được nhận (gửi lại).' });
    throw error;
  }
}
