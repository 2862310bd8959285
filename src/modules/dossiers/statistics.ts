import { type CurrentUser, permissionScopes } from '../../platform/auth/permissions.ts';
import { resolveUnitScope, type UnitScope } from '../../platform/auth/unit-scope.ts';
import type { Db, DbOrTx } from '../../platform/db/database.ts';
import { readBalances, readCounts } from '../../platform/records/record-counts.ts';
import { addCalendarDays, localDayStart } from '../../platform/time.ts';
import { DOSSIER_COUNTS, ensureDossierCounts, openDossiers } from './dossier-counts.ts';
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

// The metric each figure sums over the period (dossier-counts.ts names them).
const PERIOD_METRICS: Readonly<Partial<Record<keyof Counts, string>>> = {
  received: 'received',
  receivedCounter: 'received_c1',
  receivedOnline: 'received_c2',
  receivedPostal: 'received_c3',
  decided: 'decided',
  decidedEarly: 'decided_early',
  decidedOnTime: 'decided_on_time',
  decidedLate: 'decided_late',
  ratings: 'rated',
  satisfied: 'satisfied',
  submissionsAuthRecorded: 'auth_recorded',
  authPassword: 'auth_password',
  authVneidLevel1: 'auth_vneid_1',
  authVneidLevel2: 'auth_vneid_2',
  authCounter: 'auth_counter',
  authNone: 'auth_none',
  formFields: 'fields_answered',
  formFieldsAutofilled: 'fields_autofilled',
};
const BALANCES = ['opened', 'closed', 'due', 'due_closed'];

/** Open dossiers past their due date now, per deciding unit (the open-dossiers index; see dossiers_open_idx). */
async function overdueNow(db: DbOrTx, scope: UnitScope, now: Date): Promise<Map<string, number>> {
  if ('unitIds' in scope && scope.unitIds.length === 0) return new Map();
  let q = db
    .selectFrom('dossiers as d')
    .select(['d.deciding_org_unit_id as unit', (eb) => eb.fn.countAll<string>().as('n')])
    .where(openDossiers)
    .where('d.deciding_org_unit_id', 'is not', null)
    .where('d.due_at', '<', now);
  if ('unitIds' in scope) q = q.where((eb) => eb.or([eb('d.deciding_org_unit_id', 'in', [...scope.unitIds]), eb('d.receiving_org_unit_id', 'in', [...scope.unitIds])]));
  const rows = await q.groupBy('d.deciding_org_unit_id').execute();
  return new Map(rows.map((r) => [r.unit ?? '', Number(r.n)]));
}

/**
 * Figures per deciding unit for a period [from, to] (local dates, inclusive), from the per-unit daily and monthly
 * counts the dossiers keep with every change (dossier-counts.ts; `cqs counts rebuild` recomputes them from the
 * dossiers): receipts by channel, decisions by timeliness, ratings, authentication, auto-filled fields; pending and
 * overdue at the period's end as balances of what opened and closed before it (all time less what came after). These are the numbers the plan
 * targets (on-time ≥ 90 %, online share) are measured with, per unit in the caller's statistics scope (reporting
 * officers and leaders see their own subtree; units see what they decide and what they received for others). `now`
 * bounds "overdue" for a period that has not ended.
 */
export async function dossierStatistics(db: Db, user: CurrentUser, period: { from: string; to: string }, now: Date): Promise<{ rows: UnitStatistics[]; total: UnitStatistics }> {
  const scopes = permissionScopes(user, 'dossiers.statistics');
  if (scopes.length === 0) throw new AppError('forbidden');
  await ensureDossierCounts(db, now);
  const scope = await resolveUnitScope(db, scopes);
  const end = addCalendarDays(period.to, 1);
  const ongoing = now.getTime() < localDayStart(end).getTime();
  const [inPeriod, balances, overdue] = await Promise.all([
    readCounts(db, DOSSIER_COUNTS, { from: period.from, to: end }, scope, Object.values(PERIOD_METRICS)),
    readBalances(db, DOSSIER_COUNTS, end, scope, BALANCES),
    ongoing ? overdueNow(db, scope, now) : Promise.resolve(null),
  ]);
  const sums = new Map<string, Map<string, number>>();
  for (const r of [...inPeriod, ...balances]) {
    const unit = sums.get(r.unitId) ?? new Map<string, number>();
    unit.set(r.metric, (unit.get(r.metric) ?? 0) + r.n);
    sums.set(r.unitId, unit);
  }
  const names = sums.size === 0 ? [] : await db.selectFrom('org_units').select(['id', 'name']).where('id', 'in', [...sums.keys()]).execute();
  const stats = names
    .map((u) => {
      const m = sums.get(u.id) ?? new Map<string, number>();
      const get = (metric: string) => m.get(metric) ?? 0;
      const counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, PERIOD_METRICS[k] ? get(PERIOD_METRICS[k]) : 0])) as unknown as Counts;
      return finish({
        orgUnitId: u.id,
        orgUnitName: u.name,
        ...counts,
        pending: get('opened') - get('closed'),
        pendingOverdue: overdue ? (overdue.get(u.id) ?? 0) : get('due') - get('due_closed'),
      });
    })
    .sort((a, b) => a.orgUnitName.localeCompare(b.orgUnitName, 'vi'));
  const total = finish({ orgUnitId: '', orgUnitName: 'Tổng cộng', ...(Object.fromEntries(COUNT_KEYS.map((k) => [k, stats.reduce((acc, s) => acc + s[k], 0)])) as unknown as Counts) });
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

