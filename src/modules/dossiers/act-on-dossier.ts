import type { Actor } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import type { DossierRow } from './access.ts';
import { attachPapers, ownUploads } from './papers.ts';
import type { DossierAction } from './status.ts';
import { recordFeeDue, settleAtCounter } from './payments.ts';
import { type ActionInput, takeDossierAction } from './take-action.ts';

/** Files go with two actions only: the papers of a supplement, and the signed result of a decision. */
async function papersFor(db: Db, user: CurrentUser, action: DossierAction, fileIds: readonly string[]) {
  if (fileIds.length === 0) return null;
  if (action === 'provide_supplement') return { kind: 'supplement' as const, list: await ownUploads(db, user, fileIds, 'fileIds', 'Giấy tờ bổ sung') };
  if (action === 'decide') return { kind: 'result' as const, list: await ownUploads(db, user, fileIds, 'fileIds', 'Kết quả giải quyết', true) };
  throw AppError.validation([fieldError('fileIds', 'not_allowed', 'Thao tác này không kèm tệp.', 'This action takes no files.')]);
}

/**
 * A user's action on a dossier, with what money it involves: asking for fees records the amount due; a fee paid at
 * the counter settles it. Online payments settle through the gateway callback instead.
 */
export async function actOnDossier(
  db: Db,
  calendar: WorkingCalendar,
  user: CurrentUser,
  actor: Actor,
  dossierId: string,
  input: ActionInput & { amountVnd?: number | undefined; fileIds?: readonly string[] | undefined },
): Promise<DossierRow> {
  const amount = input.amountVnd;
  const papers = await papersFor(db, user, input.action, input.fileIds ?? []);
  if (input.action === 'request_fee' && !(Number.isInteger(amount) && (amount ?? 0) >= 1000)) {
    throw AppError.validation([fieldError('amountVnd', 'required', 'Nhập số tiền phí, lệ phí (từ 1.000 ₫).', 'Enter the amount (1,000 VND or more).')]);
  }
  return takeDossierAction(db, calendar, user, actor, dossierId, input, async (tx, updated) => {
    if (input.action === 'request_fee') await recordFeeDue(tx, dossierId, amount ?? 0);
    if (input.action === 'pay_fee') await settleAtCounter(tx, dossierId);
    if (papers) await attachPapers(tx, updated, papers.kind, papers.list, user.id);
  });
}
