import { addCounts } from '../../platform/records/record-counts.ts';
import { DOSSIER_COUNTS, dossierFacts, ratingFacts } from './dossier-counts.ts';
import { sql } from 'kysely';
import { type Actor, type AuditInput, recordAudit, recordAuditBatch } from '../../platform/audit/audit-log.ts';
import type { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { dueDate } from '../../platform/deadlines/deadline-clock.ts';
import type { ApplicantAuth, ProcessingUnit } from '../../platform/db/schema.ts';
import { listRuleSets } from '../../platform/rules/rule-sets.ts';
import { localDateOf } from '../../platform/time.ts';
import type { DossierRow } from './access.ts';
import { type Creator, newDossierRecord, receivedApplicantAuth } from './create-dossier.ts';
import { DOSSIER_CODE_SERIES, renderCode } from './dossier-code.ts';
import { periodKeyOf, type SeriesVersion, seriesInForce } from '../../platform/numbering/allocate-number.ts';
import { eventRow } from './dossier-store.ts';
import { DOSSIER_RULES, type DossierRules, dossierRulesOf } from './rules.ts';
import { type DossierRecordAction, DossierStatus, pastOf } from './status.ts';
import { type ActionInput, type DossierFacts, type EventActor, planDossierAction } from './take-action.ts';
import { type WorkflowStep, workflowOf } from './workflow.ts';
import { type HandledProcedure, proceduresHandled } from '../procedures/index.ts';

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
const STREETS = ['Trần Phú', 'Yersin', 'Lê Thánh Tôn', 'Thống Nhất', 'Hùng Vương', 'Nguyễn Thị Minh Khai', 'Lê Lợi', 'Quang Trung', 'Pasteur', '23 Tháng 10', 'Lê Hồng Phong', 'Nguyễn Trãi'];
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
  readonly electronicResult: boolean;
}

const timed = (p: HandledProcedure): p is HandledProcedure & { processing: { value: number; unit: 'working_day' | 'hour' } } =>
  (p.processing.unit === 'working_day' || p.processing.unit === 'hour') && p.processing.value !== null && p.processing.value > 0 && p.processing.value <= 60;

/**
 * Procedures with a parsed time, each with the unit that decides it and the counter that receives it: the open service
 * centre directly under the deciding unit, or else one assigned the procedure, or else the deciding unit itself.
 */
async function routes(db: Db): Promise<Route[]> {
  const [handled, units] = await Promise.all([proceduresHandled(db), db.selectFrom('org_units').select(['id', 'parent_id', 'kind', 'valid_to', 'agency_code']).orderBy('id').execute()]);
  const byId = new Map(units.map((u) => [u.id, u]));
  const centres = units.filter((u) => u.kind === 'service_centre' && u.valid_to === null);
  const centreUnder = new Map<string, (typeof units)[number]>();
  for (const c of centres) if (c.parent_id && !centreUnder.has(c.parent_id)) centreUnder.set(c.parent_id, c);
  // Handled procedures come ordered by procedure and unit: the first centre met for a procedure has the lowest id.
  const assignedCentre = new Map<string, (typeof units)[number]>();
  for (const h of handled) {
    const c = byId.get(h.orgUnitId);
    if (c && c.kind === 'service_centre' && c.valid_to === null && !assignedCentre.has(h.procedureId)) assignedCentre.set(h.procedureId, c);
  }
  // Generated decisions record a paper result; procedures that issue electronic results would need a signed PDF each.
  return handled.filter(timed).flatMap((h) => {
    if (h.electronicResult) return [];
    const ou = byId.get(h.orgUnitId);
    if (!ou || ou.kind === 'service_centre') return [];
    const centre = centreUnder.get(ou.id) ?? assignedCentre.get(h.procedureId);
    return [
      {
        procedureId: h.procedureId,
        versionId: h.versionId,
        decidingId: ou.id,
        receivingId: centre?.id ?? ou.id,
        agencyCode: centre?.agency_code ?? ou.agency_code ?? '000.00.00.X00',
        value: h.processing.value,
        unit: h.processing.unit,
        online: h.channels.includes('online'),
        electronicResult: h.electronicResult,
      },
    ];
  });
}

