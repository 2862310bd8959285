import './permissions.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/time.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { Uuid } from '../../platform/http/common-schemas.ts';
import { expectedVersion, setEtag } from '../../platform/http/etag.ts';
import { actorOf, requirePermission } from '../../platform/http/request-context.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';
import { schemaFieldErrors } from '../../platform/http/validation.ts';
import { errorsByField } from '../../web/form.tsx';
import { formFields, formList, handleFormPost } from '../../web/form-post.ts';
import type { TSchema } from 'typebox';
import { createOfficial, getOfficial, grantRole, listOfficials, newOfficialErrors, resetOfficialPassword, revokeRole, setOfficialStatus, updateOfficial } from './officials.ts';
import { listOrgUnits } from './org-units.ts';
import { NewOfficialPage, OfficialListPage, OfficialPage } from './pages/official-pages.tsx';
import { IdParams, NewOfficial, OfficialList, OfficialPatch, OfficialQuery, OfficialView, PasswordBody, RoleGrantBody } from './schema.ts';

const manager = (request: FastifyRequest): CurrentUser => requirePermission(request, 'directory.manage');
const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

export function officialRoutes(db: Db, clock: Clock) {
  return (app: App) => {
    app.get('/quan-tri/can-bo', { schema: { hide: true } }, async (request, reply) => {
      const user = manager(request);
      const query = formFields(request.query, ['q', 'orgUnitId', 'offset']);
      const parsed = Value.Convert(OfficialQuery, { ...query }) as OfficialQuery;
      const errors = schemaFieldErrors(OfficialQuery, parsed);
      const units = await listOrgUnits(db, user);
      const result = errors.length === 0 ? await listOfficials(db, user, { ...parsed, limit: 50 }) : { items: [], total: 0 };
      const offset = parsed.offset ?? 0;
      const nextOffset = offset + 50 < result.total ? offset + 50 : null;
      const { offset: _o, ...kept } = query;
      return sendPage(reply, <OfficialListPage ctx={pageContext(request)} units={units} query={kept} result={result} errors={errorsByField(errors)} nextOffset={nextOffset} />, errors.length > 0 ? 400 : 200);
    });

    const newPage = async (request: FastifyRequest, reply: FastifyReply, form: Record<string, string>, roles: string[], errors: readonly FieldError[]) => {
      const units = await listOrgUnits(db, manager(request));
      return sendPage(reply, <NewOfficialPage ctx={pageContext(request)} units={units} form={form} roles={roles} errors={errorsByField(errors)} />, errors.length > 0 ? 400 : 200);
    };

    app.get('/quan-tri/can-bo/moi', { schema: { hide: true } }, async (request, reply) => newPage(request, reply, {}, [], []));

    app.post('/quan-tri/can-bo/moi', { schema: { hide: true } }, async (request, reply) => {
      const user = manager(request);
      const roles = formList(request.body, 'roles');
      return handleFormPost(request, reply, {
        fields: ['username', 'fullName', 'email', 'phone', 'orgUnitId', 'password'],
        toInput: (form) => ({ ...form, roles }) as unknown as NewOfficial,
        check: async (input) => newOfficialErrors(input),
        run: async (input) => `/quan-tri/can-bo/${(await createOfficial(db, { now: clock.now() }, actorOf(request), user, input)).id}?da-tao=1`,
        render: (state) => {
          // A password is never sent back to the browser.
          const { password: _p, ...kept } = state.form;
          return newPage(request, reply, kept, roles, state.fieldErrors);
        },
        shown: ['validation'],
      });
    });

    const detailPage = async (request: FastifyRequest, reply: FastifyReply, extra: { form?: Record<string, string>; errors?: readonly FieldError[]; message?: string; notice?: string } = {}) => {
      const user = manager(request);
      const official = await getOfficial(db, user, idOf(request));
      const units = await listOrgUnits(db, user);
      const status = (extra.errors?.length ?? 0) > 0 ? 400 : extra.message ? 409 : 200;
      return sendPage(
        reply,
        <OfficialPage
          ctx={pageContext(request)}
          official={official}
          units={units}
          form={extra.form ?? {}}
          errors={errorsByField(extra.errors ?? [])}
          {...(extra.message ? { message: extra.message } : {})}
          {...(extra.notice ? { notice: extra.notice } : {})}
        />,
        status,
      );
    };

    /** A form action on one official: redirect on success, the page with the problem and what was typed otherwise. */
    const act = <I,>(path: string, fields: readonly string[], toInput: (form: Readonly<Record<string, string>>) => I, run: (input: I, request: FastifyRequest, user: CurrentUser) => Promise<string | undefined>, schema?: TSchema) =>
      app.post(path, { schema: { hide: true, params: Type.Object({ id: Uuid, assignmentId: Type.Optional(Uuid) }) } }, async (request, reply) => {
        const user = manager(request);
        return handleFormPost(request, reply, {
          fields,
          toInput,
          ...(schema ? { schema } : {}),
          run: async (input) => {
            const notice = await run(input, request, user);
            return `/quan-tri/can-bo/${idOf(request)}${notice ? `?thong-bao=${notice}` : ''}`;
          },
          render: (state) => {
            const { password: _p, ...typed } = state.form;
            const form = { ...typed, grantOrgUnitId: typed.orgUnitId ?? '', grantRole: typed.role ?? '' };
            return detailPage(request, reply, state.code === 'conflict' ? { form, message: state.message } : { form, errors: state.fieldErrors });
          },
          shown: ['validation', 'conflict'],
        });
      });

    const notices: Record<string, string> = { 'mat-khau': 'Đã đặt lại mật khẩu; các phiên đăng nhập cũ đã bị hủy.' };
    app.get('/quan-tri/can-bo/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      const notice = q['da-tao'] === '1' ? 'Đã tạo tài khoản cán bộ.' : typeof q['thong-bao'] === 'string' ? notices[q['thong-bao']] : undefined;
      return detailPage(request, reply, notice ? { notice } : {});
    });

    act(
      '/quan-tri/can-bo/:id',
      ['fullName', 'email', 'phone', 'rowVersion'],
      (form) => ({ patch: { fullName: form.fullName ?? '', email: form.email ?? null, phone: form.phone ?? null } as OfficialPatch, rowVersion: Number(form.rowVersion) }),
      async ({ patch, rowVersion }, request, user) => {
        const errors = schemaFieldErrors(OfficialPatch, patch);
        if (errors.length > 0) throw AppError.validation(errors);
        await updateOfficial(db, { now: clock.now() }, actorOf(request), user, idOf(request), rowVersion, patch);
        return undefined;
      },
    );
    act('/quan-tri/can-bo/:id/vai-tro', ['orgUnitId', 'role'], (form) => form as unknown as RoleGrantBody, async (input, request, user) => {
      await grantRole(db, { now: clock.now() }, actorOf(request), user, idOf(request), input);
      return undefined;
    }, RoleGrantBody);
    act('/quan-tri/can-bo/:id/vai-tro/:assignmentId/xoa', [], () => null, async (_, request, user) => {
      await revokeRole(db, actorOf(request), user, idOf(request), (request.params as { assignmentId: string }).assignmentId);
      return undefined;
    });
    act('/quan-tri/can-bo/:id/khoa', [], () => null, async (_, request, user) => {
      await setOfficialStatus(db, { now: clock.now() }, actorOf(request), user, idOf(request), 'disabled');
      return undefined;
    });
    act('/quan-tri/can-bo/:id/mo-khoa', [], () => null, async (_, request, user) => {
      await setOfficialStatus(db, { now: clock.now() }, actorOf(request), user, idOf(request), 'active');
      return undefined;
    });
    act('/quan-tri/can-bo/:id/dat-lai-mat-khau', ['password'], (form) => form.password ?? '', async (password, request, user) => {
      await resetOfficialPassword(db, { now: clock.now() }, actorOf(request), user, idOf(request), password);
      return 'mat-khau';
    });

    // API
    app.get('/api/v1/officials', { schema: { tags: ['directory'], summary: 'Officials in the caller’s scope', querystring: OfficialQuery, response: { 200: OfficialList } } }, async (request) =>
      listOfficials(db, manager(request), request.query),
    );
    // attachValidation: the handler reports schema and password-policy problems together, in one response.
    app.post('/api/v1/officials', { attachValidation: true, schema: { tags: ['directory'], summary: 'Create an official with roles in a unit in scope', body: NewOfficial, response: { 201: OfficialView } } }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const errors = newOfficialErrors(body);
      if (errors.length > 0) throw AppError.validation(errors);
      const official = await createOfficial(db, { now: clock.now() }, actorOf(request), manager(request), body as unknown as NewOfficial);
      setEtag(reply, official.rowVersion);
      return reply.status(201).send(official);
    });
    app.get('/api/v1/officials/:id', { schema: { tags: ['directory'], summary: 'One official (ETag = row version)', params: IdParams, response: { 200: OfficialView } } }, async (request, reply) => {
      const official = await getOfficial(db, manager(request), request.params.id);
      setEtag(reply, official.rowVersion);
      return official;
    });
    app.patch('/api/v1/officials/:id', { schema: { tags: ['directory'], summary: 'Update an official; requires If-Match', params: IdParams, body: OfficialPatch, response: { 200: OfficialView } } }, async (request, reply) => {
      const official = await updateOfficial(db, { now: clock.now() }, actorOf(request), manager(request), request.params.id, expectedVersion(request), request.body);
      setEtag(reply, official.rowVersion);
      return official;
    });
    app.post('/api/v1/officials/:id/roles', { schema: { tags: ['directory'], summary: 'Grant a role in a unit in scope', params: IdParams, body: RoleGrantBody, response: { 200: OfficialView } } }, async (request) =>
      grantRole(db, { now: clock.now() }, actorOf(request), manager(request), request.params.id, request.body),
    );
    app.delete(
      '/api/v1/officials/:id/roles/:assignmentId',
      { schema: { tags: ['directory'], summary: 'Revoke a role', params: Type.Object({ id: Uuid, assignmentId: Uuid }), response: { 200: OfficialView } } },
      async (request) => revokeRole(db, actorOf(request), manager(request), request.params.id, request.params.assignmentId),
    );
    for (const [action, status] of [
      ['disable', 'disabled'],
      ['enable', 'active'],
    ] as const) {
      app.post(`/api/v1/officials/:id/${action}`, { schema: { tags: ['directory'], summary: `${action} the account`, params: IdParams, response: { 200: OfficialView } } }, async (request) =>
        setOfficialStatus(db, { now: clock.now() }, actorOf(request), manager(request), (request.params as { id: string }).id, status),
      );
    }
    app.post('/api/v1/officials/:id/reset-password', { schema: { tags: ['directory'], summary: 'Set a new password; ends the official’s sessions', params: IdParams, body: PasswordBody, response: { 204: Type.Null() } } }, async (request, reply) => {
      await resetOfficialPassword(db, { now: clock.now() }, actorOf(request), manager(request), request.params.id, request.body.password);
      return reply.status(204).send(null);
    });
  };
}
