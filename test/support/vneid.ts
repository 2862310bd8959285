import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../../src/platform/http/server.ts';
import { startVneidSimulator } from '../../src/simulators/vneid-simulator.ts';
import type { Session } from './test-app.ts';

export const TEST_VNEID_CLIENT = { clientId: 'cqs-test', clientSecret: 'vneid-test-secret-0123456789' };

/** The local VNeID provider with the test app's client registered, and the environment that points CQS at it. */
export async function startTestVneid(publicUrl = 'http://127.0.0.1:3000') {
  const simulator = await startVneidSimulator({ clients: [{ ...TEST_VNEID_CLIENT, redirectUris: [`${publicUrl}/dang-nhap/vneid/callback`] }], identities: [] });
  const env = { CQS_VNEID_ISSUER: simulator.issuer, CQS_VNEID_CLIENT_ID: TEST_VNEID_CLIENT.clientId, CQS_VNEID_CLIENT_SECRET: TEST_VNEID_CLIENT.clientSecret };
  return { simulator, env };
}

const cookieOf = (res: LightMyRequestResponse, name: string) => res.cookies.find((c) => c.name === name)?.value;

/**
 * Goes through the whole VNeID sign-in as a browser would: CQS sends it to the provider's authorize page, the person
 * signs in there as `who`, the provider sends it back to CQS's callback with a code. `cookie` is what the browser
 * already holds (a session, to link an account). Returns CQS's answer to the callback and, when it signed in, the
 * session to use.
 */
export async function signInWithVneid(app: App, who: { personalId: string; fullName: string; level: 1 | 2 }, cookie?: string): Promise<{ callback: LightMyRequestResponse; session: Session | null }> {
  const start = await app.inject({ method: 'GET', url: '/dang-nhap/vneid?next=/dich-vu-cong/ho-so', headers: cookie ? { cookie } : {} });
  if (start.statusCode !== 303) throw new Error(`VNeID start: ${start.statusCode} ${start.body}`);
  const authorize = new URL(String(start.headers.location));
  const form = new URLSearchParams(authorize.searchParams);
  form.set('personal_id', who.personalId);
  form.set('name', who.fullName);
  form.set('level', String(who.level));
  const answer = await fetch(`${authorize.origin}/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  if (answer.status !== 303) throw new Error(`VNeID authorize: ${answer.status} ${await answer.text()}`);
  const back = new URL(answer.headers.get('location') ?? '');
  const pending = `cqs_vneid=${cookieOf(start, 'cqs_vneid')}`;
  const callback = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, headers: { cookie: [cookie, pending].filter(Boolean).join('; ') } });
  const token = cookieOf(callback, 'cqs_session');
  if (!token) return { callback, session: null };
  const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `cqs_session=${token}` } });
  return { callback, session: { cookie: `cqs_session=${token}`, csrf: (me.json() as { csrfToken: string }).csrfToken } };
}
