import './permissions.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.ts';
import type { FormFieldKind, PaperMediaType, PrefillFact, StepRole } from '../../platform/db/schema.ts';
import { answersSchemaOf } from './eform.ts';
import { formFieldsOf, setFormFields } from './form-fields.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { actorOf, requireRootPermission } from '../../platform/http/request-context.ts';
import { handleFormPost } from '../../web/form-post.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';
import { expectedVersion, setEtag } from '../../platform/http/etag.ts';
import { errorsByField } from '../../web/form.tsx';
import { paperRequirementsOf, setPaperRequirements } from './paper-requirements.ts';
import { ProcedureConfigPage, type Row } from './pages/config-page.tsx';
import { CodeParams, VersionParams, FormFieldsBody, FormFieldsView, PaperRequirementsBody, PaperRequirementsView, WorkflowBody, WorkflowView } from './schema.ts';
import type { VersionRef } from './setup-revision.ts';
import { setWorkflow, workflowOf } from './workflow-definition.ts';

const papersView = async (db: Db, v: VersionRef) => {
  const r = await paperRequirementsOf(db, v.id);
  return { versionNo: v.versionNo, custom: r.custom, requirements: r.requirements.map((x) => ({ ...x, mediaTypes: [...x.mediaTypes], hint: x.hint ?? null })) };
};
const workflowView = async (db: Db, v: VersionRef) => {
  const w = await workflowOf(db, v.id);
  return { versionNo: v.versionNo, custom: w.custom, steps: w.steps.map((s) => ({ ...s })) };
};
const fieldsView = async (db: Db, v: VersionRef) => {
  const fields = await formFieldsOf(db, v.id);
  return { versionNo: v.versionNo, fields: fields.map((f) => ({ ...f, options: [...f.options] })), answersSchema: answersSchemaOf(fields) };
};
/** A view of the setup with its version as the ETag, the row version that a PUT sends back in If-Match. */
const tagged = <T extends { versionNo: number }>(reply: FastifyReply, view: T): T => {
  setEtag(reply, view.versionNo);
  return view;
};

/** One version of a procedure by its number, in force or not (a dossier names the version it was filled in under). */
async function versionNumbered(db: Db, code: string, versionNo: number): Promise<VersionRef> {
  const v = await db
    .selectFrom('procedure_versions as v')
    .innerJoin('procedures as p', 'p.id', 'v.procedure_id')
    .select(['v.id', 'v.version_no'])
    .where('p.national_code', '=', code)
    .where('v.version_no', '=', versionNo)
    .executeTakeFirst();
  if (!v) throw new AppError('not_found');
  return { id: v.id, versionNo: v.version_no };
}

async function versionInForce(db: Db, code: string) {
  const v = await db
    .selectFrom('procedure_versions as v')
    .innerJoin('procedures as p', 'p.id', 'v.procedure_id')
    .select(['v.id', 'v.name', 'v.version_no'])
    .where('p.national_code', '=', code)
    .where('v.valid_to', 'is', null)
    .executeTakeFirst();
  if (!v) throw new AppError('not_found');
  return { id: v.id, name: v.name, versionNo: v.version_no };
}

/**
 * The rows of a form posted as `<list>.<i>.<field>` keys without the rows left blank, in the order of their `order`
 * field when they have one (the administrator renumbers to move a row), else as posted.
 */
