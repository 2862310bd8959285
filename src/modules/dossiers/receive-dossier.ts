import type { Actor } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, allChecked, FieldErrors } from '../../platform/errors.ts';
import { paperRequirementsOf } from '../procedures/index.ts';
import type { DossierRow } from './access.ts';
import type { UseCaseContext } from '../../platform/use-case.ts';
import { saveAnswers } from './answers.ts';
import { checkApplication, deliveryOf, insertDossier, receivedApplicantAuth, resolveTarget } from './create-dossier.ts';
import { EMPTY_PREFILL } from './prefill.ts';
import { attachPapers } from './papers.ts';
import type { CounterReceipt, ReceivedPaperCount } from './schema.ts';
import { DossierStatus } from './status.ts';

/**
 * The originals and copies counted of each paper, for the receipt slip and the register: papers the version asks for,
 * each once; a paper counted as none is left out.
 */
async function checkCounts(db: Db, versionId: string, counts: readonly ReceivedPaperCount[]): Promise<ReceivedPaperCount[]> {
  const { requirements } = await paperRequirementsOf(db, versionId);
  const errors = new FieldErrors();
  counts.forEach((c, i) => {
    const field = `receivedPapers.${c.requirement}`;
    if (!requirements.some((r) => r.seq === c.requirement)) errors.add(field, 'unknown_requirement', 'Thủ tục không yêu cầu giấy tờ này.', 'Not a paper of this procedure.');
    else if (counts.findIndex((x) => x.requirement === c.requirement) !== i) errors.add(field, 'duplicate', 'Giấy tờ này đã được đếm.', 'This paper is counted twice.');
  });
  errors.throwIfAny();
  return counts.filter((c) => c.originals + c.copies > 0).map((c) => ({ requirement: c.requirement, originals: c.originals, copies: c.copies }));
}

/** A walk-in or postal dossier recorded by a one-stop officer: received at once, with its code and due date. */
export async function receiveAtCounter(db: Db, ctx: UseCaseContext, user: CurrentUser, actor: Actor, input: CounterReceipt): Promise<DossierRow> {
  const counter = user.grants.find((g) => g.role === 'one_stop_officer');
  if (!counter) throw new AppError('forbidden');
  const { procedure, deciding } = await resolveTarget(db, input.procedureCode, input.decidingOrgUnitId, input.channel);
  const receiving = await db.selectFrom('org_units').select(['id', 'agency_code']).where('id', '=', counter.orgUnitId).executeTakeFirstOrThrow();
  // Scans are attached for what was digitised at the counter; papers only shown are not scanned (TT 01/2023 Art. 8).
  const owner = { userId: null, personalId: input.applicantPersonalId ?? null };
  const [{ fields, answers, papers }, received] = await allChecked([checkApplication(db, user, procedure.versionId, input, { enforceRequired: false, recordOwner: owner }), checkCounts(db, procedure.versionId, input.receivedPapers ?? [])] as const);
  return db.transaction().execute(async (tx) => {
    const dossier = await insertDossier(tx, ctx.calendar, user, actor, {
      procedure,
      channel: input.channel,
      status: DossierStatus.received,
      applicant: { userId: null, name: input.applicantName.trim(), personalId: input.applicantPersonalId ?? null },
      receiving: { id: receiving.id, agencyCode: receiving.agency_code },
      decidingOrgUnitId: deciding.id,
      formData: {
        address: input.address.trim(),
        ...(input.phone ? { phone: input.phone } : {}),
        ...(input.email ? { email: input.email } : {}),
        request: input.request.trim(),
        // By post, the result goes back by post unless the applicant asks otherwise.
        delivery: deliveryOf(input, input.channel === 3 ? 'postal' : 'counter'),
        sets: input.sets ?? 1,
        received,
      },
      idempotencyKey: null,
      authentication: receivedApplicantAuth(input.channel),
    }, ctx.now);
    // The officer types what the applicant gives: every answer is typed.
    await saveAnswers(tx, dossier, fields, answers, EMPTY_PREFILL);
    await attachPapers(tx, dossier, 'submitted', papers, user.id, ctx.now);
    return dossier;
  });
}
