import { safeNext } from '../../platform/auth/safe-next.ts';
import { type IdentityProvider, openPending, PENDING_COOKIE, sealPending, vneidProvider } from '../../platform/auth/vneid.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/server.ts';
import type { KernelServices } from '../../platform/modules/manifest.ts';
import { setSignInCookies } from './routes.tsx';
import { signInWithVneid } from './sign-in-with-vneid.ts';

const CALLBACK = '/dang-nhap/vneid/callback';

/**
 * Sign-in through VNeID (OpenID Connect). The flow's state, nonce and PKCE verifier travel in a signed, HTTP-only
 * cookie bound to this browser, so a callback started elsewhere (login CSRF) or replayed is refused.
 */
export function vneidRoutes(services: KernelServices, provider?: IdentityProvider) {
  const { config, db, clock } = services;
  const idp = provider ?? (config.vneid ? vneidProvider(config.vneid) : undefined);
  const redirectUri = `${config.publicUrl}${CALLBACK}`;
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/dang-nhap/vneid' } as const;
  return (app: App) => {
    if (!idp) return;
    app.get('/dang-nhap/vneid', { schema: { hide: true } }, async (request, reply) => {
      const { url, pending } = await idp.start(redirectUri, safeNext((request.query as Record<string, unknown>).next), clock.now());
      reply.setCookie(PENDING_COOKIE, sealPending(config.sessionSecret, pending), { ...cookieOptions, maxAge: 600 });
      return reply.redirect(url.toString(), 303);
    });

    app.get(CALLBACK, { schema: { hide: true } }, async (request, reply) => {
      const pending = openPending(config.sessionSecret, request.cookies[PENDING_COOKIE]);
      reply.clearCookie(PENDING_COOKIE, { path: cookieOptions.path });
      const query = request.query as Record<string, unknown>;
      if (!pending) throw new AppError('unauthenticated', { messageVi: 'Phiên đăng nhập VNeID không còn hiệu lực (hoặc không bắt đầu từ trình duyệt này). Vui lòng đăng nhập lại.' });
      if (typeof query.error === 'string') throw new AppError('unauthenticated', { messageVi: 'Bạn chưa hoàn tất đăng nhập VNeID.' });
      const identity = await idp.finish(new URL(request.url, config.publicUrl), pending, clock.now());
      const signedIn = await signInWithVneid(
        db,
        identity,
        { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: request.id, signedInAs: request.session?.user.id ?? null, sessionTtlHours: config.sessionTtlHours },
        clock.now(),
      );
      setSignInCookies(reply, config, signedIn);
      // A level-2 identity that made or verified the account this time: the account page says what that means.
      const verifiedNow = identity.level === 2 && signedIn.outcome !== 'signed_in';
      return reply.redirect(verifiedNow ? '/dich-vu-cong/tai-khoan?da-xac-minh=1' : pending.next, 303);
    });
  };
}
