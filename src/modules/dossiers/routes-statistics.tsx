import './permissions.ts';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/database.ts';
import { AppError, type FieldError, fieldError } from '../../platform/errors.ts';
import { IsoDate } from '../../platform/http/common-schemas.ts';
import { actorOf, requirePermission } from '../../platform/http/request-context.ts';
import { handleFormPost } from '../../web/form-post.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';
import { schemaFieldErrors } from '../../platform/http/validation.ts';
import { type Clock, localDateOf, withIsoDates } from '../../platform/time.ts';
import { errorsByField } from '../../web/form.tsx';
import { StatisticsPage } from './pages/statistics-page.tsx';
import { dossierStatistics } from './statistics.ts';
import { statisticsWorkbook } from './statistics-export.ts';
import { registerRows, requestDossierRegister } from './register-export.ts';
import { type ExportRunner, exportJson, ExportViewSchema } from '../../platform/exports/index.ts';
import { RegisterPage } from './pages/register-page.tsx';
import { hasPermissionAnywhere } from '../../platform/auth/permissions.ts';

export const PeriodQuery = Type.Object({ from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) }, { additionalProperties: false });
const UnitRow = Type.Object({
  orgUnitId: Type.String(),
  orgUnitName: Type.String(),
  received: Type.Integer(),
  receivedCounter: Type.Integer(),
  receivedOnline: Type.Integer(),
  receivedPostal: Type.Integer(),
  decided: Type.Integer(),
  decidedEarly: Type.Integer(),
  decidedOnTime: Type.Integer(),
  decidedLate: Type.Integer(),
  pending: Type.Integer(),
  pendingOverdue: Type.Integer(),
  ratings: Type.Integer(),
  satisfied: Type.Integer(),
  submissionsAuthRecorded: Type.Integer({ description: 'dossiers submitted or received in the period whose applicant authentication is recorded' }),
  authPassword: Type.Integer(),
  authVneidLevel1: Type.Integer(),
  authVneidLevel2: Type.Integer(),
  authCounter: Type.Integer(),
  authNone: Type.Integer({ description: 'postal: the applicant did not authenticate' }),
  eAuthShare: Type.Union([Type.Number(), Type.Null()], { description: '(VNeID level 1 + level 2) ÷ submissionsAuthRecorded (plan figure dossiers.eAuthShare)' }),
  satisfaction: Type.Union([Type.Number(), Type.Null()]),
  onTimeRate: Type.Union([Type.Number(), Type.Null()]),
  onlineShare: Type.Union([Type.Number(), Type.Null()]),
  formFields: Type.Integer({ description: 'form fields answered on the dossiers submitted in the period (e-form and contact)' }),
  formFieldsAutofilled: Type.Integer({ description: "of which filled in from the applicant's account or an earlier dossier and left unchanged" }),
  autofillShare: Type.Union([Type.Number(), Type.Null()], { description: 'formFieldsAutofilled ÷ formFields: the plan target dossiers.autofillShare (≥ 20 %)' }),
});
const StatisticsView = Type.Object({ from: Type.String(), to: Type.String(), rows: Type.Array(UnitRow), total: UnitRow });

// The register page shows its first lines; the workbook has them all.
const REGISTER_PAGE_ROWS = 100;

/** The period asked for (default: from `defaultFrom` of today's year or month to today), every problem at once. */
function periodOf(request: FastifyRequest, now: Date, defaultFrom: 'year' | 'month' = 'year', from: unknown = request.query): { period: { from: string; to: string }; errors: FieldError[] } {
  const q = (from ?? {}) as Record<string, unknown>;
  const raw = withIsoDates({ from: typeof q.from === 'string' ? q.from : undefined, to: typeof q.to === 'string' ? q.to : undefined }, ['from', 'to']);
  const today = localDateOf(now);
  const period = { from: raw.from || (defaultFrom === 'year' ? `${today.slice(0, 4)}-01-01` : `${today.slice(0, 7)}-01`), to: raw.to || today };
  const errors = schemaFieldErrors(PeriodQuery, period);
  if (errors.length === 0 && period.to < period.from) errors.push(fieldError('to', 'before_from', 'Ngày kết thúc phải sau ngày bắt đầu.', 'The end date must follow the start date.'));
  return { period, errors };
}

