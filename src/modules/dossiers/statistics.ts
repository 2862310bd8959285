import { type SqlBool, sql } from 'kysely';
import { type CurrentUser, permissionScopes } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import './permissions.ts';

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
  /** Dossiers submitted or received in the period whose applicant's authentication is recorded, and how they did. */
  readonly submissionsAuthRecorded: number;
  readonly authPassword: number;
  readonly authVneidLevel1: number;
  readonly authVneidLevel2: number;
  readonly authCounter: number;
  readonly authNone: number;
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
  /**
   * Submissions by an applicant authenticated with their e-identity (VNeID, level 1 or 2) ÷ submissions whose
   * authentication is recorded: the plans' "giao dịch được xác thực điện tử" (dossiers.eAuthShare). The counts per
   * method are kept beside it, so that a reading that also counts passwords can be recomputed.
   */
  readonly eAuthShare: number | null;
}

type Rates = 'onTimeRate' | 'onlineShare' | 'satisfaction' | 'eAuthShare' | 'autofillShare';
type Counts = Omit<UnitStatistics, 'orgUnitId' | 'orgUnitName' | Rates>;
const COUNT_KEYS: readonly (keyof Counts)[] = [
  'received',
  'receivedCounter',
  'receivedOnline',
  'receivedPostal',
  'decided',
  'decidedEarly',
  'decidedOnTime',
  'decidedLate',
  'pending',
  'pendingOverdue',
  'ratings',
  'satisfied',
  'submissionsAuthRecorded',
  'authPassword',
  'authVneidLevel1',
  'authVneidLevel2',
  'authCounter',
  'authNone',
  'formFields',
  'formFieldsAutofilled',
];

const localStart = (isoDate: string) => new Date(`${isoDate}T00:00:00+07:00`);

/**
 * Figures per deciding unit for a period [from, to] (local dates, inclusive), recomputed from the recorded facts:
 * receipt instant and channel, decision instant and timeliness, due instant. These are the numbers the plan targets
 * (on-time ≥ 90 %, online share) are measured with, per unit in the caller's statistics scope (reporting officers and
 * leaders see their own subtree). `now` bounds "overdue" for a period that has not ended.
 */
export async function dossierStatistics(db: DbOrTx, user: CurrentUser, period: { from: string; to: string }, now: Date): Promise<{ rows: UnitStatistics[]; total: UnitStatistics }> {
  const scopes = permissionScopes(user, 'dossiers.statistics');
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
      n(sql`${inPeriod('d.received_at')} AND d.channel = 1`).as('receivedCounter'),
      n(sql`${inPeriod('d.received_at')} AND d.channel = 2`).as('receivedOnline'),
      n(sql`${inPeriod('d.received_at')} AND d.channel = 3`).as('receivedPostal'),
      n(inPeriod('d.decided_at')).as('decided'),
      n(sql`${inPeriod('d.decided_at')} AND d.timeliness = 'early'`).as('decidedEarly'),
      n(sql`${inPeriod('d.decided_at')} AND d.timeliness = 'on_time'`).as('decidedOnTime'),
      n(sql`${inPeriod('d.decided_at')} AND d.timeliness = 'late'`).as('decidedLate'),
      n(pending).as('pending'),
      n(sql`${pending} AND d.due_at < ${asOf}`).as('pendingOverdue'),
      n(inPeriod('rt.rated_at')).as('ratings'),
      n(sql`${inPeriod('rt.rated_at')} AND rt.rating IN (1, 2)`).as('satisfied'),
      n(sql`${inPeriod('d.submitted_at')} AND d.applicant_auth IS NOT NULL`).as('submissionsAuthRecorded'),
      n(sql`${inPeriod('d.submitted_at')} AND d.applicant_auth = 'password'`).as('authPassword'),
      n(sql`${inPeriod('d.submitted_at')} AND d.applicant_auth = 'vneid_1'`).as('authVneidLevel1'),
      n(sql`${inPeriod('d.submitted_at')} AND d.applicant_auth = 'vneid_2'`).as('authVneidLevel2'),
      n(sql`${inPeriod('d.submitted_at')} AND d.applicant_auth = 'counter'`).as('authCounter'),
      n(sql`${inPeriod('d.submitted_at')} AND d.applicant_auth = 'none'`).as('authNone'),
    ])
    .groupBy(['ou.id', 'ou.name'])
    .orderBy('ou.name')
    .execute();
  const countsOf = (r: Record<string, unknown>): Counts => Object.fromEntries(COUNT_KEYS.map((k) => [k, Number(r[k])])) as unknown as Counts;
  const stats = rows.map((r) =>
    finish({
      orgUnitId: r.id,
      orgUnitName: r.name,
      ...countsOf({ ...r, formFields: autofill.get(r.id)?.fields ?? 0, formFieldsAutofilled: autofill.get(r.id)?.autofilled ?? 0 }),
    }),
  );
  const total = finish({ orgUnitId: '', orgUnitName: 'Tổng cộng', ...countsOf(Object.fromEntries(COUNT_KEYS.map((k) => [k, stats.reduce((acc, s) => acc + s[k], 0)]))) });
  return { rows: stats.filter((s) => s.received + s.decided + s.pending + s.formFields > 0), total };
}

function finish(s: Omit<UnitStatistics, Rates>): UnitStatistics {
  return {
    ...s,
    autofillShare: s.formFields === 0 ? null : s.formFieldsAutofilled / s.formFields,
    eAuthShare: s.submissionsAuthRecorded === 0 ? null : (s.authVneidLevel1 + s.authVneidLevel2) / s.submissionsAuthRecorded,
    satisfaction: s.ratings === 0 ? null : s.satisfied / s.ratings,
    onTimeRate: s.decided === 0 ? null : (s.decidedEarly + s.decidedOnTime) / s.decided,
    onlineShare: s.received === 0 ? null : s.receivedOnline / s.received,
  };
}

