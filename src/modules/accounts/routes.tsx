import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ErrorSummary, PageMessages, errorsByField, TextField } from '../../web/form.tsx';
import { CsrfField, Layout } from '../../web/layout.tsx';
import type { PageContext } from '../../web/page-context.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { requireUser } from '../../platform/http/request-context.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';
import { schemaFieldErrors } from '../../platform/http/validation.ts';
import { DEVICE_COOKIE, DEVICE_COOKIE_DAYS, issueDeviceToken } from '../../platform/auth/device.ts';
import { type LoginPolicy, login } from '../../platform/auth/login.ts';
import { safeNext } from '../../platform/auth/safe-next.ts';
import { LoginBody, MeResponse } from '../../platform/auth/schema.ts';
import { activeUser, deleteSession, findSession, SESSION_COOKIE, type SessionInfo } from '../../platform/auth/sessions.ts';
import { landingPageOf } from '../../platform/modules/manifest.ts';
import { setRetryAfter, withRetryAfter } from '../../platform/auth/throttle.ts';

function LoginPage(props: { ctx: PageContext; username: string; next: string; errors: readonly FieldError[]; message?: string; notice?: string }) {
  const errors = errorsByField(props.errors);
  return (
    <Layout ctx={props.ctx} title="Đăng nhập">
      <h1>Đăng nhập</h1>
      <ErrorSummary errors={errors} labels={{ username: 'Tên đăng nhập', password: 'Mật khẩu' }} />
      <PageMessages notice={props.notice} message={props.message} />
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
function setSignInCookies(reply: FastifyReply, config: Config, signedIn: { token: string; userId: string }): void {
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
    backoff: { freeFailures: config.loginMaxFailures, maxDelayMinutes: config.loginBackoffMaxMinutes },
    deviceSecret: config.sessionSecret,
  };
}

export function authRoutes(deps: { db: Db; config: Config }) {
  return (app: App) => {
    app.get('/dang-nhap', { schema: { hide: true } }, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const next = safeNext(query.next);
      const notice = query['da-dang-ky'] === '1' ? 'Đăng ký thành công. Mời bạn đăng nhập bằng số định danh cá nhân.' : undefined;
      return sendPage(reply, <LoginPage ctx={pageContext(request)} username="" next={next} errors={[]} {...(notice ? { notice } : {})} />);
    });

    app.post('/dang-nhap', { schema: { hide: true } }, async (request, reply) => {
      const form = (request.body ?? {}) as Record<string, unknown>;
      const next = safeNext(form.next);
      const input = { username: String(form.username ?? ''), password: String(form.password ?? '') };
      const errors = schemaFieldErrors(LoginBody, input);
      const ctx = pageContext(request);
      if (errors.length > 0) return sendPage(reply, <LoginPage ctx={ctx} username={input.username} next={next} errors={errors} />, 400);
      try {
        const signedIn = await login(deps.db, policy(deps.config), input, meta(request));
        setSignInCookies(reply, deps.config, signedIn);
        // Asked for no page in particular: an official goes to their work (queue, figures or administration).
        return reply.redirect(next === '/' ? landingPageOf(request.server.navigation, await activeUser(deps.db, { id: signedIn.userId })) : next, 303);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        setRetryAfter(reply, error);
        return sendPage(reply, <LoginPage ctx={ctx} username={input.username} next={next} errors={[]} message={error.messageVi} />, error.httpStatus);
      }
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
          tags: ['auth'],
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

    app.get('/api/v1/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: MeResponse } } }, async (request) => {
      requireUser(request);
      return toMe(request.session as SessionInfo);
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