/** Who the generated dossiers' timelines name. */
export const DEMO_CREATOR: Creator & EventActor = { id: null, fullName: 'Dữ liệu mẫu', label: 'Dữ liệu mẫu', orgUnitId: null };

const REASONS: Partial<Record<DossierRecordAction, string>> = {
  refuse: 'Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan.',
  withdraw: 'Người nộp không còn nhu cầu giải quyết thủ tục.',
  // A stop is the deciding unit's own (a withdrawal is the applicant's): its reason says why the unit stops.
  stop: 'Hồ sơ không đủ điều kiện giải quyết theo quy định của thủ tục.',
};

/** One generated dossier's life: how it was created and the actions taken on it, each at its instant. */
export interface DemoJourney {
  readonly route: Route;
  readonly channel: 1 | 2 | 3;
  readonly applicantName: string;
  /** What the forms and the register print of the applicant. */
  readonly contact: { readonly address: string; readonly phone: string };
  readonly at: Date;
  readonly authentication: ApplicantAuth;
  readonly actions: readonly { readonly action: DossierRecordAction; readonly at: Date; readonly delivery?: ActionInput['delivery']; readonly result?: ActionInput['result'] }[];
}

/** The rule sets and workflows the generator plans with, read once. */
interface Knowledge {
  readonly ruleSets: readonly { id: string; validFrom: string; validTo: string | null; rules: DossierRules }[];
  readonly workflows: Map<string, readonly WorkflowStep[]>;
  readonly unitNames: Map<string, string>;
}

async function knowledgeOf(db: Db, routes: readonly Route[]): Promise<Knowledge> {
  const sets = await listRuleSets(db, DOSSIER_RULES);
  const ruleSets = await Promise.all(sets.map(async (s) => ({ id: s.id, validFrom: s.valid_from, validTo: s.valid_to, rules: (await dossierRulesOf(db, s.id)).rules })));
  const workflows = new Map<string, readonly WorkflowStep[]>();
  for (const v of new Set(routes.map((r) => r.versionId))) workflows.set(v, (await workflowOf(db, v)).steps);
  const units = await db.selectFrom('org_units').select(['id', 'name']).execute();
  return { ruleSets, workflows, unitNames: new Map(units.map((u) => [u.id, u.name])) };
}

/**
 * Plans a journey with the engine's own pure planner (the same function every officer's action goes through), so
 * that the rows, timeline entries and audit events written in bulk are exactly what the engine would have written.
 */
export function planJourney(calendar: WorkingCalendar, k: Knowledge, j: DemoJourney, code: string): { row: DossierRow; events: ReturnType<typeof eventRow>[]; audits: AuditInput[] } {
  const date = localDateOf(j.at);
  const set = k.ruleSets.find((s) => s.validFrom <= date && (s.validTo === null || s.validTo > date));
  if (!set) throw new Error(`no dossier rule set in force on ${date}`);
  const id = crypto.randomUUID();
  const status = j.channel === 2 ? DossierStatus.submitted : DossierStatus.received;
  const procedure = { procedureId: j.route.procedureId, versionId: j.route.versionId, processing: { value: j.route.value, unit: j.route.unit } };
  const formData: Readonly<Record<string, unknown>> = { ...j.contact };
  const input = { procedure, channel: j.channel, status, applicant: { userId: null, name: j.applicantName, personalId: null }, receiving: { id: j.route.receivingId, agencyCode: j.route.agencyCode }, decidingOrgUnitId: j.route.decidingId, formData, idempotencyKey: null, authentication: j.authentication } as const;
  const created = newDossierRecord(calendar, DEMO_CREATOR, input as Parameters<typeof newDossierRecord>[2], code, set.id, j.at);
  let row = { ...created.values, id, form_data: formData, extensions: 0, row_version: 1, step_seq: null, step_org_unit_id: null, step_due_at: null, assignee_id: null, result_delivery: null, postal_tracking: null, result_kind: null, result_number: null, result_issued_on: null } as DossierRow;
  const timeline = [created.entry];
  const audits: AuditInput[] = [created.audit(row)];
  const steps = k.workflows.get(j.route.versionId) ?? [];
  for (const a of j.actions) {
    const past = pastOf(row.status, timeline.map((e) => ({ action: e.action, from_status: e.fromStatus, to_status: e.toStatus })));
    const facts: DossierFacts = { rules: set.rules, past, processing: procedure.processing, steps, electronicResult: j.route.electronicResult, unitName: (u) => k.unitNames.get(u) ?? '', forwarderFrom: () => null };
    const action: ActionInput = { action: a.action, expectedVersion: row.row_version, note: REASONS[a.action], delivery: a.delivery, result: a.result };
    const write = planDossierAction(calendar, facts, row, action, DEMO_CREATOR, a.at);
    row = { ...row, ...write.set, row_version: row.row_version + 1 };
    timeline.push(write.entry);
    audits.push(write.audit(row));
  }
  return { row, events: timeline.map((e) => eventRow(id, e)), audits };
}

