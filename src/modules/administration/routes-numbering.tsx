import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.ts';
import { AppError, type FieldError, fieldError } from '../../platform/errors.ts';
import { expectedVersion, setEtag } from '../../platform/http/etag.ts';
import { actorOf, requireRootPermission } from '../../platform/http/request-context.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';
import { type Clock, localDateOf, withIsoDates } from '../../platform/time.ts';
import { handleFormPost } from '../../web/form-post.ts';
import { addSeriesVersion, listSeries, listSkips, seriesVersionProblems } from '../../platform/numbering/manage-series.ts';
import { NewSeriesVersion, SeriesList, SeriesVersionView, SkipList, SkipsQuery } from '../../platform/numbering/schema.ts';
import { SeriesPage } from './series-page.tsx';

/**
 * Numbering series are province-wide rules, so they are kept by administrators ('numbering.manage') holding the role
 * at the province's root: a ward administrator manages the ward's units but must not change how the whole province
 * numbers.
 */
const requireSeriesManager = (request: FastifyRequest) => requireRootPermission(request, 'numbering.manage');

const FORM_FIELDS = ['key', 'template', 'resetPeriod', 'allocation', 'validFrom', 'legalBasis', 'description'] as const;

/** The API's body from the form: only the version fields, empty optional ones left out. */
function versionInput(form: Readonly<Record<string, string>>): Record<string, string> {
  const input: Record<string, string> = withIsoDates(Object.fromEntries(FORM_FIELDS.filter((k) => form[k] !== undefined).map((k) => [k, form[k] ?? ''])), ['validFrom']);
  if (!input.description) delete input.description;
  return input;
}

const conflictError = (): FieldError =>
  fieldError('key', 'conflict', 'Dãy số này vừa được người khác thay đổi. Hãy xem lại bảng trên rồi gửi lại.', 'The series was changed by someone else; review and resend.');

export function numberingRoutes(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const today = () => localDateOf(clock.now());

  const page = async (request: FastifyRequest, reply: FastifyReply, form: Readonly<Record<string, string>>, errors: readonly FieldError[], options: { notice?: string; status?: number } = {}) => {
    const [versions, skips] = await Promise.all([listSeries(db, today()), listSkips(db, { limit: 100 })]);
    const props = { ctx: pageContext(request), versions, skips, form, errors, notice: options.notice };
    return sendPage(reply, <SeriesPage {...props} />, options.status ?? 200);
  };

  return (app: App) => {
    app.get('/quan-tri/danh-so', { schema: { hide: true } }, async (request, reply) => {
      requireSeriesManager(request);
      const added = (request.query as Record<string, unknown>)['da-them'] === '1';
      return page(request, reply, {}, [], added ? { notice: 'Đã thêm phiên bản mới của dãy số.' } : {});
    });

    app.post('/quan-tri/danh-so', { schema: { hide: true } }, async (request, reply) => {
      requireSeriesManager(request);
      return handleFormPost(request, reply, {
        fields: FORM_FIELDS,
        fieldPrefixes: ['rowVersion_'],
        toInput: versionInput,
        schema: NewSeriesVersion,
        check: (input) => seriesVersionProblems(db, input as Partial<NewSeriesVersion>, today()),
        run: async (input, form) => {
          const seen = Number(form[`rowVersion_${form.key ?? ''}`]);
          await addSeriesVersion(db, actorOf(request), input as NewSeriesVersion, Number.isInteger(seen) ? seen : -1, today());
          return '/quan-tri/danh-so?da-them=1';
        },
        render: (state) => {
          if (state.code !== 'conflict') return page(request, reply, state.form, state.fieldErrors, { status: state.status });
          // The table now shows the other change; the form follows the fresh versions.
          const fresh = Object.fromEntries(Object.entries(state.form).filter(([k]) => !k.startsWith('rowVersion_')));
          return page(request, reply, fresh, [conflictError()], { status: state.status });
        },
        shown: ['validation', 'conflict'],
      });
    });

    app.get('/api/v1/numbering-series', { schema: { tags: ['numbering'], summary: 'Every version of every numbering series (administrators of the province)', response: { 200: SeriesList } } }, async (request) => {
      requireSeriesManager(request);
      return { items: await listSeries(db, today()) };
    });

    app.post(
      '/api/v1/numbering-series',
      {
        schema: {
          tags: ['numbering'],
          summary: 'Add an effective-dated version of a numbering series; If-Match: the rowVersion of its latest version',
          body: NewSeriesVersion,
          response: { 201: SeriesVersionView },
        },
      },
      async (request, reply) => {
        requireSeriesManager(request);
        const expected = expectedVersion(request);
        const on = today();
        const created = await addSeriesVersion(db, actorOf(request), request.body, expected, on);
        const view = (await listSeries(db, on)).find((v) => v.id === created.id);
        if (!view) throw new AppError('internal');
        setEtag(reply, view.rowVersion);
        return reply.status(201).send(view);
      },
    );

    app.get('/api/v1/numbering-series/skips', { schema: { tags: ['numbering'], summary: 'Numbers taken and never issued (voided, or skipped upstream), newest first', querystring: SkipsQuery, response: { 200: SkipList } } }, async (request) => {
      requireSeriesManager(request);
      return listSkips(db, request.query);
    });
  };
}
