import type { Tx } from '../../platform/db/database.ts';
import { type AnyOutgoingMessage, contactMessages, enqueueMessages } from '../../platform/outbox/outbox.ts';
import { formatDateTime } from '../../web/format.ts';
import type { DossierRow } from './access.ts';
import { statusLabelsVi } from './status.ts';

/** The applicant account's own contacts, when the caller read them already (before its transaction). */
export interface AccountContact {
  readonly email: string | null;
  readonly phone: string | null;
}

/**
 * The e-mail and SMS that tell the applicant their dossier changed, to the contact phone and e-mail given on the
 * dossier (the account's when none was given). They go through the outbox in the same transaction as the change:
 * they leave only if the change commits, and a retried request does not send them twice.
 */
export async function applicantMessages(tx: Tx, d: DossierRow, what: string, known?: AccountContact): Promise<AnyOutgoingMessage[]> {
  const form = (d.form_data ?? {}) as { phone?: string; email?: string };
  const account = known ?? (d.applicant_user_id && !(form.phone && form.email) ? await tx.selectFrom('users').select(['email', 'phone']).where('id', '=', d.applicant_user_id).executeTakeFirst() : undefined);
  const phone = form.phone ?? account?.phone ?? null;
  const email = form.email ?? account?.email ?? null;
  const due = d.due_at ? ` Hẹn trả kết quả: ${formatDateTime(d.due_at)}.` : '';
  const text = `Hồ sơ ${d.code ?? ''}: ${what} Trạng thái: ${statusLabelsVi[d.status]}.${due} Tra cứu: mã hồ sơ ${d.code ?? ''}.`;
  return contactMessages({ email, phone }, { key: `dossier:${d.id}:v${d.row_version}`, subject: `Hồ sơ ${d.code ?? ''}: ${statusLabelsVi[d.status]}`, text }, { type: 'dossier', id: d.id });
}

export async function notifyApplicant(tx: Tx, d: DossierRow, what: string): Promise<void> {
  await enqueueMessages(tx, await applicantMessages(tx, d, what));
}