/**
 * How a generated online applicant signed in, by position (not drawn from the generator's random stream, so the rest
 * of the demo stays as it was): about 45 % VNeID level 2, 15 % level 1, 40 % password.
 */
const demoOnlineAuth = (n: number): ApplicantAuth => (n % 20 < 9 ? 'vneid_2' : n % 20 < 12 ? 'vneid_1' : 'password');

/** The actions of one generated dossier: mostly decided early or on time, some late, refused, withdrawn or stopped. */
function journeyActions(rand: () => number, channel: 1 | 2 | 3, receivedAt: Date, due: Date | null, now: Date, stepCount: number, tracking: string, resultNumber: string): DemoJourney['actions'] {
  const actions: { action: DossierRecordAction; at: Date; delivery?: ActionInput['delivery']; result?: ActionInput['result'] }[] = [];
  const roll = rand();
  if (channel === 2 && roll < 0.03) return [{ action: 'refuse', at: receivedAt }];
  if (channel === 2) actions.push({ action: 'receive', at: receivedAt });
  if (roll < 0.05) return [...actions, { action: 'withdraw', at: receivedAt }];
  if (roll < 0.08) return [...actions, { action: 'stop', at: receivedAt }];
  actions.push({ action: 'start_processing', at: receivedAt });
  if (!due) return actions;
  // Most are decided ahead of the due date, some on it, some late (the plans' on-time rate is about 90 %).
  const span = due.getTime() - receivedAt.getTime();
  const r = rand();
  const decidedAt = new Date(receivedAt.getTime() + span * (r < 0.8 ? 0.2 + rand() * 0.6 : r < 0.92 ? 0.97 + rand() * 0.03 : 1.05 + rand() * 0.5));
  const reviewedAt = new Date(receivedAt.getTime() + (decidedAt.getTime() - receivedAt.getTime()) * 0.7);
  if (reviewedAt < now && stepCount > 1) actions.push({ action: 'forward', at: reviewedAt });
  if (decidedAt >= now) return actions;
  // The decision records the paper result it issued: its number and the day it was signed.
  actions.push({ action: 'decide', at: decidedAt, result: { number: resultNumber, issuedOn: localDateOf(decidedAt) } });
  const returnedAt = new Date(decidedAt.getTime() + 86_400_000);
  // Results go back by the dossier's channel: by post (with its tracking number) for postal ones.
  if (returnedAt < now) actions.push({ action: 'deliver_result', at: returnedAt, delivery: channel === 3 ? { method: 'postal', tracking } : { method: 'counter', tracking: null } });
  return actions;
}

/** What one stretch of generated dossiers writes: rows, timelines, audit events, ratings and code counters. */
interface Generated {
  dossiers: DossierRow[];
  events: ReturnType<typeof eventRow>[];
  audits: AuditInput[];
  ratings: { dossierId: string; rating: 1 | 2 | 3; at: Date }[];
}
const emptyBatch = (): Generated => ({ dossiers: [], events: [], audits: [], ratings: [] });

