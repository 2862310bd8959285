import type { Tx } from '../../platform/db/database.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { formatDateTime } from '../../web/format.ts';
import type { DossierRow } from './access.ts';
import { statusLabelsVi } from './status.ts';

/**
 * Tells the applicant by e-mail and SMS that their dossier changed, through the outbox in the same transaction as
 * the change: the message leaves only if the change commits, and a retried request does not send it twice.
 */
export async function notifyApplicant(tx: Tx, d: DossierRow, what: string): Promise<void> {
  const account = d.applicant_user_id ? await tx.selectFrom('users').select(['email', 'phone']).where('id', '=', d.applicant_user_id).executeTakeFirst() : undefined;
  const formPhone = (d.form_data as { phone?: string } | null)?.phone;
  const phone = account?.phone ?? formPhone ?? null;
  const due = d.due_at ? ` Hẹn trả kết quả: ${formatDateTime(d.due_at)}.` : '';
  const text = `Hồ sơ ${d.code ?? ''}: ${what} Trạng thái: ${statusLabelsVi[d.status]}.${due} Tra cứu: mã hồ sơ ${d.code ?? ''}.`;
  const key = `dossier:${d.id}:v${d.row_version}`;
  const record = { type: 'dossier', id: d.id };
  if (account?.email) {
    await enqueueMessage(tx, { topic: 'email', payload: { to: account.email, subject: `Hồ sơ ${d.code ?? ''}: ${statusLabelsVi[d.status]}`, text }, dedupeKey: `${key}:email`, record });
  }
  if (phone) await enqueueMessage(tx, { topic: 'sms', payload: { to: phone, text: text.slice(0, 300) }, dedupeKey: `${key}:sms`, record });
}
