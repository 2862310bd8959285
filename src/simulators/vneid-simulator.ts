import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { LEVEL_1_ACR, LEVEL_2_ACR, PERSONAL_ID_CLAIM } from '../platform/auth/vneid.ts';

/** A person the simulator can sign in as. Level 1: the account exists but its personal ID is not vouched for. */
export interface SimulatedIdentity {
  readonly personalId: string;
  readonly fullName: string;
  readonly level: 1 | 2;
}

export interface SimulatedClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
}

interface Grant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly nonce: string | null;
  readonly identity: SimulatedIdentity;
  readonly expiresAt: number;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const sha256 = (s: string) => createHash('sha256').update(s).digest();
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** One person, one subject, whatever their level: a level-1 account raised to level 2 keeps its "sub". */
export const simulatedSubject = (personalId: string) => `sim-${sha256(`vneid-sim\u0000${personalId}`).toString('hex').slice(0, 32)}`;

async function readBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));

const oauthError = (res: ServerResponse, status: number, error: string, description: string) => json(res, status, { error, error_description: description });

/**
 * A local OpenID Connect provider in the manner of VNeID, for tests and the demo: discovery document, JWKS (RS256
 * keys made at start), an authorize page where one picks (or types) the person to sign in as, the token endpoint
 * (client_secret_basic or _post, authorization codes used once within a minute, PKCE S256 required) and userinfo.
 * ID tokens carry `acr` (level 1 or 2), `name` and, at level 2 only, the personal ID.
 */
export async function startVneidSimulator(options: { clients: readonly SimulatedClient[]; identities: readonly SimulatedIdentity[] }) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomBytes(8).toString('hex');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, Grant>();
  const accessTokens = new Map<string, { identity: SimulatedIdentity; expiresAt: number }>();
  const clients = [...options.clients];
  let issuer = '';

  const claimsOf = (identity: SimulatedIdentity) => ({
    name: identity.fullName,
    acr: identity.level === 2 ? LEVEL_2_ACR : LEVEL_1_ACR,
    ...(identity.level === 2 ? { [PERSONAL_ID_CLAIM]: identity.personalId } : {}),
  });

  /** The authorization request, checked as a provider must before showing anything: known client, registered redirect. */
  const authorizationRequest = (q: URLSearchParams) => {
    const client = clients.find((c) => c.clientId === q.get('client_id'));
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!client?.redirectUris.includes(redirectUri)) return { error: 'Ứng dụng hoặc địa chỉ chuyển hướng không được đăng ký.' } as const;
    if (q.get('response_type') !== 'code' || !(q.get('scope') ?? '').split(' ').includes('openid')) return { error: 'Yêu cầu không đúng luồng authorization code của OpenID Connect.' } as const;
    const challenge = q.get('code_challenge') ?? '';
    if (q.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return { error: 'Thiếu PKCE (S256).' } as const;
    return { client, redirectUri, challenge, state: q.get('state'), nonce: q.get('nonce') } as const;
  };

  const authorizePage = (res: ServerResponse, q: URLSearchParams) => {
    const request = authorizationRequest(q);
    if ('error' in request) return void res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(request.error ?? '');
    const keep = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method'];
    const hidden = keep.map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q.get(k) ?? '')}">`).join('');
    const people = options.identities
      .map((p, i) => `<li><form method="post" action="/authorize">${hidden}<input type="hidden" name="identity" value="${i}"><button type="submit">${escapeHtml(p.fullName)} — ${escapeHtml(p.personalId)} (mức ${p.level})</button></form></li>`)
      .join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>VNeID mô phỏng</title></head>