/** Figures for reporting officers and leaders, and the register (Mẫu 07) for the counter, clerks and leaders. */
export function statisticsRoutes(deps: { db: Db; clock: Clock; exports: ExportRunner }) {
  const { db, clock, exports: exportsRunner } = deps;
  return (app: App) => {
    app.get('/thong-ke/ho-so', { schema: { hide: true } }, async (request, reply) => {
      const user = requirePermission(request, 'dossiers.statistics');
      const now = clock.now();
      const { period, errors } = periodOf(request, now);
      const result = errors.length === 0 ? await dossierStatistics(db, user, period, now) : null;
      const page = <StatisticsPage ctx={pageContext(request)} period={period} result={result} errors={errorsByField(errors)} register={hasPermissionAnywhere(user, 'dossiers.register')} />;
      return sendPage(reply, page, errors.length > 0 ? 400 : 200);
    });
    app.get('/thong-ke/ho-so.xlsx', { schema: { hide: true } }, async (request, reply) => {
      const user = requirePermission(request, 'dossiers.statistics');
      const now = clock.now();
      const { period, errors } = periodOf(request, now);
      if (errors.length > 0) throw AppError.validation(errors);
      const { rows, total } = await dossierStatistics(db, user, period, now);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="thong-ke-ho-so-${period.from}-${period.to}.xlsx"`)
        .send(await statisticsWorkbook(period, rows, total));
    });
    app.get('/mot-cua/so-theo-doi', { schema: { hide: true } }, async (request, reply) => {
      const user = requirePermission(request, 'dossiers.register');
      const { period, errors } = periodOf(request, clock.now(), 'month');
      const result = errors.length === 0 ? await registerRows(db, user, period, REGISTER_PAGE_ROWS) : null;
      return sendPage(reply, <RegisterPage ctx={pageContext(request)} period={period} result={result} errors={errorsByField(errors)} />, errors.length > 0 ? 400 : 200);
    });
    // The register of a period is written in the background (a year of a province is hundreds of thousands of lines):
    // the page queues it and sends the user to follow it; the API answers 202 with where to follow it.
    app.post('/mot-cua/so-theo-doi/xuat', { schema: { hide: true } }, async (request, reply) => {
      const user = requirePermission(request, 'dossiers.register');
      const posted = periodOf(request, clock.now(), 'month', request.body);
      return handleFormPost(request, reply, {
        fields: [],
        toInput: () => posted.period,
        check: async () => posted.errors,
        run: async (period) => `/tai-ve/${(await requestDossierRegister(db, exportsRunner, actorOf(request), user, period, clock.now())).id}`,
        shown: ['validation'],
        render: (state) => sendPage(reply, <RegisterPage ctx={pageContext(request)} period={posted.period} result={null} errors={state.errors} />, state.status),
      });
    });
    app.post(
      '/api/v1/dossier-register/exports',
      { schema: { tags: ['dossiers'], summary: 'Queue the dossier register (Mẫu 07) of a period as an Excel file; follow it at /api/v1/exports/{id}', body: PeriodQuery, response: { 202: ExportViewSchema } } },
      async (request, reply) => {
        const user = requirePermission(request, 'dossiers.register');
        const { period, errors } = periodOf(request, clock.now(), 'month', request.body);
        if (errors.length > 0) throw AppError.validation(errors);
        const view = await requestDossierRegister(db, exportsRunner, actorOf(request), user, period, clock.now());
        return reply.status(202).header('location', `/api/v1/exports/${view.id}`).send(exportJson(view));
      },
    );
    app.get(
      '/api/v1/dossier-statistics',
      { schema: { tags: ['dossiers'], summary: 'Received, decided (early/on time/late) and pending dossiers per deciding unit in the caller’s scope', querystring: PeriodQuery, response: { 200: StatisticsView } } },
      async (request) => {
        const user = requirePermission(request, 'dossiers.statistics');
        const now = clock.now();
        const { period, errors } = periodOf(request, now);
        if (errors.length > 0) throw AppError.validation(errors);
        return { ...period, ...(await dossierStatistics(db, user, period, now)) };
      },
    );
  };
}