function rowsOf(body: unknown, list: string): Row[] {
  const rows = new Map<number, Row>();
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    const m = new RegExp(`^${list}\\.(\\d{1,2})\\.(\\w+)$`).exec(key);
    if (!m || (typeof value !== 'string' && !Array.isArray(value))) continue;
    const row = rows.get(Number(m[1])) ?? {};
    row[m[2] ?? ''] = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : value.trim();
    rows.set(Number(m[1]), row);
  }
  const filled = [...rows.entries()].sort(([a], [b]) => a - b).map(([, r]) => r).filter((r) => [r.name, r.key].some((v) => typeof v === 'string' && v !== ''));
  const place = (r: Row, i: number) => (/^\d{1,3}$/.test(str(r.order)) ? Number(str(r.order)) : i + 1);
  return filled.map((r, i) => ({ r, at: place(r, i), i })).sort((a, b) => a.at - b.at || a.i - b.i).map(({ r }) => r);
}
const list = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);
const str = (v: string | string[] | undefined) => (typeof v === 'string' ? v : '');
const orNull = (v: string | string[] | undefined) => str(v) || null;

const requirementsFromRows = (rows: readonly Row[]) => ({
  requirements: rows.map((r) => ({ name: str(r.name), required: r.required === '1', mediaTypes: list(r.mediaTypes) as PaperMediaType[], maxBytes: Math.round(Number(str(r.maxMb).replace(',', '.')) * 1024 * 1024), hint: orNull(r.hint) })),
});
const formFieldsFromRows = (rows: readonly Row[]) => ({
  fields: rows.map((r) => ({
    key: str(r.key),
    label: str(r.label),
    kind: (str(r.kind) || 'text') as FormFieldKind,
    required: r.required === '1',
    options: str(r.options).split(';').map((o) => o.trim()).filter(Boolean),
    help: orNull(r.help),
    group: orNull(r.group),
    prefill: orNull(r.prefill) as PrefillFact | null,
    source: orNull(r.source),
  })),
});
const workflowFromRows = (rows: readonly Row[]) => ({
  steps: rows.map((r) => ({ name: str(r.name), role: (str(r.role) || 'specialist') as StepRole, orgUnitId: str(r.orgUnitId) || null, budgetPercent: Number(str(r.budgetPercent)) })),
});

type Part = 'papers' | 'steps' | 'fields';
type PageState = { papers?: Row[]; steps?: Row[]; fields?: Row[]; errors?: readonly FieldError[]; notice?: string; message?: string; versionNo?: number; status?: number };

/** The version a setup form was loaded with (its hidden field); a form without one is treated as stale. */
const postedVersionNo = (form: Readonly<Record<string, string>>) => (/^\d{1,9}$/.test(form.versionNo ?? '') ? Number(form.versionNo) : -1);

const SAVED: Record<string, { notice: string; anchor: string }> = {
  'giay-to': { notice: 'Đã lưu danh sách giấy tờ.', anchor: 'giay-to' },
  'quy-trinh': { notice: 'Đã lưu quy trình xử lý.', anchor: 'quy-trinh' },
  'bieu-mau': { notice: 'Đã lưu biểu mẫu.', anchor: 'bieu-mau' },
};
const PATHS: Record<Part, string> = { papers: 'giay-to', steps: 'quy-trinh', fields: 'bieu-mau' };

