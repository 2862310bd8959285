import type { Actor } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { DossierRow } from './access.ts';
import type { UseCaseContext } from '../../platform/use-case.ts';
import { checkApplication, insertDossier, resolveTarget } from './create-dossier.ts';
import { attachPapers } from './papers.ts';
import type { CounterReceipt } from './schema.ts';
import { DossierStatus } from './status.ts';

/** A walk-in or postal dossier recorded by a one-stop officer: received at once, with its code and due date. */
export async function receiveAtCounter(db: Db, ctx: UseCaseContext, user: CurrentUser, actor: Actor, input: CounterReceipt): Promise<DossierRow> {
  const counter = user.grants.find((g) => g.role === 'one_stop_officer');
  if (!counter) throw new AppError('forbidden');
  const { procedure, deciding } = await resolveTarget(db, input.procedureCode, input.decidingOrgUnitId, input.channel);
  const receiving = await db.selectFrom('org_units').select(['id', 'agency_code']).where('id', '=', counter.orgUnitId).executeTakeFirstOrThrow();
  // Scans are attached for what was digitised at the counter; papers only shown are not scanned (TT 01/2023 Art. 8).
  const owner = { userId: null, personalId: input.applicantPersonalId ?? null };
  const { answers, papers } = await checkApplication(db, user, procedure.versionId, input, { enforceRequired: false, recordOwner: owner });
  return db.transaction().execute(async (tx) => {
    const dossier = await insertDossier(tx, ctx.calendar, user, actor, {
      procedure,
      channel: input.channel,
      status: DossierStatus.received,
      applicant: { userId: null, name: input.applicantName.trim(), personalId: input.applicantPersonalId ?? null },
      receiving: { id: receiving.id, agencyCode: receiving.agency_code },
      decidingOrgUnitId: deciding.id,
      formData: { address: input.address.trim(), request: input.request.trim(), fields: answers },
      idempotencyKey: null,
    }, ctx.now);
    await attachPapers(tx, dossier, 'submitted', papers, user.id, ctx.now);
    return dossier;
  });
}
