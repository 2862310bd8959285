import { createHmac, timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import { isLoopbackUrl } from '../config.ts';
import { AppError } from '../errors.ts';

/**
 * Sign-in through a VNeID-style OpenID Connect provider: authorization code flow with PKCE (S256), state and nonce,
 * the ID token's signature (the provider's JWKS), issuer, audience, expiry and nonce checked by `openid-client`.
 * Level 2 ("urn:vneid:loa:2" in `acr`) is an identity checked against the national population database with the
 * chip card; only a level-2 identity carries a personal ID that CQS takes as verified.
 */
export interface VneidIdentity {
  readonly subject: string;
  readonly level: 1 | 2;
  readonly fullName: string;
  /** Only for level 2: the personal ID the provider vouches for. */
  readonly personalId: string | null;
}

/** What the browser carries from the start of the flow to the callback (signed, in an HTTP-only cookie). */
export interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** Where to go afterwards (already checked with safeNext). */
  readonly next: string;
  readonly expiresAt: number;
}

export const LEVEL_2_ACR = 'urn:vneid:loa:2';
export const LEVEL_1_ACR = 'urn:vneid:loa:1';
/** The claim (ID token or userinfo) that carries the personal ID. [R] The real VNeID claim name must be confirmed with its integration guide. */
export const PERSONAL_ID_CLAIM = 'personal_id';

export interface IdentityProvider {
  start(redirectUri: string, next: string, now: Date): Promise<{ url: URL; pending: PendingSignIn }>;
  finish(callbackUrl: URL, pending: PendingSignIn, now: Date): Promise<VneidIdentity>;
}

const PENDING_MINUTES = 10;

/** The adapter over `openid-client`; the provider's metadata is discovered on first use and kept (retried after a failure). */
export function vneidProvider(settings: { readonly issuer: string; readonly clientId: string; readonly clientSecret: string }): IdentityProvider {
  let configuration: Promise<oidc.Configuration> | undefined;
  // Plain HTTP only for a provider on this machine (the local simulator); configuration refuses it elsewhere.
  const options = isLoopbackUrl(settings.issuer) ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 };
  const discovered = () => {
    configuration ??= oidc.discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, options).catch((error: unknown) => {
      configuration = undefined;
      throw new AppError('upstream_unavailable', { messageVi: 'Chưa kết nối được VNeID. Vui lòng thử lại sau.', detail: `VNeID discovery failed: ${String(error)}` });
    });
    return configuration;
  };
  return {
    async start(redirectUri, next, now) {
      const config = await discovered();
      const pending: PendingSignIn = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier(), next, expiresAt: now.getTime() + PENDING_MINUTES * 60_000 };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
        acr_values: `${LEVEL_2_ACR} ${LEVEL_1_ACR}`,
      });
      return { url, pending };
    },
    async finish(callbackUrl, pending, now) {
      if (pending.expiresAt < now.getTime()) throw refused('the sign-in took too long');
      const config = await discovered();
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
      } catch (error) {
        throw refused(String(error));
      }
      const claims = tokens.claims();
      if (!claims) throw refused('no ID token');
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub).catch((error: unknown) => {
        throw refused(`userinfo: ${String(error)}`);
      });
      const level = claims.acr === LEVEL_2_ACR ? 2 : 1;
      const personalId = info[PERSONAL_ID_CLAIM] ?? claims[PERSONAL_ID_CLAIM];
      const name = typeof info.name === 'string' && info.name.trim() !== '' ? info.name.trim() : typeof claims.name === 'string' ? claims.name.trim() : '';
      return { subject: claims.sub, level, fullName: name || 'Công dân', personalId: level === 2 && typeof personalId === 'string' && /^\d{12}$/.test(personalId) ? personalId : null };
    },
  };
}

const refused = (detail: string) => new AppError('unauthenticated', { messageVi: 'Đăng nhập qua VNeID không thành công. Vui lòng thử lại.', detail: `VNeID sign-in refused: ${detail}` });

// ---- the pending sign-in cookie

export const PENDING_COOKIE = 'cqs_vneid';

const mac = (secret: string, body: string) => createHmac('sha256', secret).update(`cqs-vneid-v1\u0000${body}`).digest();

/** `<base64url JSON>.<HMAC>`: the browser keeps it, but cannot alter it or make one up. */
export function sealPending(secret: string, pending: PendingSignIn): string {
  const body = Buffer.from(JSON.stringify(pending)).toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

export function openPending(secret: string, sealed: string | undefined): PendingSignIn | null {
  const [body = '', given = '', ...rest] = (sealed ?? '').split('.');
  if (rest.length > 0 || body === '') return null;
  const expected = mac(secret, body);
  const actual = Buffer.from(given, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  try {
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<PendingSignIn>;
    return typeof p.state === 'string' && typeof p.nonce === 'string' && typeof p.codeVerifier === 'string' && typeof p.next === 'string' && typeof p.expiresAt === 'number' ? (p as PendingSignIn) : null;
  } catch {
    return null;
  }
}
