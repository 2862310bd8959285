import { DEFAULT_WORKFLOW, type WorkflowStep } from '../procedures/index.ts';
import { stepDueAt } from './workflow.ts';
import { sql } from 'kysely';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import type { Db } from '../../platform/db/database.ts';
import type { DossierEventsTable, DossierStatusCode, DossiersTable, ProcessingUnit } from '../../platform/db/schema.ts';
import type { Insertable } from 'kysely';
import { foldVietnamese } from '../../platform/text/vietnamese.ts';
import { localDateOf } from '../../platform/time.ts';
import { dueDate, timelinessOf } from './deadline.ts';
import { periodKeyOf, type SeriesVersion, seriesInForce } from '../../platform/numbering/allocate-number.ts';
import { DOSSIER_CODE_SERIES, renderCode } from './dossier-code.ts';

/** A small, seeded PRNG (mulberry32): the same seed always generates the same province. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Thanh', 'Hữu', 'Đức', 'Thu', 'Quốc', 'Hoài'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Hà', 'Hải', 'Hạnh', 'Hùng', 'Lan', 'Long', 'Mai', 'Nam', 'Nga', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Vy', 'Yến'];

interface Route {
  readonly procedureId: string;
  readonly versionId: string;
  readonly decidingId: string;
  readonly receivingId: string;
  readonly agencyCode: string;
  readonly value: number;
  readonly unit: ProcessingUnit;
  readonly online: boolean;
}

/** Procedures with a parsed time, each with the unit that decides it and the counter that receives it. */
async function routes(db: Db): Promise<Route[]> {
  const rows = await sql<{ procedure_id: string; version_id: string; deciding_id: string; receiving_id: string; agency_code: string | null; processing_value: string; processing_unit: ProcessingUnit; channels: string[] }>`
    SELECT v.procedure_id, v.id AS version_id, a.org_unit_id AS deciding_id,
           coalesce(centre.id, a.org_unit_id) AS receiving_id, coalesce(centre.agency_code, ou.agency_code) AS agency_code,
           v.processing_value, v.processing_unit, v.channels
    FROM procedure_assignments a
    JOIN org_units ou ON ou.id = a.org_unit_id AND ou.kind <> 'service_centre'
    JOIN procedure_versions v ON v.procedure_id = a.procedure_id AND v.valid_to IS NULL
    LEFT JOIN LATERAL (
      SELECT c.id, c.agency_code FROM org_units c
      WHERE c.kind = 'service_centre' AND c.valid_to IS NULL
        AND (c.parent_id = ou.id OR EXISTS (SELECT 1 FROM procedure_assignments x WHERE x.org_unit_id = c.id AND x.procedure_id = a.procedure_id))
      ORDER BY (c.parent_id = ou.id) DESC LIMIT 1) centre ON true
    WHERE v.processing_unit IN ('working_day', 'hour') AND v.processing_value > 0 AND v.processing_value <= 60
    ORDER BY v.procedure_id, a.org_unit_id`.execute(db);
  // A counter without an agency code cannot hand out dossier codes (see allocateDossierCode): it receives nothing.
  return rows.rows.filter((r): r is typeof r & { agency_code: string } => r.agency_code !== null).map((r) => ({
    procedureId: r.procedure_id,
    versionId: r.version_id,
    decidingId: r.deciding_id,
    receivingId: r.receiving_id,
    agencyCode: r.agency_code,
    value: Number(r.processing_value),
    unit: r.processing_unit,
    online: r.channels.includes('online'),
  }));
}

/**
 * Generates realistic dossiers for every working day of a period, reproducibly from `seed`: channels, outcomes
 * (mostly decided early or on time, some late, some refused, withdrawn or stopped, recent ones still pending) and
 * their timelines. Rows go in by batches; one audit event records the generation itself.
 */
