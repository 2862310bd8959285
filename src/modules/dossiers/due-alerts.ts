import { sql } from 'kysely';
import { type Actor, recordAudit, systemActor } from '../../platform/audit/audit-log.ts';
import type { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { formatDateTime } from '../../web/format.ts';
import type { DossierRow } from './access.ts';
import { DossierStatus } from './status.ts';
import { stepCandidates, workflowOf } from './workflow.ts';

/** Alerts go out when two working days or less are left, so that a daily run still warns a full working day ahead. */
export const ALERT_WORKING_DAYS = 2;
const BATCH = 200;

/** Until when a deadline counts as near: the alerts and the "due soon" queue share it. */
export const alertHorizon = (calendar: WorkingCalendar, now: Date): Date => calendar.addWorkingHours(now, (ALERT_WORKING_DAYS * calendar.workingDayMillis) / 3_600_000);

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

/**
 * Warns officers of dossiers whose deadline is near (NĐ 61/2018 Art. 19(9): at least one working day ahead), once per
 * dossier and due date: an extension or a restarted clock warns again. Dossiers paused for the applicant are not
 * warned; their clock is stopped. Each warning is on the timeline, in the audit log and in the outbox.
 */
export async function sendDueAlerts(db: Db, calendar: WorkingCalendar, now = new Date(), actor: Actor = systemActor('due-alerts')): Promise<{ alerted: number }> {
  const horizon = alertHorizon(calendar, now);
  let alerted = 0;
  for (;;) {
    const done = await db.transaction().execute(async (tx) => {
      const batch = await tx
        .selectFrom('dossiers')
        .selectAll()
        .where('status', 'in', [DossierStatus.received, DossierStatus.processing])
        .where('due_at', '>', now)
        .where('due_at', '<=', horizon)
        .where(sql<boolean>`due_alert_for IS DISTINCT FROM due_at`)
        .orderBy('due_at')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const d of batch) await alertOne(tx, d, now, actor);
      alerted += batch.length;
      return batch.length < BATCH;
    });
    if (done) return { alerted };
  }
}

async function alertOne(tx: Tx, d: DossierRow, now: Date, actor: Actor): Promise<void> {
  const due = d.due_at ? formatDateTime(d.due_at) : '';
  const text = `Hồ sơ ${d.code ?? ''} (${d.applicant_name}) đến hạn trả kết quả lúc ${due}. Nếu không kịp, cơ quan giải quyết lập văn bản xin lỗi và hẹn lại ngày trả (Mẫu 04) trước hạn.`;
  const recipients = await recipientsOf(tx, d);
  for (const r of recipients.filter((x) => x.email)) {
    await enqueueMessage(tx, { topic: 'email', payload: { to: r.email ?? '', subject: `Sắp đến hạn: hồ sơ ${d.code ?? ''}`, text }, dedupeKey: `due-alert:${d.id}:${d.due_at?.toISOString()}:${r.id}`, record: { type: 'dossier', id: d.id } });
  }
  await tx.updateTable('dossiers').set({ due_alert_for: d.due_at }).where('id', '=', d.id).execute();
  await tx
    .insertInto('dossier_events')
    .values({ dossier_id: d.id, action: 'due_alert', from_status: d.status, to_status: d.status, actor_id: null, actor_label: 'Hệ thống', org_unit_id: d.step_org_unit_id, occurred_at: now, note: `Đã cảnh báo ${recipients.length} cán bộ: hạn trả ${due}.`, data: '{}' })
    .execute();
  await recordAudit(tx, actor, { action: 'dossier.due_alert', entityType: 'dossier', entityId: d.id, orgUnitId: d.receiving_org_unit_id, after: { dueAt: d.due_at, recipients: recipients.length } });
}
