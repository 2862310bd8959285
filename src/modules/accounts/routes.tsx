import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ErrorSummary, type FormErrors, PageMessages, TextField } from '../../web/form.tsx';
import { handleFormPost } from '../../web/form-post.ts';
import { CsrfField, Layout } from '../../web/layout.tsx';
import type { PageContext } from '../../web/page-context.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { requireUser } from '../../platform/http/request-context.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';
import { DEVICE_COOKIE, DEVICE_COOKIE_DAYS, issueDeviceToken } from '../../platform/auth/device.ts';
import { type LoginPolicy, login } from '../../platform/auth/login.ts';
import { safeNext } from '../../platform/auth/safe-next.ts';
import { LoginBody, MeResponse } from '../../platform/auth/schema.ts';
import { activeUser, deleteSession, findSession, SESSION_COOKIE, type SessionInfo } from '../../platform/auth/sessions.ts';
import { landingPageOf } from '../../platform/modules/manifest.ts';
import { withRetryAfter } from '../../platform/auth/throttle.ts';

function LoginPage(props: { ctx: PageContext; username: string; next: string; errors: FormErrors; message?: string | undefined; notice?: string | undefined; vneid: boolean }) {
  const errors = props.errors;
  return (
    <Layout ctx={props.ctx} title="Đăng nhập">
      <h1>Đăng nhập</h1>
      <ErrorSummary errors={errors} labels={{ username: 'Tên đăng nhập', password: 'Mật khẩu' }} />
      <PageMessages notice={props.notice} message={props.message} />
      {props.vneid ? (
        <section aria-labelledby="vneid-heading">
          <h2 id="vneid-heading">Công dân: đăng nhập bằng định danh điện tử</h2>
          <p>
            <a class="button" href={`/dang-nhap/vneid?next=${encodeURIComponent(props.next)}`}>
              Đăng nhập bằng VNeID
            </a>
          </p>
          <p class="hint">Tài khoản định danh điện tử mức 2 xác minh danh tính của bạn: giấy tờ và hồ sơ ghi nhận theo số định danh hiển thị ngay trong tài khoản.</p>
        </section>
      ) : null}
      <h2>Đăng nhập bằng mật khẩu</h2>
      <form method="post" action="/dang-nhap" novalidate>
        <CsrfField ctx={props.ctx} />
        <input type="hidden" name="next" value={props.next} />
        <TextField
          name="username"
          label="Tên đăng nhập"
          hint="Công dân: số định danh cá nhân 12 chữ số. Cán bộ: tên đăng nhập được cấp."
          value={props.username}
          error={errors.username}
          autocomplete="username"
          required
          maxLength={100}
        />
        <TextField name="password" label="Mật khẩu" type="password" error={errors.password} autocomplete="current-password" required maxLength={200} />
        <button type="submit" class="button">
          Đăng nhập
        </button>
      </form>
      <p>
        Công dân chưa có tài khoản? <a href="/dang-ky">Đăng ký</a>
      </p>
    </Layout>
  );
}

/** The session cookie, and the long-lived known-device cookie that spares this browser strangers' back-off. */
export function setSignInCookies(reply: FastifyReply, config: Config, signedIn: { token: string; userId: string }): void {
  const options = { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/' } as const;
  reply.setCookie(SESSION_COOKIE, signedIn.token, { ...options, maxAge: config.sessionTtlHours * 3600 });
  reply.setCookie(DEVICE_COOKIE, issueDeviceToken(config.sessionSecret, signedIn.userId), { ...options, maxAge: DEVICE_COOKIE_DAYS * 86_400 });
}

function meta(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: request.id, deviceToken: request.cookies[DEVICE_COOKIE] };
}

function policy(config: Config): LoginPolicy {
  return {
    sessionTtlHours: config.sessionTtlHours,
    ratePerMinute: config.loginRatePerMinute,
    addressRatePerMinute: config.loginAddressRatePerMinute,
    backoff: { freeFailures: config.loginMaxFailures, maxDelayMinutes: config.loginBackoffMaxMinutes },
    deviceSecret: config.sessionSecret,
  };
}

