import type { FastifyRequest } from 'fastify';
import { type Clock, localDateOf } from '../../platform/time.ts';
import { handleFormPost } from '../../web/form-post.ts';
import { Type } from 'typebox';
import { DateField, errorsByField, ErrorSummary, SelectField, TextField } from '../../web/form.tsx';
import { formatDateTime, formatIsoDate } from '../../web/format.ts';
import { CsrfField, Layout } from '../../web/layout.tsx';
import type { PageContext } from '../../web/page-context.ts';
import { actorOf, requireRootPermission } from '../../platform/http/request-context.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { Db } from '../../platform/db/database.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { Uuid } from '../../platform/http/common-schemas.ts';
import type { App } from '../../platform/http/server.ts';
import type { CalendarStore } from '../../platform/calendar/calendar-store.ts';
import { addCalendarException, removeCalendarException } from '../../platform/calendar/manage-exceptions.ts';
import { CalendarExceptionView, CalendarYearView, DueDateQuery, DueDateView, NewCalendarException, YearParams } from '../../platform/calendar/schema.ts';

const kindLabels = { day_off: 'Nghỉ thêm', working_day: 'Làm bù (ngày làm việc)' } as const;
const labels = { date: 'Ngày', kind: 'Loại ngoại lệ', reason: 'Lý do', decisionRef: 'Căn cứ (số văn bản)' };

const requireCalendarManager = (request: FastifyRequest) => requireRootPermission(request, 'calendar.manage');

async function yearView(db: Db, store: CalendarStore, year: number) {
  const calendar = await store.get();
  const exceptions = await db
    .selectFrom('calendar_exceptions')
    .select(['id', 'day', 'kind', 'reason', 'decision_ref'])
    .where('day', '>=', `${year}-01-01`)
    .where('day', '<=', `${year}-12-31`)
    .orderBy('day')
    .execute();
  const daysOff = calendar.holidaysOfYear(year).map((h) => ({ date: h.date, name: h.name }));
  let workingDays = 0;
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    if (calendar.isWorkingDay(d.toISOString().slice(0, 10))) workingDays += 1;
  }
  return {
    year,
    daysOff,
    workingDays,
    exceptions: exceptions.map((e) => ({ id: e.id, date: e.day, kind: e.kind, reason: e.reason, decisionRef: e.decision_ref })),
  };
}

type YearView = Awaited<ReturnType<typeof yearView>>;

function CalendarPage(props: { ctx: PageContext; view: YearView; form: Record<string, string>; errors: readonly FieldError[] }) {
  const { view } = props;
  const errors = errorsByField(props.errors);
  return (
    <Layout ctx={props.ctx} title={`Lịch làm việc năm ${view.year}`}>
      <h1>Lịch làm việc năm {view.year}</h1>
      <p>
        Năm {view.year} có {view.workingDays} ngày làm việc. Thời hạn giải quyết hồ sơ được tính theo lịch này.{' '}
        <a href={`/quan-tri/lich?nam=${view.year - 1}`}>Năm {view.year - 1}</a> · <a href={`/quan-tri/lich?nam=${view.year + 1}`}>Năm {view.year + 1}</a>
      </p>
      <h2>Ngày nghỉ lễ, tết và nghỉ bù</h2>
      <ul>
        {view.daysOff.map((d) => (
          <li key={d.date}>
            {formatIsoDate(d.date)}: {d.name}
          </li>
        ))}
      </ul>
      <h2>Ngoại lệ của năm (hoán đổi, nghỉ thêm)</h2>
      {view.exceptions.length === 0 ? <p>Chưa có ngoại lệ nào.</p> : null}
      <ul>
        {view.exceptions.map((e) => (
          <li key={e.id}>
            {formatIsoDate(e.date)} – {kindLabels[e.kind]}: {e.reason}
            {e.decisionRef ? ` (${e.decisionRef})` : ''}{' '}
            <form method="post" action={`/quan-tri/lich/ngoai-le/${e.id}/xoa`} class="inline-form">
              <CsrfField ctx={props.ctx} />
              <button type="submit" class="link-button">
                Xóa<span class="visually-hidden"> ngoại lệ ngày {formatIsoDate(e.date)}</span>
              </button>
            </form>
          </li>
        ))}
      </ul>
      <h2>Thêm ngoại lệ</h2>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action={`/quan-tri/lich?nam=${view.year}`} novalidate>
        <CsrfField ctx={props.ctx} />
        <DateField name="date" label={labels.date} value={props.form.date} error={errors.date} required />
        <SelectField
          name="kind"
          label={labels.kind}
          value={props.form.kind}
          error={errors.kind}
          required
          options={[
            { value: 'day_off', label: kindLabels.day_off },
            { value: 'working_day', label: kindLabels.working_day },
          ]}
        />
        <TextField name="reason" label={labels.reason} value={props.form.reason} error={errors.reason} required maxLength={300} />
        <TextField name="decisionRef" label={labels.decisionRef} hint="Ví dụ: Thông báo 6150/TB-BNV" value={props.form.decisionRef} error={errors.decisionRef} maxLength={100} />
        <button type="submit" class="button">
          Thêm ngoại lệ
        </button>
      </form>
    </Layout>
  );
}

