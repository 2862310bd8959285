import './permissions.ts';
import type { FastifyRequest } from 'fastify';
import { orgUnitInScope } from '../../platform/auth/org-scope.ts';
import { type CurrentUser, hasPermissionAtRoot, permissionScopes } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { actorOf, requirePermission, requireRootPermission } from '../../platform/http/request-context.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';
import { handleFormPost } from '../../web/form-post.ts';
import { Type } from 'typebox';
import { listOrgUnitProcedures, setOrgUnitProcedures } from './assign-procedures.ts';
import { importProcedures, type ImportSummary } from './import-procedures.ts';
import { AssignmentPage, CatalogueAdminPage } from './pages/admin-pages.tsx';
import { NATIONAL_CODE } from './parse-fields.ts';
import { AssignmentBody, AssignmentList, ImportSummaryView, OrgUnitParams } from './schema.ts';
import { sniffCatalogueFile } from './upload.ts';
import { type UploadedFile, uploadedFiles } from '../../platform/http/multipart.ts';

async function importRuns(db: Db) {
  const rows = await db
    .selectFrom('import_runs')
    .select(['id', 'file_name', 'finished_at', 'accepted', 'unchanged', 'rejected', 'actor_label'])
    .where('kind', 'like', 'procedures.%')
    .orderBy('finished_at', 'desc')
    .limit(10)
    .execute();
  return rows.map((r) => ({ id: r.id, fileName: r.file_name, finishedAt: r.finished_at, accepted: r.accepted, unchanged: r.unchanged, rejected: r.rejected, actorLabel: r.actor_label }));
}

async function unitsInScope(db: Db, user: CurrentUser) {
  const prefixes = permissionScopes(user, 'procedures.manage');
  if (prefixes.length === 0) return [];
  return db
    .selectFrom('org_units as ou')
    .select((eb) => [
      'ou.id',
      'ou.name',
      // Built, not raw: the tenant scope gives the sub-query its own tenant filter, which a correlation alone does
      // not give Citus to keep the statement on one shard.
      eb.selectFrom('procedure_assignments as a').select(eb.fn.countAll<string>().as('n')).whereRef('a.org_unit_id', '=', 'ou.id').as('procedures'),
    ])
    .where('ou.valid_to', 'is', null)
    .where((eb) => eb.or(prefixes.map((p) => eb('ou.path', 'like', `${p}%`))))
    .orderBy('ou.path')
    .limit(500)
    .execute();
}

const canImport = (user: CurrentUser) => hasPermissionAtRoot(user, 'procedures.manage');

async function adminPage(db: Db, request: FastifyRequest, extra: { summary?: ImportSummary; errors?: Record<string, string> } = {}) {
  const user = requirePermission(request, 'procedures.manage');
  const [runs, units] = await Promise.all([importRuns(db), unitsInScope(db, user)]);
  return (
    <CatalogueAdminPage
      ctx={pageContext(request)}
      runs={runs}
      units={units.map((u) => ({ ...u, procedures: Number(u.procedures) }))}
      summary={extra.summary ?? null}
      errors={extra.errors ?? {}}
      canImport={canImport(user)}
    />
  );
}

const postedFile = (request: FastifyRequest) => uploadedFiles(request.body, 'file')[0];

async function runUpload(db: Db, request: FastifyRequest, file: UploadedFile | undefined): Promise<ImportSummary> {
  requireRootPermission(request, 'procedures.manage');
  const { kind, text } = await sniffCatalogueFile(file);
  return importProcedures(db, actorOf(request), { fileName: file?.filename ?? 'upload', kind, text });
}

/** One procedure to add to or remove from a unit's list, as the assignment form posts it. */
const AssignmentCode = Type.Object({ nationalCode: Type.String({ pattern: NATIONAL_CODE.source, messageVi: 'Mã thủ tục có dạng 1.234567.', messageEn: 'Format 1.234567.' }) });

