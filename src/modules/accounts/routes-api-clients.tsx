import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type CurrentUser, permissionScopes } from '../../platform/auth/permissions.ts';
import { Uuid } from '../../platform/http/common-schemas.ts';
import { actorOf, requirePermission } from '../../platform/http/request-context.ts';
import type { App } from '../../platform/http/server.ts';
import type { KernelServices } from '../../platform/modules/manifest.ts';
import { handleFormPost } from '../../web/form-post.ts';
import { setShowOnce, takeShowOnce } from '../../web/flash.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import { createApiClient, getApiClient, grantablePermissions, listApiClients, revokeApiClient } from './api-clients.ts';
import { ApiClientListPage, ApiClientPage, NewApiClientPage } from './pages/api-client-pages.tsx';
import { ApiClientView, CreatedApiClient, NewApiClient } from './schema.ts';

const BASE = '/quan-tri/ung-dung';
const IdParams = Type.Object({ id: Uuid });

/** A form field that may repeat (checkboxes): always an array of strings. */
const formList = (body: unknown, name: string): string[] => {
  const v = ((body ?? {}) as Record<string, unknown>)[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
};

/** Administrators make and revoke API clients for the units of their subtree: pages and API. */
export function apiClientRoutes(services: KernelServices) {
  const { db, config, clock } = services;
  const admin = (request: FastifyRequest) => requirePermission(request, 'api_clients.manage');
  const unitOptions = async (user: CurrentUser) => {
    const scopes = permissionScopes(user, 'api_clients.manage');
    const units = await db
      .selectFrom('org_units')
      .select(['id', 'name'])
      .where('valid_to', 'is', null)
      .where((eb) => eb.or(scopes.map((p) => eb('path', 'like', `${p}%`))))
      .orderBy('path')
      .limit(1000)
      .execute();
    return units.map((u) => ({ value: u.id, label: u.name }));
  };
  const newPage = async (request: FastifyRequest, reply: FastifyReply, state: { form: Readonly<Record<string, string>>; selected: readonly string[]; errors: Readonly<Record<string, string>>; status: number }) =>
    sendPage(reply, <NewApiClientPage ctx={pageContext(request)} units={await unitOptions(admin(request))} permissions={grantablePermissions()} form={state.form} selected={state.selected} errors={state.errors} />, state.status);

  return (app: App) => {
    app.get(BASE, { schema: { hide: true } }, async (request, reply) => sendPage(reply, <ApiClientListPage ctx={pageContext(request)} clients={await listApiClients(db, admin(request))} />));

    app.get(`${BASE}/moi`, { schema: { hide: true } }, async (request, reply) => newPage(request, reply, { form: {}, selected: [], errors: {}, status: 200 }));

    app.post(`${BASE}/moi`, { schema: { hide: true } }, async (request, reply) => {
      const user = admin(request);
      const selected = formList(request.body, 'permissions');
      return handleFormPost(request, reply, {
        fields: ['name', 'orgUnitId'],
        schema: NewApiClient,
        toInput: (f) => ({ name: f.name ?? '', orgUnitId: f.orgUnitId ?? '', permissions: selected }),
        run: async (input) => {
          const { client, key } = await createApiClient(db, user, actorOf(request), input);
          setShowOnce(reply, { name: 'api_key', value: key, path: `${BASE}/${client.id}`, secure: config.secureCookies });
          return `${BASE}/${client.id}`;
        },
        render: (state) => newPage(request, reply, { form: state.form, selected, errors: state.errors, status: state.status }),
      });
    });

    app.get(`${BASE}/:id`, { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const client = await getApiClient(db, admin(request), request.params.id);
      const key = takeShowOnce(request, reply, { name: 'api_key', path: `${BASE}/${client.id}` });
      const notice = (request.query as Record<string, unknown>)['da-thu-hoi'] === '1' ? 'Đã thu hồi khóa: mọi yêu cầu dùng khóa này bị từ chối từ bây giờ.' : undefined;
      return sendPage(reply, <ApiClientPage ctx={pageContext(request)} client={client} apiKey={key} notice={notice} />);
    });

    app.post(`${BASE}/:id/thu-hoi`, { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      await revokeApiClient(db, admin(request), actorOf(request), request.params.id, clock.now());
      return reply.redirect(`${BASE}/${request.params.id}?da-thu-hoi=1`, 303);
    });

    app.get('/api/v1/api-clients', { schema: { tags: ['auth'], summary: 'API clients of the units in my subtree (administrators)', response: { 200: Type.Array(ApiClientView) } } }, async (request) => listApiClients(db, admin(request)));

    app.post(
      '/api/v1/api-clients',
      { schema: { tags: ['auth'], summary: 'Make an API client for a unit in my subtree, with a set of permissions over it; the key is in this answer only', body: NewApiClient, response: { 201: CreatedApiClient } } },
      async (request, reply) => {
        const { client, key } = await createApiClient(db, admin(request), actorOf(request), request.body);
        return reply.status(201).send({ ...client, key });
      },
    );

    app.get('/api/v1/api-clients/:id', { schema: { tags: ['auth'], summary: 'One API client of my subtree', params: IdParams, response: { 200: ApiClientView } } }, async (request) => getApiClient(db, admin(request), request.params.id));

    app.post(
      '/api/v1/api-clients/:id/revoke',
      { schema: { tags: ['auth'], summary: 'Revoke an API client of my subtree: its key is refused from now on (revoking again changes nothing)', params: IdParams, response: { 200: ApiClientView } } },
      async (request) => revokeApiClient(db, admin(request), actorOf(request), request.params.id, clock.now()),
    );
  };
}
