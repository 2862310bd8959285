import type { Actor, AuditInput } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import type { Db, DbOrTx, Tx } from '../../platform/db/database.ts';
import type { ApplicantAuth } from '../../platform/db/schema.ts';
import { AppError, allChecked, FieldErrors, fieldError } from '../../platform/errors.ts';
import { readReference } from '../../platform/db/reference-cache.ts';
import { foldVietnamese } from '../../platform/text/vietnamese.ts';
import { localDateOf } from '../../platform/time.ts';
import { type AnswerInput, checkAnswers, decidingUnitsOf, formFieldsOf, type ProcedureInForce, procedureInForce, receivingCentresOf } from '../procedures/index.ts';
import { resolvePapers } from './papers.ts';
import type { PaperInput } from './schema.ts';
import type { DossierRow } from './access.ts';
import { dueDate } from '../../platform/deadlines/deadline-clock.ts';
import { createRecord, type TimelineEntry } from '../../platform/records/apply-transition.ts';
import { dossierStore } from './dossier-store.ts';
import { type AccountContact, applicantMessages } from './notify-applicant.ts';
import { dossierRulesOn } from './rules.ts';
import { allocateDossierCode } from './dossier-code.ts';
import { DossierStatus } from './status.ts';

// The procedure a new dossier is for comes from the procedure catalogue.
export { type ProcedureInForce, procedureInForce } from '../procedures/index.ts';

const commonPrefixLength = (a: string, b: string) => {
  const x = a.split('/');
  const y = b.split('/');
  let n = 0;
  while (n < x.length && x[n] === y[n]) n++;
  return n;
};

/**
 * Where a dossier for `deciding` is received: among the service centres directly under the deciding unit or one of its
 * ancestors, and those assigned the procedure, the one closest in the org tree; without any, the deciding unit.
 */
export async function receivingUnitFor(db: DbOrTx, procedureId: string, deciding: { id: string; path: string }): Promise<{ id: string; agencyCode: string | null }> {
  const ancestors = deciding.path.split('/').filter(Boolean);
  const [near, assigned] = await Promise.all([
    readReference(db, 'service-centres-above', ['org_units'], deciding.path, () =>
      db.selectFrom('org_units').select(['id', 'path', 'agency_code']).where('kind', '=', 'service_centre').where('valid_to', 'is', null).where('parent_id', 'in', ancestors).orderBy('id').execute(),
    ),
    receivingCentresOf(db, procedureId),
  ]);
  const centres = [...near, ...assigned.filter((a) => !near.some((n) => n.id === a.id))];
  const best = centres.sort((a, b) => commonPrefixLength(b.path, deciding.path) - commonPrefixLength(a.path, deciding.path))[0];
  if (best) return { id: best.id, agencyCode: best.agency_code };
  const self = await db.selectFrom('org_units').select(['id', 'agency_code']).where('id', '=', deciding.id).executeTakeFirstOrThrow();
  return { id: self.id, agencyCode: self.agency_code };
}

export interface NewDossier {
  readonly procedure: ProcedureInForce;
  readonly channel: 1 | 2 | 3;
  readonly status: DossierStatus;
  readonly applicant: { userId: string | null; name: string; personalId: string | null; contact?: AccountContact };
  /** The agency code identifies the receiver in the dossier code; a unit without one cannot receive. */
  readonly receiving: { id: string; agencyCode: string | null };
  readonly decidingOrgUnitId: string;
  readonly formData: Readonly<Record<string, unknown>>;
  readonly idempotencyKey: string | null;
  /** How the applicant authenticated (plan figure dossiers.eAuthShare); unknown for generated history. */
  readonly authentication?: ApplicantAuth | null;
}

/** How the applicant of a dossier received by an officer authenticated: in person, or not at all (by post). */
export const receivedApplicantAuth = (channel: 1 | 2 | 3): ApplicantAuth => (channel === 3 ? 'none' : 'counter');

/** Who creates a dossier: an officer, an applicant, or the system (the demo generator). */
export type Creator = { readonly id: string | null; readonly fullName: string };

/**
 * A new dossier's row, first timeline entry and audit event — pure, so the bulk generator writes exactly what
 * `insertDossier` writes for the same dossier.
 */