export function proceduresAdminRoutes(deps: { db: Db }) {
  const { db } = deps;
  return async (app: App) => {
    app.get('/quan-tri/thu-tuc', { schema: { hide: true } }, async (request, reply) => sendPage(reply, await adminPage(db, request)));

    // The file is the form's only field: its summary, or what is wrong with it next to the field (a file too large too).
    app.post('/quan-tri/thu-tuc/nhap', { schema: { hide: true } }, async (request, reply) =>
      handleFormPost(request, reply, {
        fields: [],
        toInput: () => postedFile(request),
        run: async (file) => sendPage(reply, await adminPage(db, request, { summary: await runUpload(db, request, file) })),
        shown: ['validation', 'payload_too_large'],
        render: async (state) => sendPage(reply, await adminPage(db, request, { errors: state.errors }), state.status),
      }),
    );

    app.post(
      '/api/v1/procedures/imports',
      {
        schema: {
          tags: ['procedures'],
          summary: 'Import a catalogue file (multipart field "file": the national CSV or the detailed JSON)',
          consumes: ['multipart/form-data'],
          response: { 201: ImportSummaryView },
        },
      },
      async (request, reply) => {
        const summary = await runUpload(db, request, postedFile(request));
        return reply.status(201).send({ ...summary, rejects: summary.rejects.map((r) => ({ ...r, reasons: [...r.reasons] })) });
      },
    );

    const unitPage = async (request: FastifyRequest, code: string, errors: Record<string, string>) => {
      const user = requirePermission(request, 'procedures.manage');
      const unit = await orgUnitInScope(db, user, 'procedures.manage', (request.params as { id: string }).id);
      const items = await listOrgUnitProcedures(db, unit.id);
      return <AssignmentPage ctx={pageContext(request)} unit={unit} items={items} code={code} errors={errors} />;
    };

    const changeAssignment = async (request: FastifyRequest, code: string, change: (codes: string[], code: string) => string[]) => {
      const user = requirePermission(request, 'procedures.manage');
      const unit = await orgUnitInScope(db, user, 'procedures.manage', (request.params as { id: string }).id);
      const current = (await listOrgUnitProcedures(db, unit.id)).map((p) => p.nationalCode);
      try {
        await setOrgUnitProcedures(db, actorOf(request), unit.id, change(current, code));
      } catch (error) {
        if (error instanceof AppError && error.code === 'validation') {
          throw AppError.validation([{ field: 'nationalCode', code: 'unknown_procedure', messageVi: `Không có thủ tục mã "${code}".`, messageEn: 'Unknown procedure.' }]);
        }
        throw error;
      }
      return unit.id;
    };

    app.get('/quan-tri/thu-tuc/don-vi/:id', { schema: { hide: true, params: OrgUnitParams } }, async (request, reply) => sendPage(reply, await unitPage(request, '', {})));

    for (const [action, change] of [
      ['them', (codes: string[], code: string) => [...codes, code]],
      ['xoa', (codes: string[], code: string) => codes.filter((c) => c !== code)],
    ] as const) {
      app.post(`/quan-tri/thu-tuc/don-vi/:id/${action}`, { schema: { hide: true, params: OrgUnitParams } }, async (request, reply) =>
        handleFormPost(request, reply, {
          fields: ['nationalCode'],
          toInput: (form) => ({ nationalCode: form.nationalCode ?? '' }),
          schema: AssignmentCode,
          run: async ({ nationalCode }) => `/quan-tri/thu-tuc/don-vi/${await changeAssignment(request, nationalCode, change)}`,
          render: async (state) => sendPage(reply, await unitPage(request, state.form.nationalCode ?? '', state.errors), state.status),
          shown: ['validation'],
        }),
      );
    }

    app.get(
      '/api/v1/org-units/:id/procedures',
      { schema: { tags: ['procedures'], summary: 'Procedures an org unit handles', params: OrgUnitParams, response: { 200: AssignmentList } } },
      async (request) => {
        const user = requirePermission(request, 'procedures.manage');
        const unit = await orgUnitInScope(db, user, 'procedures.manage', request.params.id);
        return { orgUnitId: unit.id, items: await listOrgUnitProcedures(db, unit.id) };
      },
    );

    app.put(
      '/api/v1/org-units/:id/procedures',
      {
        schema: {
          tags: ['procedures'],
          summary: 'Replace the procedures an org unit handles',
          params: OrgUnitParams,
          body: AssignmentBody,
          response: { 200: AssignmentList },
        },
      },
      async (request) => {
        const user = requirePermission(request, 'procedures.manage');
        const unit = await orgUnitInScope(db, user, 'procedures.manage', request.params.id);
        await setOrgUnitProcedures(db, actorOf(request), unit.id, request.body.nationalCodes);
        return { orgUnitId: unit.id, items: await listOrgUnitProcedures(db, unit.id) };
      },
    );
  };
}

