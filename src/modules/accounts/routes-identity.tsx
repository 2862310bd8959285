import type { FastifyRequest } from 'fastify';
import { rolesGranting } from '../../platform/auth/permissions.ts';
import { AppError } from '../../platform/errors.ts';
import { actorOf, requirePermission, requireUser } from '../../platform/http/request-context.ts';
import type { App } from '../../platform/http/server.ts';
import type { KernelServices } from '../../platform/modules/manifest.ts';
import { handleFormPost } from '../../web/form-post.ts';
import { setShowOnce, takeShowOnce } from '../../web/flash.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import { issueCounterCode, verifyIdentityAtCounter } from './counter-verification.ts';
import { AccountPage, CounterVerificationPage } from './pages/identity-pages.tsx';
import { CounterCodeView, CounterVerification, IdentityView, VerificationResult } from './schema.ts';

const ACCOUNT_PAGE = '/dich-vu-cong/tai-khoan';

function requireCitizen(request: FastifyRequest) {
  const user = requireUser(request);
  if (user.kind !== 'citizen') throw new AppError('forbidden');
  return user;
}

export function identityRoutes(services: KernelServices) {
  const { db, config, clock } = services;
  const identityOf = async (userId: string) => {
    const row = await db.selectFrom('users').select(['full_name', 'personal_id', 'identity_verified_at', 'identity_method']).where('id', '=', userId).executeTakeFirstOrThrow();
    return { fullName: row.full_name, personalId: row.personal_id, verifiedAt: row.identity_verified_at, method: row.identity_method };
  };
  return (app: App) => {
    app.get(ACCOUNT_PAGE, { schema: { hide: true } }, async (request, reply) => {
      const user = requireCitizen(request);
      const shown = takeShowOnce(request, reply, { name: 'counter_code', path: ACCOUNT_PAGE })?.split('|');
      const code = shown?.[0] && shown[1] ? { code: shown[0], expiresAt: new Date(shown[1]) } : undefined;
      const verified = (request.query as Record<string, unknown>)['da-xac-minh'] === '1' ? 'Đã xác minh danh tính qua VNeID.' : undefined;
      return sendPage(reply, <AccountPage ctx={pageContext(request)} account={await identityOf(user.id)} vneid={config.vneid !== undefined} code={code} notice={verified} />);
    });

    app.post(`${ACCOUNT_PAGE}/ma-xac-minh`, { schema: { hide: true } }, async (request, reply) => {
      const user = requireCitizen(request);
      // A button with nothing to type: the code is shown once on the account page, or the page says why not.
      return handleFormPost(request, reply, {
        fields: [],
        toInput: () => user,
        run: async (citizen) => {
          const issued = await issueCounterCode(db, citizen, actorOf(request), clock.now());
          setShowOnce(reply, { name: 'counter_code', value: `${issued.code}|${issued.expiresAt.toISOString()}`, path: ACCOUNT_PAGE, secure: config.secureCookies });
          return ACCOUNT_PAGE;
        },
        shown: ['conflict', 'forbidden'],
        render: async (state) => sendPage(reply, <AccountPage ctx={pageContext(request)} account={await identityOf(user.id)} vneid={config.vneid !== undefined} message={state.message} />, state.status),
      });
    });

    app.get('/api/v1/me/identity', { schema: { tags: ['auth'], summary: 'My account’s personal ID and whether its identity is verified (records for that ID reach me only then)', response: { 200: IdentityView } } }, async (request) => {
      const i = await identityOf(requireCitizen(request).id);
      return { personalId: i.personalId, verified: i.verifiedAt !== null, method: i.method, verifiedAt: i.verifiedAt?.toISOString() ?? null };
    });

    app.post(
      '/api/v1/me/identity/counter-code',
      { schema: { tags: ['auth'], summary: 'A code to show at a one-stop counter with my card, to have my identity verified there (replaces any earlier code)', response: { 201: CounterCodeView } } },
      async (request, reply) => {
        const issued = await issueCounterCode(db, requireCitizen(request), actorOf(request), clock.now());
        return reply.status(201).send({ code: issued.code, expiresAt: issued.expiresAt.toISOString() });
      },
    );

    /** The counters (org units) where the officer verifies identities: those of their roles that grant it. */
    const counters = (request: FastifyRequest) => {
      const user = requirePermission(request, 'identity.verify');
      const roles = rolesGranting('identity.verify');
      return user.grants.filter((g) => roles.includes(g.role)).map((g) => ({ value: g.orgUnitId, label: g.orgName }));
    };

    app.get('/xac-minh-danh-tinh', { schema: { hide: true } }, async (request, reply) => {
      const units = counters(request);
      const notice = (request.query as Record<string, unknown>)['da-xac-minh'] === '1' ? 'Đã xác minh danh tính. Tài khoản của công dân nay xem được giấy tờ và hồ sơ ghi nhận theo số định danh của họ.' : undefined;
      return sendPage(reply, <CounterVerificationPage ctx={pageContext(request)} units={units} form={{ orgUnitId: units[0]?.value ?? '' }} errors={{}} notice={notice} />);
    });

    app.post('/xac-minh-danh-tinh', { schema: { hide: true } }, async (request, reply) => {
      const units = counters(request);
      const officer = requirePermission(request, 'identity.verify');
      return handleFormPost(request, reply, {
        fields: ['orgUnitId', 'personalId', 'code'],
        schema: CounterVerification,
        toInput: (f) => ({ orgUnitId: f.orgUnitId ?? '', personalId: f.personalId ?? '', code: f.code ?? '' }),
        run: async (input) => {
          await verifyIdentityAtCounter(db, officer, actorOf(request), input, clock.now());
          return '/xac-minh-danh-tinh?da-xac-minh=1';
        },
        shown: ['validation', 'not_found'],
        render: (state) => {
          const errors = state.code === 'not_found' ? { orgUnitId: 'Bạn không xác minh danh tính tại đơn vị này.' } : state.errors;
          return sendPage(reply, <CounterVerificationPage ctx={pageContext(request)} units={units} form={state.form} errors={errors} />, state.code === 'not_found' ? 400 : state.status);
        },
      });
    });

    app.post(
      '/api/v1/identity-verifications',
      {
        schema: {
          tags: ['auth'],
          summary: 'Verify a citizen’s identity at a counter in my subtree: the personal ID on the card I checked and the code from their account page',
          body: CounterVerification,
          response: { 200: VerificationResult },
        },
      },
      async (request) => verifyIdentityAtCounter(db, requirePermission(request, 'identity.verify'), actorOf(request), request.body, clock.now()),
    );
  };
}
