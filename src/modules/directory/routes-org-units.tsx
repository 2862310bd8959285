import './permissions.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/time.ts';
import type { FieldError } from '../../platform/errors.ts';
import { expectedVersion, setEtag } from '../../platform/http/etag.ts';
import { actorOf, requirePermission } from '../../platform/http/request-context.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';
import { errorsByField } from '../../web/form.tsx';
import { type FormState, handleFormPost } from '../../web/form-post.ts';
import { closeOrgUnit, createOrgUnit, getOrgUnit, listOrgUnits, toOrgUnitView, updateOrgUnit } from './org-units.ts';
import { OrgUnitEditPage, OrgUnitListPage } from './pages/org-unit-pages.tsx';
import { IdParams, NewOrgUnit, OrgUnitList, OrgUnitPatch, OrgUnitView } from './schema.ts';

const FIELDS = ['parentId', 'name', 'shortName', 'kind', 'agencyCode', 'agencyCodeNote', 'governingBody', 'placeName'];

function formOf(unit: OrgUnitView): Record<string, string> {
  return {
    name: unit.name,
    shortName: unit.shortName ?? '',
    kind: unit.kind,
    agencyCode: unit.agencyCode ?? '',
    agencyCodeNote: unit.agencyCodeNote ?? '',
    governingBody: unit.governingBody ?? '',
    placeName: unit.placeName ?? '',
    rowVersion: String(unit.rowVersion),
  };
}

// A field left empty on the edit form clears what it holds.
const patchOf = (f: Readonly<Record<string, string>>): OrgUnitPatch => ({
  name: f.name ?? '',
  kind: (f.kind ?? '') as NonNullable<OrgUnitPatch['kind']>,
  shortName: f.shortName ?? null,
  agencyCode: f.agencyCode ?? null,
  agencyCodeNote: f.agencyCodeNote ?? null,
  governingBody: f.governingBody ?? null,
  placeName: f.placeName ?? null,
});

export function orgUnitRoutes(db: Db, clock: Clock) {
  return (app: App) => {
    const listPage = async (request: FastifyRequest, reply: FastifyReply, form: Record<string, string>, errors: readonly FieldError[], status = 200) => {
      const user = requirePermission(request, 'directory.manage');
      const units = await listOrgUnits(db, user);
      return sendPage(reply, <OrgUnitListPage ctx={pageContext(request)} units={units} form={form} errors={errorsByField(errors)} />, status);
    };

    app.get('/quan-tri/don-vi', { schema: { hide: true } }, async (request, reply) => listPage(request, reply, {}, []));

    app.post('/quan-tri/don-vi', { schema: { hide: true } }, async (request, reply) => {
      const user = requirePermission(request, 'directory.manage');
      return handleFormPost(request, reply, {
        fields: FIELDS,
        schema: NewOrgUnit,
        toInput: (form) => form as unknown as NewOrgUnit,
        run: async (input) => `/quan-tri/don-vi/${(await createOrgUnit(db, { now: clock.now() }, actorOf(request), user, input)).id}`,
        render: (state) => listPage(request, reply, state.form, state.fieldErrors, state.status),
        shown: ['validation'],
      });
    });

    const editPage = async (request: FastifyRequest, reply: FastifyReply, form: Readonly<Record<string, string>> | null, state?: FormState) => {
      const user = requirePermission(request, 'directory.manage');
      const unit = toOrgUnitView(await getOrgUnit(db, user, (request.params as { id: string }).id));
      const message = state?.code === 'conflict' ? state.message : undefined;
      const errors = state?.code === 'validation' ? state.fieldErrors : [];
      return sendPage(reply, <OrgUnitEditPage ctx={pageContext(request)} unit={unit} form={form ?? formOf(unit)} errors={errorsByField(errors)} {...(message ? { message } : {})} />, state?.status ?? 200);
    };

    app.get('/quan-tri/don-vi/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) => editPage(request, reply, null));

    app.post('/quan-tri/don-vi/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const user = requirePermission(request, 'directory.manage');
      return handleFormPost(request, reply, {
        fields: [...FIELDS, 'rowVersion'],
        schema: OrgUnitPatch,
        toInput: patchOf,
        run: async (patch, form) => {
          await updateOrgUnit(db, { now: clock.now() }, actorOf(request), user, request.params.id, Number(form.rowVersion), patch);
          return `/quan-tri/don-vi/${request.params.id}`;
        },
        render: (state) =>
          editPage(request, reply, state.form, state.code === 'conflict' ? { ...state, message: `${state.message} Nội dung bạn vừa nhập vẫn được giữ bên dưới.` } : state),
        shown: ['validation', 'conflict'],
      });
    });

    app.post('/quan-tri/don-vi/:id/dong', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const user = requirePermission(request, 'directory.manage');
      return handleFormPost(request, reply, {
        fields: ['rowVersion'],
        toInput: (form) => Number(form.rowVersion),
        run: async (rowVersion) => {
          await closeOrgUnit(db, { now: clock.now() }, actorOf(request), user, request.params.id, rowVersion);
          return '/quan-tri/don-vi';
        },
        render: (state) => editPage(request, reply, null, state),
        shown: ['validation', 'conflict'],
      });
    });

    app.get('/api/v1/org-units', { schema: { tags: ['directory'], summary: 'Open org units in the caller’s scope, in tree order', response: { 200: OrgUnitList } } }, async (request) =>
      listOrgUnits(db, requirePermission(request, 'directory.manage')),
    );

    app.post('/api/v1/org-units', { schema: { tags: ['directory'], summary: 'Create an org unit under one in scope', body: NewOrgUnit, response: { 201: OrgUnitView } } }, async (request, reply) => {
      const unit = await createOrgUnit(db, { now: clock.now() }, actorOf(request), requirePermission(request, 'directory.manage'), request.body);
      setEtag(reply, unit.rowVersion);
      return reply.status(201).send(unit);
    });

    app.get('/api/v1/org-units/:id', { schema: { tags: ['directory'], summary: 'One org unit (ETag = row version)', params: IdParams, response: { 200: OrgUnitView } } }, async (request, reply) => {
      const unit = toOrgUnitView(await getOrgUnit(db, requirePermission(request, 'directory.manage'), request.params.id));
      setEtag(reply, unit.rowVersion);
      return unit;
    });

    app.patch(
      '/api/v1/org-units/:id',
      { schema: { tags: ['directory'], summary: 'Update an org unit; requires If-Match with the ETag', params: IdParams, body: OrgUnitPatch, response: { 200: OrgUnitView } } },
      async (request, reply) => {
        const user = requirePermission(request, 'directory.manage');
        const unit = await updateOrgUnit(db, { now: clock.now() }, actorOf(request), user, request.params.id, expectedVersion(request), request.body);
        setEtag(reply, unit.rowVersion);
        return unit;
      },
    );

    app.post(
      '/api/v1/org-units/:id/close',
      { schema: { tags: ['directory'], summary: 'Close an org unit from today; requires If-Match', params: IdParams, response: { 200: OrgUnitView } } },
      async (request) => closeOrgUnit(db, { now: clock.now() }, actorOf(request), requirePermission(request, 'directory.manage'), request.params.id, expectedVersion(request)),
    );
  };
}
