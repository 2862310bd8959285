import { type Actor, systemActor } from '../../platform/audit/audit-log.ts';
import type { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { type AlertThreshold, type DeadlineAlertSource, notAlerted, runDeadlineAlerts } from '../../platform/deadlines/deadline-alerts.ts';
import { nearHorizon } from '../../platform/deadlines/deadline-clock.ts';
import { listRuleSets } from '../../platform/rules/rule-sets.ts';
import { applyTransition } from '../../platform/records/apply-transition.ts';
import type { OutgoingMessage } from '../../platform/outbox/outbox.ts';
import { formatDateTime } from '../../web/format.ts';
import type { DossierRow } from './access.ts';
import { dossierStore } from './dossier-store.ts';
import { DOSSIER_RULES, type DossierRules, dossierRulesOf } from './rules.ts';
import { DossierStatus } from './status.ts';
import { dossierFacts, planDossierAction } from './take-action.ts';
import { stepCandidates, workflowOf } from './workflow.ts';

export const DUE_SOON: AlertThreshold = { recordType: 'dossier', threshold: 'due_soon' };

/** Until when a deadline counts as near under a dossier's rules: the alerts and the "due soon" queue share it. */
export const alertHorizon = (calendar: WorkingCalendar, now: Date, rules: DossierRules): Date => nearHorizon(calendar, now, rules.alertWorkingDays);

/** Who is warned: the assignee, else whoever may work the current step; and the one-stop officers who received it. */
async function recipientsOf(tx: Tx, d: DossierRow): Promise<{ id: string; email: string | null }[]> {
  const ids = new Set<string>();
  if (d.assignee_id) ids.add(d.assignee_id);
  else if (d.status === DossierStatus.processing && d.step_org_unit_id && d.step_seq !== null) {
    const step = (await workflowOf(tx, d.procedure_version_id)).steps.find((s) => s.seq === d.step_seq);
    const unit = await tx.selectFrom('org_units').select('path').where('id', '=', d.step_org_unit_id).executeTakeFirst();
    if (step && unit) for (const c of await stepCandidates(tx, step.role, unit.path)) ids.add(c.id);
  }
  const counter = await tx.selectFrom('role_assignments').select('user_id').where('org_unit_id', '=', d.receiving_org_unit_id).where('role', '=', 'one_stop_officer').execute();
  for (const c of counter) ids.add(c.user_id);
  if (ids.size === 0) return [];
  return tx.selectFrom('users').select(['id', 'email']).where('id', 'in', [...ids]).where('status', '=', 'active').execute();
}

/** The warning of one dossier, as a transition of its own: on the timeline, audited, and its e-mails in the outbox. */
async function alertOne(tx: Tx, calendar: WorkingCalendar, d: DossierRow, now: Date, actor: Actor): Promise<void> {
  const due = d.due_at ? formatDateTime(d.due_at) : '';
  const text = `Hồ sơ ${d.code ?? ''} (${d.applicant_name}) đến hạn trả kết quả lúc ${due}. Nếu không kịp, cơ quan giải quyết lập văn bản xin lỗi và hẹn lại ngày trả (Mẫu 04) trước hạn.`;
  const recipients = await recipientsOf(tx, d);
  const messages: OutgoingMessage<'email'>[] = recipients
    .filter((r) => r.email)
    .map((r) => ({ topic: 'email', payload: { to: r.email ?? '', subject: `Sắp đến hạn: hồ sơ ${d.code ?? ''}`, text }, dedupeKey: `due-alert:${d.id}:${d.due_at?.toISOString()}:${r.id}`, record: { type: 'dossier', id: d.id } }));
  const who = { id: null, label: 'Hệ thống', orgUnitId: d.step_org_unit_id };
  const write = planDossierAction(calendar, await dossierFacts(tx, d), d, { action: 'due_alert', expectedVersion: d.row_version, note: `Đã cảnh báo ${recipients.length} cán bộ: hạn trả ${due}.`, data: { recipients: recipients.length } }, who, now);
  await applyTransition(tx, actor, dossierStore, { ...write, messages: async () => messages });
}

/** Open dossiers under one rule set whose deadline falls within that set's horizon and were not warned for it. */
function dueSoonUnder(calendar: WorkingCalendar, ruleSetId: string, rules: DossierRules, actor: Actor): DeadlineAlertSource<DossierRow> {
  return {
    threshold: DUE_SOON,
    candidates: (tx, now, limit) =>
      tx
        .selectFrom('dossiers')
        .selectAll()
        .where('status', 'in', [DossierStatus.received, DossierStatus.processing])
        .where('rule_set_id', '=', ruleSetId)
        .where('due_at', '>', now)
        .where('due_at', '<=', alertHorizon(calendar, now, rules))
        .where(notAlerted(DUE_SOON, 'dossiers.id', 'dossiers.due_at'))
        .orderBy('due_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute(),
    idOf: (d) => d.id,
    dueOf: (d) => d.due_at ?? new Date(0),
    alert: (tx, d, now) => alertOne(tx, calendar, d, now, actor),
  };
}

/**
 * Warns officers of dossiers whose deadline is near (at least one working day ahead, Mẫu 04), once per dossier and due
 * instant: an extension or a restarted clock warns again. Each dossier's own pinned rules set how near. Dossiers
 * paused for the applicant are not warned; their clock is stopped.
 */
export async function sendDueAlerts(db: Db, calendar: WorkingCalendar, now = new Date(), actor: Actor = systemActor('due-alerts')): Promise<{ alerted: number }> {
  let alerted = 0;
  for (const set of await listRuleSets(db, DOSSIER_RULES)) {
    const { rules } = await dossierRulesOf(db, set.id);
    alerted += (await runDeadlineAlerts(db, dueSoonUnder(calendar, set.id, rules, actor), now)).alerted;
  }
  return { alerted };
}