/** Writes one stretch inside the caller's transaction, with the counts the engine would have kept. */
async function writeGenerated(tx: Tx, actor: Actor, g: Generated, counters: ReadonlyMap<string, number>): Promise<void> {
  const values = g.dossiers.map((d) => ({ ...d, form_data: JSON.stringify(d.form_data) }));
  for (let i = 0; i < values.length; i += 1000) await tx.insertInto('dossiers').values(values.slice(i, i + 1000)).execute();
  for (let i = 0; i < g.events.length; i += 2000) await tx.insertInto('dossier_events').values(g.events.slice(i, i + 2000)).execute();
  await writeCounters(tx, counters);
  const rated = await writeRatings(tx, g.ratings);
  // The figures' counts, as the transition engine keeps them for each dossier and rating one at a time.
  const byId = new Map(g.dossiers.map((d) => [d.id, d]));
  await addCounts(tx, DOSSIER_COUNTS, [
    ...g.dossiers.flatMap(dossierFacts),
    ...rated.flatMap((r) => {
      const d = byId.get(r.dossierId);
      return d ? ratingFacts(d, r.rating, r.at) : [];
    }),
  ]);
  await recordAuditBatch(tx, actor, g.audits);
}

/** The last number each agency's code series gave in a period, read once: generated codes continue after it. */
function codeCounters(db: Db) {
  const counters = new Map<string, number>();
  return {
    counters,
    async next(orgUnitId: string, period: string): Promise<number> {
      const key = `${orgUnitId}/${period}`;
      let last = counters.get(key);
      if (last === undefined) {
        const row = await db.selectFrom('numbering_counters').select('last_value').where('series_key', '=', DOSSIER_CODE_SERIES).where('scope_key', '=', orgUnitId).where('period_key', '=', period).executeTakeFirst();
        last = Number(row?.last_value ?? 0);
      }
      counters.set(key, last + 1);
      return last + 1;
    },
  };
}

/**
 * Generates realistic dossiers for every working day of a period, reproducibly from `seed`, each planned action by
 * action with the engine's planner (see `planJourney`); rows, timelines and audit events then go in by batches.
 * Codes continue each agency's series, so generations can be stacked on existing data. With `monthly`, each month is
 * written in a transaction of its own and memory stays bounded at any length (`cqs seed --years 10`); otherwise the
 * whole period commits at once (the demo load's year, which must be all there or not at all).
 */
