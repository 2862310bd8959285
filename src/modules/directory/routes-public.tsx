import type { FastifyRequest } from 'fastify';
import { Value } from 'typebox/value';
import { withRetryAfter } from '../../platform/auth/throttle.ts';
import type { Config } from '../../platform/config.ts';
import { actorOf } from '../../platform/http/request-context.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { schemaFieldErrors } from '../../platform/http/validation.ts';
import { type Clock, todayLocal, withIsoDates } from '../../platform/time.ts';
import { handleFormPost } from '../../web/form-post.ts';
import { errorsByField } from '../../web/form.tsx';
import { findAdminUnits, getAdminUnitHistory } from './find-admin-unit.ts';
import { formFields } from '../../web/form-post.ts';
import { ActivationPage, AdminUnitLookupPage, RegisterPage, RegistrationSentPage } from './pages/public-pages.tsx';
import { ACTIVATION_FAILED_VI, activateCitizen, REGISTRATION_SENT_VI, registerCitizen, registrationLimit } from './register-citizen.ts';
import { AdminUnitHistoryView, AdminUnitList, AdminUnitQuery, CitizenRegistration, IdParams } from './schema.ts';
import { Type } from 'typebox';

async function lookup(db: Db, q: AdminUnitQuery) {
  const on = q.on ?? todayLocal();
  const units = await findAdminUnits(db, { ...(q.code ? { code: q.code } : {}), ...(q.q ? { name: q.q } : {}), on });
  return Promise.all(units.slice(0, 20).map((u) => getAdminUnitHistory(db, u.id, todayLocal())));
}

const ActivationBody = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100 }) }, { additionalProperties: false });
const RegistrationAccepted = Type.Object({ status: Type.Literal('pending'), message: Type.String() });

/** The passwords of a posted form exactly as typed. */
function rawPasswords(body: unknown): { password: string; passwordConfirmation: string } {
  const b = (body ?? {}) as Record<string, unknown>;
  return { password: typeof b.password === 'string' ? b.password : '', passwordConfirmation: typeof b.passwordConfirmation === 'string' ? b.passwordConfirmation : '' };
}

export function directoryPublicRoutes(db: Db, config: Pick<Config, 'registrationsPerHour' | 'publicUrl'>, clock: Clock) {
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

    app.post('/dang-ky', { schema: { hide: true } }, async (request, reply) =>
      handleFormPost(request, reply, {
        fields: ['personalId', 'fullName', 'email', 'phone', 'password', 'passwordConfirmation'],
        // Passwords are taken as typed, never trimmed.
        toInput: (f) => ({ ...f, ...rawPasswords(request.body) }) as CitizenRegistration,
        run: async (input) => {
          await withRetryAfter(reply, () => registerCitizen(db, actorOf(request), input, limit(request), { publicUrl: config.publicUrl, now: clock.now() }));
          return '/dang-ky/da-gui';
        },
        shown: ['validation', 'rate_limited'],
        render: (state) => {
          const { password: _p, passwordConfirmation: _c, ...kept } = state.form;
          return sendPage(reply, <RegisterPage ctx={pageContext(request)} form={kept} errors={state.errors} {...(state.code === 'rate_limited' ? { message: state.message } : {})} />, state.status);
        },
      }),
    );

    app.get('/dang-ky/da-gui', { schema: { hide: true } }, async (request, reply) => sendPage(reply, <RegistrationSentPage ctx={pageContext(request)} />));

    // The link in the message only shows a button: mail scanners that follow links do not activate anything.
    app.get('/dang-ky/kich-hoat', { schema: { hide: true } }, async (request, reply) => {
      const token = formFields(request.query, ['ma']).ma ?? '';
      return sendPage(reply, <ActivationPage ctx={pageContext(request)} token={token} />);
    });

    app.post('/dang-ky/kich-hoat', { schema: { hide: true } }, async (request, reply) =>
      handleFormPost(request, reply, {
        fields: ['ma'],
        schema: ActivationBody,
        toInput: (form) => ({ token: form.ma ?? '' }),
        run: async (input) => {
          await activateCitizen(db, actorOf(request), input.token, clock.now());
          return '/dang-nhap?da-kich-hoat=1';
        },
        shown: ['validation'],
        // Whatever is wrong with a link, the citizen can only register again.
        render: (state) => sendPage(reply, <ActivationPage ctx={pageContext(request)} token="" message={ACTIVATION_FAILED_VI} />, state.status),
      }),
    );

    app.post(
      '/api/v1/citizens',
      // attachValidation: registerCitizen reports schema, personal-id and password problems together.
      {
        attachValidation: true,
        schema: {
          security: [],
          tags: ['directory'],
          summary: 'Register a citizen account (public). The answer is the same whether or not the personal ID already has an account; the activation link goes to the e-mail or phone given',
          body: CitizenRegistration,
          response: { 202: RegistrationAccepted },
        },
      },
      async (request, reply) => {
        await withRetryAfter(reply, () => registerCitizen(db, actorOf(request), (request.body ?? {}) as CitizenRegistration, limit(request), { publicUrl: config.publicUrl, now: clock.now() }));
        return reply.status(202).send({ status: 'pending', message: REGISTRATION_SENT_VI });
      },
    );

    app.post(
      '/api/v1/citizens/activation',
      { schema: { security: [], tags: ['directory'], summary: 'Activate a registration with the token of its activation link (once)', body: ActivationBody, response: { 204: Type.Null() } } },
      async (request, reply) => {
        await activateCitizen(db, actorOf(request), request.body.token, clock.now());
        return reply.status(204).send(null);
      },
    );
  };
}