<body style="font-family:sans-serif;max-width:34rem;margin:1rem auto;padding:0 1rem"><main><h1>Đăng nhập VNeID (mô phỏng)</h1>
<p>Trình mô phỏng nhà cung cấp định danh điện tử dùng cho thử nghiệm và trình diễn; không kết nối VNeID thật.</p>
<h2>Chọn người đăng nhập</h2><ul>${people}</ul>
<h2>Hoặc nhập danh tính</h2><form method="post" action="/authorize">${hidden}
<p><label for="pid">Số định danh cá nhân</label><br><input id="pid" name="personal_id" inputmode="numeric" maxlength="12" required></p>
<p><label for="name">Họ và tên</label><br><input id="name" name="name" maxlength="200" required></p>
<p><label for="level">Mức định danh</label><br><select id="level" name="level"><option value="2">Mức 2</option><option value="1">Mức 1</option></select></p>
<button type="submit">Đăng nhập</button></form></main></body></html>`);
  };

  const authorize = (res: ServerResponse, q: URLSearchParams) => {
    const request = authorizationRequest(q);
    if ('error' in request) return void res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(request.error ?? '');
    const picked = q.has('identity') ? options.identities[Number(q.get('identity'))] : undefined;
    const typed = /^\d{12}$/.test(q.get('personal_id') ?? '') && (q.get('name') ?? '').trim() !== '' ? { personalId: q.get('personal_id') ?? '', fullName: (q.get('name') ?? '').trim(), level: q.get('level') === '1' ? 1 : 2 } as const : undefined;
    const identity = picked ?? typed;
    if (!identity) return void res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Chưa chọn hoặc nhập đúng danh tính.');
    const code = randomBytes(24).toString('base64url');
    codes.set(code, { clientId: request.client.clientId, redirectUri: request.redirectUri, codeChallenge: request.challenge, nonce: request.nonce, identity, expiresAt: Date.now() + 60_000 });
    const target = new URL(request.redirectUri);
    target.searchParams.set('code', code);
    if (request.state !== null) target.searchParams.set('state', request.state);
    target.searchParams.set('iss', issuer);
    res.writeHead(303, { location: target.toString() }).end();
  };

  const clientOf = (req: IncomingMessage, form: URLSearchParams): SimulatedClient | null => {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const [id, secret] = basic ? Buffer.from(basic[1] ?? '', 'base64').toString('utf8').split(':').map((s) => decodeURIComponent(s.replace(/\+/g, ' '))) : [form.get('client_id') ?? '', form.get('client_secret') ?? ''];
    const client = clients.find((c) => c.clientId === id);
    return client && same(client.clientSecret, secret ?? '') ? client : null;
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const form = await readBody(req);
    const client = clientOf(req, form);
    if (!client) return oauthError(res, 401, 'invalid_client', 'unknown client or wrong secret');
    if (form.get('grant_type') !== 'authorization_code') return oauthError(res, 400, 'unsupported_grant_type', 'only authorization_code');
    const code = form.get('code') ?? '';
    const grant = codes.get(code);
    codes.delete(code);
    if (!grant || grant.expiresAt < Date.now() || grant.clientId !== client.clientId) return oauthError(res, 400, 'invalid_grant', 'unknown, used or expired code');
    if (form.get('redirect_uri') !== grant.redirectUri) return oauthError(res, 400, 'invalid_grant', 'redirect_uri differs from the authorization request');
    if (sha256(form.get('code_verifier') ?? '').toString('base64url') !== grant.codeChallenge) return oauthError(res, 400, 'invalid_grant', 'PKCE verification failed');
    const subject = simulatedSubject(grant.identity.personalId);
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({ ...claimsOf(grant.identity), ...(grant.nonce ? { nonce: grant.nonce } : {}), auth_time: now })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(issuer)
      .setSubject(subject)
      .setAudience(client.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    const accessToken = randomBytes(32).toString('base64url');
    accessTokens.set(accessToken, { identity: grant.identity, expiresAt: Date.now() + 300_000 });
    json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 300, id_token: idToken, scope: 'openid profile' });
  };

  const userinfo = (req: IncomingMessage, res: ServerResponse) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const entry = accessTokens.get(bearer);
    if (!entry || entry.expiresAt < Date.now()) return json(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    json(res, 200, { sub: simulatedSubject(entry.identity.personalId), ...claimsOf(entry.identity) });
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://simulator');
      if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          scopes_supported: ['openid', 'profile'],
          acr_values_supported: [LEVEL_2_ACR, LEVEL_1_ACR],
          claims_supported: ['sub', 'name', 'acr', PERSONAL_ID_CLAIM],
          authorization_response_iss_parameter_supported: true,
        });
      }
      if (req.method === 'GET' && url.pathname === '/jwks') return json(res, 200, { keys: [jwk] });
      if (req.method === 'GET' && url.pathname === '/authorize') return authorizePage(res, url.searchParams);
      if (req.method === 'POST' && url.pathname === '/authorize') return authorize(res, await readBody(req));
      if (req.method === 'POST' && url.pathname === '/token') return token(req, res);
      if ((req.method === 'GET' || req.method === 'POST') && url.pathname === '/userinfo') return userinfo(req, res);
      res.writeHead(404).end();
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    /** Registers another client (a test app whose redirect address is known only once it listens). */
    addClient: (c: SimulatedClient) => void clients.push(c),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