export async function generateDemoDossiers(db: Db, calendar: WorkingCalendar, actor: Actor, options: { from: string; to: string; perDay: number; seed: number; monthly?: boolean }): Promise<number> {
  const rand = prng(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  // Contacts come from a stream of their own, so the journeys stay those the seed always gave.
  const other = prng(options.seed ^ 0x5a5a5a);
  const contact = () => ({ address: `${1 + Math.floor(other() * 199)} ${STREETS[Math.floor(other() * STREETS.length)] ?? ''}, tỉnh Khánh Hòa`, phone: `09${String(Math.floor(other() * 100_000_000)).padStart(8, '0')}` });
  const all = await routes(db);
  if (all.length === 0) return 0;
  const knowledge = await knowledgeOf(db, all);
  const now = new Date();
  const codes = codeCounters(db);
  const seriesOn = seriesCache(db);
  let batch = emptyBatch();
  let total = 0;
  let month = options.from.slice(0, 7);
  const flush = async () => {
    const g = batch;
    batch = emptyBatch();
    await db.transaction().execute((tx) => writeGenerated(tx, actor, g, codes.counters));
  };
  for (let day = options.from; day <= options.to; day = calendar.nextWorkingDay(day)) {
    if (!calendar.isWorkingDay(day)) continue;
    if (options.monthly && day.slice(0, 7) !== month) {
      await flush();
      month = day.slice(0, 7);
    }
    const count = Math.round(options.perDay * (0.6 + rand() * 0.8));
    for (let i = 0; i < count; i++) {
      const route = pick(all);
      const channel = (route.online && rand() < 0.38 ? 2 : rand() < 0.12 ? 3 : 1) as 1 | 2 | 3;
      const at = new Date(`${day}T${String(7 + Math.floor(rand() * 9)).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}:00+07:00`);
      if (at > now) continue;
      const series = await seriesOn(day);
      const seq = await codes.next(route.receivingId, periodKeyOf(series.resetPeriod, day));
      const applicantName = `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
      const due = dueDate(calendar, at, { value: route.value, unit: route.unit });
      const journey: DemoJourney = { route, channel, applicantName, contact: contact(), at, authentication: channel === 2 ? demoOnlineAuth(total) : receivedApplicantAuth(channel), actions: journeyActions(rand, channel, at, due, now, knowledge.workflows.get(route.versionId)?.length ?? 1, `EB${String(10_000_000 + total).slice(-8)}VN`, `${total + 1}/KQ`) };
      const planned = planJourney(calendar, knowledge, journey, renderCode(series.template, { agency: route.agencyCode, date: day, seq }));
      const row = planned.row;
      total += 1;
      batch.dossiers.push(row);
      batch.events.push(...planned.events);
      batch.audits.push(...planned.audits);
      // Online applicants rate about half of their finished dossiers, mostly satisfied.
      if (row.status === DossierStatus.returned && channel === 2 && rand() < 0.5) batch.ratings.push({ dossierId: row.id, rating: rand() < 0.93 ? (rand() < 0.6 ? 1 : 2) : 3, at: row.returned_at ?? now });
    }
  }
  await db.transaction().execute(async (tx) => {
    await writeGenerated(tx, actor, batch, codes.counters);
    await recordAudit(tx, actor, { action: 'dossiers.demo_generated', entityType: 'dossier', entityId: 'demo', after: { ...options, dossiers: total } });
  });
  return total;
}

/** The series' counters move past the generated codes, so later receipts continue each agency's sequence. */
async function writeCounters(tx: Tx, counters: ReadonlyMap<string, number>): Promise<void> {
  const rows = [...counters].map(([k, v]) => {
    const [orgUnitId, period] = k.split('/');
    return { series_key: DOSSIER_CODE_SERIES, scope_key: orgUnitId ?? '', period_key: period ?? '', last_value: v };
  });
  for (let i = 0; i < rows.length; i += 1000) {
    await tx
      .insertInto('numbering_counters')
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) => oc.columns(['series_key', 'scope_key', 'period_key']).doUpdateSet((eb) => ({ last_value: sql`greatest(${eb.ref('numbering_counters.last_value')}, ${eb.ref('excluded.last_value')})` })))
      .execute();
  }
}

/** Generated dossiers have no applicant account; ratings hang on the demo citizen so they stay attributable. */
async function writeRatings<T extends { dossierId: string; rating: 1 | 2 | 3; at: Date }>(tx: Tx, ratings: readonly T[]): Promise<readonly T[]> {
  if (ratings.length === 0) return [];
  const citizen = await tx.selectFrom('users').select('id').where('kind', '=', 'citizen').orderBy('created_at').limit(1).executeTakeFirst();
  if (!citizen) return [];
  for (let i = 0; i < ratings.length; i += 2000) {
    await tx
      .insertInto('dossier_ratings')
      .values(ratings.slice(i, i + 2000).map((r) => ({ dossier_id: r.dossierId, applicant_user_id: citizen.id, rating: r.rating, comment: null, rated_at: r.at })))
      .execute();
  }
  return ratings;
}

export const demoPeriodEnding = (today: Date, years: number) => ({ from: `${Number(localDateOf(today).slice(0, 4)) - years}${localDateOf(today).slice(4)}`, to: localDateOf(today) });

/**
 * The dossier-code series version of each day, read once per version: the generated codes follow the rules in force.
 * A generated day before the first version (TT 01/2018 from 01/2019; `cqs seed --years 10` reaches 2016) takes the
 * first version's form, as old dossiers print with the first forms: no national code format existed before it.
 */
function seriesCache(db: Db): (day: string) => Promise<SeriesVersion> {
  let current: SeriesVersion | null = null;
  const covers = (v: SeriesVersion, day: string, earliest: boolean) => (earliest || v.validFrom <= day) && (v.validTo === null || day < v.validTo);
  let currentIsFirst = false;
  return async (day) => {
    if (current && covers(current, day, currentIsFirst)) return current;
    const inForce = await seriesInForce(db, DOSSIER_CODE_SERIES, day);
    const first = inForce ? null : await db.selectFrom('numbering_series').select('valid_from').where('key', '=', DOSSIER_CODE_SERIES).orderBy('valid_from').limit(1).executeTakeFirst();
    const found = inForce ?? (first && day < first.valid_from ? await seriesInForce(db, DOSSIER_CODE_SERIES, first.valid_from) : null);
    if (!found) throw new Error(`no dossier-code series in force on ${day}`);
    current = found;
    currentIsFirst = !inForce;
    return found;
  };
}