export function authRoutes(deps: { db: Db; config: Config }) {
  return (app: App) => {
    const vneid = deps.config.vneid !== undefined;
    app.get('/dang-nhap', { schema: { hide: true } }, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const next = safeNext(query.next);
      const notice = query['da-kich-hoat'] === '1' ? 'Tài khoản đã được kích hoạt. Mời bạn đăng nhập bằng số định danh cá nhân.' : undefined;
      return sendPage(reply, <LoginPage ctx={pageContext(request)} username="" next={next} errors={{}} notice={notice} vneid={vneid} />);
    });

    app.post('/dang-nhap', { schema: { hide: true } }, async (request, reply) => {
      const next = safeNext((request.body as Record<string, unknown> | undefined)?.next);
      return handleFormPost(request, reply, {
        fields: ['username', 'password'],
        schema: LoginBody,
        // The password is not trimmed: it is taken exactly as typed.
        toInput: (f) => ({ username: f.username ?? '', password: String((request.body as Record<string, unknown> | undefined)?.password ?? '') }),
        run: async (input) => {
          const signedIn = await withRetryAfter(reply, () => login(deps.db, policy(deps.config), input, meta(request)));
          setSignInCookies(reply, deps.config, signedIn);
          // Asked for no page in particular: an official goes to their work (queue, figures or administration).
          return next === '/' ? landingPageOf(request.server.navigation, await activeUser(deps.db, { id: signedIn.userId })) : next;
        },
        shown: ['validation', 'invalid_credentials', 'rate_limited'],
        render: (state) =>
          sendPage(reply, <LoginPage ctx={pageContext(request)} username={state.form.username ?? ''} next={next} errors={state.errors} message={state.code === 'validation' ? undefined : state.message} vneid={vneid} />, state.status),
      });
    });

    app.post('/dang-xuat', { schema: { hide: true } }, async (request, reply) => {
      if (request.session) await deleteSession(deps.db, request.session.tokenHash);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/', 303);
    });

    app.post(
      '/api/v1/auth/login',
      {
        schema: {
          security: [], tags: ['auth'],
          summary: 'Sign in; sets the session cookie and returns the CSRF token for later unsafe requests',
          body: LoginBody,
          response: { 200: MeResponse },
        },
      },
      async (request, reply) => {
        const signedIn = await withRetryAfter(reply, () => login(deps.db, policy(deps.config), request.body, meta(request)));
        setSignInCookies(reply, deps.config, signedIn);
        return reply.status(200).send(await meFromToken(deps, signedIn.token));
      },
    );

    app.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out', response: { 204: Type.Null() } } }, async (request, reply) => {
      if (request.session) await deleteSession(deps.db, request.session.tokenHash);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    });

    app.get('/api/v1/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in user, or the API client behind the bearer key', response: { 200: MeResponse } } }, async (request) => {
      const user = requireUser(request);
      if (!user.client) return toMe(request.session as SessionInfo);
      return { id: user.id, kind: user.kind, username: user.username, fullName: user.fullName, csrfToken: '', roles: [], apiClient: { id: user.client.clientId, orgUnitId: user.client.orgUnitId, permissions: [...user.client.permissions] } };
    });
  };
}

function toMe(session: SessionInfo) {
  const user = session.user;
  return {
    id: user.id,
    kind: user.kind,
    username: user.username,
    fullName: user.fullName,
    csrfToken: session.csrfToken,
    roles: user.grants.map((g) => ({ role: g.role, orgUnitId: g.orgUnitId, orgUnitName: g.orgName })),
  };
}

async function meFromToken(deps: { db: Db; config: Config }, token: string) {
  const session = await findSession(deps.db, token, deps.config.sessionTtlHours);
  if (!session) throw new AppError('internal');
  return toMe(session);
}