export function procedureConfigRoutes(deps: { db: Db }) {
  const { db } = deps;
  return async (app: App) => {
    const page = async (request: FastifyRequest, reply: FastifyReply, state: PageState = {}) => {
      requireRootPermission(request, 'procedures.manage');
      const code = (request.params as { code: string }).code;
      const v = await versionInForce(db, code);
      const papers = await paperRequirementsOf(db, v.id);
      const workflow = await workflowOf(db, v.id);
      const paperRows: Row[] =
        state.papers ?? papers.requirements.map((r) => ({ name: r.name, required: r.required ? '1' : '', mediaTypes: [...r.mediaTypes], maxMb: String(Math.round((r.maxBytes / 1024 / 1024) * 10) / 10), hint: r.hint ?? '' }));
      const stepRows: Row[] = state.steps ?? workflow.steps.map((s) => ({ name: s.name, role: s.role, orgUnitId: s.orgUnitId ?? '', budgetPercent: String(s.budgetPercent) }));
      const fieldRows: Row[] =
        state.fields ??
        (await formFieldsOf(db, v.id)).map((f) => ({ key: f.key, label: f.label, kind: f.kind, required: f.required ? '1' : '', options: f.options.join('; '), help: f.help ?? '', group: f.group ?? '', prefill: f.prefill ?? '', source: f.source ?? '' }));
      const blankPaper = { name: '', required: '', mediaTypes: ['application/pdf', 'image/jpeg', 'image/png'], maxMb: '10', hint: '' };
      const blankField = { key: '', label: '', kind: 'text', required: '', options: '', help: '', group: '', prefill: '', source: '' };
      const units = await db.selectFrom('org_units').select(['id', 'name']).where('valid_to', 'is', null).where('kind', '<>', 'service_centre').orderBy('name').execute();
      const errors = state.errors ?? [];
      const saved = SAVED[String((request.query as Record<string, unknown> | undefined)?.['da-luu'] ?? '')];
      return sendPage(
        reply,
        <ProcedureConfigPage
          ctx={pageContext(request)}
          procedure={{ code, name: v.name, versionNo: v.versionNo }}
          editedVersionNo={state.versionNo ?? v.versionNo}
          papers={{ custom: papers.custom, rows: [...paperRows, blankPaper, blankPaper].slice(0, 50) }}
          workflow={{ custom: workflow.custom, rows: [...stepRows, { name: '', role: 'specialist', orgUnitId: '', budgetPercent: '' }].slice(0, 20) }}
          formFields={[...fieldRows, blankField, blankField].slice(0, 50)}
          units={units}
          errors={errorsByField(errors)}
          notice={state.notice ?? saved?.notice}
          message={state.message}
        />,
        state.status ?? (errors.length > 0 ? 400 : 200),
      );
    };
    const base = '/quan-tri/thu-tuc/:code/cau-hinh';
    app.get(base, { schema: { hide: true, params: CodeParams } }, async (request, reply) => page(request, reply));

    // Each part of the setup is saved from its own form; a save makes a new version (or nothing, when unchanged).
    const save = async (request: FastifyRequest, reply: FastifyReply, part: Part) => {
      requireRootPermission(request, 'procedures.manage');
      const code = (request.params as { code: string }).code;
      const v = await versionInForce(db, code);
      const rows = rowsOf(request.body, part === 'papers' ? 'requirements' : part);
      const keep = { [part]: rows };
      return handleFormPost(request, reply, {
        fields: ['versionNo'],
        toInput: () => (part === 'fields' ? formFieldsFromRows(rows) : part === 'papers' ? requirementsFromRows(rows) : workflowFromRows(rows)),
        schema: part === 'fields' ? FormFieldsBody : part === 'papers' ? PaperRequirementsBody : WorkflowBody,
        run: async (input, form) => {
          const edited = postedVersionNo(form);
          if (part === 'fields') await setFormFields(db, actorOf(request), v.id, (input as FormFieldsBody).fields, edited);
          else if (part === 'papers') await setPaperRequirements(db, actorOf(request), v.id, (input as PaperRequirementsBody).requirements.map((r, i) => ({ ...r, seq: i + 1 })), edited);
          else await setWorkflow(db, actorOf(request), v.id, (input as WorkflowBody).steps, edited);
          return `/quan-tri/thu-tuc/${code}/cau-hinh?da-luu=${PATHS[part]}#${PATHS[part]}`;
        },
        shown: ['validation', 'conflict'],
        // A stale form keeps what was typed and now carries the version in force: saving again, after a look at the
        // message, is a deliberate choice. A form with mistakes keeps the version it was loaded with.
        render: (state) => {
          if (state.code === 'conflict') return page(request, reply, { ...keep, message: state.message, status: 409 });
          const edited = postedVersionNo(state.form);
          return page(request, reply, { ...keep, errors: state.fieldErrors, ...(edited >= 0 ? { versionNo: edited } : {}) });
        },
      });
    };
    app.post(`${base}/giay-to`, { schema: { hide: true, params: CodeParams } }, async (request, reply) => save(request, reply, 'papers'));
    app.post(`${base}/quy-trinh`, { schema: { hide: true, params: CodeParams } }, async (request, reply) => save(request, reply, 'steps'));
    app.post(`${base}/bieu-mau`, { schema: { hide: true, params: CodeParams } }, async (request, reply) => save(request, reply, 'fields'));

    const ifMatch = 'Each change makes a new version of the procedure (dossiers already received keep theirs); send the ETag of the setup you edited in If-Match (409 when stale, 428 when missing).';
    app.get(
      '/api/v1/procedures/:code/form-fields',
      {
        schema: {
          tags: ['procedures'],
          summary: "The e-form (tờ khai) of the version in force: its fields, and the JSON Schema a submission's answers meet",
          params: CodeParams,
          response: { 200: FormFieldsView },
        },
      },
      async (request, reply) => tagged(reply, await fieldsView(db, await versionInForce(db, request.params.code))),
    );
    app.get(
      '/api/v1/procedures/:code/versions/:versionNo/form-fields',
      { schema: { tags: ['procedures'], summary: 'The e-form of one version, in force or not: the one a dossier of that version was filled in on', params: VersionParams, response: { 200: FormFieldsView } } },
      async (request) => fieldsView(db, await versionNumbered(db, request.params.code, request.params.versionNo)),
    );
    app.put(
      '/api/v1/procedures/:code/form-fields',
      { schema: { tags: ['procedures'], summary: 'Set the e-form of the procedure (administrators)', description: ifMatch, params: CodeParams, body: FormFieldsBody, response: { 200: FormFieldsView } } },
      async (request, reply) => {
        requireRootPermission(request, 'procedures.manage');
        const v = await versionInForce(db, request.params.code);
        return tagged(reply, await fieldsView(db, await setFormFields(db, actorOf(request), v.id, request.body.fields, expectedVersion(request))));
      },
    );

    app.get('/api/v1/procedures/:code/paper-requirements', { schema: { tags: ['procedures'], summary: 'Papers the version in force asks for', params: CodeParams, response: { 200: PaperRequirementsView } } }, async (request, reply) =>
      tagged(reply, await papersView(db, await versionInForce(db, request.params.code))),
    );
    app.put(
      '/api/v1/procedures/:code/paper-requirements',
      { schema: { tags: ['procedures'], summary: 'Set the papers the procedure asks for (administrators)', description: ifMatch, params: CodeParams, body: PaperRequirementsBody, response: { 200: PaperRequirementsView } } },
      async (request, reply) => {
        requireRootPermission(request, 'procedures.manage');
        const v = await versionInForce(db, request.params.code);
        const requirements = request.body.requirements.map((r, i) => ({ ...r, seq: i + 1 }));
        return tagged(reply, await papersView(db, await setPaperRequirements(db, actorOf(request), v.id, requirements, expectedVersion(request))));
      },
    );
    app.get('/api/v1/procedures/:code/workflow', { schema: { tags: ['procedures'], summary: 'Processing steps of the version in force', params: CodeParams, response: { 200: WorkflowView } } }, async (request, reply) =>
      tagged(reply, await workflowView(db, await versionInForce(db, request.params.code))),
    );
    app.put(
      '/api/v1/procedures/:code/workflow',
      { schema: { tags: ['procedures'], summary: 'Set the processing steps of the procedure (administrators)', description: ifMatch, params: CodeParams, body: WorkflowBody, response: { 200: WorkflowView } } },
      async (request, reply) => {
        requireRootPermission(request, 'procedures.manage');
        const v = await versionInForce(db, request.params.code);
        return tagged(reply, await workflowView(db, await setWorkflow(db, actorOf(request), v.id, request.body.steps, expectedVersion(request))));
      },
    );
  };
}
