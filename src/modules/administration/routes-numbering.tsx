import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.ts';
import { AppError, type FieldError, fieldError } from '../../platform/errors.ts';
import { expectedVersion, setEtag } from '../../platform/http/etag.ts';
import { actorOf, requireRootPermission } from '../../platform/http/request-context.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';
import { schemaFieldErrors } from '../../platform/http/validation.ts';
import { todayLocal, withIsoDates } from '../../platform/time.ts';
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

function formInput(body: unknown): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(b)) if (typeof v === 'string' && ((FORM_FIELDS as readonly string[]).includes(k) || k.startsWith('rowVersion_'))) out[k] = v.trim();
  return out;
}

/** The API's body from the form: only the version fields, empty optional ones left out. */
function versionInput(form: Record<string, string>): Record<string, string> {
  const input: Record<string, string> = withIsoDates(Object.fromEntries(FORM_FIELDS.filter((k) => form[k] !== undefined).map((k) => [k, form[k] ?? ''])), ['validFrom']);
  if (!input.description) delete input.description;
  return input;
}

const conflictError = (): FieldError =>
  fieldError('key', 'conflict', 'Dãy số này vừa được người khác thay đổi. Hãy xem lại bảng trên rồi gửi lại.', 'The series was changed by someone else; review and resend.');

export function numberingRoutes(deps: { db: Db }) {
  const { db } = deps;

  const page = async (request: FastifyRequest, reply: FastifyReply, form: Record<string, string>, errors: readonly FieldError[], notice?: string) => {
    const today = todayLocal();
    const [versions, skips] = await Promise.all([listSeries(db, today), listSkips(db, { limit: 100 })]);
    const props = { ctx: pageContext(request), versions, skips, form, errors, notice };
    return sendPage(reply, <SeriesPage {...props} />, errors.length > 0 ? 400 : 200);
  };

  return (app: App) => {
    app.get('/quan-tri/danh-so', { schema: { hide: true } }, async (request, reply) => {
      requireSeriesManager(request);
      const added = (request.query as Record<string, unknown>)['da-them'] === '1';
      return page(request, reply, {}, [], added ? 'Đã thêm phiên bản mới của dãy số.' : undefined);
    });

    app.post('/quan-tri/danh-so', { schema: { hide: true } }, async (request, reply) => {
      requireSeriesManager(request);
      const form = formInput(request.body);
      const input = versionInput(form);
      const schemaErrors = schemaFieldErrors(NewSeriesVersion, input);
      // The series' own rules on the fields the schema accepted, so the page lists every problem at once.
      const ruleErrors = (await seriesVersionProblems(db, input as Partial<NewSeriesVersion>, todayLocal())).filter((e) => !schemaErrors.some((s) => s.field === e.field));
      let errors = [...schemaErrors, ...ruleErrors];
      const seen = Number(form[`rowVersion_${form.key ?? ''}`]);
      if (errors.length === 0) {
        try {
          await addSeriesVersion(db, actorOf(request), input as NewSeriesVersion, Number.isInteger(seen) ? seen : -1, todayLocal());
          return reply.redirect('/quan-tri/danh-so?da-them=1', 303);
        } catch (error) {
          if (error instanceof AppError && error.code === 'conflict') {
            // The table now shows the other change; the form follows the fresh versions.
            const fresh = Object.fromEntries(Object.entries(form).filter(([k]) => !k.startsWith('rowVersion_')));
            return page(request, reply, fresh, [conflictError()]);
          }
          if (!(error instanceof AppError) || error.fieldErrors.length === 0) throw error;
          errors = [...error.fieldErrors];
        }
      }
      return page(request, reply, form, errors);
    });

    app.get('/api/v1/numbering-series', { schema: { tags: ['numbering'], summary: 'Every version of every numbering series (administrators of the province)', response: { 200: SeriesList } } }, async (request) => {
      requireSeriesManager(request);
      return { items: await listSeries(db, todayLocal()) };
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
        const today = todayLocal();
        const created = await addSeriesVersion(db, actorOf(request), request.body, expected, today);
        const view = (await listSeries(db, today)).find((v) => v.id === created.id);
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