export async function generateDemoDossiers(db: Db, calendar: WorkingCalendar, actor: Actor, options: { from: string; to: string; perDay: number; seed: number }): Promise<number> {
  const rand = prng(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const all = await routes(db);
  if (all.length === 0) return 0;
  const now = new Date();
  const counters = new Map<string, number>();
  const seriesOn = seriesCache(db);
  const dossiers: Insertable<DossiersTable>[] = [];
  const ratings: { dossierId: string; rating: 1 | 2 | 3; at: Date }[] = [];
  const events: Insertable<DossierEventsTable>[] = [];
  const event = (id: string, action: string, from: DossierStatusCode | null, to: DossierStatusCode, at: Date) =>
    events.push({ dossier_id: id, action, from_status: from, to_status: to, actor_id: null, actor_label: 'Dữ liệu mẫu', org_unit_id: null, occurred_at: at, note: null, data: '{}' });
  for (let day = options.from; day <= options.to; day = calendar.nextWorkingDay(day)) {
    if (!calendar.isWorkingDay(day)) continue;
    const count = Math.round(options.perDay * (0.6 + rand() * 0.8));
    for (let i = 0; i < count; i++) {
      const route = pick(all);
      const channel = (route.online && rand() < 0.38 ? 2 : rand() < 0.12 ? 3 : 1) as 1 | 2 | 3;
      const receivedAt = new Date(`${day}T${String(7 + Math.floor(rand() * 9)).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}:00+07:00`);
      if (receivedAt > now) continue;
      const series = await seriesOn(day);
      const key = `${route.receivingId}/${periodKeyOf(series.resetPeriod, day)}`;
      const seq = (counters.get(key) ?? 0) + 1;
      counters.set(key, seq);
      const id = crypto.randomUUID();
      const due = dueDate(calendar, receivedAt, { value: route.value, unit: route.unit });
      const name = `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
      const roll = rand();
      let status: DossierStatusCode = 4;
      let decidedAt: Date | null = null;
      let returnedAt: Date | null = null;
      event(id, channel === 2 ? 'submit' : 'receive', null, channel === 2 ? 1 : 2, receivedAt);
      if (channel === 2) event(id, 'receive', 1, 2, receivedAt);
      if (channel === 2 && roll < 0.03) {
        status = 3;
      } else if (roll < 0.05) {
        status = 7;
      } else if (roll < 0.08) {
        status = 8;
      } else if (due) {
        // Most are decided ahead of the due date, some on it, some late (the plans' on-time rate is about 90 %).
        const span = due.getTime() - receivedAt.getTime();
        const r = rand();
        const at = new Date(receivedAt.getTime() + span * (r < 0.8 ? 0.2 + rand() * 0.6 : r < 0.92 ? 0.97 + rand() * 0.03 : 1.05 + rand() * 0.5));
        if (at < now) {
          decidedAt = at;
          status = 9;
          event(id, 'start_processing', 2, 4, receivedAt);
          event(id, 'decide', 4, 9, at);
          if (at.getTime() + 86_400_000 < now.getTime()) {
            returnedAt = new Date(at.getTime() + 86_400_000);
            status = 10;
            event(id, 'deliver_result', 9, 10, returnedAt);
            // Online applicants rate about half of their finished dossiers, mostly satisfied.
            if (channel === 2 && rand() < 0.5) ratings.push({ dossierId: id, rating: rand() < 0.93 ? (rand() < 0.6 ? 1 : 2) : 3, at: returnedAt });
          }
        } else event(id, 'start_processing', 2, 4, receivedAt);
      }
      dossiers.push({
        id,
        code: renderCode(series.template, { agency: route.agencyCode, date: day, seq }),
        procedure_id: route.procedureId,
        procedure_version_id: route.versionId,
        channel,
        status,
        applicant_user_id: null,
        applicant_name: name,
        applicant_personal_id: null,
        applicant_search: foldVietnamese(name),
        receiving_org_unit_id: route.receivingId,
        deciding_org_unit_id: route.decidingId,
        submitted_at: receivedAt,
        received_at: status === 3 ? null : receivedAt,
        due_at: status === 3 ? null : due,
        original_due_at: status === 3 ? null : due,
        paused_since: null,
        decided_at: decidedAt,
        returned_at: returnedAt,
        timeliness: decidedAt && due ? timelinessOf(decidedAt, due) : null,
        form_data: '{}',
        idempotency_key: null,
        // Open dossiers sit at the first step of the default workflow; returned ones went back by their channel.
        step_seq: status === 4 ? 1 : null,
        step_org_unit_id: status === 4 ? route.decidingId : null,
        step_due_at: status === 4 ? stepDueAt(calendar, receivedAt, DEFAULT_WORKFLOW[0] as WorkflowStep, { received_at: receivedAt, original_due_at: due, due_at: due }) : null,
        result_delivery: status === 10 ? (channel === 3 ? 'postal' : 'counter') : null,
        postal_tracking: status === 10 && channel === 3 ? `EB${String(10_000_000 + dossiers.length).slice(-8)}VN` : null,
        created_at: receivedAt,
        updated_at: returnedAt ?? decidedAt ?? receivedAt,
      });
    }
  }
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < dossiers.length; i += 1000) await tx.insertInto('dossiers').values(dossiers.slice(i, i + 1000)).execute();
    for (let i = 0; i < events.length; i += 2000) await tx.insertInto('dossier_events').values(events.slice(i, i + 2000)).execute();
    const rows = [...counters].map(([k, v]) => {
      const [orgUnitId, period] = k.split('/');
      return { series_key: DOSSIER_CODE_SERIES, scope_key: orgUnitId ?? '', period_key: period ?? '', last_value: v };
    });
    for (let i = 0; i < rows.length; i += 1000) {
      await tx
        .insertInto('numbering_counters')
        .values(rows.slice(i, i + 1000))
        .onConflict((oc) =>
          oc.columns(['series_key', 'scope_key', 'period_key']).doUpdateSet((eb) => ({ last_value: sql`greatest(${eb.ref('numbering_counters.last_value')}, ${eb.ref('excluded.last_value')})` })),
        )
        .execute();
    }
    if (ratings.length > 0) {
      // Generated dossiers have no applicant account; ratings hang on the demo citizen so they stay attributable.
      const citizen = await tx.selectFrom('users').select('id').where('kind', '=', 'citizen').orderBy('created_at').limit(1).executeTakeFirst();
      if (citizen) {
        for (let i = 0; i < ratings.length; i += 2000) {
          await tx
            .insertInto('dossier_ratings')
            .values(ratings.slice(i, i + 2000).map((r) => ({ dossier_id: r.dossierId, applicant_user_id: citizen.id, rating: r.rating, comment: null, rated_at: r.at })))
            .execute();
        }
      }
    }
    await recordAudit(tx, actor, { action: 'dossiers.demo_generated', entityType: 'dossier', entityId: 'demo', after: { ...options, dossiers: dossiers.length, events: events.length } });
  });
  return dossiers.length;
}

/** The dossier-code series version of each day, read once per version: the generated codes follow the rules in force. */
function seriesCache(db: Db): (day: string) => Promise<SeriesVersion> {
  let current: SeriesVersion | null = null;
  return async (day) => {
    if (current && current.validFrom <= day && (current.validTo === null || day < current.validTo)) return current;
    const found = await seriesInForce(db, DOSSIER_CODE_SERIES, day);
    if (!found) throw new Error(`no dossier-code series in force on ${day}`);
    current = found;
    return found;
  };
}

export const demoPeriodEnding = (today: Date, years: number) => ({ from: `${Number(localDateOf(today).slice(0, 4)) - years}${localDateOf(today).slice(4)}`, to: localDateOf(today) });
