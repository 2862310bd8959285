import { type SqlBool, sql } from 'kysely';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { readScopes } from './access.ts';

export interface UnitStatistics {
  readonly orgUnitId: string;
  readonly orgUnitName: string;
  readonly received: number;
  readonly receivedCounter: number;
  readonly receivedOnline: number;
  readonly receivedPostal: number;
  readonly decided: number;
  readonly decidedEarly: number;
  readonly decidedOnTime: number;
  readonly decidedLate: number;
  readonly pending: number;
  readonly pendingOverdue: number;
  readonly ratings: number;
  readonly satisfied: number;
  /** (early + on time) ÷ decided, the plans' "tỷ lệ hồ sơ giải quyết đúng hạn"; null without decisions. */
  readonly onTimeRate: number | null;
  /** online ÷ received, the plans' "tỷ lệ hồ sơ trực tuyến". */
  readonly onlineShare: number | null;
  /** (Rất hài lòng + Hài lòng) ÷ ratings, the plans' satisfaction target. */
  readonly satisfaction: number | null;
  /** Form fields answered on the dossiers submitted in the period (e-form answers and contact address, phone, e-mail)… */
  readonly formFields: number;
  /** …of which filled in automatically from the applicant's account or an earlier dossier and left unchanged. */
  readonly formFieldsAutofilled: number;
  /** autofilled ÷ answered, the plans' "thông tin được trích xuất tự động điền vào biểu mẫu" (dossiers.autofillShare). */
  readonly autofillShare: number | null;
}

type Derived = 'onTimeRate' | 'onlineShare' | 'satisfaction' | 'autofillShare';

const localStart = (isoDate: string) => new Date(`${isoDate}T00:00:00+07:00`);

/**
 * Figures per deciding unit for a period [from, to] (local dates, inclusive), recomputed from the recorded facts:
 * receipt instant and channel, decision instant and timeliness, due instant. These are the numbers the plan targets
 * (on-time ≥ 90 %, online share) are measured with.
 */
