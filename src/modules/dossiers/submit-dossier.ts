import type { Actor } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, allChecked } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/use-case.ts';
import type { DossierRow } from './access.ts';
import { saveAnswers } from './answers.ts';
import { checkApplication, deliveryOf, insertDossier, procedureInForce, receivingUnitFor, resolveTarget } from './create-dossier.ts';
import { attachPapers } from './papers.ts';
import { CONTACT_KEYS, originOf, prefillFor } from './prefill.ts';
import type { OnlineSubmission } from './schema.ts';
import { DossierStatus } from './status.ts';

async function byKey(db: Db, userId: string, key: string): Promise<DossierRow | undefined> {
  return db.selectFrom('dossiers').selectAll().where('applicant_user_id', '=', userId).where('idempotency_key', '=', key).executeTakeFirst();
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/**
 * A citizen's online submission: it gets its code at once and waits for the one-stop check. The same idempotency
 * key (a double click, a retried request) returns the dossier already created instead of making a second one. Each
 * answer is kept with where it came from: what the form offered from the account or an earlier dossier and the
 * citizen left as it was, or what they typed.
 */
export async function submitOnline(db: Db, ctx: UseCaseContext, user: CurrentUser, actor: Actor, input: OnlineSubmission, idempotencyKey: string): Promise<{ dossier: DossierRow; created: boolean }> {
  if (user.kind !== 'citizen') throw new AppError('forbidden', { messageVi: 'Chỉ công dân, tổ chức mới nộp hồ sơ trực tuyến.' });
  const [existing, found] = await Promise.all([byKey(db, user.id, idempotencyKey), procedureInForce(db, input.procedureCode)]);
  if (existing) return { dossier: existing, created: false };
  const [{ procedure, deciding }, application, account] = await allChecked([
    resolveTarget(db, input.procedureCode, input.decidingOrgUnitId, 2, found),
    found ? checkApplication(db, user, found.versionId, input, { enforceRequired: true }) : Promise.resolve({ fields: [], answers: {}, papers: [] }),
    db.selectFrom('users').select(['full_name', 'email', 'phone']).where('id', '=', user.id).executeTakeFirstOrThrow(),
  ] as const);
  const { fields, answers, papers } = application;
  const [receiving, prefill] = await Promise.all([receivingUnitFor(db, procedure.procedureId, deciding), prefillFor(db, user, fields)]);
  const contact = { address: input.address.trim(), ...(input.phone ? { phone: input.phone } : {}), ...(input.email ? { email: input.email } : {}) };
  const origins = Object.fromEntries(
    CONTACT_KEYS.flatMap((k) => {
      const from = originOf(contact[k], prefill.contact[k]);
      return from.origin === 'typed' ? [] : [[k, from]];
    }),
  );
  try {
    const dossier = await db.transaction().execute(async (tx) => {
      const created = await insertDossier(
        tx,
        ctx.calendar,
        user,
        actor,
        {
          procedure,
          channel: 2,
          status: DossierStatus.submitted,
          // Recorded for the personal ID only when the account's identity is verified: a claimed number is not the person's.
          // The account's contacts, read above, tell the applicant of the submission if the form gave none.
          applicant: { userId: user.id, name: account.full_name, personalId: user.verifiedPersonalId ?? null, contact: { email: account.email, phone: account.phone } },
          receiving,
          decidingOrgUnitId: deciding.id,
          formData: { ...contact, request: input.request.trim(), delivery: deliveryOf(input, 'counter'), origins },
          idempotencyKey,
          authentication: user.authMethod === 'api_client' ? null : (user.authMethod ?? 'password'),
        },
        ctx.now,
      );
      await saveAnswers(tx, created, fields, answers, prefill);
      await attachPapers(tx, created, 'submitted', papers, user.id, ctx.now);
      return created;
    });
    return { dossier, created: true };
  } catch (error) {
    // Two copies of one request raced: the loser's transaction (and its code number) rolled back; answer with the winner.
    const winner = isUniqueViolation(error) ? await byKey(db, user.id, idempotencyKey) : undefined;
    if (winner) return { dossier: winner, created: false };
    throw error;
  }
}