export function newDossierRecord(calendar: WorkingCalendar, creator: Creator, input: NewDossier, code: string, ruleSetId: string, now: Date) {
  const received = input.status === DossierStatus.received;
  const due = received ? dueDate(calendar, now, input.procedure.processing) : null;
  const values = {
    code,
    procedure_id: input.procedure.procedureId,
    procedure_version_id: input.procedure.versionId,
    rule_set_id: ruleSetId,
    channel: input.channel,
    status: input.status,
    applicant_user_id: input.applicant.userId,
    applicant_name: input.applicant.name,
    applicant_personal_id: input.applicant.personalId,
    applicant_auth: input.authentication ?? null,
    applicant_search: foldVietnamese(input.applicant.name),
    receiving_org_unit_id: input.receiving.id,
    deciding_org_unit_id: input.decidingOrgUnitId,
    submitted_at: now,
    received_at: received ? now : null,
    due_at: due,
    original_due_at: due,
    paused_since: null,
    decided_at: null,
    returned_at: null,
    timeliness: null,
    form_data: JSON.stringify(input.formData),
    idempotency_key: input.idempotencyKey,
    created_at: now,
    updated_at: now,
  };
  const entry: TimelineEntry<DossierStatus> = { action: received ? 'receive' : 'submit', fromStatus: null, toStatus: input.status, actorId: creator.id, actorLabel: creator.fullName, orgUnitId: received ? input.receiving.id : null, occurredAt: now, note: null, data: { channel: input.channel } };
  const audit = (row: { id: string }): AuditInput => ({ action: received ? 'dossier.received_at_counter' : 'dossier.submitted', entityType: 'dossier', entityId: row.id, orgUnitId: input.receiving.id, after: { code, channel: input.channel, status: input.status } });
  return { values, entry, audit };
}

/**
 * Inserts a dossier with its code (and, when received at once, its due date) pinned to the one-stop rules in force,
 * with its first timeline entry, the applicant's notification and the audit event, through the kernel's engine.
 */
export async function insertDossier(tx: Tx, calendar: WorkingCalendar, creator: Creator, actor: Actor, input: NewDossier, now = new Date()): Promise<DossierRow> {
  const code = await allocateDossierCode(tx, { orgUnitId: input.receiving.id, agencyCode: input.receiving.agencyCode }, localDateOf(now));
  const rules = await dossierRulesOn(tx, localDateOf(now));
  const record = newDossierRecord(calendar, creator, input, code, rules.id, now);
  const news = input.status === DossierStatus.received ? 'Đã được tiếp nhận.' : 'Đã nộp trực tuyến, chờ bộ phận một cửa kiểm tra.';
  return createRecord(tx, actor, dossierStore, { ...record, messages: (t, row) => applicantMessages(t, row, news, input.applicant.contact) });
}

/** Checks the procedure and the deciding unit of a new dossier, reporting every problem at once. */
export async function resolveTarget(db: Db, nationalCode: string, decidingOrgUnitId: string, channel: 1 | 2 | 3, loaded?: ProcedureInForce | null) {
  const errors = new FieldErrors();
  const procedure = loaded === undefined ? await procedureInForce(db, nationalCode) : loaded;
  if (!procedure) errors.add('procedureCode', 'unknown_procedure', 'Không có thủ tục này trong danh mục đang hiệu lực.', 'No such procedure in force.');
  if (procedure && channel === 2 && !procedure.channels.includes('online')) {
    errors.add('procedureCode', 'not_online', 'Thủ tục này chưa được cung cấp trực tuyến.', 'This procedure is not offered online.');
  }
  const units = procedure ? await decidingUnitsOf(db, procedure.procedureId) : [];
  const deciding = units.find((u) => u.id === decidingOrgUnitId);
  if (procedure && !deciding) errors.add('decidingOrgUnitId', 'not_assigned', 'Đơn vị này không giải quyết thủ tục đã chọn.', 'This unit does not handle the procedure.');
  errors.throwIfAny();
  if (!procedure || !deciding) throw new AppError('internal');
  return { procedure, deciding };
}

/**
 * Checks an application's e-form answers (against the version's form) and its papers together, so that one answer
 * lists every problem; returns the form, the answers as they will be kept and the papers ready to attach.
 */
export async function checkApplication(
  db: Db,
  user: CurrentUser,
  versionId: string,
  input: { fields?: Readonly<Record<string, AnswerInput>> | undefined; papers?: readonly PaperInput[] | undefined },
  options: { enforceRequired: boolean; recordOwner?: { userId: string | null; personalId: string | null } },
) {
  const fields = await formFieldsOf(db, versionId);
  const checkFields = async () => {
    const { answers, errors } = await checkAnswers(db, fields, input.fields ?? {}, options.enforceRequired);
    if (errors.length > 0) throw AppError.validation(errors);
    return answers;
  };
  const [answers, resolved] = await allChecked([checkFields(), resolvePapers(db, user, versionId, input.papers ?? [], options)] as const);
  return { fields, answers, papers: resolved.papers };
}

/** How the applicant wants the result back, as the dossier keeps it: by post to the address given, else the contact one. */
export function deliveryOf(input: { resultDelivery?: 'counter' | 'postal' | 'online' | undefined; deliveryAddress?: string | undefined; address: string }, fallback: 'counter' | 'postal') {
  const method = input.resultDelivery ?? fallback;
  return method === 'postal' ? { method, address: input.deliveryAddress?.trim() || input.address.trim() } : { method };
}

export const duplicateKeyError = () => fieldError('idempotencyKey', 'duplicate', 'Yêu cầu này đã được gửi.', 'Already submitted.');