export async function dossierStatistics(db: DbOrTx, user: CurrentUser, period: { from: string; to: string }, now = new Date()): Promise<{ rows: UnitStatistics[]; total: UnitStatistics }> {
  const scopes = readScopes(user);
  if (scopes.length === 0) throw new AppError('forbidden');
  const from = localStart(period.from);
  const to = new Date(localStart(period.to).getTime() + 86_400_000);
  const asOf = now < to ? now : to;
  const n = (expr: ReturnType<typeof sql>) => sql<number>`count(*) FILTER (WHERE ${expr})`;
  const inPeriod = (col: string) => sql`${sql.ref(col)} >= ${from} AND ${sql.ref(col)} < ${to}`;
  const pending = sql`d.received_at < ${to} AND (d.decided_at IS NULL OR d.decided_at >= ${to}) AND d.status NOT IN (3, 7, 8)`;
  // Units see the dossiers they decide and those they received for others.
  const visible = () =>
    db
      .selectFrom('dossiers as d')
      .innerJoin('org_units as ou', 'ou.id', 'd.deciding_org_unit_id')
      .innerJoin('org_units as r', 'r.id', 'd.receiving_org_unit_id')
      .where((eb) => eb.or(scopes.flatMap((p) => [eb('ou.path', 'like', `${p}%`), eb('r.path', 'like', `${p}%`)])));
  // Form fields answered on the dossiers submitted in the period, and how many were filled in automatically: the
  // e-form's answers (dossier_answers, each with its origin) and the contact address, phone and e-mail of the common
  // part (form_data, whose `origins` name the ones not typed).
  const submitted = sql<SqlBool>`${inPeriod('d.submitted_at')}`;
  const [answerCounts, contactCounts] = await Promise.all([
    visible()
      .innerJoin('dossier_answers as a', 'a.dossier_id', 'd.id')
      .where(submitted)
      .select(['ou.id', sql<number>`count(*)`.as('fields'), sql<number>`count(*) FILTER (WHERE a.origin <> 'typed')`.as('autofilled')])
      .groupBy('ou.id')
      .execute(),
    visible()
      .where(submitted)
      .select([
        'ou.id',
        sql<number>`sum((d.form_data ? 'address')::int + (d.form_data ? 'phone')::int + (d.form_data ? 'email')::int)`.as('fields'),
        sql<number>`sum((SELECT count(*) FROM jsonb_object_keys(COALESCE(d.form_data -> 'origins', '{}'::jsonb))))`.as('autofilled'),
      ])
      .groupBy('ou.id')
      .execute(),
  ]);
  const autofill = new Map<string, { fields: number; autofilled: number }>();
  for (const r of [...answerCounts, ...contactCounts]) {
    const seen = autofill.get(r.id) ?? { fields: 0, autofilled: 0 };
    autofill.set(r.id, { fields: seen.fields + Number(r.fields ?? 0), autofilled: seen.autofilled + Number(r.autofilled ?? 0) });
  }
  const rows = await visible()
    .leftJoin('dossier_ratings as rt', 'rt.dossier_id', 'd.id')
    .select([
      'ou.id',
      'ou.name',
      n(inPeriod('d.received_at')).as('received'),
      n(sql`${inPeriod('d.received_at')} AND d.channel = 1`).as('received_counter'),
      n(sql`${inPeriod('d.received_at')} AND d.channel = 2`).as('received_online'),
      n(sql`${inPeriod('d.received_at')} AND d.channel = 3`).as('received_postal'),
      n(inPeriod('d.decided_at')).as('decided'),
      n(sql`${inPeriod('d.decided_at')} AND d.timeliness = 'early'`).as('early'),
      n(sql`${inPeriod('d.decided_at')} AND d.timeliness = 'on_time'`).as('on_time'),
      n(sql`${inPeriod('d.decided_at')} AND d.timeliness = 'late'`).as('late'),
      n(pending).as('pending'),
      n(sql`${pending} AND d.due_at < ${asOf}`).as('pending_overdue'),
      n(inPeriod('rt.rated_at')).as('ratings'),
      n(sql`${inPeriod('rt.rated_at')} AND rt.rating IN (1, 2)`).as('satisfied'),
    ])
    .groupBy(['ou.id', 'ou.name'])
    .orderBy('ou.name')
    .execute();
  const stats = rows.map((r) =>
    finish({
      orgUnitId: r.id,
      orgUnitName: r.name,
      received: Number(r.received),
      receivedCounter: Number(r.received_counter),
      receivedOnline: Number(r.received_online),
      receivedPostal: Number(r.received_postal),
      decided: Number(r.decided),
      decidedEarly: Number(r.early),
      decidedOnTime: Number(r.on_time),
      decidedLate: Number(r.late),
      pending: Number(r.pending),
      pendingOverdue: Number(r.pending_overdue),
      ratings: Number(r.ratings),
      satisfied: Number(r.satisfied),
      formFields: autofill.get(r.id)?.fields ?? 0,
      formFieldsAutofilled: autofill.get(r.id)?.autofilled ?? 0,
    }),
  );
  const sum = (k: keyof Omit<UnitStatistics, 'orgUnitId' | 'orgUnitName' | Derived>) => stats.reduce((acc, s) => acc + s[k], 0);
  const total = finish({
    orgUnitId: '',
    orgUnitName: 'Tổng cộng',
    received: sum('received'),
    receivedCounter: sum('receivedCounter'),
    receivedOnline: sum('receivedOnline'),
    receivedPostal: sum('receivedPostal'),
    decided: sum('decided'),
    decidedEarly: sum('decidedEarly'),
    decidedOnTime: sum('decidedOnTime'),
    decidedLate: sum('decidedLate'),
    pending: sum('pending'),
    pendingOverdue: sum('pendingOverdue'),
    ratings: sum('ratings'),
    satisfied: sum('satisfied'),
    formFields: sum('formFields'),
    formFieldsAutofilled: sum('formFieldsAutofilled'),
  });
  return { rows: stats.filter((s) => s.received + s.decided + s.pending + s.formFields > 0), total };
}

function finish(s: Omit<UnitStatistics, Derived>): UnitStatistics {
  return {
    ...s,
    autofillShare: s.formFields === 0 ? null : s.formFieldsAutofilled / s.formFields,
    satisfaction: s.ratings === 0 ? null : s.satisfied / s.ratings,
    onTimeRate: s.decided === 0 ? null : (s.decidedEarly + s.decidedOnTime) / s.decided,
    onlineShare: s.received === 0 ? null : s.receivedOnline / s.received,
  };
}

