import type { FastifyRequest } from 'fastify';
import { Value } from 'typebox/value';
import { setRetryAfter, Throttled, withRetryAfter } from '../../platform/auth/throttle.ts';
import type { Config } from '../../platform/config.ts';
import { actorOf } from '../../platform/http/request-context.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { schemaFieldErrors } from '../../platform/http/validation.ts';
import { todayLocal, withIsoDates } from '../../platform/time.ts';
import { errorsByField } from '../../web/form.tsx';
import { findAdminUnits, getAdminUnitHistory } from './find-admin-unit.ts';
import { formFields } from './form-input.ts';
import { AdminUnitLookupPage, RegisterPage } from './pages/public-pages.tsx';
import { registerCitizen, registrationErrors, registrationLimit } from './register-citizen.ts';
import { AdminUnitHistoryView, AdminUnitList, AdminUnitQuery, CitizenRegistration, IdParams } from './schema.ts';
import { Type } from 'typebox';

async function lookup(db: Db, q: AdminUnitQuery) {
  const on = q.on ?? todayLocal();
  const units = await findAdminUnits(db, { ...(q.code ? { code: q.code } : {}), ...(q.q ? { name: q.q } : {}), on });
  return Promise.all(units.slice(0, 20).map((u) => getAdminUnitHistory(db, u.id, todayLocal())));
}

export function directoryPublicRoutes(db: Db, config: Pick<Config, 'registrationsPerHour'>) {
  const limit = (request: FastifyRequest) => registrationLimit(request.ip, config.registrationsPerHour);
  return (app: App) => {
    app.get('/don-vi-hanh-chinh', { schema: { hide: true } }, async (request, reply) => {
      const form = formFields(request.query, ['code', 'q', 'on']);
      const query = Value.Convert(AdminUnitQuery, withIsoDates(form, ['on'])) as AdminUnitQuery;
      const errors = schemaFieldErrors(AdminUnitQuery, query);
      const ctx = pageContext(request);
      if (errors.length > 0) return sendPage(reply, <AdminUnitLookupPage ctx={ctx} form={form} errors={errorsByField(errors)} results={null} />, 400);
      const results = form.code || form.q ? await lookup(db, query) : null;
      return sendPage(reply, <AdminUnitLookupPage ctx={ctx} form={form} errors={{}} results={results} />);
    });

    app.get(
      '/api/v1/admin-units',
      { schema: { security: [], tags: ['directory'], summary: 'Administrative units valid on a date (public), by code or name', querystring: AdminUnitQuery, response: { 200: AdminUnitList } } },
      async (request) => {
        const q = request.query;
        if (!q.code && !q.q) throw AppError.validation([{ field: 'q', code: 'required', messageVi: 'Nhập mã hoặc tên đơn vị.', messageEn: 'Give a code or a name.' }]);
        return findAdminUnits(db, { ...(q.code ? { code: q.code } : {}), ...(q.q ? { name: q.q } : {}), on: q.on ?? todayLocal() });
      },
    );

    app.get(
      '/api/v1/admin-units/:id',
      { schema: { security: [], tags: ['directory'], summary: 'An administrative unit with its predecessors and the units it is part of today', params: IdParams, response: { 200: AdminUnitHistoryView } } },
      async (request) => getAdminUnitHistory(db, request.params.id, todayLocal()),
    );

    app.get('/dang-ky', { schema: { hide: true } }, async (request, reply) => sendPage(reply, <RegisterPage ctx={pageContext(request)} form={{}} errors={{}} />));

    app.post('/dang-ky', { schema: { hide: true } }, async (request, reply) => {
      const form = formFields(request.body, ['personalId', 'fullName', 'email', 'phone', 'password', 'passwordConfirmation']);
      let errors = registrationErrors(form);
      let throttled: Throttled | undefined;
      if (errors.length === 0) {
        try {
          await registerCitizen(db, actorOf(request), form as CitizenRegistration, limit(request));
          return reply.redirect('/dang-nhap?da-dang-ky=1', 303);
        } catch (error) {
          if (error instanceof Throttled) throttled = error;
          else if (error instanceof AppError && error.code === 'validation') errors = [...error.fieldErrors];
          else throw error;
        }
      }
      const { password: _p, passwordConfirmation: _c, ...kept } = form;
      setRetryAfter(reply, throttled);
      const page = <RegisterPage ctx={pageContext(request)} form={kept} errors={errorsByField(errors)} {...(throttled ? { message: throttled.messageVi } : {})} />;
      return sendPage(reply, page, throttled ? 429 : 400);
    });

    app.post(
      '/api/v1/citizens',
      // attachValidation: registerCitizen reports schema, personal-id and password problems together.
      { attachValidation: true, schema: { security: [], tags: ['directory'], summary: 'Register a citizen account (public)', body: CitizenRegistration, response: { 201: Type.Object({ id: Type.String() }) } } },
      async (request, reply) => {
        const id = await withRetryAfter(reply, () => registerCitizen(db, actorOf(request), (request.body ?? {}) as CitizenRegistration, limit(request)));
        return reply.status(201).send({ id });
      },
    );
  };
}