/** The year asked for (?nam=), or this year in Vietnam on the app's clock. */
function yearFrom(request: FastifyRequest, clock: Clock): number {
  const raw = Number((request.query as Record<string, unknown>).nam);
  return Number.isInteger(raw) && raw >= 1990 && raw <= 2060 ? raw : Number(localDateOf(clock.now()).slice(0, 4));
}

export function calendarRoutes(deps: { db: Db; calendar: CalendarStore; clock: Clock }) {
  const { db, calendar, clock } = deps;
  return (app: App) => {
    app.get('/quan-tri/lich', { schema: { hide: true } }, async (request, reply) => {
      requireCalendarManager(request);
      const view = await yearView(db, calendar, yearFrom(request, clock));
      return sendPage(reply, <CalendarPage ctx={pageContext(request)} view={view} form={{}} errors={[]} />);
    });

    app.post('/quan-tri/lich', { schema: { hide: true } }, async (request, reply) => {
      requireCalendarManager(request);
      return handleFormPost(request, reply, {
        fields: ['date', 'kind', 'reason', 'decisionRef'],
        dates: ['date'],
        schema: NewCalendarException,
        toInput: (form) => form as unknown as NewCalendarException,
        run: async (input) => {
          await addCalendarException(db, actorOf(request), input, calendar);
          return `/quan-tri/lich?nam=${input.date.slice(0, 4)}`;
        },
        render: async (state) => {
          const view = await yearView(db, calendar, yearFrom(request, clock));
          return sendPage(reply, <CalendarPage ctx={pageContext(request)} view={view} form={state.form} errors={state.fieldErrors} />, state.status);
        },
        shown: ['validation'],
      });
    });

    app.post('/quan-tri/lich/ngoai-le/:id/xoa', { schema: { hide: true, params: Type.Object({ id: Uuid }) } }, async (request, reply) => {
      requireCalendarManager(request);
      const { day } = await removeCalendarException(db, actorOf(request), (request.params as { id: string }).id, calendar);
      return reply.redirect(`/quan-tri/lich?nam=${day.slice(0, 4)}`, 303);
    });

    app.get('/api/v1/calendar/:year', { schema: { security: [], tags: ['calendar'], summary: 'Days off and exceptions of a year (public)', params: YearParams, response: { 200: CalendarYearView } } }, async (request) =>
      yearView(db, calendar, request.params.year),
    );

    app.post(
      '/api/v1/calendar/exceptions',
      { schema: { tags: ['calendar'], summary: 'Add an extra day off or a swapped working day', body: NewCalendarException, response: { 201: CalendarExceptionView } } },
      async (request, reply) => {
        requireCalendarManager(request);
        const id = await addCalendarException(db, actorOf(request), request.body, calendar);
        const b = request.body;
        return reply.status(201).send({ id, date: b.date, kind: b.kind, reason: b.reason.trim(), decisionRef: b.decisionRef?.trim() || null });
      },
    );

    app.delete('/api/v1/calendar/exceptions/:id', { schema: { tags: ['calendar'], summary: 'Remove an exception', params: Type.Object({ id: Uuid }), response: { 204: Type.Null() } } }, async (request, reply) => {
      requireCalendarManager(request);
      await removeCalendarException(db, actorOf(request), request.params.id, calendar);
      return reply.status(204).send(null);
    });

    app.get('/api/v1/calendar/due-date', { schema: { security: [], tags: ['calendar'], summary: 'Add working days or hours to an instant (public)', querystring: DueDateQuery, response: { 200: DueDateView } } }, async (request) => {
      const q = request.query;
      const cal = await calendar.get();
      const from = new Date(q.from);
      if ((q.workingDays === undefined) === (q.workingHours === undefined)) {
        throw AppError.validation([{ field: 'workingDays', code: 'one_of', messageVi: 'Nhập đúng một trong hai: số ngày làm việc hoặc số giờ làm việc.', messageEn: 'Give exactly one of workingDays or workingHours.' }]);
      }
      const due = q.workingDays !== undefined ? cal.addWorkingDays(from, q.workingDays) : cal.addWorkingHours(from, q.workingHours ?? 0);
      return { from: from.toISOString(), due: due.toISOString(), dueLocal: formatDateTime(due) };
    });
  };
}
