import type { Actor } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import type { DossierRow } from './access.ts';
import { recordFeeDue, settleAtCounter } from './payments.ts';
import { type ActionInput, takeDossierAction } from './take-action.ts';

/**
 * A user's action on a dossier, with what money it involves: asking for fees records the amount due; a fee paid at
 * the counter settles it. Online payments settle through the gateway callback instead.
 */
export async function actOnDossier(db: Db, calendar: WorkingCalendar, user: CurrentUser, actor: Actor, dossierId: string, input: ActionInput & { amountVnd?: number | undefined }): Promise<DossierRow> {
  const amount = input.amountVnd;
  if (input.action === 'request_fee' && !(Number.isInteger(amount) && (amount ?? 0) >= 1000)) {
    throw AppError.validation([fieldError('amountVnd', 'required', 'Nhập số tiền phí, lệ phí (từ 1.000 ₫).', 'Enter the amount (1,000 VND or more).')]);
  }
  return takeDossierAction(db, calendar, user, actor, dossierId, input, async (tx) => {
    if (input.action === 'request_fee') await recordFeeDue(tx, dossierId, amount ?? 0);
    if (input.action === 'pay_fee') await settleAtCounter(tx, dossierId);
  });
}
